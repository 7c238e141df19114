"""``viva backup`` and ``viva restore``: copies of the store, checked before use."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from viva.clock import utc_now
from viva.errors import VivaError
from viva.locations import audio_root
from viva.store.database import Store, default_store_path, open_store
from viva.store.migrations import MIGRATIONS

__all__ = [
    "AudioFolder",
    "audio_beside",
    "audio_summary",
    "backup_audio",
    "backup_store",
    "check_audio_target",
    "check_viva_store",
    "restore_audio",
    "restore_store",
]

_REQUIRED_COLUMNS = {
    "schema_migrations": {"version", "name", "applied_at"},
    "sessions": {
        "id",
        "track",
        "minutes",
        "seed",
        "candidate",
        "agenda",
        "status",
        "started_at",
        "ended_at",
    },
    "events": {"session_id", "seq", "kind", "mono", "wall", "data"},
}
"""The tables and columns every viva store has had since its first schema."""


def _stamp() -> str:
    """A name part no two copies share: the time to the microsecond and a random tail."""
    return f"{utc_now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"


def backup_store(
    target: Path | None = None, store_path: Path | None = None, *, check: bool = True
) -> Path:
    """Copy the store to ``target`` (default: beside it, stamped with the time);
    a store that fails its integrity check is refused unless ``check`` is off
    (a restore keeps even a damaged store it replaces)."""
    source = store_path or default_store_path()
    if not source.exists():
        raise VivaError(f"{source}: there is no store yet (nothing recorded)")
    if target is None:
        target = source.with_name(f"viva-backup-{_stamp()}.db")
    if target.exists():
        raise VivaError(f"{target}: already exists; name another file")
    with open_store(source) as store:
        if check and not store.integrity_ok():
            raise VivaError(
                f"{source} fails its integrity check, so a backup would copy the damage: "
                "keep your last good backup (`viva restore FILE`), and see `viva doctor`"
            )
        return store.backup_to(target)


@dataclass(frozen=True)
class AudioFolder:
    """A folder of recordings: where, how many files, how many bytes."""

    path: Path
    files: int
    bytes: int

    @classmethod
    def of(cls, path: Path) -> AudioFolder:
        found = _recordings(path)
        return cls(path, len(found), sum(p.stat().st_size for p in found))


def _recordings(folder: Path) -> list[Path]:
    """The regular files under ``folder``; links and special files are not recordings."""
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def _not_recordings(folder: str, names: list[str]) -> set[str]:
    """For copytree: skip links, FIFOs, sockets and devices, keep files and folders."""
    skip = set()
    for name in names:
        path = Path(folder, name)
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            skip.add(name)
    return skip


def check_audio_target(backup: Path | None) -> None:
    """Refuse ``--with-audio`` before anything is written when its folder is taken."""
    if backup is not None and os.path.lexists(audio_beside(backup)):
        raise VivaError(f"{audio_beside(backup)}: already exists; name another backup file")


def audio_summary() -> AudioFolder:
    """The recordings of every session (``$VIVA_HOME/audio/``); the store holds
    only their names, lengths and hashes."""
    return AudioFolder.of(audio_root())


def audio_beside(backup: Path) -> Path:
    """The folder a backup's recordings are copied to: ``<backup>.audio/``."""
    return backup.with_name(backup.name + ".audio")


def backup_audio(backup: Path) -> AudioFolder:
    """Copy every recording beside ``backup``, through a temporary folder renamed
    into place, so a copy cut short is never taken for a whole one. FLAC is
    already compressed: a plain folder costs nothing over an archive."""
    source, target = audio_root(), audio_beside(backup)
    check_audio_target(backup)
    staged = target.with_name(f".{target.name}-{_stamp()}")
    try:
        if source.is_dir():
            shutil.copytree(source, staged, ignore=_not_recordings)
        else:
            staged.mkdir(parents=True)
        staged.rename(target)
    except shutil.Error as err:
        first = err.args[0][0] if err.args and err.args[0] else ("?", "?", str(err))
        raise VivaError(
            f"{first[0]}: could not copy it beside the backup ({first[2]}); "
            f"the store's backup {backup} is written"
        ) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return AudioFolder.of(target)


def restore_audio(backup: Path) -> int:
    """Copy back the recordings saved beside ``backup`` (if any) that are not in
    ``$VIVA_HOME/audio/``; a file already there is never overwritten. The number
    of files copied."""
    source = audio_beside(backup)
    if not source.is_dir():
        return 0
    copied = 0
    for path in sorted(_recordings(source)):
        dest = audio_root() / path.relative_to(source)
        if os.path.lexists(dest):  # a dangling link too: never written through
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied += 1
    return copied


def check_viva_store(path: Path) -> int:
    """The schema version of a viva store file; ``VivaError`` if it is not one:
    not SQLite, missing a table or column viva's schema has, damaged, or written
    by a newer viva."""
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
            return _check_open(path, conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise VivaError(f"{path}: not a viva store ({exc})") from exc


def _check_open(path: Path, conn: sqlite3.Connection) -> int:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(set(_REQUIRED_COLUMNS) - tables)
    if missing:
        raise VivaError(f"{path}: not a viva store (no {', '.join(missing)} table)")
    for table, needed in _REQUIRED_COLUMNS.items():
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        lacking = sorted(needed - have)
        if lacking:
            raise VivaError(
                f"{path}: not a viva store (table {table} has no {', '.join(lacking)} column)"
            )
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise VivaError(f"{path}: the store is damaged (integrity check failed)")
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    if row is None or not isinstance(row[0], int):
        raise VivaError(f"{path}: not a viva store (no schema version)")
    version = row[0]
    known = max(v for v, _, _ in MIGRATIONS)
    if version > known:
        raise VivaError(
            f"{path}: written by a newer viva (schema version {version}, this viva knows "
            f"{known}); upgrade viva to restore it"
        )
    return version


def _keep_aside(target: Path) -> Path:
    """Copy the store a restore replaces beside it, damaged or not: through SQLite
    when it opens (its WAL folded in), else byte for byte with its WAL file."""
    aside = target.with_name(f"viva-before-restore-{_stamp()}.db")
    try:
        backup_store(aside, target, check=False)
        with open_store(target) as live:  # fold its WAL in, so no stale log is left
            live.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except (VivaError, sqlite3.DatabaseError):
        aside.unlink(missing_ok=True)
        for extra in ("", "-wal"):
            src = target.with_name(target.name + extra)
            if src.exists():
                shutil.copyfile(src, aside.with_name(aside.name + extra))
    return aside


def restore_store(source: Path, store_path: Path | None = None) -> tuple[Path, Path | None]:
    """Replace the store with ``source``; returns the store path and the path of
    the copy of the store it replaced.

    Nothing touches the live store until a copy of ``source`` has passed every
    check: the file itself, then the copy migrated to this viva's schema and
    checked again. Only then is the current store copied aside (a name no other
    copy has) and the checked copy renamed into its place.
    """
    check_viva_store(source)
    target = store_path or default_store_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".viva-restore-{_stamp()}.db")
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            with Store(staged) as copy:
                src.backup(copy.conn)
        finally:
            src.close()
        with open_store(staged) as copy:  # migrates an older backup to this schema
            _check_open(source, copy.conn)
            copy.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy.conn.execute("PRAGMA journal_mode=DELETE")
        safety = _keep_aside(target) if target.exists() else None
        staged.replace(target)
        for extra in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                target.with_name(target.name + extra).unlink()
    except sqlite3.DatabaseError as exc:
        raise VivaError(f"{source}: cannot be restored ({exc}); the store is unchanged") from exc
    finally:
        # the staged copy, its journal, and the copy a migration of it made
        for leftover in staged.parent.glob(f"{staged.name}*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    with open_store(target) as store:
        if not store.integrity_ok():
            raise VivaError(f"{target}: integrity check failed after the restore")
    return target, safety
