"""``viva plan``, ``rehearse``, ``resume``, ``sessions`` and ``report`` as functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from viva.catalog.loader import Track, load_catalog
from viva.drill.hooks import rehearsal_ratings
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.history import question_history, stored_history
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.report import Report
from viva.rehearsal.session import LiveSession, session_report
from viva.services.scopes import ScopeAsker, choose_scopes, remembered_scopes
from viva.services.voice import audio_folder, delete_audio
from viva.store.database import SessionRecord, open_store

__all__ = [
    "FrontEnd",
    "ReportPair",
    "SessionFootprint",
    "delete_session",
    "list_sessions",
    "plan",
    "rehearse",
    "report",
    "resume",
    "review",
    "session_footprint",
]

FrontEnd = Callable[[LiveSession, Track | None], None]
"""Runs a live session to its end or to a quit: the screen, or plain line mode."""


def plan(
    track: str,
    minutes: int | None = None,
    seed: int | None = None,
    scopes: Sequence[str] = (),
    ask: ScopeAsker | None = None,
) -> Agenda:
    """The agenda ``viva rehearse`` would draw now: with ``seed``, the one that
    seed always gives; without, one weighted by the track's history."""
    catalog = load_catalog()
    t = catalog.resolve(track)
    chosen = remembered_scopes(t, scopes, ask)
    history = stored_history(t.id) if seed is None else None
    return draw_agenda(catalog, t, minutes, seed, history, chosen)


def rehearse(
    track: str,
    front_end: FrontEnd,
    minutes: int | None = None,
    seed: int | None = None,
    candidate: str | None = None,
    scopes: Sequence[str] = (),
    ask: ScopeAsker | None = None,
) -> None:
    """Draw an agenda (weighted by the track's history unless a seed is given),
    start a session, run it."""
    catalog = load_catalog()
    t = catalog.resolve(track)
    with open_store() as store:
        chosen = choose_scopes(store, t, scopes, ask)
        history = question_history(store, t.id) if seed is None else None
        agenda = draw_agenda(catalog, t, minutes, seed, history, chosen)
        live = LiveSession.start(store, agenda, candidate, on_rate=rehearsal_ratings(store))
        front_end(live, t)


def review(
    track: str,
    front_end: FrontEnd,
    candidate: str,
    minutes: int | None = None,
    seed: int | None = None,
    scopes: Sequence[str] = (),
    ask: ScopeAsker | None = None,
) -> None:
    """Start a reviewed session of ``candidate``'s defense: the agenda a
    rehearsal would draw, recorded the same way, with the reviewer's scores,
    notes, asked follow-ups and verdict as events of it. A score reaches the
    candidate's drill (1-2 weigh like "again")."""
    catalog = load_catalog()
    t = catalog.resolve(track)
    with open_store() as store:
        chosen = choose_scopes(store, t, scopes, ask)
        history = question_history(store, t.id) if seed is None else None
        agenda = draw_agenda(catalog, t, minutes, seed, history, chosen)
        live = LiveSession.start(
            store, agenda, candidate, on_rate=rehearsal_ratings(store), mode="review"
        )
        front_end(live, t)


def resume(session: str | None, front_end: FrontEnd) -> None:
    """Continue an unfinished session (the latest by default) where it stopped."""
    with open_store() as store:
        live = LiveSession.reopen(store, session, on_rate=rehearsal_ratings(store))
        front_end(live, load_catalog().tracks.get(live.row.track))


def list_sessions() -> list[SessionRecord]:
    """Every recorded session, oldest first."""
    with open_store() as store:
        return store.sessions()


@dataclass(frozen=True)
class SessionFootprint:
    """What deleting a session removes: its row, its events and its recordings."""

    session: SessionRecord
    events: int
    audio_folder: Path
    audio_files: int
    audio_bytes: int


def session_footprint(session: str) -> SessionFootprint:
    """The session (an id or a unique prefix) and what it holds, for a confirmation."""
    with open_store() as store:
        row = store.session(session)
        events = len(store.events(row.id))
    folder = audio_folder(row.id)
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return SessionFootprint(row, events, folder, len(files), sum(p.stat().st_size for p in files))


def delete_session(session_id: str) -> None:
    """Delete a session, its events and its audio folder.

    The store goes first, in one transaction, so no listed session ever points
    at a half-removed folder; a folder that then cannot be removed is named in
    the error (an OSError with its path).
    """
    with open_store() as store:
        row = store.session(session_id)
        store.delete_session(row.id)
    delete_audio(row.id)


@dataclass(frozen=True)
class ReportPair:
    """A session's report and the report of the track's rehearsal before it."""

    report: Report
    previous: Report | None


def report(session: str | None = None) -> ReportPair:
    """A session's report (an id or a unique prefix; default: the latest), with
    the one before it."""
    with open_store() as store:
        current = session_report(store, session or store.latest().id)
        ids = [r.id for r in store.sessions(current.track)]  # oldest first
        position = ids.index(current.id)
        previous = session_report(store, ids[position - 1]) if position > 0 else None
    return ReportPair(current, previous)
