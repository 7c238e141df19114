"""Hypothesis: any sequence of input lines keeps plain mode's promises."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FakeClock, small_agenda
from viva.catalog.loader import load_catalog
from viva.rehearsal.plain import run_plain
from viva.rehearsal.session import LiveSession, session_report
from viva.store.database import open_store

COMMANDS = [
    ":skip",
    ":flag",
    ":rate 1",
    ":rate 4",
    ":rate 7",
    ":rate x",
    ":pause",
    ":resume",
    ":follow",
    ":next-section",
    ":help",
    ":nope",
    ".",
    " . ",
    ":)",
]
LINES = st.one_of(
    st.sampled_from(COMMANDS),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\n\r"),
        max_size=30,
    ),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=40), st.lists(st.floats(0, 90), min_size=1, max_size=5))
def test_any_input_keeps_the_invariants(lines: list[str], gaps: list[float]) -> None:
    track = load_catalog().tracks["go/raft-kv"]
    with tempfile.TemporaryDirectory() as d:
        clock = FakeClock()
        store = open_store(Path(d) / "v.db")
        live = LiveSession.start(store, small_agenda(per_section=(2, 2)), None, clock.clock())
        feed = iter(lines)
        submitted: list[str] = []
        pending: list[str] = []
        after_answer = [False]  # the key points are shown: an empty line only restarts

        def readline() -> str:
            clock.advance(gaps[len(submitted) % len(gaps)])
            line = next(feed, None)
            if line is None:
                return ""
            stripped = line.strip()
            if after_answer[0] and not stripped.lower().startswith(":rate"):
                after_answer[0] = False
                if not stripped:
                    return line + "\n"
            if stripped == ".":
                after_answer[0] = True
                submitted.append("\n".join(pending))
                pending.clear()
            elif stripped in (":skip", ":next-section"):
                pending.clear()
            elif not (stripped[:1] == ":" and (stripped[1:2].isalpha() or stripped == ":?")):
                pending.append(line)
            return line + "\n"

        out = io.StringIO()
        status = run_plain(live, track, readline, out)
        assert status in ("ended", "paused")
        assert out.getvalue().startswith(f"session: {live.id}\n")
        report = session_report(store, live.id).to_json()
        qs = [q for s in report["sections"] for q in s["questions"]]
        assert all(q["seconds"] >= 0 for q in qs)
        assert report["paused_seconds"] >= 0
        answered = [q["answer"] for q in qs if q["answer"] and not q["skipped"]]
        for text in submitted:
            if text:
                assert text in answered or any(text in a for a in answered)
        store.close()


REVIEW_COMMANDS = [
    ":score 1",
    ":score 5",
    ":score 0",
    ":score 3 opening-architecture",
    ":score 4 no-such-question",
    ":note a note",
    ":note",
    ":asked 1",
    ":asked 9",
    ":category failure-modes 2",
    ":category nonsense 2",
    ":verdict fine",
    ":verdict",
    ":rate 2",
    ":follow",
    ":skip",
    ":flag",
    ":pause",
    ":resume",
    ":next-section",
    ":end",
    ".",
    "",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.sampled_from(REVIEW_COMMANDS), st.text(max_size=12).filter(str.isprintable)),
        max_size=40,
    )
)
def test_a_reviewer_s_input_never_breaks_the_session(lines: list[str]) -> None:
    """Whatever a reviewer types: no traceback, a saved or ended session, scores
    1-5 only, notes as typed, and the verdict the last one given."""
    catalog = load_catalog()
    track = catalog.tracks["go/raft-kv"]
    with tempfile.TemporaryDirectory() as d:
        clock = FakeClock()
        store = open_store(Path(d) / "v.db")
        live = LiveSession.start(
            store, small_agenda(per_section=(2, 2)), "Ada", clock.clock(), mode="review"
        )
        feed = iter(lines)

        def readline() -> str:
            clock.advance(7)
            line = next(feed, None)
            return "" if line is None else line + "\n"

        out = io.StringIO()
        status = run_plain(live, track, readline, out, rubrics=catalog.categories)
        assert status in ("ended", "paused")
        report = session_report(store, live.id)
        assert all(q.score in (None, 1, 2, 3, 4, 5) for q in report.questions)
        notes = [n for q in report.questions for n in q.notes]
        assert notes == ["a note"] * len(notes)
        verdicts = [line for line in lines if line.startswith(":verdict ")]
        if verdicts and report.verdict:
            assert report.verdict == "fine"
        store.close()
