"""``viva export anki|markdown|json``: carry the questions to other tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from viva.cli.options import CATEGORY_OPT

if TYPE_CHECKING:
    from viva.catalog.loader import Catalog, Track
    from viva.drill.cards import DrillCard
    from viva.store.database import Store

TRACKS_ARG = typer.Argument(
    help="Track ids or unique prefixes/suffixes (default: every track).", show_default=False
)

export_app = typer.Typer(
    help="Export questions: an Anki deck, Markdown for reading and printing, or JSON.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


def _tracks(catalog: Catalog, names: list[str] | None) -> list[Track]:
    if not names:
        return list(catalog.tracks.values())
    picked: dict[str, Track] = {}
    for name in names:
        track = catalog.resolve(name)
        picked.setdefault(track.id, track)
    return list(picked.values())


ALL_QUESTIONS_OPT = typer.Option(
    "--all-questions", help="Every question of the tracks, not only the failure scenarios."
)


def _selection(
    names: list[str] | None, category: str | None, all_questions: bool
) -> tuple[list[Track], list[DrillCard]]:
    from viva.catalog.loader import load_catalog
    from viva.drill.cards import DrillCard, select_cards
    from viva.errors import UsageProblem

    if category and all_questions:
        raise UsageProblem("--category and --all-questions do not go together")
    tracks = _tracks(load_catalog(), names)
    if all_questions:
        cards = [DrillCard(t.id, q) for t in tracks for q in t.questions]
    else:
        cards = select_cards(tracks, category)
    return tracks, cards


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from viva.errors import VivaError

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise VivaError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    sys.stderr.write(f"wrote {output}\n")


def _store() -> Store:
    from viva.store.database import open_store

    return open_store()


@export_app.command("anki")
def export_anki(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="The .apkg file to write.", show_default=False)
    ],
    tracks: Annotated[list[str] | None, TRACKS_ARG] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    all_questions: Annotated[bool, ALL_QUESTIONS_OPT] = False,
) -> None:
    """Write an Anki deck (one subdeck per track). Note ids derive from the stable
    question ids, so importing a newer export updates notes instead of duplicating them."""
    from viva.errors import UsageProblem, VivaError
    from viva.export.anki import write_apkg
    from viva.store.database import utc_now

    if output.suffix.lower() != ".apkg":
        raise UsageProblem(f"-o {output}: an Anki package needs the .apkg suffix")
    picked, cards = _selection(tracks, category, all_questions)
    try:
        notes = write_apkg(output, picked, cards, utc_now())
    except OSError as exc:
        raise VivaError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    decks = len({c.track for c in cards})
    sys.stdout.write(
        f"wrote {notes} note{'s' if notes != 1 else ''} in {decks} "
        f"deck{'s' if decks != 1 else ''} to {output}\n"
    )


OUTPUT_OPT = typer.Option(
    "-o", "--output", help="File to write (default: stdout).", show_default=False
)


@export_app.command("markdown")
def export_markdown(
    tracks: Annotated[list[str] | None, TRACKS_ARG] = None,
    output: Annotated[Path | None, OUTPUT_OPT] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    all_questions: Annotated[bool, ALL_QUESTIONS_OPT] = False,
) -> None:
    """Write the questions with key points and follow-ups as Markdown, for reading and
    printing."""
    from viva.export.markdown import render_markdown

    picked, cards = _selection(tracks, category, all_questions)
    _write_text(render_markdown(picked, cards), output)


@export_app.command("json")
def export_json(
    tracks: Annotated[list[str] | None, TRACKS_ARG] = None,
    output: Annotated[Path | None, OUTPUT_OPT] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    all_questions: Annotated[bool, ALL_QUESTIONS_OPT] = False,
) -> None:
    """Write the questions with their drill state and review log as JSON."""
    import json

    from viva.export.jsonfile import export_json as build
    from viva.store.database import utc_now

    picked, cards = _selection(tracks, category, all_questions)
    data = build(_store(), picked, cards, utc_now())
    _write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
