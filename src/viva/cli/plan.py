"""``viva plan``: draw a seeded defense agenda and print it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from viva.cli.options import MINUTES_OPT, SEED_OPT

if TYPE_CHECKING:
    from rich.console import Console

    from viva.planner import Agenda

PLAN_HELP = """Draw a defense agenda for TRACK: timed sections, each opening with its
prompt, then questions drawn from the track's bank.

Each section gets questions whose category it reviews (its preferred kinds
first), never one question twice; each section is filled up to its budget and
may run over by at most 15 % while the whole agenda stays within the session,
so the questions fill 50-100 % of it when the bank allows. The same --seed
gives the same agenda; without one a fresh seed is drawn and printed.

History preference: with rehearsal history, questions not asked recently and
questions last rated again or hard are drawn more often; questions rated easy
and questions asked recently, less often.
"""


def register(app: typer.Typer) -> None:
    app.command("plan", help=PLAN_HELP)(plan)


def plan(
    track: Annotated[str, typer.Argument(help="Track id, or a unique prefix or suffix of one.")],
    minutes: Annotated[int | None, MINUTES_OPT] = None,
    seed: Annotated[int | None, SEED_OPT] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the agenda as JSON.")] = False,
) -> None:
    from viva.catalog import load_catalog
    from viva.cli.output import console, print_json
    from viva.history import stored_history
    from viva.planner import draw_agenda

    catalog = load_catalog()
    t = catalog.resolve(track)
    # The same history as `viva rehearse`, so `plan --seed N` shows that agenda.
    agenda = draw_agenda(catalog, t, minutes=minutes, seed=seed, history=stored_history(t.id))
    if json:
        print_json(agenda.to_json())
        return
    render_agenda(agenda, console())


def _clock(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def render_agenda(agenda: Agenda, out: Console) -> None:
    """Sections with their clock and budget, one line per question."""
    from rich.table import Table
    from rich.text import Text

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
                "opening" if q.opening else q.kind,
                " ".join(q.prompt.split()),
            )
        out.print(table)
        start = end
    out.print()
    out.print(f"seed: {agenda.seed} — repeat with --seed {agenda.seed}")
