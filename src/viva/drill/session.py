"""One drill run: the selected cards, the queue, the clock and the store.

Screens (Textual, plain lines) only call ``next_card``, ``rate`` and
``summary``; ``rate`` returns after the rating is committed. The clock is
injected (a UTC wall clock and monotonic seconds), so tests drive time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fsrs import Scheduler

from viva.catalog.loader import Track
from viva.clock import Clock, local_day
from viva.drill.cards import DrillCard, select_cards, split_id
from viva.drill.dates import defense_moment
from viva.drill.queue import DrillQueue
from viva.drill.scheduler import RATING_NAMES, CardState, make_scheduler
from viva.drill.state import defense_dates, load_states, rate_card, set_defense_date
from viva.drill.voice import SpokenAnswer
from viva.store.database import Store

__all__ = ["DrillSession", "DrillSummary", "choose_defense_date"]


@dataclass(frozen=True)
class DrillSummary:
    tracks: tuple[str, ...]
    rated: int
    ratings: dict[int, int]
    due_left: int
    below_target: int | None
    defense_date: date | None


def choose_defense_date(
    store: Store, tracks: Sequence[str], until: date | None, now: datetime
) -> date | None:
    """``--until`` (remembered for the tracks), else the earliest remembered
    defense date of the tracks that is still ahead."""
    if until is not None:
        set_defense_date(store, tracks, until, now)
        return until
    known = defense_dates(store)
    ahead = [known[t] for t in tracks if t in known and known[t] >= local_day(now)]
    return min(ahead) if ahead else None


class DrillSession:
    """The cards of some tracks, drilled in queue order and saved as they are rated."""

    def __init__(
        self,
        store: Store,
        tracks: Sequence[Track],
        *,
        category: str | None = None,
        defense_date: date | None = None,
        include_all: bool = False,
        limit: int | None = None,
        scheduler: Scheduler | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.tracks = tuple(t.id for t in tracks)
        self.category = category
        self.defense_date = defense_date
        self.limit = limit
        self.include_all = include_all
        self.scheduler = scheduler or make_scheduler()
        self.clock = clock or Clock()
        states = load_states(store, self.tracks)
        self.cards = select_cards(tracks, category, states)
        now = self.clock.wall()
        self.target = defense_moment(defense_date, now) if defense_date else None
        self.queue = DrillQueue(
            self.scheduler, self.cards, states, now, self.target, include_all=include_all
        )
        known = {(t.id, q.id) for t in tracks for q in t.questions}
        known |= {(t.id, qid) for t in tracks for qid in t.hidden}
        self.retired = sorted(i for i in states if split_id(i) not in known)
        self.new_cards = sum(1 for c in self.cards if c.id not in states)
        self.rated = 0
        self.ratings: dict[int, int] = {}
        self.current: DrillCard | None = None
        self._shown_at: float | None = None

    @property
    def limit_reached(self) -> bool:
        return self.limit is not None and self.rated >= self.limit

    def due_now(self) -> int:
        """Cards ready to drill now (every card with ``--all``)."""
        return self.queue.due_count(self.clock.wall())

    def scheduled_due(self) -> int:
        """Cards the schedule says are due now, whether or not ``--all`` is given."""
        return self.queue.scheduled_due(self.clock.wall())

    def planned(self) -> int:
        """How many more cards this run will show after the current one, as far as
        is known now."""
        left = self.due_now()
        if self.limit is not None:
            left = min(left, self.limit - self.rated - (self.current is not None))
        return max(0, left)

    def next_card(self) -> DrillCard | None:
        """The next card to show, or ``None`` when the queue or the limit has run out."""
        if self.limit_reached:
            return None
        card = self.queue.pop(self.clock.wall())
        self.current = card
        self._shown_at = self.clock.mono() if card else None
        return card

    def state(self, card: DrillCard) -> CardState:
        return self.queue.states[card.id]

    def rate(
        self, card: DrillCard, rating: int, answer: str = "", spoken: SpokenAnswer | None = None
    ) -> CardState:
        """Rate the card (1 again .. 4 easy); committed to the store when this returns.
        A ``spoken`` answer's review keeps its recording and figures, and its
        transcript as the answer when nothing was typed."""
        if rating not in RATING_NAMES:
            raise ValueError(f"rating must be 1-4, not {rating!r}")
        duration = None
        if self._shown_at is not None:
            duration = max(0, round((self.clock.mono() - self._shown_at) * 1000))
        text = spoken.answer(answer) if spoken else answer
        state = rate_card(
            self.store,
            self.scheduler,
            card.id,
            card.track,
            rating,
            self.clock.wall(),
            answer=text or None,
            duration_ms=duration,
            audio=spoken.file if spoken else None,
            speech=spoken.figures if spoken else None,
        )
        self.queue.rated(card, state)
        self.rated += 1
        self.ratings[rating] = self.ratings.get(rating, 0) + 1
        self.current = None
        self._shown_at = None
        return state

    def below_target(self) -> int | None:
        """Cards predicted below 90 % recall on the defense date (``None`` without one)."""
        return self.queue.below_target(self.target) if self.target else None

    def summary(self) -> DrillSummary:
        return DrillSummary(
            tracks=self.tracks,
            rated=self.rated,
            ratings=dict(sorted(self.ratings.items())),
            due_left=self.due_now(),
            below_target=self.below_target(),
            defense_date=self.defense_date,
        )
