"""Finding the data files and the cache of a validated load.

Kept free of pydantic so that ``viva tracks`` can answer from the cache
without paying for the schema machinery.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viva import __version__
from viva.locations import cache_dir, data_root, user_bank_dir, user_catalog_dir

__all__ = [
    "DataFile",
    "cached_index",
    "discover",
    "fingerprint",
    "read_cache",
    "skipped",
    "write_cache",
]


@dataclass(frozen=True)
class DataFile:
    """A data file and the name it is shown under in messages."""

    path: Path
    display: str
    user: bool = False


_SKIPPED: dict[str, str] = {}
"""What the last discovery passed over in the data folders, and why."""


def _yaml_files(folder: Path) -> list[Path]:
    """The regular ``.yaml``/``.yml`` files under ``folder``; anything else that
    looks like one (a FIFO, a folder, a dangling link) and any folder that
    cannot be read is noted in :func:`skipped`, never passed over silently."""
    if not folder.is_dir():
        return []
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        _SKIPPED[str(exc.filename)] = f"cannot be read ({exc.strerror or exc})"

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        for name in sorted(files + dirs):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = Path(root) / name
            if path.is_file():
                found.append(path)
            elif path.is_symlink() and not path.exists():
                _SKIPPED[str(path)] = "a link to nothing"
            else:
                _SKIPPED[str(path)] = "not a regular file (a folder, FIFO or device)"
    return sorted(found)


def skipped() -> list[str]:
    """``path: why`` for each entry of the data folders the last discovery skipped."""
    return [f"{path}: skipped: {why}" for path, why in sorted(_SKIPPED.items())]


def discover() -> tuple[list[DataFile], list[DataFile]]:
    """The catalog files and bank files to load, packaged first."""
    _SKIPPED.clear()
    root = data_root()
    catalogs = [DataFile(p, p.relative_to(root).as_posix()) for p in _yaml_files(root / "catalog")]
    banks = [
        DataFile(p, p.relative_to(root).as_posix()) for p in _yaml_files(root / "question_banks")
    ]
    catalogs += [DataFile(p, str(p), True) for p in _yaml_files(user_catalog_dir())]
    banks += [DataFile(p, str(p), True) for p in _yaml_files(user_bank_dir())]
    return catalogs, banks


def fingerprint(files: Iterable[DataFile]) -> list[Any]:
    out: list[Any] = [__version__]
    for f in files:
        st = f.path.stat()
        out.append([str(f.path), st.st_size, st.st_mtime_ns])
    return out


def _cache_path(name: str = "catalog") -> Path:
    return cache_dir() / f"{name}.json"


def read_cache(expected: list[Any], name: str = "catalog") -> dict[str, Any] | None:
    try:
        raw = json.loads(_cache_path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("fingerprint") != expected:
        return None
    return raw


def write_cache(payload: dict[str, Any], name: str = "catalog") -> None:
    from viva.errors import VivaError
    from viva.files import write_text  # only on a cache miss: tempfile is not free

    path = _cache_path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(payload, ensure_ascii=False))
    except (OSError, VivaError):
        pass  # a read-only home only costs speed


def cached_index() -> list[dict[str, Any]] | None:
    """The track index from a fresh cache, or None."""
    catalogs, banks = discover()
    raw = read_cache(fingerprint([*catalogs, *banks]), "index")
    index = raw.get("index") if raw is not None else None
    if not isinstance(index, list) or not all(isinstance(row, dict) for row in index):
        return None  # no cache, or a damaged one: read the data files again
    return index
