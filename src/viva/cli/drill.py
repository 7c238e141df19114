"""``viva drill``: failure-scenario drills with spaced repetition."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from viva.cli.options import CATEGORY_OPT, TRACK_ARG, UNTIL_OPT


def register(app: typer.Typer) -> None:
    app.command("drill")(drill)


def drill(
    track: Annotated[str | None, TRACK_ARG] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    until: Annotated[str | None, UNTIL_OPT] = None,
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
    """Drill failure-scenario questions and their follow-ups with spaced repetition (FSRS):
    answer (typed, or aloud), compare with the key points, rate 1-4 (again, hard, good,
    easy). Ratings from rehearsals update the same cards."""
    from viva.catalog.loader import load_catalog
    from viva.drill.cards import check_category
    from viva.drill.dates import parse_until
    from viva.drill.session import DrillSession, choose_defense_date
    from viva.drill.stats import stats_tracks
    from viva.errors import UsageProblem
    from viva.store.database import open_store, utc_now

    now = utc_now()
    day = parse_until(until, now.date()) if until is not None else None
    wanted = check_category(category)
    catalog = load_catalog()
    store = open_store()
    if track:
        tracks = [catalog.resolve(track)]
    else:
        tracks = [catalog.tracks[t] for t in stats_tracks(store, catalog)]
        if not tracks:
            raise UsageProblem(
                "no drill or rehearsal history yet: name a track, e.g. `viva drill go/raft-kv` "
                "(`viva tracks` lists them)"
            )
    defense = choose_defense_date(store, [t.id for t in tracks], day, now)
    session = DrillSession(
        store,
        tracks,
        category=wanted,
        defense_date=defense,
        include_all=all_cards,
        limit=limit,
    )
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        from viva.tui.screens.drill import run_drill_tui

        run_drill_tui(session)
        return
    from viva.drill.plain import run_drill_plain

    run_drill_plain(session, sys.stdin.readline, sys.stdout)
