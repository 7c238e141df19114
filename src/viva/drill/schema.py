"""The drill tables of the store (migration 2), kept free of ``fsrs``.

``drill_cards`` holds each card's current FSRS state, keyed by the full
question id ``<track>/<slug>``, so that editing a prompt keeps the history
and removing a question from a bank only hides its card. ``drill_reviews``
is the append-only log of every rating, from a drill or a rehearsal, with
the card's state before it (so that a rehearsal that changes its rating can
take the earlier one back exactly). ``drill_defense_dates`` remembers the
last ``--until`` per track for ``viva stats``.

Times are ISO 8601 UTC text with microseconds, so text order is time order.
"""

from __future__ import annotations

import sqlite3

__all__ = ["DRILL_MIGRATION_NAME", "DRILL_MIGRATION_VERSION", "migrate_drill_tables"]

DRILL_MIGRATION_VERSION = 2
DRILL_MIGRATION_NAME = "drill cards and reviews"


def migrate_drill_tables(conn: sqlite3.Connection) -> None:
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
