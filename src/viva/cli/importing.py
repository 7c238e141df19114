"""``viva import json``: bring drill state back from a viva JSON export.

(The module is not called ``import``: that is a Python keyword.)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import_app = typer.Typer(
    help="Restore drill state from a viva JSON export.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@import_app.command("json")
def import_json(
    file: Annotated[
        Path,
        typer.Argument(
            help="A file `viva export json` wrote (format viva-export/1).", show_default=False
        ),
    ],
) -> None:
    """Restore drill state from a viva JSON export.

    Each card's FSRS state, its review and lapse counts and last rating, and the
    review log come back for the questions this catalog has. The file is checked
    first: a file that is not valid JSON or not a viva-export/1 export is named
    with the JSON path of the problem, and nothing changes. Everything is restored
    in one transaction. A card the store has reviewed more recently than the
    export keeps its own state; reviews already in the log are not added twice,
    so importing the same file again changes nothing.

    Examples:

    \b
      viva import json viva-export.json
      viva import json ~/backups/viva-2026-03.json
    """
    from viva.services.importing import import_json as restore

    done = restore(file)
    parts = [
        f"restored {_plural(done.states, 'card state')}",
        f"{_plural(done.reviews, 'review')} from {file}",
    ]
    sys.stderr.write(" and ".join(parts) + "\n")
    if done.kept:
        sys.stderr.write(
            f"kept {_plural(done.kept, 'card state')} the store has reviewed more recently\n"
        )
    if done.unchanged:
        sys.stderr.write(
            f"{_plural(done.unchanged, 'card state')} already as in the file: not changed\n"
        )
    if done.duplicates:
        sys.stderr.write(f"{_plural(done.duplicates, 'review')} already in the log: not added\n")
    if done.skipped_states or done.skipped_reviews:
        sys.stderr.write(
            f"skipped {_plural(done.skipped_states, 'card state')} and "
            f"{_plural(done.skipped_reviews, 'review')} of questions this catalog does not have\n"
        )
