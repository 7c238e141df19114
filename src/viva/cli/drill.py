"""``viva drill``, ``viva stats`` and ``viva export anki|markdown|json``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from viva.catalog import Catalog, Track
    from viva.drill.cards import DrillCard
    from viva.store import Store

TRACK_ARG = typer.Argument(
    help="Track id, or a unique prefix or suffix of one (default: every track with history).",
    show_default=False,
)
TRACKS_ARG = typer.Argument(
    help="Track ids or unique prefixes/suffixes (default: every track).", show_default=False
)
CATEGORY_OPT = typer.Option(
    "--category",
    help="Questions of this review category (any kind) instead of the failure scenarios: "
    "architecture, performance, correctness, failure-modes, security, operations, cost, "
    "decisions.",
    show_default=False,
)
UNTIL_OPT = typer.Option(
    "--until",
    metavar="YYYY-MM-DD",
    help="The defense date: cards are ordered by predicted recall on that day, weakest "
    "first, and the figures say how many are still below 90 %. Remembered per track.",
    show_default=False,
)

export_app = typer.Typer(
    help="Export questions: an Anki deck, Markdown for reading and printing, or JSON.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.command("drill")(drill)
    app.command("stats")(stats)
    app.add_typer(export_app, name="export")


def _tracks(catalog: Catalog, names: list[str] | None) -> list[Track]:
    if not names:
        return list(catalog.tracks.values())
    picked: dict[str, Track] = {}
    for name in names:
        track = catalog.resolve(name)
        picked.setdefault(track.id, track)
    return list(picked.values())


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
    from viva.catalog import load_catalog
    from viva.drill.cards import check_category
    from viva.drill.dates import parse_until
    from viva.drill.session import DrillSession, choose_defense_date
    from viva.errors import UsageProblem
    from viva.stats import stats_tracks
    from viva.store import open_store, utc_now

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
        from viva.tui.drill_screen import run_drill_tui

        run_drill_tui(session)
        return
    from viva.drill.plain import run_drill_plain

    run_drill_plain(session, sys.stdin.readline, sys.stdout)


def stats(
    track: Annotated[str | None, TRACK_ARG] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    until: Annotated[str | None, UNTIL_OPT] = None,
) -> None:
    """Rehearsals over time (time per section against budget, ratings per category) and
    drill figures: cards total, due now, due before the defense, reviewed, predicted
    recall on the defense date, and the weakest questions."""
    from viva.catalog import load_catalog
    from viva.cli.output import console, print_json
    from viva.drill.dates import parse_until
    from viva.stats import collect_stats, stats_tracks
    from viva.store import open_store, utc_now

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
    from viva.cli.stats_view import render_stats

    render_stats(data, console())


# --- export -----------------------------------------------------------------

ALL_QUESTIONS_OPT = typer.Option(
    "--all-questions", help="Every question of the tracks, not only the failure scenarios."
)


def _selection(
    names: list[str] | None, category: str | None, all_questions: bool
) -> tuple[list[Track], list[DrillCard]]:
    from viva.catalog import load_catalog
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
    from viva.store import open_store

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
    from viva.store import utc_now

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
    from viva.store import utc_now

    picked, cards = _selection(tracks, category, all_questions)
    data = build(_store(), picked, cards, utc_now())
    _write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output)
