"""Every change to the store's schema, in order: one function each, applied once.

The store runs them (``viva.store.database``); they live here, apart from
the features whose data they hold, so the store imports no feature package.
Append only: a released migration is never edited; a new one is added.

- v1 ``sessions`` (one row per rehearsal, with its agenda as JSON) and
  ``events``, the append-only log of what happened in each;
- v2 the drill tables: ``drill_cards`` holds each card's current FSRS state,
  keyed by the full question id ``<track>/<slug>``, so that editing a prompt
  keeps the history and removing a question from a bank only hides its card;
  ``drill_reviews`` is the append-only log of every rating, from a drill or a
  rehearsal, with the card's state before it (so that a rehearsal that changes
  its rating can take the earlier one back exactly); ``drill_defense_dates``
  remembers the last ``--until`` per track;
- v3 a card's FSRS state is stored as fsrs's own ``Card.to_dict()`` JSON
  instead of one column per field, and so is the state kept before a review;
- v4 ``track_scopes``: the scopes each track's candidate built;
- v5 a drill review keeps a spoken answer: ``audio`` (the recording, relative
  to ``$VIVA_HOME/audio/``) and ``speech`` (its transcript's figures, as the
  data of a rehearsal's ``transcript`` event); both are empty for a typed
  answer and for every review written before;
- v6 ``sessions.mode``: ``rehearsal`` (the candidate alone) or ``review`` (a
  reviewer scoring a live or peer defense); every session before is a
  rehearsal.

Times are ISO 8601 UTC text with microseconds, so text order is time order.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable
from typing import Any

__all__ = ["MIGRATIONS", "Migration"]

Migration = Callable[[sqlite3.Connection], None]


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


def _m002_drill_cards_and_reviews(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE drill_cards (
            id TEXT PRIMARY KEY,
            track TEXT NOT NULL,
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT NOT NULL,
            last_review TEXT,
            reviews INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            last_rating INTEGER,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX drill_cards_by_track ON drill_cards (track, due)")
    conn.execute(
        """CREATE TABLE drill_reviews (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            track TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER,
            source TEXT NOT NULL,
            answer TEXT,
            before TEXT
        )"""
    )
    conn.execute("CREATE INDEX drill_reviews_by_card ON drill_reviews (card_id, id)")
    conn.execute("CREATE INDEX drill_reviews_by_track ON drill_reviews (track, reviewed_at)")
    conn.execute(
        """CREATE TABLE drill_defense_dates (
            track TEXT PRIMARY KEY,
            date TEXT NOT NULL,
            set_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


_V2_CARD_COLUMNS = (
    "id, track, state, step, stability, difficulty, due, last_review, "
    "reviews, lapses, last_rating, created_at"
)


def _v2_state_to_v3(values: list[Any]) -> dict[str, Any]:
    """A v2 card row (12 values in the column order above) as a v3 state object."""
    full_id, track, state, step, stability, difficulty, due, last_review = values[:8]
    reviews, lapses, last_rating, created_at = values[8:]
    return {
        "id": full_id,
        "track": track,
        # fsrs wants an int card id; viva derives it from the full question id.
        "card": {
            "card_id": zlib.crc32(full_id.encode("utf-8")),
            "state": state,
            "step": step,
            "stability": stability,
            "difficulty": difficulty,
            "due": due,
            "last_review": last_review,
        },
        "reviews": reviews,
        "lapses": lapses,
        "last_rating": last_rating,
        "created_at": created_at,
    }


def _m003_cards_as_fsrs_json(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE drill_cards_v3 (
            id TEXT PRIMARY KEY,
            track TEXT NOT NULL,
            card TEXT NOT NULL,
            reviews INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            last_rating INTEGER,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )
    for row in conn.execute(f"SELECT {_V2_CARD_COLUMNS} FROM drill_cards").fetchall():
        state = _v2_state_to_v3(list(row))
        conn.execute(
            "INSERT INTO drill_cards_v3 (id, track, card, reviews, lapses, last_rating, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                state["id"],
                state["track"],
                json.dumps(state["card"]),
                state["reviews"],
                state["lapses"],
                state["last_rating"],
                state["created_at"],
            ),
        )
    conn.execute("DROP TABLE drill_cards")
    conn.execute("ALTER TABLE drill_cards_v3 RENAME TO drill_cards")
    conn.execute("CREATE INDEX drill_cards_by_track ON drill_cards (track)")
    snapshots = conn.execute(
        "SELECT id, before FROM drill_reviews WHERE before IS NOT NULL"
    ).fetchall()
    for review_id, before in snapshots:
        conn.execute(
            "UPDATE drill_reviews SET before = ? WHERE id = ?",
            (json.dumps(_v2_state_to_v3(json.loads(before))), review_id),
        )


def _m004_track_scopes(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE track_scopes (
            track TEXT PRIMARY KEY,
            scopes TEXT NOT NULL,
            set_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


def _m005_spoken_drill_reviews(conn: sqlite3.Connection) -> None:
    # Added columns read as NULL in the rows already there: old reviews stay as they were.
    conn.execute("ALTER TABLE drill_reviews ADD COLUMN audio TEXT")
    conn.execute("ALTER TABLE drill_reviews ADD COLUMN speech TEXT")


def _m006_session_mode(conn: sqlite3.Connection) -> None:
    conn.execute(
        "ALTER TABLE sessions ADD COLUMN mode TEXT NOT NULL DEFAULT 'rehearsal' "
        "CHECK (mode IN ('rehearsal', 'review'))"
    )


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "sessions and events", _m001_sessions_and_events),
    (2, "drill cards and reviews", _m002_drill_cards_and_reviews),
    (3, "drill cards as fsrs JSON", _m003_cards_as_fsrs_json),
    (4, "scopes each track's candidate built", _m004_track_scopes),
    (5, "spoken drill answers", _m005_spoken_drill_reviews),
    (6, "reviewed sessions", _m006_session_mode),
]
