"""Card state in the store: load, rate (read-modify-write in one transaction),
rehearsal ratings, remembered defense dates and the review log.

Every rating is one ``BEGIN IMMEDIATE`` transaction that reads the card's
current row, applies the review and appends to ``drill_reviews``; it is
committed (``synchronous=FULL``) before the function returns, so whatever a
screen acknowledges is on disk, and a rehearsal rating the same card in
another process is never lost.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fsrs import Card, Scheduler

from viva.drill.cards import card_id, is_default_card
from viva.drill.scheduler import CardState, check_utc, make_scheduler, new_card_state, review
from viva.rehearsal.session import RatedAnswer
from viva.speech.figures import SpeechFigures
from viva.store.database import Store

HARD = 2
"""A rehearsal rating this low (again or hard) makes any question a drill card."""

__all__ = [
    "RestoreCounts",
    "ReviewRow",
    "defense_dates",
    "iso",
    "load_states",
    "put_states",
    "rate_card",
    "record_rehearsal_rating",
    "restore_drill",
    "review_log",
    "set_defense_date",
    "tracks_with_cards",
]

_COLUMNS = "id, track, card, reviews, lapses, last_rating, created_at"


def iso(when: datetime) -> str:
    """Fixed-width UTC text, so that text order in SQL is time order."""
    return check_utc(when).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _state(values: Mapping[str, Any] | sqlite3.Row, card: Card) -> CardState:
    return CardState(
        id=values["id"],
        track=values["track"],
        card=card,
        created_at=_dt(values["created_at"]),
        reviews=values["reviews"],
        lapses=values["lapses"],
        last_rating=values["last_rating"],
    )


def _from_row(row: sqlite3.Row) -> CardState:
    # The scheduling state is fsrs's own serialisation of its Card.
    return _state(row, Card.from_dict(json.loads(row["card"])))


def _to_row(state: CardState) -> tuple[Any, ...]:
    return (
        state.id,
        state.track,
        json.dumps(state.card.to_dict()),
        state.reviews,
        state.lapses,
        state.last_rating,
        iso(state.created_at),
    )


def _snapshot(state: CardState | None) -> str | None:
    """A card's state as kept beside a review, to take that review back exactly."""
    if state is None:
        return None
    return json.dumps(
        {
            "id": state.id,
            "track": state.track,
            "card": state.card.to_dict(),
            "reviews": state.reviews,
            "lapses": state.lapses,
            "last_rating": state.last_rating,
            "created_at": iso(state.created_at),
        }
    )


def _from_snapshot(text: str | None) -> CardState | None:
    if text is None:
        return None
    values = json.loads(text)
    return _state(values, Card.from_dict(values["card"]))


def load_states(store: Store, tracks: Iterable[str] | None = None) -> dict[str, CardState]:
    """Every stored card state of the tracks (all tracks with ``None``), by full id."""
    sql = f"SELECT {_COLUMNS} FROM drill_cards"
    if tracks is None:
        rows = store.conn.execute(sql).fetchall()
    else:
        wanted = sorted(set(tracks))
        marks = ",".join("?" * len(wanted))
        rows = store.conn.execute(f"{sql} WHERE track IN ({marks})", wanted).fetchall()
    return {r["id"]: _from_row(r) for r in rows}


def put_states(store: Store, states: Iterable[CardState]) -> None:
    """Write card states as they are, in one transaction, without review rows
    (restoring a backup, seeding a benchmark)."""
    with store.transaction() as conn:
        conn.executemany(
            f"INSERT OR REPLACE INTO drill_cards ({_COLUMNS}) VALUES ({','.join('?' * 7)})",
            [_to_row(s) for s in states],
        )


def tracks_with_cards(store: Store) -> list[str]:
    """Tracks that have drill history, in id order."""
    rows = store.conn.execute("SELECT DISTINCT track FROM drill_cards ORDER BY track")
    return [r["track"] for r in rows]


def _current(conn: sqlite3.Connection, full_id: str) -> CardState | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM drill_cards WHERE id = ?", (full_id,)).fetchone()
    return _from_row(row) if row else None


@dataclass(frozen=True)
class _Said:
    """What a review keeps of the answer: its text and, for a spoken answer, the
    recording and how it was said."""

    answer: str | None = None
    audio: str | None = None
    speech: SpeechFigures | None = None

    def speech_json(self) -> str | None:
        # The data of a rehearsal's ``transcript`` event: one reader for both.
        return json.dumps(self.speech.event_data()) if self.speech else None


def _speech(text: str | None) -> SpeechFigures | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None  # a damaged value loses the figures, not the review
    return SpeechFigures.from_event_data(data) if isinstance(data, dict) else None


def _write(
    conn: sqlite3.Connection,
    before: CardState | None,
    after: CardState,
    rating: int,
    when: datetime,
    source: str,
    said: _Said,
    duration_ms: int | None,
) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO drill_cards ({_COLUMNS}) VALUES ({','.join('?' * 7)})",
        _to_row(after),
    )
    conn.execute(
        "INSERT INTO drill_reviews (card_id, track, rating, reviewed_at, duration_ms, source, "
        "answer, before, audio, speech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            after.id,
            after.track,
            rating,
            iso(when),
            duration_ms,
            source,
            said.answer,
            _snapshot(before),
            said.audio,
            said.speech_json(),
        ),
    )


def rate_card(
    store: Store,
    scheduler: Scheduler,
    full_id: str,
    track: str,
    rating: int,
    when: datetime,
    *,
    source: str = "drill",
    answer: str | None = None,
    duration_ms: int | None = None,
    audio: str | None = None,
    speech: SpeechFigures | None = None,
) -> CardState:
    """Rate a card and commit: its new state and one review row, in one transaction.
    A spoken answer's review also keeps its recording (``audio``, relative to
    ``$VIVA_HOME/audio/``) and its figures."""
    when = check_utc(when)
    said = _Said(answer, audio, speech)
    with store.transaction() as conn:
        before = _current(conn, full_id)
        after = review(scheduler, before or new_card_state(full_id, track, when), rating, when)
        _write(conn, before, after, rating, when, source, said, duration_ms)
    return after


def record_rehearsal_rating(
    store: Store, rated: RatedAnswer, scheduler: Scheduler | None = None
) -> CardState | None:
    """A rating given during a rehearsal updates the question's drill card.

    Opening prompts are not cards; a question that is not a card by default (a
    failure scenario or a must question) becomes one when it is rated again or
    hard. Rating the same question again in the same
    rehearsal replaces that rehearsal's earlier rating (its review is taken
    back, the state before it restored) instead of counting as a second
    review, as long as nothing rated the card in between.
    """
    if rated.opening:
        return None
    rating, track_id, session_id = rated.rating, rated.track, rated.session_id
    full_id = card_id(track_id, rated.question_id)
    when = check_utc(rated.when)
    source = f"{'review' if rated.by_reviewer else 'rehearsal'}:{session_id}"
    scheduler = scheduler or make_scheduler()
    with store.transaction() as conn:
        before = _current(conn, full_id)
        last = conn.execute(
            "SELECT id, source, before FROM drill_reviews WHERE card_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (full_id,),
        ).fetchone()
        if last is not None and last["source"] == source:
            conn.execute("DELETE FROM drill_reviews WHERE id = ?", (last["id"],))
            before = _from_snapshot(last["before"])
            if before is None:
                conn.execute("DELETE FROM drill_cards WHERE id = ?", (full_id,))
        if before is None and rating > HARD and not is_default_card(rated.kind, rated.must):
            return None  # a good or easy answer does not make a question a card
        start = before or new_card_state(full_id, track_id, when)
        after = review(scheduler, start, rating, when)
        _write(conn, before, after, rating, when, source, _Said(), None)
    return after


def set_defense_date(store: Store, tracks: Iterable[str], day: date, now: datetime) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO drill_defense_dates (track, date, set_at) VALUES (?, ?, ?)",
            [(t, day.isoformat(), iso(now)) for t in tracks],
        )


def defense_dates(store: Store) -> dict[str, date]:
    rows = store.conn.execute("SELECT track, date FROM drill_defense_dates")
    return {r["track"]: date.fromisoformat(r["date"]) for r in rows}


@dataclass(frozen=True)
class ReviewRow:
    """One entry of the review log."""

    card_id: str
    track: str
    rating: int
    reviewed_at: datetime
    source: str
    duration_ms: int | None
    answer: str | None
    audio: str | None = None
    """The recording of a spoken drill answer, relative to ``$VIVA_HOME/audio/``."""
    speech: SpeechFigures | None = None
    """How that answer was said (``None``: typed, or the transcription failed)."""


def review_log(store: Store, tracks: Iterable[str] | None = None) -> list[ReviewRow]:
    sql = (
        "SELECT card_id, track, rating, reviewed_at, source, duration_ms, answer, audio, speech "
        "FROM drill_reviews"
    )
    args: list[str] = []
    if tracks is not None:
        args = sorted(set(tracks))
        sql += f" WHERE track IN ({','.join('?' * len(args))})"
    rows = store.conn.execute(sql + " ORDER BY reviewed_at, id", args).fetchall()
    return [
        ReviewRow(
            card_id=r["card_id"],
            track=r["track"],
            rating=r["rating"],
            reviewed_at=datetime.fromisoformat(r["reviewed_at"]).astimezone(UTC),
            source=r["source"],
            duration_ms=r["duration_ms"],
            answer=r["answer"],
            audio=r["audio"],
            speech=_speech(r["speech"]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class RestoreCounts:
    """What :func:`restore_drill` did."""

    states: int
    """Card states written."""
    kept: int
    """Card states not written: the store's own state of that card is more recent."""
    unchanged: int
    """Card states the store already held as they are."""
    reviews: int
    """Review log entries added."""
    duplicates: int
    """Review log entries the store already held."""


def restore_drill(
    store: Store, states: Iterable[CardState], reviews: Iterable[ReviewRow]
) -> RestoreCounts:
    """Bring drill state back (from an export), in one transaction.

    Each card state is written unless the store holds a state of that card
    reviewed later than it (a restore never takes a card back in time); each
    review is appended unless the log already has one of that card at that
    time with that rating and source, so restoring the same file twice
    changes nothing the second time. Restored reviews carry no state before
    them, no recording and no speech figures (an export has none).
    """
    written = kept = unchanged = added = duplicates = 0
    with store.transaction() as conn:
        for state in states:
            current = _current(conn, state.id)
            if current is not None and _to_row(current) == _to_row(state):
                unchanged += 1
                continue
            mine = current.card.last_review if current else None
            theirs = state.card.last_review
            if mine is not None and (theirs is None or mine > theirs):
                kept += 1
                continue
            conn.execute(
                f"INSERT OR REPLACE INTO drill_cards ({_COLUMNS}) VALUES ({','.join('?' * 7)})",
                _to_row(state),
            )
            written += 1
        for r in sorted(reviews, key=lambda r: r.reviewed_at):
            when = iso(r.reviewed_at)
            seen = conn.execute(
                "SELECT 1 FROM drill_reviews WHERE card_id = ? AND reviewed_at = ? "
                "AND rating = ? AND source = ? LIMIT 1",
                (r.card_id, when, r.rating, r.source),
            ).fetchone()
            if seen is not None:
                duplicates += 1
                continue
            conn.execute(
                "INSERT INTO drill_reviews (card_id, track, rating, reviewed_at, duration_ms, "
                "source, answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (r.card_id, r.track, r.rating, when, r.duration_ms, r.source, r.answer),
            )
            added += 1
    return RestoreCounts(written, kept, unchanged, added, duplicates)
