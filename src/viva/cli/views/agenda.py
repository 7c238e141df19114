"""The terminal rendering of an agenda (``viva plan``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from viva.rehearsal.agenda import Agenda

__all__ = ["render_agenda", "repeat_line", "scope_text"]


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def render_agenda(agenda: Agenda, out: Console) -> None:
    """Sections with their clock and budget, one line per question."""
    out.print(
        Text.assemble(
            (agenda.track, "bold"),
            f"  {agenda.minutes}-minute defense · {agenda.planned_minutes} min of questions",
        )
    )
    start = 0
    for section in agenda.sections:
        end = start + section.budget_seconds
        out.print()
        out.print(
            Text.assemble(
                (f"{_clock(start)}–{_clock(end)}  ", "cyan"),
                (section.title, "bold"),
                f"  budget {section.budget_seconds // 60} min"
                f" · planned {section.planned_minutes} min",
            )
        )
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column("min", justify="right", no_wrap=True, min_width=6)
        table.add_column("category", no_wrap=True, min_width=13, style="magenta")
        table.add_column("kind", no_wrap=True, min_width=16, style="dim")
        table.add_column("prompt", no_wrap=True, overflow="ellipsis", ratio=1)
        for q in section.questions:
            table.add_row(
                f"{q.minutes} min",
                q.category,
                "opening" if q.opening else q.kind + (" · must" if q.must else ""),
                " ".join(q.prompt.split()),
            )
        out.print(table)
        start = end
    out.print()
    out.print(Text(f"scopes: {scope_text(agenda)}"))
    out.print(Text(repeat_line(agenda)))


def scope_text(agenda: Agenda) -> str:
    return ", ".join(agenda.scopes) if agenda.scopes else "none named (scope-neutral questions)"


def repeat_line(agenda: Agenda) -> str:
    """How to draw this agenda again, and only when that is true."""
    if agenda.repeatable:
        return f"seed: {agenda.seed} — repeat with viva plan {agenda.track} {agenda.repeat_args()}"
    return (
        f"seed: {agenda.seed} — weighted by your rehearsal history, so this seed alone "
        "does not repeat it; pass --seed for a draw without history"
    )
