"""``viva plan``: draw a seeded defense agenda and print it."""

from __future__ import annotations

from typing import Annotated

import typer

from viva.cli.options import MINUTES_OPT, SCOPE_OPT, SEED_OPT, TRACK_NAME_ARG

PLAN_HELP = """Draw a defense agenda for TRACK: timed sections, each opening with its
prompt, then questions drawn from the track's bank.

Every agenda asks the track's must questions (what the seed says every defense
asks; budgets shift between sections to fit them), at least one bank question in
every section of 4 minutes or more, and, when there is room, every review
category the format names. Then each section fills up to its budget, its
preferred kinds first, never one question twice. Questions about scopes you did
not build (--scope) are never drawn.

The same --seed with the same track, --minutes and --scope always gives the
same agenda, whatever your history. Without --seed, questions not asked
recently and questions last rated again or hard are drawn more often (easy and
recently asked ones less often), and the agenda says it was weighted.

Examples:

\b
  viva plan go/raft-kv --seed 7
  viva plan runtime-fork --scope runc-trace --minutes 60 --json
"""


def register(app: typer.Typer) -> None:
    app.command("plan", help=PLAN_HELP)(plan)


def plan(
    track: Annotated[str, TRACK_NAME_ARG],
    minutes: Annotated[int | None, MINUTES_OPT] = None,
    seed: Annotated[int | None, SEED_OPT] = None,
    scope: Annotated[list[str] | None, SCOPE_OPT] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the agenda as JSON.")] = False,
) -> None:
    from viva.cli.output import console, print_json
    from viva.cli.scopes import terminal_asker
    from viva.cli.views.agenda import render_agenda
    from viva.services.rehearsal import plan as draw

    agenda = draw(track, minutes, seed, scope or (), terminal_asker())
    if json:
        print_json(agenda.to_json())
        return
    render_agenda(agenda, console())
