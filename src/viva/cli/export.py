"""``viva export anki|markdown|json``: carry the questions to other tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from viva.cli.completion import complete_track
from viva.cli.options import CATEGORY_OPT, OUTPUT_RULE

TRACKS_ARG = typer.Argument(
    help="Track ids or unique prefixes/suffixes (default: every track).",
    show_default=False,
    autocompletion=complete_track,
)

export_app = typer.Typer(
    help="Export questions: an Anki deck, Markdown for reading and printing, or JSON.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


ALL_QUESTIONS_OPT = typer.Option(
    "--all-questions",
    help="Every question of the tracks, not only the drill cards (failure scenarios, "
    "must questions, and questions rated again or hard).",
)
OUTPUT_OPT = typer.Option(
    "-o",
    "--output",
    help="File to write (default, or `-`: stdout)." + OUTPUT_RULE,
    show_default=False,
)


def _write_text(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from viva.errors import VivaError
    from viva.files import write_text

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VivaError(f"cannot write {output}: {exc.strerror or exc}") from exc
    write_text(output, text)
    sys.stderr.write(f"wrote {output}\n")


@export_app.command("anki")
def export_anki(
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="The .apkg file to write." + OUTPUT_RULE, show_default=False
        ),
    ],
    tracks: Annotated[list[str] | None, TRACKS_ARG] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    all_questions: Annotated[bool, ALL_QUESTIONS_OPT] = False,
    with_scheduling: Annotated[
        bool,
        typer.Option(
            "--with-scheduling",
            help="Start the drilled cards where viva's drill has them (due date, interval, "
            "reviews, lapses, FSRS stability and difficulty) instead of new. Anki keeps it "
            'when importing with scheduling ("Import any learning progress"), and only '
            "for cards it does not have yet.",
        ),
    ] = False,
) -> None:
    """Write an Anki deck (one subdeck per track). Note ids derive from the stable
    question ids, so importing a newer export updates notes instead of duplicating them.
    Tags are under viva:: (the track, viva::category::<id>, viva::kind::<kind>).

    Examples:

    \b
      viva export anki -o raft.apkg go/raft-kv
      viva export anki -o all.apkg --with-scheduling
    """
    from viva.errors import UsageProblem
    from viva.services.export import anki, select

    if str(output) == "-":
        raise UsageProblem("an Anki deck is a file: give -o a path ending in .apkg")
    done = anki(output, select(tracks, category, all_questions), with_scheduling)
    sys.stderr.write(
        f"wrote {done.notes} note{'s' if done.notes != 1 else ''} in {done.decks} "
        f"deck{'s' if done.decks != 1 else ''} to {done.path}\n"
    )


@export_app.command("markdown")
def export_markdown(
    tracks: Annotated[list[str] | None, TRACKS_ARG] = None,
    output: Annotated[Path | None, OUTPUT_OPT] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    all_questions: Annotated[bool, ALL_QUESTIONS_OPT] = False,
) -> None:
    """Write the questions with key points and follow-ups as Markdown, for reading and
    printing. Backticked names stay inline code; only what Markdown would read as
    markup is escaped.

    Examples:

    \b
      viva export markdown go/raft-kv -o raft.md
      viva export markdown --all-questions matching-engine | less
      viva export markdown --category security -o security.md
    """
    from viva.services.export import markdown, select

    _write_text(markdown(select(tracks, category, all_questions)), output)


@export_app.command("json")
def export_json(
    tracks: Annotated[list[str] | None, TRACKS_ARG] = None,
    output: Annotated[Path | None, OUTPUT_OPT] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    all_questions: Annotated[bool, ALL_QUESTIONS_OPT] = False,
) -> None:
    """Write the questions with their drill state and review log as JSON (format
    viva-export/1; `viva bank schema export` prints its JSON Schema, and `viva
    import json FILE` restores the drill state from it).

    Examples:

    \b
      viva export json -o viva-drill.json
      viva export json go/raft-kv | jq '.tracks[0].questions[].drill'
    """
    from viva.services.export import json_text, select

    _write_text(json_text(select(tracks, category, all_questions)), output)
