"""The Textual rehearsal screen, driven by the pilot with a hand-advanced clock.

Time is never slept through: a ``FakeClock`` is injected into the session and
moved by hand; ``tick`` only waits (briefly, for real) for the screen's
refresh timer to redraw from the new time.
"""

from __future__ import annotations

import io
import itertools
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer, Static, TextArea

from tests.helpers import FakeClock
from viva.catalog.loader import Track, load_catalog
from viva.clock import Clock
from viva.errors import VivaError
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.session import LiveSession
from viva.store.database import Store, open_store
from viva.tui.screens.dialogs import AnsweredScreen, RateScreen
from viva.tui.screens.rehearsal import TICK_SECONDS, RehearsalApp, build_app, run_tui
from viva.tui.screens.summary import SummaryScreen
from viva.tui.widgets.agenda import AgendaView
from viva.tui.widgets.clocks import ClockCell

SIZE = (120, 40)
BUDGET = 2700  # the agenda below: 15 + 20 + 10 minutes


@pytest.fixture(scope="module")
def track() -> Track:
    return load_catalog().tracks["go/raft-kv"]


def agenda_for(track: Track) -> dict[str, Any]:
    """A plan-shaped agenda (DESIGN.md's ``viva plan --json``) over real questions."""

    def q(qid: str) -> dict[str, Any]:
        question = track.question(qid)
        assert question is not None, qid
        return {
            "id": question.id,
            "category": question.category,
            "kind": question.kind,
            "prompt": question.prompt,
            "minutes": question.minutes,
        }

    return {
        "track": track.id,
        "minutes": 45,
        "seed": 3,
        "sections": [
            {
                "id": "architecture",
                "title": "Architecture walkthrough",
                "budget_seconds": 900,
                "questions": [q("ready-loop-contract"), q("raft-storage-implementation")],
            },
            {
                "id": "failure-modes",
                "title": "Failure modes",
                "budget_seconds": 1200,
                "questions": [q("partition-old-leader"), q("nemesis-design")],
            },
            {
                "id": "performance",
                "title": "Performance",
                "budget_seconds": 600,
                "questions": [q("sustained-50k-writes")],
            },
        ],
    }


@dataclass
class Rig:
    store: Store
    live: LiveSession
    clock: FakeClock
    track: Track

    def kinds(self) -> list[str]:
        return [e.kind for e in self.store.events(self.live.id)]

    def last(self, *skip: str) -> tuple[str, dict[str, Any]]:
        """The last event, passing over those of the ``skip`` kinds."""
        event = [e for e in self.store.events(self.live.id) if e.kind not in skip][-1]
        return event.kind, dict(event.data)

    def drafts(self) -> list[str]:
        return [str(e.data["text"]) for e in self.store.events(self.live.id) if e.kind == "draft"]

    def app(self) -> RehearsalApp:
        return build_app(self.live, self.track)


@pytest.fixture
def rig(tmp_path: Path, track: Track) -> Iterator[Rig]:
    clock = FakeClock()
    store = open_store(tmp_path / "v.db")
    live = LiveSession.start(
        store, Agenda.from_json(agenda_for(track)), clock=Clock(clock.mono, clock.wall)
    )
    yield Rig(store, live, clock, track)
    store.close()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*("enter" if ch == "\n" else ch for ch in text))


async def tick(pilot: Pilot[Any]) -> None:
    """Let the refresh timer run once (real time, a fraction of a second)."""
    await pilot.pause(2 * TICK_SECONDS)


def cell(app: RehearsalApp, name: str) -> ClockCell:
    return app.query_one(f"#{name}", ClockCell)


def shown(widget: Widget) -> str:
    """The plain text a Static shows (its content rendered by rich, no styles)."""
    assert isinstance(widget, Static)
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def answer_area(app: RehearsalApp) -> TextArea:
    return app.query_one("#answer", TextArea)


def current_id(rig: Rig) -> str | None:
    cur = rig.live.rehearsal.current()
    return cur[1].id if cur else None


# --- answering and the keys ---------------------------------------------------


async def test_typed_answer_and_next_records_the_answer(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        assert answer_area(app).has_focus
        await type_text(pilot, "Persist HardState first\nthen send")
        await pilot.press("ctrl+n")
        # the clock stops while the answered question's key points are shown
        assert rig.last() == ("pause", {})
        assert rig.last("pause") == ("answer", {"text": "Persist HardState first\nthen send"})
        assert isinstance(app.screen, AnsweredScreen)
        await pilot.press("escape")
        assert rig.last() == ("resume", {})
        assert app.status_text == "answer saved"
        assert current_id(rig) == "raft-storage-implementation"
        assert answer_area(app).text == ""


@pytest.mark.parametrize(
    ("keys", "kind", "data", "said"),
    [
        (("ctrl+s",), "skip", {}, "skipped"),
        (("ctrl+f",), "flag", {}, "flagged"),
        (("f3",), "rate", {"rating": 3}, "rated 3 (good)"),
        (("ctrl+r", "2"), "rate", {"rating": 2}, "rated 2 (hard)"),
        (("ctrl+o",), "reveal", {}, "follow-up 1 of 2 revealed"),
        (("ctrl+p",), "pause", {}, "paused"),
        (("ctrl+p", "ctrl+p"), "resume", {}, "resumed"),
        (("ctrl+g",), "next_section", {}, "moved to the next section"),
        (("ctrl+t", "y"), "end", {}, None),
        (("ctrl+q",), "quit", {}, None),
    ],
)
async def test_each_key_records_its_event(
    rig: Rig, keys: tuple[str, ...], kind: str, data: dict[str, Any], said: str | None
) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        # The event is in the store (committed) by the time the screen says so.
        assert rig.last() == (kind, data)
        if said is not None:
            assert app.status_text.startswith(said)


async def test_footer_lists_the_keys(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE):
        shown = {
            b.binding.description for b in app.screen.active_bindings.values() if b.binding.show
        }
    assert {"next", "skip", "flag", "rate", "follow-up", "pause", "section", "end", "quit"} <= shown


async def test_rating_box_can_be_cancelled(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RateScreen)
        await pilot.press("escape")
        assert "rate" not in rig.kinds()
        assert answer_area(app).has_focus


async def test_end_asks_first(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+n")  # session keys are off while the box is open
        await pilot.press("n")
        assert rig.kinds() == ["start"]
        assert app.status_text == "not ended"


async def test_follow_ups_are_revealed_one_at_a_time(rig: Rig) -> None:
    q = rig.track.question("ready-loop-contract")
    assert q is not None and len(q.follow_ups) == 2
    first, second = (f.prompt for f in q.follow_ups)
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        follow = app.query_one("#q-follow")
        assert first not in shown(follow)
        await pilot.press("ctrl+o")
        text = shown(follow)
        assert first in text
        assert second not in text
        await pilot.press("ctrl+o", "ctrl+o")
        assert second in shown(follow)
        assert rig.kinds().count("reveal") == 2
        assert app.status_text == "no more follow-ups"


async def test_brackets_in_answers_and_prompts_are_text_not_markup(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "[bold]x[/bold]")
        await pilot.press("ctrl+n")
    assert rig.last("pause", "resume") == ("answer", {"text": "[bold]x[/bold]"})


# --- clocks -------------------------------------------------------------------


async def test_clocks_are_computed_from_the_clock(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        assert cell(app, "overall-clock").text == "45:00"
        rig.clock.advance(65)  # one jump: nothing counts down in between
        await tick(pilot)
        assert cell(app, "overall-clock").text == "43:55"
        assert cell(app, "section-clock").text == "13:55"
        assert cell(app, "pace").text == "on plan"
        rig.clock.advance(600)  # past the first question's share of the section
        await tick(pilot)
        assert cell(app, "pace").text.endswith("behind")
        assert cell(app, "pace").has_class("-behind")


async def test_after_an_answer_its_key_points_show_and_the_rating_is_for_it(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        first = current_id(rig)
        assert first is not None
        share = rig.live.rehearsal.sections[0].questions[0].planned_seconds
        rig.clock.advance(share - 100)  # a full answer, 100 s quicker than planned
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, AnsweredScreen)
        bank = rig.track.question(first)
        assert bank is not None
        text = shown(app.screen.query_one("#answered-text"))
        assert "Key points" in text and bank.key_points[0][:30] in " ".join(text.split())
        assert "Follow-ups a reviewer may push with" in text
        await pilot.press("2")
        assert not isinstance(app.screen, AnsweredScreen)
        assert rig.last("resume") == ("rate", {"rating": 2, "question": first})
        assert rig.kinds()[-4:] == ["answer", "pause", "rate", "resume"]
        assert app.status_text == f"rated 2 (hard): {first}"
        await tick(pilot)
        pace = cell(app, "pace")
        assert pace.text == "+1:40 ahead" and pace.has_class("-ahead")
    report = rig.live.report().to_json()["sections"][0]["questions"]
    assert report[0]["rating"] == 2 and report[1]["rating"] is None


async def test_a_hurried_answer_is_marked_short_and_not_ahead(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        rig.clock.advance(26)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, AnsweredScreen)
        assert "short: 0:26 of" in shown(app.screen.query_one("#answered-text"))
        await pilot.press("escape")  # no rating
        await tick(pilot)
        assert cell(app, "pace").text == "on plan"
    assert rig.kinds()[-3:] == ["answer", "pause", "resume"]


async def test_skipping_shows_behind_not_ahead(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        rig.clock.advance(40)
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+g")  # and cut the rest of the next section
        await tick(pilot)
        pace = cell(app, "pace")
        assert pace.text.endswith("behind (2 cut)") and pace.has_class("-behind")


async def test_the_section_clock_warns_before_its_budget_runs_out(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        rig.clock.advance(900 - 50)
        await tick(pilot)
        section = cell(app, "section-clock")
        assert section.has_class("-warn") and not section.has_class("-over")
        assert app.status_text == "⚠ under 1 minute left in this section"
        rig.clock.advance(60)
        await tick(pilot)
        assert section.has_class("-over")
        assert app.status_text == "⚠ this section is over its budget"


async def test_warnings_at_5_and_2_minutes(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        overall = cell(app, "overall-clock")
        rig.clock.advance(BUDGET - 301)
        await tick(pilot)
        assert app.warnings == []
        rig.clock.advance(2)
        await tick(pilot)
        assert app.warnings == ["5 minutes left"]
        assert app.status_text == "⚠ 5 minutes left"
        assert overall.has_class("-warn")
        assert not overall.has_class("-urgent")
        rig.clock.advance(180)
        await tick(pilot)
        assert app.warnings == ["5 minutes left", "2 minutes left"]
        assert overall.has_class("-urgent")
        assert overall.text == "1:59"


async def test_overtime_is_negative_and_red(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        rig.clock.advance(BUDGET + 80)
        await tick(pilot)
        overall = cell(app, "overall-clock")
        assert overall.text == "-1:20"
        assert overall.has_class("-over")
        assert overall.styles.color == Color.parse(app.get_css_variables()["error"])
        section = cell(app, "section-clock")
        assert section.text.startswith("-")
        assert section.has_class("-over")
        # Crossing every line at once warns once, with the most urgent message.
        assert app.status_text == "⚠ overtime: the planned time is up"
        assert len(app.warnings) == 3


async def test_paused_time_is_excluded_and_shown_apart(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        rig.clock.advance(30)
        await pilot.press("ctrl+p")
        rig.clock.advance(90)
        await tick(pilot)
        assert cell(app, "overall-clock").text == "44:30"  # the clock stopped
        assert cell(app, "paused").text == "⏸ 1:30"
        assert cell(app, "paused").has_class("-active")
        await pilot.press("ctrl+p")
        rig.clock.advance(10)
        await tick(pilot)
        assert cell(app, "overall-clock").text == "44:20"
        assert cell(app, "paused").text == "1:30"
        assert not cell(app, "paused").has_class("-active")
    assert rig.live.report().to_json()["paused_seconds"] == 90
    assert rig.live.rehearsal.elapsed(rig.clock.mono()) == 40


async def test_typing_while_paused_resumes_as_in_plain_mode(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "x")
        await pilot.pause()
        kinds = rig.kinds()
        assert kinds[kinds.index("pause") + 1] == "resume"
        assert not rig.live.rehearsal.paused


async def test_agenda_shows_budget_spent_and_state(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        rig.clock.advance(125)
        await pilot.press("ctrl+g")
        await tick(pilot)
        lines = app.query_one("#agenda", AgendaView).lines()
        text = "\n".join(lines)
    assert "2:05/15:00" in text
    assert "0:00/20:00" in text
    row1 = next(line for line in lines if "Architecture" in line)
    row2 = next(line for line in lines if "Failure modes" in line)
    assert row1.endswith("cut")
    assert row2.endswith("now")


# --- drafts, quitting and resuming -------------------------------------------


async def test_draft_autosave_fires_on_the_timer(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "abc")
        await tick(pilot)
        assert rig.drafts(), "the first change is saved on the next tick"
        rig.clock.advance(1.6)
        await tick(pilot)
        assert rig.drafts()[-1] == "abc"
        for ch in "defg":
            await type_text(pilot, ch)
            await tick(pilot)
            rig.clock.advance(0.5)
        rig.clock.advance(1.6)
        await tick(pilot)
        assert rig.drafts()[-1] == "abcdefg"
        saved = len(rig.drafts())
        await tick(pilot)
        assert len(rig.drafts()) == saved  # unchanged text is not saved again
    # While typing goes on, saves are spaced by at least 1.5 s of clock time.
    times = [e.mono for e in rig.store.events(rig.live.id) if e.kind == "draft"]
    assert all(b - a >= 1.5 for a, b in itertools.pairwise(times))


async def test_skip_saves_the_draft_first(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "partial")
        await pilot.press("ctrl+s")
    assert rig.kinds()[-2:] == ["draft", "skip"]
    q = rig.live.report().to_json()["sections"][0]["questions"][0]
    assert (q["answer"], q["skipped"]) == ("partial", True)


async def test_quit_then_reopen_restores_question_and_draft(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "first")
        await pilot.press("ctrl+n")
        await pilot.press("escape")  # past the key points, without a rating
        await type_text(pilot, "half an\nanswer")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == "quit"
    assert rig.kinds()[-2:] == ["draft", "quit"]
    assert rig.store.session(rig.live.id).status == "paused"

    rig.clock.advance(600)
    again = LiveSession.reopen(rig.store, rig.live.id, Clock(rig.clock.mono, rig.clock.wall))
    app2 = build_app(again, rig.track)
    async with app2.run_test(size=SIZE):
        assert answer_area(app2).text == "half an\nanswer"
        assert app2.status_text == "draft restored"
        cur = again.rehearsal.current()
        assert cur is not None and cur[1].id == "raft-storage-implementation"
        prompt = rig.track.question("raft-storage-implementation")
        assert prompt is not None
        assert prompt.prompt[:40] in shown(app2.query_one("#q-prompt")).replace("\n", " ")
    assert again.rehearsal.paused_seconds == 600  # the gap counts as paused


async def test_ctrl_c_pauses_and_saves_then_quits(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "notes")
        await pilot.press("ctrl+c")
        assert rig.kinds()[-2:] == ["draft", "pause"]
        assert app.status_text.startswith("paused and saved")
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert rig.last()[0] == "quit"
    assert app.return_value == "interrupted"  # run_tui then exits 130, as plain mode


async def test_the_end_of_the_agenda_shows_the_summary(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            rig.clock.advance(100)
            await pilot.press("ctrl+n")
            if isinstance(app.screen, AnsweredScreen):
                await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        table = shown(app.screen.query_one("#summary-table"))
        assert "Architecture walkthrough" in table
        assert "3:20" in table  # two answers of 100 s against 15:00
        assert "under" in table
        await pilot.press("ctrl+n")  # session keys do nothing once it ended
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == "ended"
    assert rig.kinds().count("end") == 1
    assert rig.store.session(rig.live.id).status == "ended"


async def test_resizing_hides_the_agenda_when_narrow(rig: Rig) -> None:
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        agenda = app.query_one("#agenda")
        assert agenda.display
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        assert not agenda.display
        assert app.query_one(Footer).compact
        assert app.query_one("#overall-clock").region.width > 0
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert agenda.display


async def test_a_failed_save_closes_the_screen_with_one_message(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(rig.store, "append", broken)
        await pilot.press("ctrl+f")
        await pilot.pause()
    assert app.return_code == 1
    assert isinstance(app.failure, VivaError)
    assert "disk I/O error" in str(app.failure)
    assert f"viva resume {rig.live.id}" in str(app.failure)


def test_run_tui_leaves_the_session_resumable_if_the_screen_stops(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Whatever stops the screen, the session is saved as quit and the hint printed.
    monkeypatch.setattr(RehearsalApp, "run", lambda self, **kw: None)
    run_tui(rig.live, rig.track)
    assert rig.last()[0] == "quit"
    assert f"viva resume {rig.live.id}" in capsys.readouterr().out


def test_run_tui_reports_an_interrupt_after_saving(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: RehearsalApp, **kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(RehearsalApp, "run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_tui(rig.live, rig.track)
    assert rig.last()[0] == "quit"
    assert f"viva resume {rig.live.id}" in capsys.readouterr().out


async def test_a_track_missing_from_the_catalog_still_runs(rig: Rig) -> None:
    app = build_app(rig.live, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        assert app.status_text == "no more follow-ups"
        assert "no follow-ups" in shown(app.query_one("#q-follow"))
        await type_text(pilot, "still recorded")
        await pilot.press("ctrl+n")
    assert rig.last("pause", "resume") == ("answer", {"text": "still recorded"})


def test_domain_code_does_not_import_textual() -> None:
    src = Path(__file__).resolve().parents[2] / "src" / "viva"
    imports = re.compile(r"^\s*(from|import)\s+textual\b", re.MULTILINE)
    offenders = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "tui" not in p.parts and imports.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- what a narrow or a wide terminal shows (issue 16, point 2) ------------------


def rendered(widget: Widget) -> str:
    """The lines the widget paints at its size, as text (wrapping and cuts included)."""
    from textual.geometry import Region

    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def footer_labels(app: RehearsalApp) -> set[str]:
    return {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_session_id_and_whole_status_lines_show_at_80_and_120_columns(
    rig: Rig, size: tuple[int, int]
) -> None:
    app = rig.app()
    async with app.run_test(size=size) as pilot:
        top = rendered(app.query_one("#topbar"))
        assert f"session {rig.live.id}" in top and "go/raft-kv" in top
        assert ("Distributed Storage" in top) == (size[0] >= 120)
        assert "quit" in footer_labels(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        said = "paused: the clock is stopped and paused time is shown apart; ctrl+p resumes"
        assert app.status_text == said
        status = rendered(app.query_one("#status"))
        assert " ".join(status.split()) == said  # wrapped if need be, never cut
        assert "resume" in footer_labels(app) and "pause" not in footer_labels(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "pause" in footer_labels(app) and "resume" not in footer_labels(app)
    assert [k for k in rig.kinds() if k in ("pause", "resume")] == ["pause", "resume"]


async def test_a_long_candidate_name_never_hides_the_session_id(
    tmp_path: Path, track: Track
) -> None:
    clock = FakeClock()
    with open_store(tmp_path / "w.db") as store:
        live = LiveSession.start(
            store,
            Agenda.from_json(agenda_for(track)),
            candidate="Maria Concepción de la Santísima Trinidad Fernández-Villaverde",
            clock=Clock(clock.mono, clock.wall),
        )
        app = build_app(live, track)
        async with app.run_test(size=(80, 24)):
            top = rendered(app.query_one("#topbar"))
            assert f"session {live.id} · go/raft-kv · 45 min" in top


async def test_escape_never_loses_what_is_typed_next(rig: Rig) -> None:
    """Escape takes the focus off the answer area; typing still reaches it."""
    app = rig.app()
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "abc")
        await pilot.press("escape")
        await pilot.pause()
        await type_text(pilot, "def")
        await pilot.pause()
        assert answer_area(app).text == "abcdef"
