"""Schema migrations on a real SQLite file: a v2 store becomes v3 and loses nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.helpers import small_agenda
from viva.drill.scheduler import make_scheduler, new_card_state, review
from viva.drill.state import load_states, record_rehearsal_rating
from viva.rehearsal.session import LiveSession, RatedAnswer
from viva.store.database import open_store
from viva.store.migrations import MIGRATIONS

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
V2_COLUMNS = (
    "id, track, state, step, stability, difficulty, due, last_review, "
    "reviews, lapses, last_rating, created_at"
)


def _v2_store(path: Path) -> None:
    """A store as viva 0.1 left it: migrations 1 and 2 only, one reviewed card and
    one rehearsal review that kept the card's state before it, in the v2 layout."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for version, name, migrate in MIGRATIONS[:2]:
        migrate(conn)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, T0.isoformat())
        )
    scheduler = make_scheduler(fuzzing=False)
    state = review(scheduler, new_card_state("go/raft-kv/split-brain", "go/raft-kv", T0), 3, T0)
    c = state.card

    def row(s: object = None) -> list[object]:
        return [
            state.id,
            state.track,
            int(c.state),
            c.step,
            c.stability,
            c.difficulty,
            c.due.isoformat(timespec="microseconds"),
            c.last_review.isoformat(timespec="microseconds") if c.last_review else None,
            state.reviews,
            state.lapses,
            state.last_rating,
            T0.isoformat(timespec="microseconds"),
        ]

    conn.execute(f"INSERT INTO drill_cards ({V2_COLUMNS}) VALUES ({','.join('?' * 12)})", row())
    conn.execute(
        "INSERT INTO drill_reviews (card_id, track, rating, reviewed_at, source, before) "
        "VALUES (?, ?, 3, ?, 'rehearsal:s1', ?)",
        (state.id, state.track, T0.isoformat(), json.dumps(row())),
    )
    conn.commit()
    conn.close()


def test_a_v2_store_migrates_to_the_latest_with_every_card_and_review(tmp_path: Path) -> None:
    path = tmp_path / "viva.db"
    _v2_store(path)
    with open_store(path) as store:
        assert store.schema_version() == len(MIGRATIONS) == 6
        states = load_states(store)
        card = states["go/raft-kv/split-brain"]
        assert (card.reviews, card.last_rating, card.created_at) == (1, 3, T0)
        assert card.card.stability is not None and card.due > T0
        columns = [r["name"] for r in store.conn.execute("PRAGMA table_info(drill_cards)")]
        assert "card" in columns and "stability" not in columns
        # the kept state reads back: rating again in the same rehearsal takes it back
        redo = RatedAnswer("s1", "go/raft-kv", "split-brain", False, 1, T0 + timedelta(hours=1))
        after = record_rehearsal_rating(store, redo, make_scheduler(fuzzing=False))
        assert after is not None and after.reviews == 2  # replaced, not a third review
        reviews = store.conn.execute("SELECT count(*) AS n FROM drill_reviews").fetchone()
        assert reviews["n"] == 1
    backups = list(tmp_path.glob("viva.db.before-v3-*"))
    assert len(backups) == 1, "a copy is made before the schema changes"


def test_a_fresh_store_is_at_the_newest_version_and_works(tmp_path: Path) -> None:
    with open_store(tmp_path / "viva.db") as store:
        assert store.schema_version() == max(v for v, _, _ in MIGRATIONS)
        live = LiveSession.start(store, small_agenda())
        live.act("answer", text="ok")
        assert [e.kind for e in store.events(live.id)] == ["start", "answer"]
