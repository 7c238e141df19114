"""How other stages feed the drill: a rehearsal rating updates the question's card.

Kept apart from ``viva.drill.state`` so that wiring the hook costs nothing:
``fsrs`` is imported only once a rating actually happens.
"""

from __future__ import annotations

from viva.rehearsal.session import RatedAnswer, RatingListener
from viva.store.database import Store

__all__ = ["rehearsal_ratings"]


def rehearsal_ratings(store: Store) -> RatingListener:
    """A listener for ``LiveSession(on_rate=...)`` that rates the drill card in ``store``."""

    def rated(answer: RatedAnswer) -> None:
        from viva.drill.state import record_rehearsal_rating

        record_rehearsal_rating(store, answer)

    return rated
