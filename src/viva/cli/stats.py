"""``viva stats``: rehearsal history and drill figures toward the defense."""

from __future__ import annotations

from typing import Annotated

import typer

from viva.cli.options import TRACK_ARG, UNTIL_OPT


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)


def stats(
    track: Annotated[str | None, TRACK_ARG] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    until: Annotated[str | None, UNTIL_OPT] = None,
) -> None:
    """Rehearsals over time (time per section against budget, ratings per category, and
    words and filler words per minute of spoken answers) and drill figures: cards total,
    due now, due before the defense, reviewed, predicted recall on the defense date, and
    the weakest questions.

    Examples:

    \b
      viva stats
      viva stats go/raft-kv --until 2026-12-15
      viva stats --json
    """
    from viva.cli.output import console, print_json
    from viva.services.drill import stats as collect

    data = collect(track, until)
    if json:
        print_json(data.to_json())
        return
    from viva.cli.views.stats import render_stats

    render_stats(data, console())
