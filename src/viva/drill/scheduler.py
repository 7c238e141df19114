"""The thin wrapper around ``fsrs``: card state, a review, predicted recall.

No scheduling arithmetic lives here; ``fsrs.Scheduler`` does all of it. The
functions are pure: they take the time as an argument (a timezone-aware UTC
datetime) and return new values. Fuzzing (a small random spread of review
intervals) is on for real use and off in tests, either by passing
``fuzzing=False`` or with ``VIVA_FSRS_FUZZ=0`` in the environment.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

from viva.rehearsal.engine import RATING_NAMES

__all__ = [
    "RATING_NAMES",
    "TARGET_RECALL",
    "CardState",
    "check_utc",
    "make_scheduler",
    "new_card_state",
    "recall",
    "review",
]

TARGET_RECALL = 0.9


def check_utc(when: datetime) -> datetime:
    """Every time handed to fsrs must be timezone-aware; normalise it to UTC."""
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when.isoformat()}: drill times must be timezone-aware")
    return when.astimezone(UTC)


def make_scheduler(fuzzing: bool | None = None) -> Scheduler:
    """The scheduler with FSRS's default parameters and 90 % desired retention."""
    if fuzzing is None:
        fuzzing = os.environ.get("VIVA_FSRS_FUZZ", "1").strip().lower() not in ("0", "false", "no")
    return Scheduler(desired_retention=TARGET_RECALL, enable_fuzzing=fuzzing)


@dataclass(frozen=True)
class CardState:
    """One card's scheduling state and tallies, keyed by the full question id."""

    id: str
    track: str
    card: Card
    created_at: datetime
    reviews: int = 0
    lapses: int = 0
    last_rating: int | None = None

    @property
    def due(self) -> datetime:
        return self.card.due

    @property
    def is_new(self) -> bool:
        return self.reviews == 0

    @property
    def stage(self) -> str:
        """``new``, ``learning``, ``review`` or ``relearning``."""
        return "new" if self.is_new else self.card.state.name.lower()


def fsrs_card_id(full_id: str) -> int:
    # fsrs wants an int id (and sleeps 1 ms to invent one when it has none).
    return zlib.crc32(full_id.encode("utf-8"))


def new_card_state(full_id: str, track: str, now: datetime) -> CardState:
    """A card never reviewed: due at once."""
    now = check_utc(now)
    return CardState(full_id, track, Card(card_id=fsrs_card_id(full_id), due=now), created_at=now)


def review(scheduler: Scheduler, state: CardState, rating: int, when: datetime) -> CardState:
    """The state after rating the card ``rating`` (1 again .. 4 easy) at ``when``."""
    if rating not in RATING_NAMES:
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    when = check_utc(when)
    lapsed = rating == 1 and state.card.state == State.Review
    card, _log = scheduler.review_card(state.card, Rating(rating), review_datetime=when)
    return replace(
        state,
        card=card,
        reviews=state.reviews + 1,
        lapses=state.lapses + int(lapsed),
        last_rating=rating,
    )


def recall(scheduler: Scheduler, state: CardState, at: datetime) -> float:
    """Predicted probability of recalling the card at ``at`` (0 for a new card)."""
    return float(scheduler.get_card_retrievability(state.card, current_datetime=at))
