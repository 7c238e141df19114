"""``viva stats``: rehearsals over time and drill figures, as one typed :class:`Stats`.

Rehearsal figures are derived from the recorded events (time per section
against budget, per-category ratings); drill figures from the cards' FSRS
state: totals, what is due now and before the defense date, what has been
reviewed, predicted recall on the defense date and the weakest questions.
A track's cards are :func:`viva.drill.cards.is_card`'s: its failure-scenario
and must questions plus every other bank question with drill history (rated
again or hard in a rehearsal, or drilled with ``--category``); cards of
questions removed from the bank are counted apart as ``retired``. Nothing
here prints; :meth:`Stats.to_json` is the document ``viva stats --json``
prints (DESIGN.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from statistics import fmean
from typing import Any

from viva.catalog.loader import Catalog, Track
from viva.clock import local_day
from viva.drill.cards import DrillCard, is_card, split_id
from viva.drill.dates import defense_moment
from viva.drill.scheduler import TARGET_RECALL, CardState, make_scheduler, new_card_state, recall
from viva.drill.state import defense_dates, load_states, review_log, tracks_with_cards
from viva.rehearsal.session import readable
from viva.speech.figures import SpeechFigures
from viva.store.database import Store

__all__ = [
    "WEAKEST",
    "CardFigures",
    "CategoryFigures",
    "DayReviews",
    "RehearsalFigures",
    "RetiredCard",
    "SectionFigures",
    "SpokenFigures",
    "Stats",
    "WeakCard",
    "collect_stats",
    "stats_tracks",
]

WEAKEST = 10


@dataclass(frozen=True)
class CategoryFigures:
    """How often a review category was rated, and its mean rating (1-4)."""

    rated: int
    mean_rating: float | None


@dataclass(frozen=True)
class SectionFigures:
    id: str
    title: str
    budget_seconds: int
    spent_seconds: float

    @property
    def over_budget(self) -> bool:
        return self.spent_seconds > self.budget_seconds


@dataclass(frozen=True)
class SpokenFigures:
    """How a rehearsal's transcribed answers were said, summed over the answers:
    rates are over the total audio length, so a long answer weighs more than a
    short one, as it does for a listener."""

    answers: int
    seconds: float
    speaking_seconds: float
    words: int
    fillers: int

    @property
    def words_per_minute(self) -> float:
        return self.words * 60.0 / self.seconds if self.seconds > 0 else 0.0

    @property
    def fillers_per_minute(self) -> float:
        return self.fillers * 60.0 / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "seconds": round(self.seconds, 3),
            "speaking_seconds": round(self.speaking_seconds, 3),
            "words_per_minute": round(self.words_per_minute, 1),
            "fillers_per_minute": round(self.fillers_per_minute, 2),
        }


def spoken_figures(speech: Sequence[SpeechFigures]) -> SpokenFigures | None:
    """The sum of a rehearsal's transcribed answers (``None`` when none was spoken)."""
    if not speech:
        return None
    return SpokenFigures(
        answers=len(speech),
        seconds=sum(s.seconds for s in speech),
        speaking_seconds=sum(s.speaking_seconds for s in speech),
        words=sum(s.words for s in speech),
        fillers=sum(s.filler_count for s in speech),
    )


@dataclass(frozen=True)
class RehearsalFigures:
    """One rehearsal: time against budget per section, ratings per category."""

    id: str
    track: str
    started_at: datetime
    status: str
    minutes: int
    budget_seconds: int
    active_seconds: float
    sections: tuple[SectionFigures, ...]
    categories: Mapping[str, CategoryFigures]
    speech: SpokenFigures | None = None
    """Words and fillers per minute of the transcribed answers (voiced sessions)."""

    @property
    def mean_rating(self) -> float | None:
        means = [c.mean_rating for c in self.categories.values() if c.mean_rating is not None]
        return sum(means) / len(means) if means else None

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "started_at": self.started_at.isoformat(),
            "speech": self.speech.to_json() if self.speech else None,
        }


@dataclass(frozen=True)
class CardFigures:
    """The drill cards of the tracks, counted."""

    total: int
    new: int
    due_now: int
    due_before_defense: int | None
    reviewed: int
    reviews: int
    retired: int
    predicted_recall: float | None
    below_target: int
    by_track: Mapping[str, int]


@dataclass(frozen=True)
class WeakCard:
    """A reviewed card among those with the lowest predicted recall."""

    id: str
    track: str
    category: str
    kind: str
    prompt: str
    recall: float
    due: datetime
    reviews: int
    lapses: int
    last_rating: int | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "due": self.due.isoformat()}


@dataclass(frozen=True)
class RetiredCard:
    """Drill history kept for a question no longer in the bank."""

    id: str
    track: str


@dataclass(frozen=True)
class DayReviews:
    date: date
    count: int
    mean_rating: float | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "date": self.date.isoformat()}


@dataclass(frozen=True)
class Stats:
    """Every figure of ``viva stats`` for some tracks, as of ``generated_at``."""

    tracks: tuple[str, ...]
    generated_at: datetime
    target_recall: float
    defense_dates: Mapping[str, date | None]
    cards: CardFigures
    weakest: tuple[WeakCard, ...]
    retired: tuple[RetiredCard, ...]
    reviews_by_day: tuple[DayReviews, ...]
    rehearsals: tuple[RehearsalFigures, ...]
    categories: Mapping[str, CategoryFigures]

    @property
    def dated(self) -> tuple[date, ...]:
        """The distinct defense dates known for these tracks, in order."""
        return tuple(sorted({d for d in self.defense_dates.values() if d is not None}))

    def to_json(self) -> dict[str, Any]:
        return {
            "tracks": list(self.tracks),
            "generated_at": self.generated_at.isoformat(),
            "target_recall": self.target_recall,
            "defense_dates": {
                t: d.isoformat() if d else None for t, d in self.defense_dates.items()
            },
            "cards": asdict(self.cards),
            "weakest": [w.to_json() for w in self.weakest],
            "retired": [asdict(r) for r in self.retired],
            "reviews_by_day": [d.to_json() for d in self.reviews_by_day],
            "rehearsals": [r.to_json() for r in self.rehearsals],
            "categories": {c: asdict(f) for c, f in self.categories.items()},
        }


def stats_tracks(store: Store, catalog: Catalog) -> list[str]:
    """The tracks with any history (rehearsals or drill cards), in catalog order."""
    used = set(tracks_with_cards(store)) | {r.track for r in store.sessions()}
    return [t for t in catalog.tracks if t in used]


def _mean(values: Sequence[float]) -> float | None:
    return round(fmean(values), 3) if values else None


def _figures(values: Sequence[int]) -> CategoryFigures:
    return CategoryFigures(len(values), _mean(values))


def _rehearsals(
    store: Store, track_ids: Sequence[str]
) -> tuple[tuple[RehearsalFigures, ...], dict[str, CategoryFigures]]:
    """Each rehearsal's figures, and the ratings per category over all of them."""
    out = []
    every: dict[str, list[int]] = defaultdict(list)
    for row in store.sessions():
        if row.track not in track_ids:
            continue
        rehearsal = readable(store, row, drafts=True)
        if rehearsal is None:
            continue  # a damaged session is left out of the figures
        ratings: dict[str, list[int]] = defaultdict(list)
        speech = []
        for section in rehearsal.sections:
            for q in section.questions:
                if q.speech is not None:
                    speech.append(q.speech)
                if q.rating is not None:
                    ratings[q.category].append(q.rating)
                    every[q.category].append(q.rating)
        out.append(
            RehearsalFigures(
                id=row.id,
                track=row.track,
                started_at=row.started_at,
                status=row.status,
                minutes=row.minutes,
                budget_seconds=rehearsal.budget_seconds,
                active_seconds=round(rehearsal.active_seconds, 3),
                sections=tuple(
                    SectionFigures(s.id, s.title, s.budget_seconds, round(s.spent_seconds, 3))
                    for s in rehearsal.sections
                ),
                categories={c: _figures(v) for c, v in sorted(ratings.items())},
                speech=spoken_figures(speech),
            )
        )
    return tuple(out), {c: _figures(v) for c, v in sorted(every.items())}


def collect_stats(
    store: Store,
    tracks: Sequence[Track],
    now: datetime,
    until: date | None = None,
) -> Stats:
    """Every figure of ``viva stats`` for the tracks, as of ``now``.

    ``until`` overrides the remembered defense dates; a track without one has
    its recall predicted for ``now``.
    """
    scheduler = make_scheduler(fuzzing=False)
    track_ids = [t.id for t in tracks]
    remembered = defense_dates(store)
    dates: dict[str, date | None] = {}
    for tid in track_ids:
        day = until or remembered.get(tid)
        dates[tid] = day if day is not None and day >= local_day(now) else None
    target = {tid: defense_moment(d, now) if d else now for tid, d in dates.items()}

    states = load_states(store, track_ids)
    cards: list[tuple[DrillCard, CardState]] = []
    known: set[str] = set()
    for track in tracks:
        known.update(f"{track.id}/{qid}" for qid in track.hidden)
        for q in track.questions:
            card = DrillCard(track.id, q)
            known.add(card.id)
            state = states.get(card.id)
            if is_card(q, has_history=state is not None):
                cards.append((card, state or new_card_state(card.id, track.id, now)))
    retired = sorted(i for i in states if i not in known)

    with_date = [(c, s) for c, s in cards if dates[c.track] is not None]
    recalls = {c.id: recall(scheduler, s, target[c.track]) for c, s in cards}
    reviewed = [(c, s) for c, s in cards if not s.is_new]
    weakest = sorted(reviewed, key=lambda cs: (recalls[cs[0].id], -cs[1].lapses, cs[0].id))

    log = review_log(store, track_ids)
    by_day: dict[date, list[int]] = defaultdict(list)
    for entry in log:
        by_day[local_day(entry.reviewed_at)].append(entry.rating)
    rehearsals, categories = _rehearsals(store, track_ids)

    return Stats(
        tracks=tuple(track_ids),
        generated_at=now,
        target_recall=TARGET_RECALL,
        defense_dates=dates,
        cards=CardFigures(
            total=len(cards),
            new=len(cards) - len(reviewed),
            due_now=sum(1 for _, s in cards if s.due <= now),
            due_before_defense=(
                sum(1 for c, s in with_date if s.due <= target[c.track]) if with_date else None
            ),
            reviewed=len(reviewed),
            reviews=len(log),
            retired=len(retired),
            predicted_recall=_mean(list(recalls.values())),
            below_target=sum(1 for r in recalls.values() if r < TARGET_RECALL),
            by_track={tid: sum(1 for c, _ in cards if c.track == tid) for tid in track_ids},
        ),
        weakest=tuple(
            WeakCard(
                id=c.id,
                track=c.track,
                category=c.question.category,
                kind=c.question.kind,
                prompt=c.question.prompt,
                recall=round(recalls[c.id], 3),
                due=s.due,
                reviews=s.reviews,
                lapses=s.lapses,
                last_rating=s.last_rating,
            )
            for c, s in weakest[:WEAKEST]
        ),
        retired=tuple(RetiredCard(i, split_id(i)[0]) for i in retired),
        reviews_by_day=tuple(DayReviews(d, len(v), _mean(v)) for d, v in sorted(by_day.items())),
        rehearsals=rehearsals,
        categories=categories,
    )
