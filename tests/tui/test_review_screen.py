"""The reviewer's screen (``viva review``), driven with Textual's pilot: the
rubric in view while scoring, notes, follow-ups asked, the verdict at the end,
and every action an event of the session."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widget import Widget
from textual.widgets import Static, TextArea

from tests.helpers import FakeClock
from tests.tui.test_rehearsal_screen import agenda_for, footer_labels, rendered
from viva.catalog.loader import Track, load_catalog
from viva.clock import Clock
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.session import LiveSession, session_report
from viva.store.database import Store, open_store
from viva.tui.screens.rehearsal import build_app
from viva.tui.screens.review import ReviewApp, ScoreScreen, VerdictScreen

SIZE = (120, 40)


@pytest.fixture(scope="module")
def track() -> Track:
    return load_catalog().tracks["go/raft-kv"]


@pytest.fixture
def reviewed(tmp_path: Path, track: Track) -> Iterator[tuple[Store, LiveSession]]:
    clock = FakeClock()
    store = open_store(tmp_path / "v.db")
    live = LiveSession.start(
        store,
        Agenda.from_json(agenda_for(track)),
        "Ada Lovelace",
        Clock(clock.mono, clock.wall),
        mode="review",
    )
    yield store, live
    store.close()


def text_of(widget: Widget) -> str:
    assert isinstance(widget, Static)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_the_reviewer_sees_key_points_follow_ups_and_the_rubric(
    reviewed: tuple[Store, LiveSession], track: Track
) -> None:
    _store, live = reviewed
    app = build_app(live, track)
    assert isinstance(app, ReviewApp)
    async with app.run_test(size=SIZE):
        top = rendered(app.query_one("#topbar"))
        assert f"review {live.id} · go/raft-kv · 45 min · Ada Lovelace" in top
        q = live.rehearsal.current()
        assert q is not None
        bank = track.question(q[1].id)
        assert bank is not None
        shown = text_of(app.query_one("#q-follow"))
        assert " ".join(bank.key_points[0].split()[:6]) in " ".join(shown.split())
        assert "Rubric" in shown and "1 Missing" in shown and "5 Senior" in shown
        assert {"score", "asked", "next", "quit"} <= footer_labels(app)
        assert "rate" not in footer_labels(app) and "follow-up" not in footer_labels(app)


async def test_score_note_asked_and_verdict_are_recorded(
    reviewed: tuple[Store, LiveSession], track: Track
) -> None:
    store, live = reviewed
    app = build_app(live, track)
    first = live.rehearsal.current()
    assert first is not None
    qid = first[1].id
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")  # follow-up 1 asked
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ScoreScreen)
        box = text_of(app.screen.query_one("#answered-text"))
        assert "Hand-waving" in box  # the descriptors at the moment of scoring
        await pilot.press("4")
        await pilot.pause()
        assert app.status_text.startswith("scored 4 (Strong)")
        await pilot.press(*"misses <b>leases</b> & reads")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("f2")  # the second question: scored 2 without the box
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, VerdictScreen)
        app.screen.query_one("#verdict", TextArea).load_text("Pass; leases need work")
        await pilot.press("shift+tab")  # to the category list: its first category
        await pilot.press("2")
        await pilot.pause()
        first_category = app.screen.categories[0]
        await pilot.press("ctrl+n")
        await pilot.pause()
    report = session_report(store, live.id)
    assert report.reviewed and report.status == "ended"
    one = next(q for q in report.questions if q.question_id == qid)
    assert (one.score, one.notes) == (4, ("misses <b>leases</b> & reads",))
    assert one.follow_ups_asked == first[1].planned.follow_ups[:1]
    assert [q.score for q in report.questions][:2] == [4, 2]
    assert report.verdict == "Pass; leases need work"
    by_category = {c.category: c for c in report.category_scores}
    assert by_category[one.category].mean is not None
    assert (by_category[first_category].score, by_category[first_category].given) == (2.0, True)


async def test_a_reviewed_session_reopens_on_the_same_question_with_its_scores(
    reviewed: tuple[Store, LiveSession], track: Track, tmp_path: Path
) -> None:
    store, live = reviewed
    app = build_app(live, track)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n", "f5")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = LiveSession.reopen(store, live.id)
    assert again.reviewed
    second = again.rehearsal.current()
    assert second is not None and second[1].score == 5
    app2: Any = build_app(again, track)
    async with app2.run_test(size=SIZE):
        assert "scored 5" in text_of(app2.query_one("#q-meta"))
