"""The whisper engine's model folders: what ``viva speech setup`` fetches, and where.

faster-whisper reads a CTranslate2 conversion of Whisper from a folder.
``viva speech setup`` fetches one once from the Hugging Face Hub
(``Systran/faster-whisper-<size>``) into ``$VIVA_HOME/models/faster-whisper-<size>/``,
so that transcribing never touches the network. The fetch writes into a hidden
``.partial`` folder beside it and renames that at the end: a fetch cut short
(no network, a full disk, Ctrl-C, a kill) never leaves a folder that looks
like a model.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from viva.errors import UsageProblem, VivaError
from viva.locations import home

__all__ = [
    "DEFAULT_SIZE",
    "INSTALL_WHISPER",
    "SIZES",
    "SetupFailed",
    "WhisperSize",
    "env_model",
    "fetch_model",
    "fetched_models",
    "is_model",
    "models_dir",
    "require_faster_whisper",
    "setup_model",
    "size_named",
]

INSTALL_WHISPER = "pip install 'viva-defense[whisper]'"

# The Systran conversions and the size of each model.bin, to say what a fetch costs.
_MEGABYTES = {
    "tiny.en": 75,
    "tiny": 75,
    "base.en": 145,
    "base": 145,
    "small.en": 484,
    "small": 484,
    "medium.en": 1530,
    "medium": 1530,
    "large-v1": 3090,
    "large-v2": 3090,
    "large-v3": 3090,
}
SIZES = tuple(_MEGABYTES)
DEFAULT_SIZE = "base.en"

# What faster-whisper's own download_model asks the Hub for (nothing else in
# the repositories is needed to transcribe), and what a usable folder must hold.
_PATTERNS = (
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
)
_REQUIRED = ("model.bin", "config.json", "tokenizer.json")

_ADVICE = "copy a model folder and pass --model DIR or set VIVA_WHISPER_MODEL"


class SetupFailed(VivaError):
    """``viva speech setup`` could not fetch the model; nothing half-fetched is kept."""


@dataclass(frozen=True)
class WhisperSize:
    """One faster-whisper model size, its Hub repository and its folder under $VIVA_HOME."""

    name: str

    @property
    def repo(self) -> str:
        return f"Systran/faster-whisper-{self.name}"

    @property
    def folder(self) -> Path:
        return models_dir() / f"faster-whisper-{self.name}"

    @property
    def megabytes(self) -> int:
        return _MEGABYTES[self.name]


def size_named(name: str) -> WhisperSize:
    """The size called ``name``; an unknown one is a usage error listing the known."""
    if name not in _MEGABYTES:
        raise UsageProblem(f"unknown whisper model size {name!r}; known: {', '.join(SIZES)}")
    return WhisperSize(name)


def models_dir() -> Path:
    return home() / "models"


def is_model(folder: Path) -> bool:
    """A folder faster-whisper can be pointed at (the weights are the part that matters)."""
    return (folder / "model.bin").is_file()


def env_model() -> Path | None:
    """``VIVA_WHISPER_MODEL``, the folder a user chose once for every command."""
    value = os.environ.get("VIVA_WHISPER_MODEL", "").strip()
    return Path(value).expanduser() if value else None


def fetched_models() -> list[Path]:
    """Every model folder ``viva speech setup`` left under ``$VIVA_HOME/models/``
    (a ``.partial`` fetch in progress is hidden and not one of them)."""
    root = models_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("faster-whisper-*") if p.is_dir() and is_model(p))


def setup_model() -> Path | None:
    """The fetched model to use when none is named: the default size, else the only one
    (with several and no default the choice is the user's, so none)."""
    default = size_named(DEFAULT_SIZE).folder
    if is_model(default):
        return default
    found = fetched_models()
    return found[0] if len(found) == 1 else None


def require_faster_whisper() -> None:
    """faster-whisper, and huggingface_hub that comes with it, both import: fetching a
    model that faster-whisper cannot load here would be a wasted download."""
    try:
        import faster_whisper  # noqa: F401
        import huggingface_hub  # noqa: F401
    except ImportError:
        raise SetupFailed(
            f"the whisper engine needs faster-whisper: {INSTALL_WHISPER}, "
            "then run `viva speech setup` again"
        ) from None


def fetch_model(size: WhisperSize) -> Path:
    """Fetch ``size`` into its folder, replacing what is there; the Hub's own progress
    bars show on stderr. Returns the folder."""
    require_faster_whisper()
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{size.folder.name}.partial"
    with _only_fetch(root):
        _discard(partial)  # what a killed fetch left
        try:
            _download(size, partial)
            _check_complete(size, partial)
            _install(partial, size.folder)
        finally:
            _discard(partial)
    return size.folder


@contextlib.contextmanager
def _only_fetch(root: Path) -> Iterator[None]:
    """One fetch at a time per models folder, so that clearing a stale ``.partial``
    can never pull the files from under a fetch still running."""
    import fcntl  # POSIX only, as viva is; imported here so the engines load anywhere

    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SetupFailed(
                f"another `viva speech setup` is fetching into {root}: let it finish"
            ) from None
        yield
    finally:
        os.close(fd)


def _download(size: WhisperSize, partial: Path) -> None:
    """The Hub call faster-whisper's ``download_model`` makes, less its switched-off
    progress bars: a model is 75 MB to 3 GB, and the user should see it coming."""
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(size.repo, local_dir=str(partial), allow_patterns=list(_PATTERNS))
    except _fetch_errors() as exc:
        raise SetupFailed(f"cannot fetch the whisper model {size.repo}: {_why(exc)}") from None


def _fetch_errors() -> tuple[type[BaseException], ...]:
    """What a failed fetch raises. The Hub's errors and a refused connection are
    OSErrors, as are requests' (huggingface_hub before 1.0); a download broken off
    midway raises httpx's or httpx2's own HTTPError (1.x, 2.x), and a Xet transfer
    XetDownloadError, none of them OSErrors. Only the client in use is imported."""
    found: list[type[BaseException]] = [OSError]
    for module, name in (
        ("httpx", "HTTPError"),
        ("httpx2", "HTTPError"),
        ("huggingface_hub.errors", "XetDownloadError"),
    ):
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


def _why(exc: BaseException) -> str:
    """One clause for the user: the cause they can act on, not the Hub's paragraph."""
    from huggingface_hub import constants

    host = urlparse(constants.ENDPOINT).netloc or constants.ENDPOINT
    if constants.HF_HUB_OFFLINE or _caused_by(exc, "OfflineModeIsEnabled"):
        return f"no network connection to {host} (HF_HUB_OFFLINE is set); {_ADVICE}"
    if _is(exc, "LocalEntryNotFoundError"):
        return f"no network connection to {host} ({_root_cause(exc)}); {_ADVICE}"
    if _is(exc, "RepositoryNotFoundError"):
        return f"{host} has no such model (or it needs a login); {_ADVICE}"
    if _is(exc, "HfHubHTTPError"):
        return f"{host} refused it ({str(exc).splitlines()[0]}); {_ADVICE}"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return f"the download from {host} broke off ({exc}); run `viva speech setup` again"


def _is(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is one of the Hub's errors called ``name``. By name, because the
    Hub moved them (``huggingface_hub.utils`` re-exports them, ``.errors`` is their
    home since 0.24) while the names stayed."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def _caused_by(exc: BaseException, name: str) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if _is(seen, name):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _root_cause(exc: BaseException) -> str:
    """The innermost error's text: ``[Errno 111] Connection refused``, a DNS failure."""
    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _check_complete(size: WhisperSize, partial: Path) -> None:
    missing = [name for name in _REQUIRED if not (partial / name).is_file()]
    if missing:
        raise SetupFailed(
            f"cannot fetch the whisper model {size.repo}: it came without "
            f"{', '.join(missing)}; {_ADVICE}"
        )


def _install(partial: Path, folder: Path) -> None:
    """Rename the finished fetch into place (one rename on one file system); a model
    already there (``--force``) is moved aside first and removed only afterwards."""
    _discard(partial / ".cache")  # the Hub's download bookkeeping
    old = folder.with_name(f".{folder.name}.old")
    _discard(old)
    if folder.exists() or folder.is_symlink():
        folder.rename(old)
    try:
        partial.rename(folder)
    except OSError:
        if old.exists():
            old.rename(folder)  # keep the model that was there
        raise
    _discard(old)


def _discard(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
