"""``viva backup`` and ``viva restore``: copies of the store, checked before use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from viva.clock import utc_now
from viva.errors import VivaError
from viva.store.database import Store, default_store_path, open_store

__all__ = ["backup_store", "check_viva_store", "restore_store"]

_REQUIRED_TABLES = {"schema_migrations", "sessions", "events"}


def backup_store(target: Path | None = None, store_path: Path | None = None) -> Path:
    """Copy the store to ``target`` (default: beside it, stamped with the time)."""
    source = store_path or default_store_path()
    if not source.exists():
        raise VivaError(f"{source}: there is no store yet (nothing recorded)")
    if target is None:
        target = source.with_name(f"viva-backup-{utc_now():%Y%m%d-%H%M%S}.db")
    if target.exists():
        raise VivaError(f"{target}: already exists; name another file")
    with open_store(source) as store:
        return store.backup_to(target)


def check_viva_store(path: Path) -> int:
    """The schema version of a viva store file; ``VivaError`` if it is not one."""
    if path.is_dir():
        raise VivaError(f"{path}: is a folder, not a viva store file")
    if not path.is_file():
        raise VivaError(f"{path}: no such file")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise VivaError(f"{path}: not a viva store (not an SQLite database)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not tables >= _REQUIRED_TABLES:
                raise VivaError(f"{path}: not a viva store (no sessions and events tables)")
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise VivaError(f"{path}: the store is damaged (integrity check failed)")
            return int(conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise VivaError(f"{path}: not a viva store ({exc})") from exc


def restore_store(source: Path, store_path: Path | None = None) -> tuple[Path, Path | None]:
    """Replace the store with ``source`` after checking it; the current store is
    backed up first. Returns the store path and the safety copy's path."""
    check_viva_store(source)
    target = store_path or default_store_path()
    safety = None
    if target.exists():
        safety = backup_store(
            target.with_name(f"viva-before-restore-{utc_now():%Y%m%d-%H%M%S}.db"), target
        )
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with Store(target) as store:
            src.backup(store.conn)
    finally:
        src.close()
    with open_store(target) as store:  # migrates an older backup to the current schema
        if not store.integrity_ok():
            raise VivaError(f"{target}: integrity check failed after the restore")
    return target, safety
