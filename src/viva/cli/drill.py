"""``viva drill``: drills of the defense-critical questions with spaced repetition."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from viva.cli.options import CATEGORY_OPT, SCOPE_OPT, TRACK_ARG, UNTIL_OPT

if TYPE_CHECKING:
    from viva.drill.session import DrillSession
    from viva.services.drill import DrillFrontEnd


def register(app: typer.Typer) -> None:
    app.command("drill")(drill)


def drill(
    track: Annotated[str | None, TRACK_ARG] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    until: Annotated[str | None, UNTIL_OPT] = None,
    scope: Annotated[list[str] | None, SCOPE_OPT] = None,
    all_cards: Annotated[
        bool, typer.Option("--all", help="Drill every card, not only those due now.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Stop after this many cards.", show_default=False),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain line mode (automatic when stdin or stdout is not a terminal): the "
            "prompt, answer lines until a line holding only '.', the key points, then one "
            "line 1-4 rates the card; end of input or :quit saves and exits.",
        ),
    ] = False,
) -> None:
    """Drill the failure scenarios and must questions (and any question you rated again
    or hard in a rehearsal) with their follow-ups, with spaced repetition (FSRS): answer
    (typed, or aloud), compare with the key points, rate 1-4 (again, hard, good, easy).
    Ratings from rehearsals update the same cards; `viva stats` and the exports count
    the same cards."""
    from viva.cli.scopes import terminal_asker
    from viva.services.drill import drill as run_drill

    run_drill(
        track,
        _front_end(plain),
        category=category,
        until=until,
        include_all=all_cards,
        limit=limit,
        scopes=scope or (),
        ask=terminal_asker(plain),
    )


def _front_end(plain: bool) -> DrillFrontEnd:
    """The drill screen on a terminal, plain line mode otherwise (or with --plain)."""

    def run(session: DrillSession) -> None:
        if not plain and sys.stdin.isatty() and sys.stdout.isatty():
            from viva.tui.screens.drill import run_drill_tui

            run_drill_tui(session)
            return
        from viva.drill.plain import run_drill_plain

        run_drill_plain(session, sys.stdin.readline, sys.stdout)

    return run
