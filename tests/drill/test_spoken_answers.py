"""What a spoken drill answer leaves in the store and on the page, without a microphone:
the v5 columns (old stores stay readable), the answer kept, the lines shown before
the rating, and a device that goes away mid-drill. The real capture path is in
tests/speech/test_voice_drill.py."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from tests.helpers import T0, FakeClock
from viva.catalog.loader import Track
from viva.drill.cards import DrillCard
from viva.drill.plain import run_drill_plain
from viva.drill.scheduler import make_scheduler
from viva.drill.session import DrillSession
from viva.drill.state import rate_card, review_log
from viva.drill.text import spoken_lines
from viva.drill.voice import SpokenAnswer
from viva.speech.figures import figures
from viva.speech.recorder import VoiceUnavailable
from viva.store.database import Store, open_store
from viva.store.migrations import MIGRATIONS

SAID = "um the leader steps down when it cannot reach a quorum"
HEARD = figures("pocketsphinx", SAID, 6.0, [(0.2, 2.0), (3.5, 5.8)])
FILE = "drill-20260301-090000-abcdef/go/raft-kv/partition-old-leader-1.flac"


def _v4_store(path: Path) -> None:
    """A store as the release before spoken drills left it, with one typed review."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for version, name, migrate in MIGRATIONS[:4]:
        migrate(conn)
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, T0.isoformat())
        )
    conn.execute(
        "INSERT INTO drill_reviews (card_id, track, rating, reviewed_at, source, answer) "
        "VALUES ('go/raft-kv/x', 'go/raft-kv', 3, ?, 'drill', 'typed')",
        (T0.isoformat(),),
    )
    conn.commit()
    conn.close()


def test_a_v4_store_gains_the_spoken_columns_and_keeps_its_reviews(tmp_path: Path) -> None:
    path = tmp_path / "viva.db"
    _v4_store(path)
    with open_store(path) as store:
        assert store.schema_version() >= 5
        (old,) = review_log(store)
        assert (old.answer, old.audio, old.speech) == ("typed", None, None)
        rate_card(
            store,
            make_scheduler(False),
            "go/raft-kv/y",
            "go/raft-kv",
            2,
            T0,
            audio=FILE,
            speech=HEARD,
        )
        new = review_log(store)[-1]
    assert (new.audio, new.speech) == (FILE, HEARD)
    assert len(list(tmp_path.glob("viva.db.before-v5-*"))) == 1


def test_a_damaged_speech_value_loses_the_figures_not_the_review(store: Store) -> None:
    rate_card(store, make_scheduler(False), "go/raft-kv/y", "go/raft-kv", 2, T0, audio=FILE)
    store.conn.execute("UPDATE drill_reviews SET speech = '{not json'")
    (row,) = review_log(store)
    assert (row.audio, row.speech, row.rating) == (FILE, None, 2)


def _drill(store: Store, raft: Track) -> DrillSession:
    clock = FakeClock(start=T0)
    return DrillSession(
        store, [raft], limit=2, scheduler=make_scheduler(fuzzing=False), clock=clock.clock()
    )


def test_the_review_keeps_the_transcript_unless_something_was_typed(
    store: Store, raft: Track
) -> None:
    run = _drill(store, raft)
    spoken = SpokenAnswer(FILE, 6.0, HEARD)
    first = run.next_card()
    assert first is not None
    run.rate(first, 3, "", spoken)
    second = run.next_card()
    assert second is not None
    run.rate(second, 2, "my notes", spoken)
    aloud, typed = review_log(store)
    assert (aloud.answer, aloud.audio, aloud.speech) == (SAID, FILE, HEARD)
    assert (typed.answer, typed.audio, typed.speech) == ("my notes", FILE, HEARD)


def test_the_lines_before_the_rating() -> None:
    points = (("the leader steps down without a quorum", True), ("reads use read-index", False))
    lines = spoken_lines(SpokenAnswer(FILE, 6.0, HEARD, covered=points))
    assert lines == [
        f"transcript: {SAID}",
        "speech: 11 words · 110 per minute · 1 filler (um 1) · longest pause 1.5 s",
        "key points heard: 1 of 2 (a keyword hint, not a grade)",
        "  not heard: reads use read-index",
    ]
    missed = (("a", False), ("b", False))
    assert spoken_lines(SpokenAnswer(FILE, 6.0, HEARD, covered=missed))[2:] == [
        "key points heard: 0 of 2 (a keyword hint, not a grade)"
    ]
    silent = figures("pocketsphinx", "", 3.0, [])
    assert spoken_lines(SpokenAnswer(FILE, 3.0, silent))[0] == "transcript: (no words heard)"
    failed = spoken_lines(SpokenAnswer(FILE, 3.0, None, failure="no model"))
    assert failed == ["! transcription failed: no model; rate the answer as you recall it"]


class _GoneDevice:
    """A voice whose device is gone by the time the first card is shown."""

    recording = False
    transcribing = False
    level = 0.0
    seconds = 0.0
    closed = False

    def start(self, card: DrillCard) -> str:
        raise VoiceUnavailable("cannot record: device unavailable")

    def stop(self) -> tuple[str, float] | None:
        return None

    def transcribe(self, card: DrillCard, typed: str) -> bool:
        raise AssertionError("nothing was recorded")

    def heard(self, wait: bool = False) -> SpokenAnswer | None:
        return None

    def close(self) -> None:
        self.closed = True


def test_a_device_gone_mid_drill_is_said_once_and_the_drill_goes_on_typed(
    store: Store, raft: Track
) -> None:
    voice = _GoneDevice()
    lines = iter(["typed\n", ".\n", "3\n", ".\n", "4\n"])
    out = io.StringIO()
    rated = run_drill_plain(_drill(store, raft), lambda: next(lines, ""), out, voice)
    text = out.getvalue()
    assert rated == 2
    assert text.count("device unavailable; the rest of this drill is typed") == 1
    assert "recording" not in text
    assert voice.closed
    assert [r.answer for r in review_log(store)] == ["typed", None]
