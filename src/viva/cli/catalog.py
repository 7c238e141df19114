"""``viva tracks`` and ``viva show``: browse the capstone catalog."""

from __future__ import annotations

from typing import Annotated, Any

import typer

JSON_OPT = typer.Option("--json", help="Print JSON instead of a table.")


def register(app: typer.Typer) -> None:
    app.command("tracks")(tracks)
    app.command("show")(show)


def tracks(json: Annotated[bool, JSON_OPT] = False) -> None:
    """List the capstone tracks: path, id, title, defense minutes, question count."""
    from viva.catalog.index import cached_index
    from viva.cli.output import console, print_json

    index = cached_index()
    if index is None:  # first run, or the data changed: validate and cache
        from viva.catalog.loader import load_catalog, track_index

        index = track_index(load_catalog())
    if json:
        print_json(index)
        return
    import sys

    if not sys.stdout.isatty():
        _plain_table(index)
        return
    from rich.table import Table

    table = Table(
        title="Capstone tracks",
        title_justify="left",
        caption="A track's id is path/track; commands accept any unique prefix or suffix.",
        caption_justify="left",
    )
    table.add_column("path", no_wrap=True)
    table.add_column("track", style="bold", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("questions", justify="right", no_wrap=True)
    for i, t in enumerate(index):
        first = i == 0 or index[i - 1]["path"] != t["path"]
        last = i == len(index) - 1 or index[i + 1]["path"] != t["path"]
        table.add_row(
            t["path"] if first else "",
            t["id"].split("/", 1)[1],
            t["title"],
            str(t["defense_minutes"]),
            str(t["question_count"]),
            end_section=last,
        )
    console().print(table)


def _plain_table(index: list[dict[str, Any]]) -> None:
    """Aligned columns without colour or box drawing, for pipes and scripts."""
    import sys

    rows = [("TRACK", "MIN", "QUESTIONS", "TITLE")]
    rows += [
        (t["id"], str(t["defense_minutes"]), str(t["question_count"]), t["title"]) for t in index
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        sys.stdout.write(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}\n")


def show(
    track: Annotated[str, typer.Argument(help="Track id, or a unique prefix or suffix of one.")],
) -> None:
    """Print a track's brief: outcome, specs, numeric targets, acceptance and defense format."""
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console
    from viva.cli.views.brief import render_brief

    catalog = load_catalog()
    render_brief(catalog, catalog.resolve(track), console())
