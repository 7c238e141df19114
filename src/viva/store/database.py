"""The SQLite store: rehearsal sessions and their append-only event log.

One file under ``$VIVA_HOME`` (``viva.db``), opened in WAL mode with
``synchronous=FULL`` so that an event is on disk before the caller
acknowledges it, and a busy timeout so that a rehearsal and a drill in two
processes wait for each other briefly instead of failing. The schema is
versioned: each migration is a function, applied once, in order, and recorded
in ``schema_migrations``.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from viva.drill.schema import DRILL_MIGRATION_NAME, DRILL_MIGRATION_VERSION, migrate_drill_tables
from viva.errors import VivaError
from viva.locations import home

__all__ = [
    "MIGRATIONS",
    "Event",
    "SessionRow",
    "Store",
    "default_store_path",
    "open_store",
    "utc_now",
]

BUSY_TIMEOUT_MS = 5000


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_store_path() -> Path:
    return home() / "viva.db"


@dataclass(frozen=True)
class Event:
    """One recorded action of a session."""

    session_id: str
    seq: int
    kind: str
    mono: float
    wall: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class SessionRow:
    id: str
    track: str
    minutes: int
    seed: int
    candidate: str | None
    agenda: dict[str, Any]
    status: str
    started_at: datetime
    ended_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "track": self.track,
            "minutes": self.minutes,
            "seed": self.seed,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
        }


def _m001_sessions_and_events(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            track TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            candidate TEXT,
            agenda TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
            started_at TEXT NOT NULL,
            ended_at TEXT
        )"""
    )
    conn.execute(
        """CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            mono REAL NOT NULL,
            wall TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX sessions_by_track ON sessions (track, started_at)")


Migration = Callable[[sqlite3.Connection], None]

# Append only: a released migration is never edited, a new one is added.
MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "sessions and events", _m001_sessions_and_events),
    (DRILL_MIGRATION_VERSION, DRILL_MIGRATION_NAME, migrate_drill_tables),
]


class Store:
    """A connection to the store file; cheap to open, safe to share between processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise VivaError(f"{path}: cannot open the store: {exc}") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so two
        writers queue on the busy timeout instead of failing mid-transaction."""
        self._begin_immediate()
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        """Take the write lock, retrying in short randomised steps.

        SQLite's own busy handler backs off to 100 ms sleeps, so a writer in a
        tight loop can starve another process for seconds; short jittered
        retries keep both writers' waits to a few milliseconds.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.0005
        self.conn.execute("PRAGMA busy_timeout = 1")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if time.monotonic() > deadline:
                        raise VivaError(
                            f"{self.path}: the store stayed locked by another viva process "
                            f"for {BUSY_TIMEOUT_MS / 1000:.0f} s; try again"
                        ) from exc
                    time.sleep(delay * (0.5 + random.random()))
                    delay = min(delay * 1.5, 0.005)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    # --- schema ---------------------------------------------------------

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        known = max(v for v, _, _ in MIGRATIONS)
        if current > known:
            raise VivaError(
                f"{self.path}: the store has schema version {current}, newer than this viva "
                f"understands ({known}); upgrade viva"
            )
        pending = [m for m in MIGRATIONS if m[0] > current]
        if pending and current > 0:
            # An existing store is copied before its schema changes.
            stamp = utc_now().strftime("%Y%m%d-%H%M%S")
            self.backup_to(self.path.with_name(f"{self.path.name}.before-v{pending[0][0]}-{stamp}"))
        for version, name, fn in pending:
            with self.transaction() as conn:
                fn(conn)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (version, name, utc_now().isoformat()),
                )

    # --- sessions -------------------------------------------------------

    def create_session(
        self,
        track: str,
        minutes: int,
        seed: int,
        candidate: str | None,
        agenda: dict[str, Any],
        started_at: datetime,
    ) -> str:
        for _ in range(8):
            session_id = f"{started_at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            try:
                with self.transaction() as conn:
                    conn.execute(
                        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, 'active', ?, NULL)",
                        (
                            session_id,
                            track,
                            minutes,
                            seed,
                            candidate,
                            json.dumps(agenda, ensure_ascii=False),
                            started_at.isoformat(),
                        ),
                    )
            except sqlite3.IntegrityError:
                continue  # the same second and the same random suffix: draw again
            return session_id
        raise VivaError("could not allocate a session id; try again")

    def session(self, session_id: str) -> SessionRow:
        row = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            matches = self.conn.execute(
                "SELECT * FROM sessions WHERE id LIKE ? || '%' ORDER BY started_at", (session_id,)
            ).fetchall()
            if len(matches) != 1:
                known = ", ".join(r[0] for r in matches) if matches else "see `viva sessions`"
                what = "ambiguous" if matches else "unknown"
                raise VivaError(f"{what} session {session_id!r}: {known}")
            row = matches[0]
        return _session(row)

    def sessions(self, track: str | None = None) -> list[SessionRow]:
        sql = "SELECT * FROM sessions"
        args: tuple[Any, ...] = ()
        if track:
            sql += " WHERE track = ?"
            args = (track,)
        return [_session(r) for r in self.conn.execute(sql + " ORDER BY started_at, id", args)]

    def latest_unfinished(self) -> SessionRow | None:
        row = self.conn.execute(
            "SELECT * FROM sessions WHERE status != 'ended' ORDER BY started_at DESC, id DESC"
        ).fetchone()
        return _session(row) if row else None

    # --- events ---------------------------------------------------------

    def append(
        self,
        session_id: str,
        kind: str,
        data: dict[str, Any],
        mono: float,
        wall: datetime,
        status: str | None = None,
    ) -> Event:
        """Append one event in its own committed transaction and return it.

        ``status`` (active, paused, ended) is written to the session row in the
        same transaction, so the listing never disagrees with the log.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()
            seq = int(row[0]) + 1
            conn.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    seq,
                    kind,
                    mono,
                    wall.isoformat(),
                    json.dumps(data, ensure_ascii=False),
                ),
            )
            if status is not None:
                conn.execute(
                    "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                    (status, wall.isoformat() if status == "ended" else None, session_id),
                )
        return Event(session_id, seq, kind, mono, wall, data)

    def events(self, session_id: str) -> list[Event]:
        return [
            Event(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), json.loads(r[5]))
            for r in self.conn.execute(
                "SELECT * FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
            )
        ]

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of the store (SQLite's online backup, WAL included),
        written to a temporary file and renamed into place."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)
        return target

    def integrity_ok(self) -> bool:
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _session(row: tuple[Any, ...]) -> SessionRow:
    return SessionRow(
        id=row[0],
        track=row[1],
        minutes=row[2],
        seed=row[3],
        candidate=row[4],
        agenda=json.loads(row[5]),
        status=row[6],
        started_at=datetime.fromisoformat(row[7]),
        ended_at=datetime.fromisoformat(row[8]) if row[8] else None,
    )


def open_store(path: Path | None = None) -> Store:
    return Store(path or default_store_path())
