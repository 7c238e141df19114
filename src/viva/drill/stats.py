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

Reviewed sessions (``viva review``) add the reviewer's side: each one's summary
score per category (:class:`SessionReview`), those scores per category over all
reviewed sessions beside the self-ratings (:class:`ReviewCategoryFigures`), and
the categories that stay weak (:class:`WeakCategory`): for one candidate, a
category whose summary score was below :data:`WEAK_SCORE` in at least
:data:`WEAK_TIMES` of the last :data:`WEAK_WINDOW` reviewed sessions that
scored it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
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
    "WEAK_SCORE",
    "WEAK_TIMES",
    "WEAK_WINDOW",
    "CardFigures",
    "CategoryFigures",
    "DayReviews",
    "RehearsalFigures",
    "RetiredCard",
    "ReviewCategoryFigures",
    "ReviewedCategory",
    "SectionFigures",
    "SessionReview",
    "SpokenFigures",
    "Stats",
    "WeakCard",
    "WeakCategory",
    "collect_stats",
    "stats_tracks",
    "weak_categories",
    "weak_rule_text",
]

WEAKEST = 10

WEAK_SCORE = 3.0
"""A category's summary score below this is weak: 3 is "Adequate" on every rubric."""
WEAK_TIMES = 2
"""A category stays weak when it was weak this many times..."""
WEAK_WINDOW = 3
"""...among the last this many reviewed sessions (of one candidate) that scored it."""


def weak_rule_text() -> str:
    """The weak-category rule in words, as ``viva stats`` prints it."""
    return (
        f"summary score below {WEAK_SCORE:g} in at least {WEAK_TIMES} of the last "
        f"{WEAK_WINDOW} reviewed sessions that scored it"
    )


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
class ReviewedCategory:
    """A category's figures in one reviewed session (as its report has them)."""

    score: float | None
    """The summary score: the reviewer's own, else the mean of the question scores."""
    mean: float | None
    questions_scored: int
    given: bool


@dataclass(frozen=True)
class SessionReview:
    """What a reviewer recorded of one session, as ``viva stats`` counts it."""

    candidate: str | None
    verdict: str
    categories: Mapping[str, ReviewedCategory]
    """Every review category of the agenda, in agenda order (unscored ones too)."""

    @property
    def mean_score(self) -> float | None:
        """The mean of the categories' summary scores (those that have one)."""
        scores = [c.score for c in self.categories.values() if c.score is not None]
        return round(fmean(scores), 3) if scores else None

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "verdict": self.verdict,
            "mean_score": self.mean_score,
            "categories": {c: asdict(f) for c, f in self.categories.items()},
        }


@dataclass(frozen=True)
class ReviewCategoryFigures:
    """A category's reviewer scores over every reviewed session (1-5)."""

    sessions: int
    """Reviewed sessions that gave it a summary score."""
    mean_score: float | None
    """The mean of those summary scores."""
    last_score: float | None
    """The summary score of the latest of them."""
    questions_scored: int
    """Question scores given in it, over all those sessions."""
    weak: bool
    """It stays weak for some candidate (see :class:`WeakCategory`)."""


@dataclass(frozen=True)
class WeakCategory:
    """A category that stays weak for one candidate: its summary score was below
    :data:`WEAK_SCORE` in at least :data:`WEAK_TIMES` of the last
    :data:`WEAK_WINDOW` reviewed sessions that scored it."""

    category: str
    candidate: str | None
    scores: tuple[float, ...]
    """The summary scores of those last sessions, oldest first."""
    sessions: tuple[str, ...]
    """Their ids, in the same order."""
    below: int
    """How many of them were below the bar."""

    @property
    def mean(self) -> float:
        return round(fmean(self.scores), 3)

    @property
    def last(self) -> float:
        return self.scores[-1]

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "candidate": self.candidate,
            "scores": list(self.scores),
            "sessions": list(self.sessions),
            "below": self.below,
            "mean": self.mean,
            "last": self.last,
        }


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
    mode: str = "rehearsal"
    """``rehearsal``, or ``review`` for a session a reviewer scored."""
    review: SessionReview | None = None
    """A reviewed session's verdict and summary scores per category."""

    @property
    def mean_rating(self) -> float | None:
        means = [c.mean_rating for c in self.categories.values() if c.mean_rating is not None]
        return sum(means) / len(means) if means else None

    @property
    def reviewed(self) -> bool:
        return self.review is not None

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "started_at": self.started_at.isoformat(),
            "speech": self.speech.to_json() if self.speech else None,
            "review": self.review.to_json() if self.review else None,
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
    review_categories: Mapping[str, ReviewCategoryFigures] = field(default_factory=dict)
    """Reviewer scores per category over the reviewed sessions (empty without any)."""
    weak_categories: tuple[WeakCategory, ...] = ()
    """The categories that stay weak, weakest (lowest mean) first."""

    @property
    def reviewed(self) -> tuple[RehearsalFigures, ...]:
        """The sessions a reviewer scored, oldest first."""
        return tuple(r for r in self.rehearsals if r.review is not None)

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
            "review_categories": {c: asdict(f) for c, f in self.review_categories.items()},
            "weak_categories": [w.to_json() for w in self.weak_categories],
            "weak_rule": {
                "below": WEAK_SCORE,
                "times": WEAK_TIMES,
                "of_last": WEAK_WINDOW,
                "text": weak_rule_text(),
            },
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
                mode=row.mode,
                review=(
                    SessionReview(
                        candidate=row.candidate,
                        verdict=rehearsal.verdict,
                        categories={
                            c.category: ReviewedCategory(
                                c.score, c.mean, c.questions_scored, c.given
                            )
                            for c in rehearsal.category_scores()
                        },
                    )
                    if row.mode == "review"
                    else None
                ),
            )
        )
    return tuple(out), {c: _figures(v) for c, v in sorted(every.items())}


def weak_categories(rehearsals: Sequence[RehearsalFigures]) -> tuple[WeakCategory, ...]:
    """The categories that stay weak, per candidate: among the last
    :data:`WEAK_WINDOW` reviewed sessions (oldest first in ``rehearsals``) that
    gave a category a summary score, at least :data:`WEAK_TIMES` were below
    :data:`WEAK_SCORE`. A category scored in fewer sessions than
    :data:`WEAK_TIMES` is never weak: one bad defense is not a pattern. Lowest
    mean first, then by category and candidate."""
    scored: dict[tuple[str | None, str], list[tuple[str, float]]] = defaultdict(list)
    for r in rehearsals:
        if r.review is None:
            continue
        for category, figures in r.review.categories.items():
            if figures.score is not None:
                scored[(r.review.candidate, category)].append((r.id, figures.score))
    weak = []
    for (candidate, category), history in scored.items():
        last = history[-WEAK_WINDOW:]
        below = sum(1 for _, score in last if score < WEAK_SCORE)
        if below >= WEAK_TIMES:
            weak.append(
                WeakCategory(
                    category=category,
                    candidate=candidate,
                    scores=tuple(score for _, score in last),
                    sessions=tuple(sid for sid, _ in last),
                    below=below,
                )
            )
    return tuple(sorted(weak, key=lambda w: (w.mean, w.category, w.candidate or "")))


def _review_categories(
    rehearsals: Sequence[RehearsalFigures], weak: Sequence[WeakCategory]
) -> dict[str, ReviewCategoryFigures]:
    """Each category's reviewer scores over every reviewed session."""
    scores: dict[str, list[float]] = defaultdict(list)
    questions: dict[str, int] = defaultdict(int)
    for r in rehearsals:
        if r.review is None:
            continue
        for category, figures in r.review.categories.items():
            questions[category] += figures.questions_scored
            if figures.score is not None:
                scores[category].append(figures.score)
    weak_ids = {w.category for w in weak}
    return {
        c: ReviewCategoryFigures(
            sessions=len(scores[c]),
            mean_score=_mean(scores[c]),
            last_score=scores[c][-1] if scores[c] else None,
            questions_scored=questions[c],
            weak=c in weak_ids,
        )
        for c in sorted(questions)
    }


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
    weak = weak_categories(rehearsals)

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
        review_categories=_review_categories(rehearsals, weak),
        weak_categories=weak,
    )
