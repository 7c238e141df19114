"""``viva import json`` as a function: an export's drill state back into the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["JsonImport", "import_json"]


@dataclass(frozen=True)
class JsonImport:
    """What a restore did, for the status line."""

    states: int
    """Card states written."""
    kept: int
    """Card states left as they were: the store's own state is more recent."""
    unchanged: int
    """Card states the store already held as the file has them."""
    reviews: int
    """Review log entries added."""
    duplicates: int
    """Review log entries the store already had."""
    skipped_states: int
    """Card states of questions this catalog does not have (not restored)."""
    skipped_reviews: int
    """Review log entries of such questions (not restored)."""


def import_json(path: Path) -> JsonImport:
    """Check ``path`` as a ``viva-export/1`` file, then restore, in one transaction,
    the card states and the review log of the questions the catalog has (any
    track, whatever scopes were chosen)."""
    from viva.catalog.loader import load_catalog
    from viva.drill.state import restore_drill
    from viva.export.document import card_states, read_export, review_rows
    from viva.store.database import open_store

    doc = read_export(path, str(path))
    catalog = load_catalog()
    known = {f"{t.id}/{q.id}" for t in catalog.tracks.values() for q in t.questions}
    states, skipped = card_states(doc, known)
    reviews, skipped_reviews = review_rows(doc, known)
    with open_store() as store:
        done = restore_drill(store, states, reviews)
    return JsonImport(
        states=done.states,
        kept=done.kept,
        unchanged=done.unchanged,
        reviews=done.reviews,
        duplicates=done.duplicates,
        skipped_states=len(skipped),
        skipped_reviews=skipped_reviews,
    )
