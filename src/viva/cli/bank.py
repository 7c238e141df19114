"""``viva bank``: lint, show and count question banks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from viva.cli.options import TRACK_NAME_ARG

app = typer.Typer(
    help="Validate, show and count question banks.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="bank")


@app.command("lint")
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Bank or catalog files, or folders to search for .yaml files."),
    ],
) -> None:
    """Validate bank and catalog files; print every problem as file:line: field: message."""
    import sys

    from viva.errors import report_lines
    from viva.services.bank import lint as lint_files

    result = lint_files(paths)
    for line in report_lines(result.errors):
        sys.stdout.write(f"{line}\n")
    if result.errors:
        n = len(result.errors)
        sys.stderr.write(f"{n} problem{'s' if n != 1 else ''} in {result.files} files\n")
        raise typer.Exit(1)
    sys.stdout.write(f"ok: {result.files} files, {result.questions} questions\n")


@app.command("show")
def show(
    track: Annotated[str, TRACK_NAME_ARG],
    json: Annotated[bool, typer.Option("--json", help="Print the questions as JSON.")] = False,
) -> None:
    """Print a track's questions as loaded (key points, follow-ups, minutes, source)."""
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console, print_json
    from viva.cli.views.bank import render_bank

    t = load_catalog().resolve(track)
    if json:
        print_json([q.model_dump(mode="json") for q in t.questions])
        return
    render_bank(t, console())


@app.command("stats")
def stats(
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Count every track's questions per category and kind, key points, follow-ups and
    minutes available against a 60-minute session, and check the minimums."""
    from viva.catalog.bankstats import bank_stats
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console, print_json
    from viva.cli.views.bank import render_bank_stats

    all_stats = [bank_stats(t) for t in load_catalog().tracks.values()]
    if json:
        print_json([s.as_json() for s in all_stats])
        return
    render_bank_stats(all_stats, console())
