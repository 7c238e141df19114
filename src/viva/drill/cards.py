"""Which questions are drill cards.

A card is one bank question with its follow-up chain; its id is the full,
stable question id ``<track>/<slug>``. By default a track's cards are its
failure-scenario and must questions, and any question rated again or hard in
a rehearsal (it then has drill history); ``--category`` picks the questions
of one review category instead, whatever their kind.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from viva.errors import UsageProblem

if TYPE_CHECKING:
    # Only for annotations: the rehearsal's rating hook imports this module
    # and should not pay for the schema machinery.
    from viva.catalog.loader import Track
    from viva.catalog.models import Question

__all__ = [
    "DEFAULT_KIND",
    "DrillCard",
    "card_id",
    "check_category",
    "is_card",
    "is_default_card",
    "select_cards",
    "split_id",
]

DEFAULT_KIND = "failure-scenario"


@dataclass(frozen=True)
class DrillCard:
    """A question as a card: what the screen shows, and the id its state is kept under."""

    track: str
    question: Question
    id: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: the queue looks cards up by id many times.
        object.__setattr__(self, "id", card_id(self.track, self.question.id))

    @property
    def prompt(self) -> str:
        return self.question.prompt


def card_id(track: str, slug: str) -> str:
    return slug if "/" in slug and slug.startswith(f"{track}/") else f"{track}/{slug}"


def split_id(full_id: str) -> tuple[str, str]:
    """``go/raft-kv/partition-old-leader`` -> (``go/raft-kv``, ``partition-old-leader``)."""
    track, _, slug = full_id.rpartition("/")
    return track, slug


def check_category(category: str | None) -> str | None:
    if category is None:
        return None
    from viva.catalog.models import CATEGORY_IDS

    wanted = category.strip().lower()
    if wanted not in CATEGORY_IDS:
        raise UsageProblem(f"unknown category {category!r}; use one of: {', '.join(CATEGORY_IDS)}")
    return wanted


def is_default_card(kind: str, must: bool) -> bool:
    """A failure scenario or a must question is always a card."""
    return must or kind == DEFAULT_KIND


def is_card(question: Question, category: str | None = None, has_history: bool = False) -> bool:
    """The one rule of which questions are drilled: the failure scenarios, the must
    questions and any question with drill history (rated again or hard in a
    rehearsal, or drilled before); with ``--category`` that category's questions
    (``category`` as ``check_category`` gives it)."""
    if category:
        return question.category == category
    return has_history or is_default_card(question.kind, question.must)


def select_cards(
    tracks: Iterable[Track], category: str | None = None, history: Collection[str] = ()
) -> list[DrillCard]:
    """The cards of the tracks, in bank order; ``history`` holds the card ids
    with drill state (see :func:`is_card`)."""
    wanted = check_category(category)
    return [
        DrillCard(t.id, q)
        for t in tracks
        for q in t.questions
        if is_card(q, wanted, card_id(t.id, q.id) in history)
    ]
