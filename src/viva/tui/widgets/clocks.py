"""The clock bar: overall, section and question clocks, pace and paused time.

Widgets only *show* a ``Rehearsal``; none of them records anything. Text from
the catalog or the candidate is passed as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from viva.rehearsal.engine import (
    ON_PLAN_SECONDS,
    URGENT_SECONDS,
    WARN_SECONDS,
    Rehearsal,
    clock_text,
    pace_text,
)

__all__ = ["ClockBar", "ClockCell"]


class ClockCell(Static):
    """One boxed figure of the clock bar; redrawn only when its text changes."""

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._text = ""

    def set(self, text: str, **flags: bool) -> None:
        for name, on in flags.items():
            self.set_class(on, f"-{name}")
        if text != self._text:
            self._text = text
            self.update(Text(text), layout=False)

    @property
    def text(self) -> str:
        return self._text


class ClockBar(Horizontal):
    """Section clock, overall clock, pace and paused time, all from ``now``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.section = ClockCell("section left", id="section-clock")
        self.overall = ClockCell("overall left", id="overall-clock")
        self.pace = ClockCell("pace vs plan", id="pace")
        self.paused = ClockCell("paused time", id="paused")

    def compose(self) -> ComposeResult:
        yield from (self.section, self.overall, self.pace, self.paused)

    def show(self, r: Rehearsal, now: float) -> None:
        if r.current() is None:
            self.section.set("—", over=False, warn=False)
        else:
            left = r.section_remaining(now)
            level = r.section_warning(now)
            self.section.set(clock_text(left), over=level == "over", warn=level == "warn")
        over_all = r.remaining(now)
        self.overall.set(
            clock_text(over_all),
            warn=0 <= over_all <= WARN_SECONDS,
            urgent=0 <= over_all <= URGENT_SECONDS,
            over=over_all < 0,
        )
        pace = r.pace(now)
        self.pace.set(
            pace_text(pace, r.cut_questions()),
            ahead=pace > ON_PLAN_SECONDS,
            behind=pace < -ON_PLAN_SECONDS,
        )
        paused = r.paused_total(now)
        text = f"⏸ {clock_text(paused)}" if r.paused else clock_text(paused)
        self.paused.set(text, active=r.paused)
