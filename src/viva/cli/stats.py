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
    """Rehearsals over time (time per section against budget, ratings per category) and
    drill figures: cards total, due now, due before the defense, reviewed, predicted
    recall on the defense date, and the weakest questions."""
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console, print_json
    from viva.drill.dates import parse_until
    from viva.drill.stats import collect_stats, stats_tracks
    from viva.store.database import open_store, utc_now

    now = utc_now()
    day = parse_until(until, now.date()) if until is not None else None
    catalog = load_catalog()
    store = open_store()
    if track:
        tracks = [catalog.resolve(track)]
    else:
        tracks = [catalog.tracks[t] for t in stats_tracks(store, catalog)]
    data = collect_stats(store, tracks, now, day)
    if json:
        print_json(data)
        return
    from viva.cli.views.stats import render_stats

    render_stats(data, console())
