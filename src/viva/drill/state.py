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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fsrs import Card, Scheduler, State

from viva.drill.cards import card_id
from viva.drill.scheduler import (
    CardState,
    check_utc,
    fsrs_card_id,
    make_scheduler,
    new_card_state,
    review,
)
from viva.store.database import Store

__all__ = [
    "ReviewRow",
    "defense_dates",
    "iso",
    "load_states",
    "put_states",
    "rate_card",
    "record_rehearsal_rating",
    "review_log",
    "set_defense_date",
    "tracks_with_cards",
]

_COLUMNS = (
    "id, track, state, step, stability, difficulty, due, last_review, "
    "reviews, lapses, last_rating, created_at"
)


def iso(when: datetime) -> str:
    """Fixed-width UTC text, so that text order in SQL is time order."""
    return check_utc(when).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _from_row(row: tuple[Any, ...]) -> CardState:
    card = Card(
        card_id=fsrs_card_id(row[0]),
        state=State(row[2]),
        step=row[3],
        stability=row[4],
        difficulty=row[5],
        due=_dt(row[6]),
        last_review=_dt(row[7]) if row[7] else None,
    )
    return CardState(
        id=row[0],
        track=row[1],
        card=card,
        created_at=_dt(row[11]),
        reviews=row[8],
        lapses=row[9],
        last_rating=row[10],
    )


def _to_row(state: CardState) -> tuple[Any, ...]:
    c = state.card
    return (
        state.id,
        state.track,
        int(c.state),
        c.step,
        c.stability,
        c.difficulty,
        iso(c.due),
        iso(c.last_review) if c.last_review else None,
        state.reviews,
        state.lapses,
        state.last_rating,
        iso(state.created_at),
    )


def _snapshot(state: CardState | None) -> str | None:
    return None if state is None else json.dumps(_to_row(state))


def _from_snapshot(text: str | None) -> CardState | None:
    return None if text is None else _from_row(tuple(json.loads(text)))


def load_states(store: Store, tracks: Iterable[str] | None = None) -> dict[str, CardState]:
    """Every stored card state of the tracks (all tracks with ``None``), by full id."""
    sql = f"SELECT {_COLUMNS} FROM drill_cards"
    if tracks is None:
        rows = store.conn.execute(sql).fetchall()
    else:
        wanted = sorted(set(tracks))
        marks = ",".join("?" * len(wanted))
        rows = store.conn.execute(f"{sql} WHERE track IN ({marks})", wanted).fetchall()
    return {r[0]: _from_row(r) for r in rows}


def put_states(store: Store, states: Iterable[CardState]) -> None:
    """Write card states as they are, in one transaction, without review rows
    (restoring a backup, seeding a benchmark)."""
    with store.transaction() as conn:
        conn.executemany(
            f"INSERT OR REPLACE INTO drill_cards ({_COLUMNS}) VALUES ({','.join('?' * 12)})",
            [_to_row(s) for s in states],
        )


def tracks_with_cards(store: Store) -> list[str]:
    """Tracks that have drill history, in id order."""
    return [r[0] for r in store.conn.execute("SELECT DISTINCT track FROM drill_cards ORDER BY 1")]


def _current(conn: sqlite3.Connection, full_id: str) -> CardState | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM drill_cards WHERE id = ?", (full_id,)).fetchone()
    return _from_row(row) if row else None


def _write(
    conn: sqlite3.Connection,
    before: CardState | None,
    after: CardState,
    rating: int,
    when: datetime,
    source: str,
    answer: str | None,
    duration_ms: int | None,
) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO drill_cards ({_COLUMNS}) VALUES ({','.join('?' * 12)})",
        _to_row(after),
    )
    conn.execute(
        "INSERT INTO drill_reviews (card_id, track, rating, reviewed_at, duration_ms, source, "
        "answer, before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (after.id, after.track, rating, iso(when), duration_ms, source, answer, _snapshot(before)),
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
) -> CardState:
    """Rate a card and commit: its new state and one review row, in one transaction."""
    when = check_utc(when)
    with store.transaction() as conn:
        before = _current(conn, full_id)
        after = review(scheduler, before or new_card_state(full_id, track, when), rating, when)
        _write(conn, before, after, rating, when, source, answer, duration_ms)
    return after


def record_rehearsal_rating(
    store: Store,
    track_id: str,
    question_id: str,
    rating: object,
    when: datetime,
    *,
    session_id: str | None = None,
    scheduler: Scheduler | None = None,
) -> CardState | None:
    """A rating given during a rehearsal updates the question's drill card.

    Opening prompts are not cards. Rating the same question again in the same
    rehearsal replaces that rehearsal's earlier rating (its review is taken
    back, the state before it restored) instead of counting as a second
    review, as long as nothing rated the card in between.
    """
    if question_id.startswith("opening-") or not isinstance(rating, int):
        return None
    if isinstance(rating, bool) or rating not in (1, 2, 3, 4):
        return None
    full_id = card_id(track_id, question_id)
    when = check_utc(when)
    source = f"rehearsal:{session_id}" if session_id else "rehearsal"
    scheduler = scheduler or make_scheduler()
    with store.transaction() as conn:
        before = _current(conn, full_id)
        last = conn.execute(
            "SELECT id, source, before FROM drill_reviews WHERE card_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (full_id,),
        ).fetchone()
        if session_id and last is not None and last[1] == source:
            conn.execute("DELETE FROM drill_reviews WHERE id = ?", (last[0],))
            before = _from_snapshot(last[2])
            if before is None:
                conn.execute("DELETE FROM drill_cards WHERE id = ?", (full_id,))
        start = before or new_card_state(full_id, track_id, when)
        after = review(scheduler, start, rating, when)
        _write(conn, before, after, rating, when, source, None, None)
    return after


def set_defense_date(store: Store, tracks: Iterable[str], day: date, now: datetime) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO drill_defense_dates VALUES (?, ?, ?)",
            [(t, day.isoformat(), iso(now)) for t in tracks],
        )


def defense_dates(store: Store) -> dict[str, date]:
    return {
        r[0]: date.fromisoformat(r[1])
        for r in store.conn.execute("SELECT track, date FROM drill_defense_dates")
    }


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


def review_log(store: Store, tracks: Iterable[str] | None = None) -> list[ReviewRow]:
    sql = (
        "SELECT card_id, track, rating, reviewed_at, source, duration_ms, answer FROM drill_reviews"
    )
    args: list[str] = []
    if tracks is not None:
        args = sorted(set(tracks))
        sql += f" WHERE track IN ({','.join('?' * len(args))})"
    rows = store.conn.execute(sql + " ORDER BY reviewed_at, id", args).fetchall()
    return [
        ReviewRow(r[0], r[1], r[2], datetime.fromisoformat(r[3]).astimezone(UTC), r[4], r[5], r[6])
        for r in rows
    ]
