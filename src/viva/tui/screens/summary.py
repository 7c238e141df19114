"""The end of a rehearsal: time per section against budget, on screen and in the terminal.

Widgets only *show* a ``Rehearsal``; none of them records anything. Text from
the catalog or the candidate is passed as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from viva.rehearsal.engine import Rehearsal, clock_text, signed_clock_text
from viva.text import printable

__all__ = ["SummaryScreen", "summary_table"]


def summary_table(r: Rehearsal, title: str) -> Table:
    """Time per section against budget (used on screen and in the terminal)."""
    table = Table(title=title, title_justify="left")
    table.add_column("section")
    table.add_column("spent", justify="right")
    table.add_column("budget", justify="right")
    table.add_column("vs budget", justify="right")
    table.add_column("answered", justify="right")
    for s in r.sections:
        diff = s.spent_seconds - s.budget_seconds
        label = Text(
            f"{signed_clock_text(diff)} {'over' if diff > 0 else 'under'}",
            "red" if diff > 0 else "green",
        )
        answered = sum(1 for q in s.questions if q.answered)
        table.add_row(
            Text(printable(s.title)),
            clock_text(s.spent_seconds),
            clock_text(s.budget_seconds),
            label,
            f"{answered}/{len(s.questions)}",
        )
    table.add_section()
    table.add_row(
        Text("total", "bold"), clock_text(r.active_seconds), clock_text(r.budget_seconds), "", ""
    )
    table.caption = (
        f"active {clock_text(r.active_seconds)} · "
        f"paused {clock_text(r.paused_seconds)} (not counted)"
    )
    return table


class SummaryScreen(Screen[None]):
    """Shown when the rehearsal ends: time per section against budget."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,escape,q", "close", "close")]

    def __init__(self, rehearsal: Rehearsal, session_id: str, track: str) -> None:
        super().__init__()
        self.rehearsal = rehearsal
        self.session_id = session_id
        self.track = track

    def compose(self) -> ComposeResult:
        title = f"Rehearsal ended · session {self.session_id} · {self.track}"
        with Vertical(id="summary"):
            yield Static(summary_table(self.rehearsal, title), id="summary-table")
            yield Static(
                Text(f"enter, q or escape closes · full report: viva report {self.session_id}")
            )

    def action_close(self) -> None:
        self.app.exit("ended")
