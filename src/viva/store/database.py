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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from viva.clock import utc_now
from viva.errors import UsageProblem, VivaError
from viva.locations import home
from viva.store.migrations import MIGRATIONS

__all__ = [
    "MIGRATIONS",
    "EventRecord",
    "JSONValue",
    "SessionRecord",
    "Store",
    "default_store_path",
    "open_store",
]

BUSY_TIMEOUT_MS = 5000

JSONValue = str | int | float | bool | None
_SESSION_COLUMNS = "id, track, minutes, seed, candidate, agenda, status, started_at, ended_at, mode"
_EVENT_COLUMNS = "session_id, seq, kind, mono, wall, data"


def default_store_path() -> Path:
    return home() / "viva.db"


@dataclass(frozen=True)
class EventRecord:
    """One row of the event log as stored: the rehearsal stage gives it meaning."""

    session_id: str
    seq: int
    kind: str
    mono: float
    wall: datetime
    data: Mapping[str, JSONValue]


@dataclass(frozen=True)
class SessionRecord:
    """One row of ``sessions``; ``agenda`` is the agenda's JSON text, as planned."""

    id: str
    track: str
    minutes: int
    seed: int
    candidate: str | None
    agenda: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    mode: str = "rehearsal"
    """``rehearsal`` (the candidate alone) or ``review`` (a reviewer scoring)."""

    def to_json(self) -> dict[str, Any]:
        """``viva sessions --json``: one session's listing."""
        return {
            "id": self.id,
            "track": self.track,
            "minutes": self.minutes,
            "seed": self.seed,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "mode": self.mode,
        }

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> SessionRecord:
        return cls(
            id=row["id"],
            track=row["track"],
            minutes=row["minutes"],
            seed=row["seed"],
            candidate=row["candidate"],
            agenda=row["agenda"],
            status=row["status"],
            started_at=datetime.fromisoformat(row["started_at"]),
            ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
            mode=row["mode"],
        )


class Store:
    """A connection to the store file; cheap to open, safe to share between processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._savepoints = 0
        folder = path.parent
        if folder.exists() and not folder.is_dir():
            raise VivaError(
                f"{folder} is not a folder, so the store cannot live there: set VIVA_HOME "
                "(or --home) to a folder"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
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
        writers queue on the busy timeout instead of failing mid-transaction.

        Inside a transaction already open, a savepoint: the block's writes roll
        back alone if it fails, and commit (or roll back) with the outer one, so
        many writes (an import of scores) can be one transaction.
        """
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"nested_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            self.conn.execute(f"RELEASE {name}")
            return
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
        row = self.conn.execute("SELECT max(version) AS v FROM schema_migrations").fetchone()
        return int(row["v"] or 0)

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
        agenda: str,
        started_at: datetime,
        mode: str = "rehearsal",
    ) -> str:
        """A new active session with its agenda (JSON text); returns its id."""
        for _ in range(8):
            session_id = f"{started_at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
            try:
                with self.transaction() as conn:
                    conn.execute(
                        f"INSERT INTO sessions ({_SESSION_COLUMNS}) "
                        "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, NULL, ?)",
                        (
                            session_id,
                            track,
                            minutes,
                            seed,
                            candidate,
                            agenda,
                            started_at.isoformat(),
                            mode,
                        ),
                    )
            except sqlite3.IntegrityError:
                continue  # the same second and the same random suffix: draw again
            return session_id
        raise VivaError("could not allocate a session id; try again")

    def session(self, session_id: str) -> SessionRecord:
        """The session with this id, or the one session whose id starts with it
        (literally: ``_`` and ``%`` are characters, not wildcards)."""
        if not session_id.strip():
            raise UsageProblem("no session id given: `viva sessions` lists them")
        select = f"SELECT {_SESSION_COLUMNS} FROM sessions"
        row = self.conn.execute(f"{select} WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            matches = self.conn.execute(
                f"{select} WHERE substr(id, 1, length(?1)) = ?1 ORDER BY started_at, id",
                (session_id,),
            ).fetchall()
            if len(matches) != 1:
                known = ", ".join(r["id"] for r in matches) if matches else "see `viva sessions`"
                what = "ambiguous" if matches else "unknown"
                raise UsageProblem(f"{what} session {session_id!r}: {known}")
            row = matches[0]
        return SessionRecord.from_row(row)

    def sessions(self, track: str | None = None) -> list[SessionRecord]:
        """Every session (of one track), oldest first."""
        sql = f"SELECT {_SESSION_COLUMNS} FROM sessions"
        args: tuple[Any, ...] = ()
        if track:
            sql += " WHERE track = ?"
            args = (track,)
        rows = self.conn.execute(sql + " ORDER BY started_at, id", args)
        return [SessionRecord.from_row(r) for r in rows]

    def latest(self) -> SessionRecord:
        """The session started last; a usage problem when there is none."""
        row = self.conn.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at DESC, id DESC"
        ).fetchone()
        if row is None:
            raise UsageProblem("no sessions yet: `viva rehearse TRACK` starts one")
        return SessionRecord.from_row(row)

    def latest_unfinished(self) -> SessionRecord | None:
        row = self.conn.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE status != 'ended' "
            "ORDER BY started_at DESC, id DESC"
        ).fetchone()
        return SessionRecord.from_row(row) if row else None

    # --- events ---------------------------------------------------------

    def append(
        self,
        session_id: str,
        kind: str,
        data: Mapping[str, JSONValue],
        mono: float,
        wall: datetime,
        status: str | None = None,
    ) -> EventRecord:
        """Append one event in its own committed transaction and return it.

        ``status`` (active, paused, ended) is written to the session row in the
        same transaction, so the listing never disagrees with the log.
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT coalesce(max(seq), 0) AS seq FROM events WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            seq = int(row["seq"]) + 1
            conn.execute(
                f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
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
        return EventRecord(session_id, seq, kind, mono, wall, dict(data))

    def events(self, session_id: str, skip: Iterable[str] = ()) -> list[EventRecord]:
        """A session's event log, in order, without events of the ``skip`` kinds."""
        skipped = sorted(skip)
        marks = ", ".join("?" for _ in skipped)
        where = f" AND kind NOT IN ({marks})" if skipped else ""
        rows = self.conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE session_id = ?{where} ORDER BY seq",
            (session_id, *skipped),
        )
        return [
            EventRecord(
                r["session_id"],
                r["seq"],
                r["kind"],
                r["mono"],
                datetime.fromisoformat(r["wall"]),
                json.loads(r["data"]),
            )
            for r in rows
        ]

    def scopes(self, track: str) -> tuple[str, ...] | None:
        """The scopes last named for ``track`` (``()`` for scope-neutral), if any."""
        row = self.conn.execute("SELECT scopes FROM track_scopes WHERE track = ?", (track,))
        found = row.fetchone()
        return None if found is None else tuple(json.loads(found["scopes"]))

    def set_scopes(self, track: str, scopes: Sequence[str], now: datetime) -> None:
        """Remember what the candidate of ``track`` built, for the next plan or drill."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO track_scopes (track, scopes, set_at) VALUES (?, ?, ?)",
                (track, json.dumps(list(scopes)), now.isoformat()),
            )

    def delete_session(self, session_id: str) -> int:
        """Delete a session and its event log in one transaction; the number of
        events removed.

        Drill reviews the rehearsal's ratings made stay: the cards' schedules
        depend on them, and they hold a rating, not what was said.
        """
        with self.transaction() as conn:
            events = conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,)).rowcount
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return int(events)

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of the store (SQLite's online backup, WAL included),
        written to a temporary file and renamed into place."""
        from viva.files import atomic_path

        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target, durable=True) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                self.conn.backup(dest)
            finally:
                dest.close()
        return target

    def integrity_ok(self) -> bool:
        return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def open_store(path: Path | None = None) -> Store:
    return Store(path or default_store_path())
