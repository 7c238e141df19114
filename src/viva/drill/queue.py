"""What to drill next: due cards, weakest predicted recall first.

The queue orders cards by their predicted recall at the *target* time (the
defense date with ``--until``, otherwise the start of the session), then by
due time, then by bank order. New cards have no recall yet (0) and are due
at once. Keys are computed once per card when it enters the ready heap, so
picking the next card is a heap pop, not a scan; a card that was rated goes
to a waiting heap ordered by its new due time and comes back if it falls due
again during the session (FSRS's short learning steps).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from fsrs import Scheduler

from viva.drill.cards import DrillCard
from viva.drill.scheduler import TARGET_RECALL, CardState, check_utc, new_card_state, recall

__all__ = ["DrillQueue"]

_Key = tuple[float, datetime, int]


class DrillQueue:
    """The session's cards and their states; ``pop`` gives the next card to show."""

    def __init__(
        self,
        scheduler: Scheduler,
        cards: Iterable[DrillCard],
        states: dict[str, CardState],
        now: datetime,
        target: datetime | None = None,
        include_all: bool = False,
    ) -> None:
        self.scheduler = scheduler
        self.now = check_utc(now)
        self.target = check_utc(target) if target else self.now
        self.cards = list(cards)
        self._index = {c.id: i for i, c in enumerate(self.cards)}
        self.states = {
            c.id: states.get(c.id) or new_card_state(c.id, c.track, self.now) for c in self.cards
        }
        self._ready: list[tuple[_Key, int]] = []
        self._waiting: list[tuple[datetime, int]] = []
        for i, card in enumerate(self.cards):
            state = self.states[card.id]
            if include_all or state.due <= self.now:
                self._ready.append((self._key(i, state), i))
            else:
                self._waiting.append((state.due, i))
        heapq.heapify(self._ready)
        heapq.heapify(self._waiting)

    def _key(self, index: int, state: CardState) -> _Key:
        return (recall(self.scheduler, state, self.target), state.due, index)

    def _release(self, now: datetime) -> None:
        while self._waiting and self._waiting[0][0] <= now:
            _, i = heapq.heappop(self._waiting)
            heapq.heappush(self._ready, (self._key(i, self.states[self.cards[i].id]), i))

    def scheduled_due(self, now: datetime) -> int:
        """Cards the schedule says are due at ``now`` (with ``--all`` fewer than ready)."""
        now = check_utc(now)
        return sum(1 for s in self.states.values() if s.due <= now)

    def due_count(self, now: datetime) -> int:
        """Cards ready to be drilled at ``now``."""
        self._release(check_utc(now))
        return len(self._ready)

    def peek(self, now: datetime) -> DrillCard | None:
        self._release(check_utc(now))
        return self.cards[self._ready[0][1]] if self._ready else None

    def pop(self, now: datetime) -> DrillCard | None:
        """The next card to show, taken out of the queue until it is rated."""
        self._release(check_utc(now))
        if not self._ready:
            return None
        return self.cards[heapq.heappop(self._ready)[1]]

    def rated(self, card: DrillCard, state: CardState) -> None:
        """Record a card's new state; it waits until it is due again."""
        self.states[card.id] = state
        heapq.heappush(self._waiting, (state.due, self._index[card.id]))

    def recall_at(self, card: DrillCard, at: datetime | None = None) -> float:
        return recall(self.scheduler, self.states[card.id], at or self.target)

    def below_target(self, at: datetime | None = None) -> int:
        """How many of the session's cards are predicted below 90 % recall at ``at``."""
        when = at or self.target
        return sum(
            1 for s in self.states.values() if recall(self.scheduler, s, when) < TARGET_RECALL
        )
