"""Options shared by several commands."""

from __future__ import annotations

import typer


def _defense_length(value: int | None) -> int | None:
    if value is not None and value not in (45, 60):
        raise typer.BadParameter(f"a defense lasts 45 or 60 minutes, not {value}")
    return value


MINUTES_OPT = typer.Option(
    "--minutes",
    callback=_defense_length,
    help="Defense length, 45 or 60 (default: the track's defense length).",
    show_default=False,
)
SEED_OPT = typer.Option(
    "--seed",
    help="Seed of the question draw; the same seed gives the same agenda "
    "(default: a fresh one, printed so the run can be repeated).",
    show_default=False,
)
