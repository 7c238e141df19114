"""A live rehearsal: the engine bound to the store and the clock.

Every action becomes an event that is committed to the store *before*
``act`` returns, so whatever the screen or the plain-mode loop acknowledges
survives a crash. The clock is injected (monotonic seconds and a UTC wall
clock), so tests drive time by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from viva.errors import VivaError
from viva.rehearsal.engine import Rehearsal
from viva.store.database import Event, SessionRow, Store, utc_now

__all__ = ["Clock", "LiveSession"]


@dataclass
class Clock:
    """Monotonic seconds and wall time; replaced by a fake in tests."""

    mono: Callable[[], float] = field(default=time.monotonic)
    wall: Callable[[], datetime] = field(default=utc_now)


_STATUS_AFTER = {
    "pause": "paused",
    "resume": "active",
    "reopen": "active",
    "quit": "paused",
    "end": "ended",
}


class LiveSession:
    """One process's handle on a session: replay, then append as the user acts."""

    def __init__(self, store: Store, row: SessionRow, clock: Clock | None = None) -> None:
        self.store = store
        self.row = row
        self.clock = clock or Clock()
        self.rehearsal = Rehearsal(row.agenda, store.events(row.id))

    @property
    def id(self) -> str:
        return self.row.id

    @classmethod
    def start(
        cls,
        store: Store,
        agenda: dict[str, Any],
        candidate: str | None = None,
        clock: Clock | None = None,
    ) -> LiveSession:
        clock = clock or Clock()
        session_id = store.create_session(
            agenda["track"],
            int(agenda["minutes"]),
            int(agenda["seed"]),
            candidate,
            agenda,
            clock.wall(),
        )
        live = cls(store, store.session(session_id), clock)
        live.act("start")
        return live

    @classmethod
    def reopen(
        cls, store: Store, session_id: str | None, clock: Clock | None = None
    ) -> LiveSession:
        """Continue a session after a quit or a crash (the latest unfinished by default)."""
        row = store.session(session_id) if session_id else store.latest_unfinished()
        if row is None:
            raise VivaError("no unfinished session to resume; start one with `viva rehearse TRACK`")
        if row.status == "ended":
            raise VivaError(f"session {row.id} has ended; see `viva report {row.id}`")
        live = cls(store, row, clock)
        live.act("reopen")
        return live

    def now(self) -> float:
        return self.clock.mono()

    def act(self, kind: str, **data: Any) -> Event:
        """Record one action (committed) and fold it into the state."""
        if self.rehearsal.finished and kind not in ("quit",):
            raise VivaError(f"session {self.id} has ended")
        event = self.store.append(
            self.id, kind, data, self.clock.mono(), self.clock.wall(), _STATUS_AFTER.get(kind)
        )
        self.rehearsal.apply(event)
        if kind == "rate" and (cur := self.rehearsal.current()) is not None:
            # The same card as `viva drill`; fsrs is imported only once a rating happens.
            from viva.drill.state import record_rehearsal_rating

            record_rehearsal_rating(
                self.store,
                self.row.track,
                cur[1].id,
                data.get("rating"),
                event.wall,
                session_id=self.id,
            )
        return event

    def finish_if_done(self) -> bool:
        """End the session once the agenda has run out."""
        if not self.rehearsal.finished and self.rehearsal.agenda_done:
            self.act("end")
        return self.rehearsal.finished

    def report(self) -> dict[str, Any]:
        return self.rehearsal.report(_header(self.store.session(self.id)))


def _header(row: SessionRow) -> dict[str, Any]:
    """The session fields a report starts with."""
    return {
        "id": row.id,
        "track": row.track,
        "minutes": row.minutes,
        "seed": row.seed,
        "status": row.status,
        "candidate": row.candidate,
    }


def session_report(store: Store, session_id: str) -> dict[str, Any]:
    """The report of any recorded session, derived from its events."""
    row = store.session(session_id)
    return Rehearsal(row.agenda, store.events(row.id)).report(_header(row))
