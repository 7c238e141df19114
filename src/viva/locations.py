"""Where viva's data lives: the packaged folders and the user's ``VIVA_HOME``."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = [
    "audio_root",
    "cache_dir",
    "data_root",
    "home",
    "set_home_override",
    "template_dir",
    "user_bank_dir",
    "user_catalog_dir",
]

_home_override: Path | None = None


def set_home_override(path: Path | None) -> None:
    """``--home`` on the command line wins over ``VIVA_HOME``."""
    global _home_override
    _home_override = path


def home() -> Path:
    """The user's data folder: ``--home``, ``$VIVA_HOME`` or the platform's data dir."""
    if _home_override is not None:
        return _home_override
    env = os.environ.get("VIVA_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("viva", appauthor=False)


def cache_dir() -> Path:
    """Where derived data that can be rebuilt lives (the validated catalog):
    ``$VIVA_CACHE_DIR``; else, when ``--home`` or ``$VIVA_HOME`` names a data
    folder, its ``cache/`` (that folder then holds everything viva keeps);
    else the platform's user cache folder (``~/.cache/viva`` on Linux)."""
    env = os.environ.get("VIVA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if _home_override is not None or os.environ.get("VIVA_HOME"):
        return home() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("viva", appauthor=False)


def audio_root() -> Path:
    """Where recordings live, one folder per session: ``$VIVA_HOME/audio/``."""
    return home() / "audio"


@cache
def data_root() -> Path:
    """The folder holding ``catalog/``, ``question_banks/`` and ``templates/``.

    An installed wheel carries them as ``viva/_data``; a source checkout (an
    editable install) reads them from the repository's top level.
    """
    # The package is a plain folder (never zipped), so this is what
    # importlib.resources.files("viva") would give, without its import cost.
    packaged = Path(__file__).resolve().parent / "_data"
    if (packaged / "catalog").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "catalog").is_dir():
        return checkout
    raise RuntimeError("viva's packaged data is missing: reinstall viva")  # pragma: no cover


def user_catalog_dir() -> Path:
    return home() / "catalog"


def user_bank_dir() -> Path:
    return home() / "question_banks"


def template_dir() -> Path:
    return data_root() / "templates"
