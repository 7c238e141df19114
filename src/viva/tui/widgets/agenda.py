"""The agenda sidebar: each section with its time against budget and its state.

Widgets only *show* a ``Rehearsal``; none of them records anything. Text from
the catalog or the candidate is passed as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from viva.rehearsal.engine import Rehearsal, clock_text
from viva.text import printable

__all__ = ["AgendaRow", "AgendaView", "section_state"]


def section_state(r: Rehearsal, index: int) -> str:
    """``done``, ``now``, ``next``, ``cut`` (left with questions open) or ``missed``."""
    section = r.sections[index]
    if not r.finished and index == r.section_index:
        return "paused" if r.paused else "now"
    if r.finished or index < r.section_index:
        if all(q.answered or q.skipped for q in section.questions):
            return "done"
        return "cut" if any(q.reached for q in section.questions) else "missed"
    return "next"


class AgendaRow(Horizontal):
    """One line of the agenda: title, spent/budget, state; each part redrawn alone."""

    STATES = ("now", "paused", "next", "done", "cut", "missed")

    def __init__(self) -> None:
        super().__init__()
        self.title = Static(classes="agenda-title")
        self.times = Static(classes="agenda-times")
        self.state = Static(classes="agenda-state")
        self.drawn = ("", "", "")

    def compose(self) -> ComposeResult:
        yield from (self.title, self.times, self.state)

    def show(self, title: str, times: str, state: str, over: bool = False) -> None:
        old_title, old_times, old_state = self.drawn
        if title != old_title:
            self.title.update(Text(printable(title)), layout=False)
        if times != old_times:
            self.times.update(Text(times), layout=False)
        if state != old_state:
            self.state.update(Text(state), layout=False)
            for name in self.STATES:
                self.set_class(name == state, f"-{name}")
        self.set_class(over, "-over")
        self.drawn = (title, times, state)


class AgendaView(Vertical):
    """The sidebar: each section's budget, time spent and state.

    Rows are separate widgets so that, once a second, only the current
    section's time and the total are redrawn.
    """

    def __init__(self, sections: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Agenda"
        self.rows = [AgendaRow() for _ in range(sections)]
        self.total = AgendaRow()
        self.total.add_class("-total")

    def compose(self) -> ComposeResult:
        yield from self.rows
        yield self.total

    def show(self, r: Rehearsal, now: float) -> None:
        for i, (row, s) in enumerate(zip(self.rows, r.sections, strict=True)):
            live = not r.finished and i == r.section_index
            spent = r.section_spent(now) if live else s.spent_seconds
            state = section_state(r, i)
            mark = {"now": "▶", "paused": "⏸", "done": "✓", "cut": "✂"}.get(state, "·")
            times = f"{clock_text(spent)}/{clock_text(s.budget_seconds)}"
            row.show(f"{mark} {i + 1}. {s.title}", times, state, spent > s.budget_seconds)
        total = r.elapsed(now)
        planned = r.budget_seconds
        self.total.show("total", f"{clock_text(total)}/{clock_text(planned)}", "", total > planned)

    def lines(self) -> list[str]:
        """What the agenda shows, one string per row (for tests and screen readers)."""
        return [" ".join(part for part in row.drawn if part) for row in (*self.rows, self.total)]
