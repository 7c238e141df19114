"""The planner: a seeded agenda of timed sections and questions for one defense.

The sections are the track's defense format for the chosen length; each
section's budget is its minutes, so the budgets sum exactly to the session.
Each section first holds its opening prompt (for example "walk us through your
architecture"), which the candidate answers like any question and which
counts toward the section's time. Then questions are drawn from the track's
bank:

- a question is eligible for a section when its category is one the section
  reviews; questions of the section's preferred ``kinds`` are tried first;
- a question appears at most once in an agenda;
- each section is first filled up to its budget; a section left short may then
  run over by at most 15 %, as long as the whole agenda stays within the
  session; so the planned minutes never exceed the session, and they fill at
  least half of it whenever the bank has enough questions that fit (a small
  bank gives what it has, never an error);
- the draw is weighted sampling without replacement: every question gets one
  random key ``u ** (1 / weight)`` from ``random.Random(seed)`` and questions
  are tried in key order (Efraimidis and Spirakis), so one seed always gives
  one agenda and the weights set how often a question comes up.

The weights come from the candidate's rehearsal history (see
:func:`question_weight`): questions not asked recently and questions last
rated again or hard come up more often; questions rated easy, and questions
asked recently, less often. No history means every question is equally likely.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from viva.catalog.loader import Catalog, Track
from viva.catalog.models import FormatSection, Question
from viva.errors import UsageProblem
from viva.rehearsal.agenda import OPENING_PREFIX, Agenda, PlannedQuestion, PlannedSection

__all__ = [
    "DEFENSE_LENGTHS",
    "MIN_FILL",
    "OPENING_MINUTES",
    "OVERRUN_PERCENT",
    "QuestionHistory",
    "draw_agenda",
    "question_weight",
]

DEFENSE_LENGTHS = (45, 60)
OPENING_MINUTES = 3
OVERRUN_PERCENT = 15
MIN_FILL = 0.5
"""The share of the session the planned minutes reach when the bank allows."""

# History weights: a factor for recency times a factor for the last rating
# (1-4: again, hard, good, easy, as in FSRS).
_NOT_ASKED_RECENTLY = 2.0
_RATING_FACTOR = {1: 3.0, 2: 2.0, 3: 1.0, 4: 0.5}
_MAX_RECENT_PENALTY = 4


@dataclass(frozen=True)
class QuestionHistory:
    """What the rehearsal store knows about one question of a track.

    ``times_asked_recently`` counts the recent rehearsals that asked it;
    ``last_rating`` is the candidate's last self-rating, 1 (again) to 4 (easy).
    """

    times_asked_recently: int
    last_rating: int | None = None

    def __post_init__(self) -> None:
        if self.times_asked_recently < 0:
            raise ValueError("times_asked_recently must not be negative")
        if self.last_rating is not None and self.last_rating not in _RATING_FACTOR:
            raise ValueError(f"last_rating must be 1-4, not {self.last_rating}")


def question_weight(history: QuestionHistory | None) -> float:
    """How strongly the draw favours a question, from its history.

    weight = recency x rating, where recency is 2 for a question not asked
    recently (or never) and 1/n for one asked n times recently (n capped at
    4), and rating is 3 after "again", 2 after "hard", 1 after "good" or with
    no rating, and 0.5 after "easy". So an unasked question is drawn about
    twice as often as one asked once and rated good, and four times as often
    as one asked once and rated easy; every weight stays above zero, so any
    question can still come up.
    """
    if history is None:
        return _NOT_ASKED_RECENTLY
    times = history.times_asked_recently
    recency = _NOT_ASKED_RECENTLY if times == 0 else 1.0 / min(times, _MAX_RECENT_PENALTY)
    rating = 1.0 if history.last_rating is None else _RATING_FACTOR[history.last_rating]
    return recency * rating


def draw_agenda(
    catalog: Catalog,
    track: Track | str,
    minutes: int | None = None,
    seed: int | None = None,
    history: Mapping[str, QuestionHistory] | None = None,
) -> Agenda:
    """Draw an agenda for ``track`` (a Track, or a name ``Catalog.resolve`` accepts).

    ``minutes`` defaults to the track's defense length and must be 45 or 60;
    ``seed`` defaults to a fresh random one, returned in the agenda;
    ``history`` maps a question's slug to its :class:`QuestionHistory`.
    """
    if isinstance(track, str):
        track = catalog.resolve(track)
    length = track.defense_minutes if minutes is None else minutes
    if length not in DEFENSE_LENGTHS:
        raise UsageProblem(f"a defense lasts 45 or 60 minutes, not {length}")
    if seed is None:
        seed = secrets.randbelow(2**31)
    sections = catalog.format_for(track.path.id).variant(length).sections

    rng = random.Random(seed)
    history = history or {}
    # One key per question, drawn in bank order so that a seed means one agenda.
    keys = {q.id: _key(rng, question_weight(history.get(q.id))) for q in track.questions}
    opening_ids = {_opening_id(s) for s in sections}
    # A bank question named like an opening would appear twice under one id.
    bank = [q for q in track.questions if q.id not in opening_ids]

    candidates = [_ranked(s, bank, keys) for s in sections]
    drawn: list[list[Question]] = [[] for _ in sections]
    used: set[str] = set()
    # Scarcest pool first, so a narrow section is not starved by a broad one.
    order = sorted(range(len(sections)), key=lambda i: sum(q.minutes for q in candidates[i]))
    planned = [min(OPENING_MINUTES, s.minutes) for s in sections]

    def fill(i: int, limit_percent: int, slack: int | None) -> int:
        """Add section i's candidates that fit in limit_percent of its budget."""
        added = 0
        for q in candidates[i]:
            if q.id in used or (slack is not None and q.minutes > slack - added):
                continue
            if (planned[i] + q.minutes) * 100 <= sections[i].minutes * limit_percent:
                drawn[i].append(q)
                used.add(q.id)
                planned[i] += q.minutes
                added += q.minutes
        return added

    for i in order:
        fill(i, 100, None)
    for i in order:
        fill(i, 100 + OVERRUN_PERCENT, length - sum(planned))

    return Agenda(
        track=track.id,
        minutes=length,
        seed=seed,
        sections=tuple(
            PlannedSection(
                id=s.id,
                title=s.title,
                budget_seconds=s.minutes * 60,
                categories=tuple(s.categories),
                questions=(_opening(s), *(_planned(q) for q in qs)),
            )
            for s, qs in zip(sections, drawn, strict=True)
        ),
    )


def _key(rng: random.Random, weight: float) -> float:
    return float(rng.random() ** (1.0 / weight))


def _ranked(
    section: FormatSection, bank: Sequence[Question], keys: Mapping[str, float]
) -> list[Question]:
    """The section's eligible questions: preferred kinds first, then by key."""
    eligible = [q for q in bank if q.category in section.categories]
    preferred = set(section.kinds)
    return sorted(
        eligible, key=lambda q: (bool(preferred) and q.kind not in preferred, -keys[q.id])
    )


def _opening_id(section: FormatSection) -> str:
    return f"{OPENING_PREFIX}{section.id}"


def _opening(section: FormatSection) -> PlannedQuestion:
    return PlannedQuestion(
        id=_opening_id(section),
        category=section.categories[0],
        kind="review",
        prompt=section.opening,
        minutes=min(OPENING_MINUTES, section.minutes),
        opening=True,
    )


def _planned(q: Question) -> PlannedQuestion:
    return PlannedQuestion(q.id, q.category, q.kind, q.prompt, q.minutes)
