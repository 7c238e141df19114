"""``viva tracks`` and ``viva show``: browse the capstone catalog."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from viva.cli.options import TRACK_NAME_ARG

JSON_OPT = typer.Option("--json", help="Print JSON instead of a table.")


def register(app: typer.Typer) -> None:
    app.command("tracks")(tracks)
    app.command("show")(show)


def tracks(json: Annotated[bool, JSON_OPT] = False) -> None:
    """List the capstone tracks: path, id, title, defense minutes, question count.

    Examples:

    \b
      viva tracks
      viva tracks --json
    """
    from viva.catalog.index import cached_index
    from viva.cli.output import console, print_json, stdout_is_terminal

    index = cached_index()
    if index is None:  # first run, or the data changed: validate and cache
        from viva.catalog.loader import load_catalog, track_index

        index = track_index(load_catalog())
    if json:
        print_json(index)
        return
    if not stdout_is_terminal():  # piped (FORCE_COLOR / TTY_COMPATIBLE make it a terminal)
        from viva.cli.output import print_rows

        print_rows(
            ("TRACK", "MIN", "QUESTIONS", "TITLE"),
            [
                (t["id"], str(t["defense_minutes"]), str(t["question_count"]), t["title"])
                for t in index
            ],
        )
        return
    out = console()
    out.print(_tracks_table(index, out.width))


def _tracks_table(index: list[dict[str, Any]], width: int) -> Any:
    """The boxed table; below 80 columns the path and track share one id column,
    and below 72 the question count goes, so the title never renders at zero width."""
    from rich.table import Table

    narrow = width < 80
    table = Table(
        title="Capstone tracks",
        title_justify="left",
        caption="A track's id is path/track; commands accept any unique prefix or suffix.",
        caption_justify="left",
    )
    if narrow:
        table.add_column("track", style="bold", no_wrap=True)
    else:
        table.add_column("path", no_wrap=True)
        table.add_column("track", style="bold", no_wrap=True)
    table.add_column("title", overflow="fold", min_width=12)
    table.add_column("min", justify="right", no_wrap=True)
    counts = width >= 72
    if counts:
        table.add_column("questions", justify="right", no_wrap=True)
    for i, t in enumerate(index):
        first = i == 0 or index[i - 1]["path"] != t["path"]
        last = i == len(index) - 1 or index[i + 1]["path"] != t["path"]
        ids = [t["id"]] if narrow else [t["path"] if first else "", t["id"].split("/", 1)[1]]
        numbers = [str(t["defense_minutes"])] + ([str(t["question_count"])] if counts else [])
        table.add_row(*ids, t["title"], *numbers, end_section=last)
    return table


def show(
    track: Annotated[str, TRACK_NAME_ARG],
) -> None:
    """Print a track's brief: outcome, specs, numeric targets, acceptance and defense format.

    Examples:

    \b
      viva show go/raft-kv
      viva show java/raft-kv | less
    """
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console
    from viva.cli.views.brief import render_brief

    catalog = load_catalog()
    render_brief(catalog, catalog.resolve(track), console())
