"""The rehearsal engine and live session with an injected clock: no sleeps."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import FakeClock, small_agenda
from viva.errors import VivaError
from viva.rehearsal.events import InvalidEvent
from viva.rehearsal.session import LiveSession, replay, session_report
from viva.store.database import open_store


def _start(tmp_path: Path, clock: FakeClock, per_section: tuple[int, ...] = (2, 1)) -> LiveSession:
    store = open_store(tmp_path / "viva.db")
    return LiveSession.start(store, small_agenda(per_section=per_section), "Ada", clock.clock())


def test_time_goes_to_the_current_question_and_pauses_are_apart(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    clock.advance(30)
    live.act("draft", text="first line")
    clock.advance(15)
    live.act("answer", text="first line\nsecond")
    clock.advance(10)
    live.act("pause")
    clock.advance(120)
    live.act("resume")
    clock.advance(20)
    live.act("skip")
    report = live.report().to_json()
    q1, q2 = report["sections"][0]["questions"]
    assert q1["seconds"] == pytest.approx(45)
    assert q1["answer"] == "first line\nsecond"
    assert q2["seconds"] == pytest.approx(30)
    assert q2["skipped"] is True
    assert report["paused_seconds"] == pytest.approx(120)
    assert report["active_seconds"] == pytest.approx(75)
    assert report["sections"][0]["spent_seconds"] == pytest.approx(75)


def test_remaining_is_deadline_minus_now_and_goes_negative(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    r = live.rehearsal
    assert r.remaining(clock.mono()) == 900
    clock.advance(100)
    assert r.remaining(clock.mono()) == pytest.approx(800)
    assert r.section_remaining(clock.mono()) == pytest.approx(200)
    clock.advance(1000)
    assert r.remaining(clock.mono()) == pytest.approx(-200)
    live.act("pause")
    clock.advance(500)
    assert r.remaining(clock.mono()) == pytest.approx(-200)
    assert r.paused_total(clock.mono()) == pytest.approx(500)


def test_pace_is_ahead_only_for_time_really_saved(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    r = live.rehearsal
    planned = r.sections[0].questions[0].planned_seconds
    assert planned > 100
    clock.advance(planned * 0.8)
    live.act("answer", text="a full answer, a little quicker than planned")
    assert r.pace(clock.mono()) == pytest.approx(planned * 0.2)
    assert not r.sections[0].questions[0].short
    clock.advance(2000)
    assert r.pace(clock.mono()) < 0


def test_a_hurried_answer_is_short_and_not_ahead(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    r = live.rehearsal
    clock.advance(26)
    live.act("answer", text="quick")
    q = r.sections[0].questions[0]
    assert q.short and r.pace(clock.mono()) == 0
    report = live.report().to_json()["sections"][0]["questions"][0]
    assert report["short"] is True and report["planned_seconds"] == pytest.approx(q.planned_seconds)


@pytest.mark.parametrize("move", ["skip", "next_section"])
def test_skipping_or_cutting_never_shows_as_ahead(tmp_path: Path, move: str) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock, per_section=(3, 2))
    r = live.rehearsal
    clock.advance(5)
    live.act(move)
    assert r.pace(clock.mono()) <= 0
    assert r.cut_questions() == (1 if move == "skip" else 3)
    clock.advance(5)
    assert r.pace(clock.mono()) < 0


def test_sections_warn_before_their_budget_runs_out(tmp_path: Path) -> None:
    from viva.rehearsal.engine import SECTION_WARN_SECONDS

    clock = FakeClock()
    live = _start(tmp_path, clock)
    r = live.rehearsal
    budget = r.sections[0].budget_seconds
    assert r.section_warning(clock.mono()) is None
    clock.advance(budget - SECTION_WARN_SECONDS - 1)
    assert r.section_warning(clock.mono()) is None
    clock.advance(2)
    assert r.section_warning(clock.mono()) == "warn"
    clock.advance(SECTION_WARN_SECONDS)
    assert r.section_warning(clock.mono()) == "over"
    live.act("next_section")
    assert r.section_warning(clock.mono()) is None


def test_a_rating_names_the_question_just_answered(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    r = live.rehearsal
    first = r.sections[0].questions[0]
    live.act("answer", text="answer one")
    assert r.last_done is first
    live.act("rate", rating=2, question=first.id)
    assert first.rating == 2 and r.sections[0].questions[1].rating is None
    with pytest.raises(InvalidEvent, match="has been asked"):
        live.act("rate", rating=3, question=r.sections[1].questions[0].id)
    with pytest.raises(InvalidEvent):
        live.act("rate", rating=3, question=7)
    back = replay(live.store, live.row)
    assert back.sections[0].questions[0].rating == 2


def test_flag_rate_reveal_and_next_section(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    live.act("flag")
    live.act("rate", rating=2)
    live.act("reveal")
    live.act("next_section")
    report = live.report().to_json()
    first = report["sections"][0]["questions"][0]
    assert first["flagged"] is True and first["rating"] == 2
    assert live.rehearsal.section_index == 1


def test_agenda_end_finishes_the_session(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    for _ in range(3):
        clock.advance(5)
        live.act("answer", text="a")
    assert live.finish_if_done()
    assert live.report().to_json()["status"] == "ended"
    with pytest.raises(VivaError):
        live.act("answer", text="too late")


def test_reopen_restores_position_and_draft_and_counts_the_gap_as_paused(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    clock.advance(5)
    live.act("answer", text="one")
    clock.advance(5)
    live.act("draft", text="half an ans")
    # crash: no quit event; ten minutes pass
    clock.advance(600)
    again = LiveSession.reopen(open_store(tmp_path / "viva.db"), None, clock.clock())
    cur = again.rehearsal.current()
    assert cur is not None and cur[1].draft == "half an ans"
    assert again.rehearsal.question_index == 1
    clock.advance(7)
    again.act("answer", text="half an answer")
    report = again.report().to_json()
    q2 = report["sections"][0]["questions"][1]
    assert q2["seconds"] == pytest.approx(12)
    assert report["paused_seconds"] == pytest.approx(600)


def test_resume_refuses_an_ended_session(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    live.act("end")
    with pytest.raises(VivaError, match="has ended"):
        LiveSession.reopen(live.store, live.id, clock.clock())


def test_report_replays_identically_from_the_store(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    clock.advance(3)
    live.act("answer", text="x")
    assert session_report(live.store, live.id).to_json() == live.report().to_json()


_ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["draft", "answer", "skip", "flag", "rate", "pause", "resume", "next_section", "reveal"]
        ),
        st.floats(min_value=0, max_value=120, allow_nan=False),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_ACTIONS)
def test_random_event_sequences_keep_the_invariants(actions: list[tuple[str, float]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        clock = FakeClock()
        live = _start(Path(d), clock, per_section=(2, 2, 1))
        texts: dict[str, str] = {}
        for kind, dt in actions:
            if live.rehearsal.finished:
                break
            clock.advance(dt)
            cur = live.rehearsal.current()
            if kind in ("draft", "answer"):
                text = f"{kind} {dt:.1f}"
                if cur is not None and kind == "answer":
                    texts[cur[1].id] = text
                live.act(kind, text=text)
            elif kind == "rate":
                live.act(kind, rating=1 + int(dt) % 4)
            else:
                live.act(kind)
            live.finish_if_done()
        report = live.report().to_json()
        secs = [q["seconds"] for s in report["sections"] for q in s["questions"]]
        assert all(s >= 0 for s in secs)
        assert report["paused_seconds"] >= 0
        assert sum(secs) == pytest.approx(report["active_seconds"], abs=0.01)
        total = sum(s["budget_seconds"] for s in report["sections"])
        assert total == report["minutes"] * 60
        answers = {
            q["question_id"]: q["answer"] for s in report["sections"] for q in s["questions"]
        }
        for qid, text in texts.items():
            assert answers[qid] == text
        replayed = replay(live.store, live.row)
        assert replayed.active_seconds == pytest.approx(live.rehearsal.active_seconds)


def test_an_event_is_checked_before_it_is_written(tmp_path: Path) -> None:
    clock = FakeClock()
    live = _start(tmp_path, clock)
    before = live.store.events(live.id)
    for kind, data in (("ansewr", {}), ("answer", {}), ("rate", {"rating": 9}), ("flag", {"x": 1})):
        with pytest.raises(InvalidEvent):
            live.act(kind, **data)
    assert live.store.events(live.id) == before
    live.act("answer", text="still fine")
    assert live.report().to_json()["sections"][0]["questions"][0]["answer"] == "still fine"


def test_a_log_with_an_unknown_event_still_replays(tmp_path: Path) -> None:
    """A store written before events were checked may hold a mistyped kind: the
    report, the history and the next plan of that track all still work."""
    clock = FakeClock()
    live = _start(tmp_path, clock)
    live.act("answer", text="one")
    live.store.conn.execute(
        "INSERT INTO events (session_id, seq, kind, mono, wall, data) VALUES (?, 99, 'ansewr', "
        "0, ?, '{}')",
        (live.id, clock.wall().isoformat()),
    )
    report = session_report(live.store, live.id).to_json()
    assert report["sections"][0]["questions"][0]["answer"] == "one"
    from viva.rehearsal.history import question_history

    assert question_history(live.store, "go/raft-kv")
