"""Look tests: SVG snapshots of the rehearsal and drill screens.

Each test renders a screen headless at a fixed terminal size and compares it
with the SVG kept in ``__snapshots__/``; regenerate them after an intended
change of the look with::

    .venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update -p no:xdist

Everything shown is made deterministic: the session id's random part is
fixed, time comes from a ``FakeClock`` moved by hand, and the answer area's
cursor does not blink (the plugin does not turn blinking off itself).

The tests are plain functions, not ``async``: ``snap_compare`` runs the app
in an event loop of its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from tests.helpers import FakeClock, small_agenda
from viva.catalog.loader import Track, load_catalog
from viva.drill.scheduler import make_scheduler
from viva.drill.session import DrillSession
from viva.rehearsal.session import LiveSession
from viva.store.database import Store, open_store
from viva.tui.screens.drill import build_drill_app
from viva.tui.screens.rehearsal import TICK_SECONDS, build_app
from viva.tui.widgets.clocks import ClockCell

WIDE = (120, 40)
NARROW = (80, 24)
THEME = "textual-dark"  # Textual's default, unless TEXTUAL_THEME says otherwise
DRILL_START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


class SnapCompare(Protocol):
    """The ``snap_compare`` fixture of pytest-textual-snapshot (it ships no types)."""

    def __call__(
        self,
        app: Any,
        press: Iterable[str] = ...,
        terminal_size: tuple[int, int] = ...,
        run_before: RunBefore | None = ...,
    ) -> bool: ...


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The picture must not depend on the runner's terminal settings: an App
    reads NO_COLOR when it is made (``steady`` pins the theme, which Textual
    takes from TEXTUAL_THEME)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="module")
def track() -> Track:
    return load_catalog().tracks["go/raft-kv"]


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A store in this test's VIVA_HOME whose new session ids end in ``-abc123``."""
    monkeypatch.setattr("viva.store.database.secrets.token_hex", lambda n=3: "abc123")
    opened = open_store()
    yield opened
    opened.close()


@dataclass
class Rehearsal:
    live: LiveSession
    clock: FakeClock


@pytest.fixture
def rehearsal(store: Store) -> Rehearsal:
    """A fresh session over two sections (2 and 1 questions, 5 and 10 minutes)."""
    clock = FakeClock()
    live = LiveSession.start(store, small_agenda(), clock=clock.clock())
    assert live.id == "20261128-090000-abc123"
    return Rehearsal(live, clock)


@pytest.fixture
def drill(store: Store, track: Track) -> DrillSession:
    """A drill of the track's failure-scenario cards, all new, at most 3."""
    clock = FakeClock(start=DRILL_START)
    return DrillSession(
        store, [track], scheduler=make_scheduler(fuzzing=False), clock=clock.clock(), limit=3
    )


def steady(then: RunBefore | None = None) -> RunBefore:
    """A ``run_before`` hook: pin the theme, stop every cursor blinking, then do ``then``."""

    async def hook(pilot: Pilot[Any]) -> None:
        pilot.app.theme = THEME
        for area in pilot.app.query(TextArea):
            area.cursor_blink = False
        if then is not None:
            await then(pilot)
        await pilot.pause()

    return hook


async def redraw(pilot: Pilot[Any], clock: str, text: str) -> None:
    """Wait (real time, normally half a second) until the refresh timer has drawn
    ``text`` in the clock cell ``clock``, so a slow machine cannot take the
    picture one tick early."""
    cell = pilot.app.query_one(f"#{clock}", ClockCell)
    for _ in range(40):
        await pilot.pause(2 * TICK_SECONDS)
        if cell.text == text:
            return
    raise AssertionError(f"#{clock} shows {cell.text!r}, not {text!r}")


def test_rehearsal_just_opened(
    snap_compare: SnapCompare, rehearsal: Rehearsal, track: Track
) -> None:
    """The rehearsal screen as it opens: the title bar with the session id, the
    track and its title (the "viva rehearsal" label left out at 120 columns),
    the agenda on
    the left (Section 1 current, nothing spent), full clocks
    (15:00 overall, 5:00 section, on plan), the first question's prompt, an
    empty answer area with its placeholder, and the key footer."""
    app = build_app(rehearsal.live, track)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady())


def test_rehearsal_after_typing_and_a_follow_up(
    snap_compare: SnapCompare, rehearsal: Rehearsal, track: Track
) -> None:
    """Ninety seconds in, with a few words typed and ctrl+o pressed: the clocks
    have moved (13:30 overall, 3:30 for the section), the first follow-up shows
    under the question, and the status line says it was revealed."""

    async def answer(pilot: Pilot[Any]) -> None:
        rehearsal.clock.advance(90)
        await pilot.press(*"Leader steps down")
        await pilot.press("ctrl+o")
        await redraw(pilot, "overall-clock", "13:30")

    app = build_app(rehearsal.live, track)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady(answer))


def test_rehearsal_paused(snap_compare: SnapCompare, rehearsal: Rehearsal, track: Track) -> None:
    """Paused after 30 s, then a minute passes: the overall clock stays at
    14:30, the paused cell is highlighted and reads ⏸ 1:00, the agenda marks
    Section 1 paused, the status line says the clock is stopped and wraps to
    end with "resumes", and the footer's ctrl+p reads resume."""

    async def pause(pilot: Pilot[Any]) -> None:
        rehearsal.clock.advance(30)
        await pilot.press("ctrl+p")
        rehearsal.clock.advance(60)
        await redraw(pilot, "paused", "⏸ 1:00")

    app = build_app(rehearsal.live, track)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady(pause))


def test_rehearsal_narrow_terminal(
    snap_compare: SnapCompare, rehearsal: Rehearsal, track: Track
) -> None:
    """The rehearsal screen just opened on an 80x24 terminal: no agenda column,
    the title bar with the session id and track whole (the track's title left
    out), the four clocks, the question box
    with a scroll bar, the answer area, and the compact footer with every key
    (quit too) still on screen."""
    app = build_app(rehearsal.live, track)
    assert snap_compare(app, terminal_size=NARROW, run_before=steady())


def test_drill_card(snap_compare: SnapCompare, drill: DrillSession) -> None:
    """The drill screen on its first card: the header with the track and card
    counts, the card line (Card 1/3, its id, category, stage), the prompt, an
    empty answer area and the hint that ctrl+n shows the key points."""
    app = build_drill_app(drill)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady())


def test_drill_key_points_revealed(snap_compare: SnapCompare, drill: DrillSession) -> None:
    """The same card after ctrl+n: the answer area is read-only, the key points
    and follow-ups are listed below it, and the footer offers the ratings 1-4."""
    app = build_drill_app(drill)
    assert snap_compare(app, terminal_size=WIDE, press=["ctrl+n"], run_before=steady())


def test_rehearsal_after_an_answer(
    snap_compare: SnapCompare, rehearsal: Rehearsal, track: Track
) -> None:
    """Two minutes into the first question, the answer recorded with ctrl+n: the
    dialog over the screen repeats the question, lists its key points and the
    follow-ups a reviewer may push with, and asks for a rating of that answer
    (1-4, or enter/escape to go on without one)."""

    async def answer(pilot: Pilot[Any]) -> None:
        rehearsal.clock.advance(120)
        await pilot.press(*"Leader steps down after a quorum check")
        await pilot.press("ctrl+n")

    app = build_app(rehearsal.live, track)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady(answer))


@pytest.fixture
def review(store: Store) -> Rehearsal:
    """A fresh reviewed session of Ada Lovelace over the same two sections."""
    clock = FakeClock()
    live = LiveSession.start(
        store, small_agenda(), "Ada Lovelace", clock=clock.clock(), mode="review"
    )
    return Rehearsal(live, clock)


def test_review_just_opened(snap_compare: SnapCompare, review: Rehearsal, track: Track) -> None:
    """The reviewer's screen as it opens: the top bar reads "review <id> ·
    go/raft-kv · 15 min · Ada Lovelace"; under the first question its key
    points in a box three quarters of the height (its numbered follow-ups and
    its category's rubric further down it, with a scroll bar); the note area's
    placeholder; the footer with score and asked."""
    app = build_app(review.live, track)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady())


def test_review_score_box(snap_compare: SnapCompare, review: Rehearsal, track: Track) -> None:
    """ctrl+o then ctrl+r: the first follow-up ticked as asked, and the score box
    over the screen with the five descriptors to score against."""

    async def score(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+o", "ctrl+r")

    app = build_app(review.live, track)
    assert snap_compare(app, terminal_size=WIDE, run_before=steady(score))
