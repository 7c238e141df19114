"""``viva plan``: draw a seeded defense agenda and print it."""

from __future__ import annotations

from typing import Annotated

import typer

from viva.cli.options import MINUTES_OPT, SEED_OPT

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
    from viva.cli.output import console, print_json
    from viva.cli.views.agenda import render_agenda
    from viva.services.rehearsal import plan as draw

    agenda = draw(track, minutes, seed)
    if json:
        print_json(agenda.to_json())
        return
    render_agenda(agenda, console())
