"""A live rehearsal: the engine bound to the store and the clock.

Every action is checked by the engine, then committed to the store as an
event *before* :meth:`LiveSession.act` returns, then folded into the state;
so whatever the screen or the plain-mode loop acknowledges survives a crash,
and nothing the engine could not replay is ever written. This module is the
one place where the store's records become the rehearsal's typed values
(:func:`replay`, :func:`session_report`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from viva.clock import Clock
from viva.errors import VivaError
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.engine import AFTER_END, Rehearsal
from viva.rehearsal.events import DRAFT_KINDS, Event, EventValue, InvalidEvent, is_event_kind
from viva.rehearsal.report import Report
from viva.store.database import EventRecord, SessionRecord, Store

__all__ = [
    "SCORE_AS_RATING",
    "LiveSession",
    "RatedAnswer",
    "RatingListener",
    "agenda_of",
    "readable",
    "replay",
    "session_report",
]


@dataclass(frozen=True)
class RatedAnswer:
    """A rating the candidate gave a question during a rehearsal."""

    session_id: str
    track: str
    question_id: str
    opening: bool
    rating: int
    when: datetime
    kind: str = ""
    must: bool = False
    by_reviewer: bool = False
    """A reviewer's score, carried as the drill rating it weighs like."""


SCORE_AS_RATING = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
"""A reviewer's 1-5 score as a drill rating: 1-2 weigh like "again" (the
question is drilled first), 3 (adequate) like "hard", 4 good, 5 easy."""


RatingListener = Callable[[RatedAnswer], None]


def agenda_of(record: SessionRecord) -> Agenda:
    """The session's agenda, as it was planned."""
    try:
        return Agenda.from_json(json.loads(record.agenda))
    except ValueError as exc:
        raise VivaError(f"session {record.id}: its stored agenda cannot be read: {exc}") from exc


def _events(records: Iterable[EventRecord]) -> list[Event]:
    # A log written before events were checked may hold a kind the engine does
    # not know; such an event changed nothing then, and is passed over now.
    return [Event(r.seq, r.kind, r.mono, r.wall, r.data) for r in records if is_event_kind(r.kind)]


def replay(store: Store, record: SessionRecord, *, drafts: bool = True) -> Rehearsal:
    """The state of a recorded session, rebuilt from its events; ``drafts=False``
    passes over the draft events, which move nothing (for the planner's history,
    which needs only what was asked and rated; time across a crash can then be
    counted differently, so reports and stats replay everything)."""
    skip = () if drafts else DRAFT_KINDS
    return Rehearsal(agenda_of(record), _events(store.events(record.id, skip)))


def readable(store: Store, record: SessionRecord, *, drafts: bool = False) -> Rehearsal | None:
    """:func:`replay`, or None for a session whose stored agenda or events cannot be
    read (damaged pages, text that is not UTF-8): figures over many sessions
    (history, stats) leave such a session out instead of failing on it."""
    try:
        return replay(store, record, drafts=drafts)
    except (VivaError, sqlite3.DatabaseError, ValueError, KeyError, TypeError):
        return None


def session_report(store: Store, session_id: str) -> Report:
    """The report of any recorded session (an id or a unique prefix), from its events."""
    record = store.session(session_id)
    return replay(store, record).report(record.id, record.status, record.candidate, record.mode)


class LiveSession:
    """One process's handle on a session: replay, then append as the user acts.

    ``on_rate`` is told of every rating as it is committed (the application
    layer uses it to update the question's drill card).
    """

    def __init__(
        self,
        store: Store,
        record: SessionRecord,
        clock: Clock | None = None,
        on_rate: RatingListener | None = None,
    ) -> None:
        self.store = store
        self.row = record
        self.clock = clock or Clock()
        self.on_rate = on_rate
        self.rehearsal = replay(store, record)

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def agenda(self) -> Agenda:
        return self.rehearsal.agenda

    @classmethod
    def start(
        cls,
        store: Store,
        agenda: Agenda,
        candidate: str | None = None,
        clock: Clock | None = None,
        on_rate: RatingListener | None = None,
        mode: str = "rehearsal",
    ) -> LiveSession:
        clock = clock or Clock()
        session_id = store.create_session(
            agenda.track,
            agenda.minutes,
            agenda.seed,
            candidate,
            json.dumps(agenda.to_json(), ensure_ascii=False),
            clock.wall(),
            mode,
        )
        live = cls(store, store.session(session_id), clock, on_rate)
        live.act("start")
        return live

    @classmethod
    def reopen(
        cls,
        store: Store,
        session_id: str | None,
        clock: Clock | None = None,
        on_rate: RatingListener | None = None,
    ) -> LiveSession:
        """Continue a session after a quit or a crash (the latest unfinished by default)."""
        record = store.session(session_id) if session_id else store.latest_unfinished()
        if record is None:
            raise VivaError("no unfinished session to resume; start one with `viva rehearse TRACK`")
        if record.status == "ended":
            raise VivaError(f"session {record.id} has ended; see `viva report {record.id}`")
        live = cls(store, record, clock, on_rate)
        live.act("reopen")
        return live

    def now(self) -> float:
        return self.clock.mono()

    def act(self, kind: str, **data: EventValue) -> Event:
        """Check one action, commit it, and fold it into the state.

        An action that does not fit (an unknown kind, a rating outside 1-4,
        anything but ``quit`` after the end) raises before anything is written.
        """
        try:
            checked = self.rehearsal.check(kind, data)
        except InvalidEvent as exc:
            if self.rehearsal.finished and kind not in AFTER_END:
                raise VivaError(f"session {self.id} has ended") from exc
            raise
        record = self.store.append(
            self.id,
            checked,
            data,
            self.clock.mono(),
            self.clock.wall(),
            self.rehearsal.status_after(checked),
        )
        event = Event(record.seq, checked, record.mono, record.wall, record.data)
        self.rehearsal.apply(event)
        if checked in ("rate", "score") and self.on_rate is not None:
            cur = self.rehearsal.current()
            rated = self.rehearsal.find(event.question) if event.question else None
            if rated is None and cur is not None:
                rated = cur[1]
            score = event.data.get("score")
            rating = SCORE_AS_RATING[score] if isinstance(score, int) else event.rating
            assert rating is not None  # checked above
            if rated is not None:
                p = rated.planned
                self.on_rate(
                    RatedAnswer(
                        self.id,
                        self.row.track,
                        p.id,
                        p.opening,
                        rating,
                        event.wall,
                        p.kind,
                        p.must,
                        by_reviewer=checked == "score",
                    )
                )
        return event

    def finish_if_done(self) -> bool:
        """End the session once the agenda has run out."""
        if not self.rehearsal.finished and self.rehearsal.agenda_done:
            self.act("end")
        return self.rehearsal.finished

    def report(self) -> Report:
        record = self.store.session(self.id)
        return self.rehearsal.report(record.id, record.status, record.candidate, record.mode)

    @property
    def reviewed(self) -> bool:
        """A reviewer is scoring this session (``viva review``)."""
        return self.row.mode == "review"
