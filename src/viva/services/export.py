"""``viva export anki|markdown|json`` as functions: pick the cards, build the export."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from viva.catalog.loader import Track, load_catalog
from viva.clock import utc_now
from viva.drill.cards import DrillCard, select_cards
from viva.errors import UsageProblem
from viva.store.database import open_store

if TYPE_CHECKING:
    from viva.drill.scheduler import CardState  # fsrs: only when scheduling is exported

__all__ = ["AnkiExport", "Selection", "anki", "json_text", "markdown", "select"]


@dataclass(frozen=True)
class Selection:
    """What an export carries: the named tracks (all by default) and their cards."""

    tracks: list[Track]
    cards: list[DrillCard]


def select(
    names: Sequence[str] | None, category: str | None = None, all_questions: bool = False
) -> Selection:
    """The drill cards of the tracks (as `viva drill --all` has them), one
    category's questions, or all of them."""
    if category and all_questions:
        raise UsageProblem("--category and --all-questions do not go together")
    catalog = load_catalog()
    picked: dict[str, Track] = {}
    for name in names or catalog.tracks:
        track = catalog.resolve(name)
        picked.setdefault(track.id, track)
    tracks = list(picked.values())
    if not all_questions:
        from viva.services.scopes import remembered_scopes

        tracks = [t.scoped(remembered_scopes(t)) for t in tracks]
    if all_questions:
        cards = [DrillCard(t.id, q) for t in tracks for q in t.questions]
    else:
        cards = select_cards(tracks, category, _with_history([t.id for t in tracks]))
    return Selection(tracks, cards)


def _with_history(track_ids: Sequence[str]) -> set[str]:
    """The card ids with drill state, so an export holds the cards `viva drill --all`
    does (read without creating a store that is not there)."""
    from viva.drill.state import load_states
    from viva.store.database import default_store_path, open_store

    if not default_store_path().exists():
        return set()
    with open_store() as store:
        return set(load_states(store, track_ids))


@dataclass(frozen=True)
class AnkiExport:
    path: Path
    notes: int
    decks: int


def anki(output: Path, selection: Selection, with_scheduling: bool = False) -> AnkiExport:
    """Write the Anki package (one subdeck per track), atomically; with
    ``with_scheduling`` the drilled cards start where viva's drill has them."""
    from viva.export.anki import write_apkg  # genanki: only for this export

    if output.suffix.lower() != ".apkg":
        raise UsageProblem(f"-o {output}: an Anki package needs the .apkg suffix")
    states = _drill_states([t.id for t in selection.tracks]) if with_scheduling else None
    notes = write_apkg(output, selection.tracks, selection.cards, utc_now(), states)
    return AnkiExport(output, notes, len({c.track for c in selection.cards}))


def _drill_states(track_ids: Sequence[str]) -> dict[str, CardState]:
    """The tracks' drill states by card id, read without creating a store that
    is not there (no store: nothing drilled, every card new)."""
    from viva.drill.state import load_states
    from viva.store.database import default_store_path

    if not default_store_path().exists():
        return {}
    with open_store() as store:
        return load_states(store, track_ids)


def markdown(selection: Selection) -> str:
    """The questions with key points and follow-ups, as one Markdown document."""
    from viva.export.markdown import render_markdown

    return render_markdown(selection.tracks, selection.cards)


def json_text(selection: Selection) -> str:
    """The questions with their drill state and review log, as JSON text."""
    from viva.export.jsonfile import export_json

    with open_store() as store:
        data = export_json(store, selection.tracks, selection.cards, utc_now())
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
