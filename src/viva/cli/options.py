"""Options shared by several commands."""

from __future__ import annotations

import typer

from viva.cli.completion import (
    complete_category,
    complete_scope,
    complete_session,
    complete_track,
)
from viva.rehearsal import SEED_LIMIT


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


def _seed(value: int | None) -> int | None:
    if value is not None and not 0 <= value < SEED_LIMIT:
        raise typer.BadParameter(f"a seed is a whole number from 0 to {SEED_LIMIT - 1}")
    return value


SEED_OPT = typer.Option(
    "--seed",
    callback=_seed,
    help="Seed of the question draw: with the same track, --minutes and --scope it always "
    "gives the same agenda, whatever your history (default: a fresh seed, and a draw "
    "weighted by your rehearsal history).",
    show_default=False,
)
TRACK_ARG = typer.Argument(
    help="Track id, or a unique prefix or suffix of one (default: every track with history).",
    show_default=False,
    autocompletion=complete_track,
)
TRACK_NAME_ARG = typer.Argument(
    help="Track id, or a unique prefix or suffix of one.",
    show_default=False,
    autocompletion=complete_track,
)
SESSION_ARG = typer.Argument(
    help="Session id or unique prefix (see `viva sessions`).",
    show_default=False,
    autocompletion=complete_session,
)
LATEST_SESSION_ARG = typer.Argument(
    help="Session id or unique prefix (default: the latest).",
    show_default=False,
    autocompletion=complete_session,
)
CATEGORY_OPT = typer.Option(
    "--category",
    help="Questions of this review category (any kind) instead of the drill cards: "
    "architecture, performance, correctness, failure-modes, security, operations, cost, "
    "decisions.",
    show_default=False,
    autocompletion=complete_category,
)
UNTIL_OPT = typer.Option(
    "--until",
    metavar="YYYY-MM-DD",
    help="The defense date: cards are ordered by predicted recall on that day, weakest "
    "first, and the figures say how many are still below 90 %. Remembered per track.",
    show_default=False,
)
SCOPE_OPT = typer.Option(
    "--scope",
    metavar="ID",
    help="A scope or stretch item you built (repeatable; `--scope none` for none). "
    "Questions about scopes you did not build are never drawn. Remembered per track; "
    "`viva show TRACK` lists the track's scopes.",
    show_default=False,
    autocompletion=complete_scope,
)

OUTPUT_RULE = (
    " An existing file is replaced whole (written beside it, then renamed); a symbolic "
    "link is written through; a device, FIFO or folder is refused."
)
"""How every ``-o`` treats what is already there (viva.files.atomic_path)."""


def name_check(value: str | None) -> str | None:
    """A person's name as given on the command line: no control or bidi characters,
    not blank; surrounding spaces dropped."""
    if value is None:
        return None
    from viva.text import describe, name_characters

    bad = name_characters(value)
    if bad:
        raise typer.BadParameter(
            f"a name may not hold control, format or bidi characters ({describe(bad)})"
        )
    if not value.strip():
        raise typer.BadParameter("a name is not empty")
    return value.strip()


CANDIDATE_OPT = typer.Option(
    "--candidate",
    callback=name_check,
    help="Candidate's name, shown on reports and packets.",
    show_default=False,
)
