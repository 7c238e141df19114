"""The planner: a seeded agenda of timed sections and questions for one defense.

The sections are the track's defense format for the chosen length. Each
section first holds its opening prompt (for example "walk us through your
architecture", ``opening_minutes`` long), which the candidate answers like any
question and which counts toward the section's time. Then bank questions are
placed in four passes, each keeping what the earlier ones placed:

1. **Must questions** (``must: true``: what every defense of the track asks)
   are always placed, each in the section that reviews its category and has
   the most room (a section that prefers its kind first). When they overfill
   a section, whole minutes move to it from sections with room to spare, so
   the budgets still sum exactly to the session.
2. **A bank question in every section** of 4 minutes or more: the best-ranked
   one that fits; if none fits, the shortest, with the opening shortened (to
   1 minute at least) or minutes moved from a section with room.
3. **Every review category** the format names gets a question (when the bank
   has one the candidate can answer): in a section that reviews it and has
   room, else in place of a question whose category is asked elsewhere, else
   (in a 60-minute defense) with minutes moved to that section from one with
   room to spare.
4. **The rest** of each section fills up to its budget, then a short section
   may run over by at most 15 % as long as the agenda stays within the session.

A section gives away at most a quarter of its format budget. In a section,
must questions come first after the opening, then its preferred kinds.

Questions that name scopes (``scopes: [...]``) are eligible only when the
candidate built one of them; a question appears at most once.

Ranking is weighted sampling without replacement: every bank question gets
one random key ``u ** (1 / weight)`` from ``random.Random(seed)``, drawn in
bank order, and questions are tried in key order (Efraimidis and Spirakis).
With the same track, length, scopes and seed, and no history, the agenda is
always the same. Weights come only from ``history`` (see
:func:`question_weight`); the application layer passes history only when the
candidate gave no seed, and the agenda records that it was ``weighted``.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from viva.catalog.loader import Catalog, Track
from viva.catalog.models import FormatSection, Question
from viva.errors import UsageProblem, VivaError
from viva.rehearsal.agenda import OPENING_PREFIX, Agenda, PlannedQuestion, PlannedSection

__all__ = [
    "DEFENSE_LENGTHS",
    "MIN_BANK_SECTION_MINUTES",
    "OVERRUN_PERCENT",
    "MustNotFit",
    "QuestionHistory",
    "draw_agenda",
    "eligible_questions",
    "must_fit_problems",
    "question_weight",
]

DEFENSE_LENGTHS = (45, 60)
OVERRUN_PERCENT = 15
MIN_BANK_SECTION_MINUTES = 4
"""A section this long or longer always asks a bank question after its opening."""
CATEGORY_BORROW_MINUTES = 60
"""From this length on, minutes move between sections so that every category is asked."""
MAX_GIVE_PERCENT = 25
"""A section gives at most this share of its format budget to fit another's questions."""
_MIN_OPENING = 1

# History weights: a factor for recency times a factor for the last rating
# (1-4: again, hard, good, easy, as in FSRS).
_NOT_ASKED_RECENTLY = 2.0
_RATING_FACTOR = {1: 3.0, 2: 2.0, 3: 1.0, 4: 0.5}
_MAX_RECENT_PENALTY = 4


class MustNotFit(VivaError):
    """A track's must questions cannot all be placed within the defense."""


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


def eligible_questions(track: Track, scopes: Collection[str]) -> tuple[Question, ...]:
    """The track's questions a candidate who built ``scopes`` can be asked."""
    return track.eligible(scopes)


@dataclass
class _Slot:
    """A section being planned: its budget, opening time and questions so far."""

    spec: FormatSection
    budget: int
    opening: int
    questions: list[Question] = field(default_factory=list)

    @property
    def load(self) -> int:
        return self.opening + sum(q.minutes for q in self.questions)

    @property
    def room(self) -> int:
        return self.budget - self.load

    def reviews(self, q: Question) -> bool:
        return q.category in self.spec.categories

    def prefers(self, q: Question) -> bool:
        return q.kind in self.spec.kinds

    @property
    def needs_bank_question(self) -> bool:
        return self.budget >= MIN_BANK_SECTION_MINUTES


class _Plan:
    def __init__(
        self, sections: Sequence[FormatSection], bank: Sequence[Question], keys: Mapping[str, float]
    ) -> None:
        self.slots = [_Slot(s, s.minutes, min(s.opening_minutes, s.minutes)) for s in sections]
        self.bank = bank
        self.keys = keys
        self.used: set[str] = set()

    def rank(self, slot: _Slot, pool: Sequence[Question]) -> list[Question]:
        """``pool``'s unused questions that ``slot`` reviews: preferred kinds first, then by key."""
        return sorted(
            (q for q in pool if q.id not in self.used and slot.reviews(q)),
            key=lambda q: (bool(slot.spec.kinds) and not slot.prefers(q), -self.keys[q.id]),
        )

    def put(self, slot: _Slot, q: Question) -> None:
        slot.questions.append(q)
        self.used.add(q.id)

    def spare(self, slot: _Slot, floor: bool = True) -> int:
        """Minutes ``slot`` could give away and still keep its own promises and
        (with ``floor``) at least three quarters of the format's budget for it."""
        keep = slot.load
        if slot.needs_bank_question and not slot.questions:
            keep += min((q.minutes for q in self.rank(slot, self.bank)), default=0)
        if floor:
            keep = max(keep, -(-slot.spec.minutes * (100 - MAX_GIVE_PERCENT) // 100))
        return slot.budget - keep

    def borrow(self, slot: _Slot, minutes: int, floor: bool = True) -> int:
        """Move ``minutes`` whole minutes to ``slot`` from sections with spare time,
        the most generous first, or none when they cannot all be found; return
        how many moved."""
        others = [s for s in self.slots if s is not slot]
        if sum(max(0, self.spare(s, floor)) for s in others) < minutes:
            return 0
        for _ in range(minutes):
            donor = max(others, key=lambda s: self.spare(s, floor))
            donor.budget -= 1
            slot.budget += 1
        return minutes

    def make_room(self, slot: _Slot, minutes: int, shorten: bool = True) -> bool:
        """Make ``minutes`` free in ``slot``: shorten its opening (down to a minute),
        then borrow the rest; change nothing when that is not enough."""
        short = minutes - slot.room
        if short <= 0:
            return True
        cut = min(short, slot.opening - _MIN_OPENING) if shorten else 0
        if self.borrow(slot, short - cut) == short - cut:
            slot.opening -= cut
            return True
        return False

    # --- the four passes ------------------------------------------------

    def place_musts(self) -> None:
        musts = sorted((q for q in self.bank if q.must), key=lambda q: -q.minutes)
        for q in musts:
            home = [s for s in self.slots if s.reviews(q)] or self.slots
            slot = max(home, key=lambda s: (s.prefers(q), s.room))
            self.put(slot, q)
        for slot in self.slots:
            if slot.room >= 0 or self.borrow(slot, -slot.room):
                continue
            # Must questions come before the format's proportions: borrow past the
            # quarter, then shorten the opening and borrow what is still missing.
            if not self.borrow(slot, -slot.room, floor=False):
                self.make_room(slot, 0)
                if slot.room < 0:
                    self.borrow(slot, -slot.room, floor=False)

    def must_overflow(self) -> list[str]:
        """Sections whose must questions still do not fit their budget."""
        return [
            f"{slot.spec.id} needs {slot.load} min and gets {slot.budget}"
            for slot in self.slots
            if slot.room < 0
        ]

    def one_per_section(self) -> None:
        for slot in self.slots:
            if not slot.needs_bank_question or slot.questions:
                continue
            ranked = self.rank(slot, self.bank)
            if not ranked:
                continue
            fits = [q for q in ranked if q.minutes <= slot.room]
            q = fits[0] if fits else min(ranked, key=lambda q: q.minutes)
            if self.make_room(slot, q.minutes):
                self.put(slot, q)

    def cover_categories(self, borrow: bool) -> None:
        named = dict.fromkeys(c for s in self.slots for c in s.spec.categories)
        for category in named:
            if any(q.category == category for s in self.slots for q in s.questions):
                continue
            pool = [q for q in self.bank if q.category == category]
            homes = sorted(
                (s for s in self.slots if category in s.spec.categories), key=lambda s: -s.room
            )
            if self._cover(homes, pool) or not borrow:
                continue
            for slot in homes:  # no room anywhere: move minutes to the roomiest home
                ranked = self.rank(slot, pool)
                if ranked:
                    q = min(ranked, key=lambda q: q.minutes)
                    if self.make_room(slot, q.minutes, shorten=False):
                        self.put(slot, q)
                        break

    def _cover(self, homes: Sequence[_Slot], pool: Sequence[Question]) -> bool:
        for slot in homes:
            ranked = self.rank(slot, pool)
            fits = [q for q in ranked if q.minutes <= slot.room]
            if fits:
                self.put(slot, fits[0])
                return True
            if ranked and self._swap_in(slot, ranked):
                return True
        return False

    def _swap_in(self, slot: _Slot, ranked: Sequence[Question]) -> bool:
        """Replace a question whose category is asked elsewhere by one of ``ranked``."""
        counts: dict[str, int] = {}
        for s in self.slots:
            for q in s.questions:
                counts[q.category] = counts.get(q.category, 0) + 1
        for old in reversed(slot.questions):
            if old.must or counts[old.category] < 2:
                continue
            for new in ranked:
                if new.minutes <= slot.room + old.minutes:
                    slot.questions.remove(old)
                    self.used.discard(old.id)
                    self.put(slot, new)
                    return True
        return False

    def fill(self, length: int) -> None:
        # Scarcest pool first, so a narrow section is not starved by a broad one.
        order = sorted(self.slots, key=lambda s: sum(q.minutes for q in self.rank(s, self.bank)))
        for slot in order:
            for q in self.rank(slot, self.bank):
                if q.minutes <= slot.room:
                    self.put(slot, q)
        for slot in order:
            for q in self.rank(slot, self.bank):
                total = sum(s.load for s in self.slots)
                over = (slot.load + q.minutes) * 100 <= slot.budget * (100 + OVERRUN_PERCENT)
                if over and total + q.minutes <= length:
                    self.put(slot, q)

    def ordered(self, slot: _Slot) -> list[Question]:
        """A section's questions as asked: must questions first, then preferred
        kinds, then by key."""
        return sorted(
            slot.questions,
            key=lambda q: (
                not q.must,
                bool(slot.spec.kinds) and not slot.prefers(q),
                -self.keys[q.id],
            ),
        )


def draw_agenda(
    catalog: Catalog,
    track: Track | str,
    minutes: int | None = None,
    seed: int | None = None,
    history: Mapping[str, QuestionHistory] | None = None,
    scopes: Collection[str] = (),
) -> Agenda:
    """Draw an agenda for ``track`` (a Track, or a name ``Catalog.resolve`` accepts).

    ``minutes`` defaults to the track's defense length and must be 45 or 60;
    ``seed`` defaults to a fresh random one, returned in the agenda;
    ``history`` maps a question's slug to its :class:`QuestionHistory` (the
    agenda is then ``weighted``); ``scopes`` are the track scopes the candidate
    built (unknown names raise :class:`UsageProblem`).
    """
    if isinstance(track, str):
        track = catalog.resolve(track)
    length = track.defense_minutes if minutes is None else minutes
    if length not in DEFENSE_LENGTHS:
        raise UsageProblem(f"a defense lasts 45 or 60 minutes, not {length}")
    chosen = check_scopes(track, scopes)
    if seed is None:
        seed = secrets.randbelow(2**31)
    sections = catalog.format_for(track.path.id).variant(length).sections

    rng = random.Random(seed)
    history = history or {}
    # One key per bank question, drawn in bank order so that a seed means one agenda.
    keys = {q.id: _key(rng, question_weight(history.get(q.id))) for q in track.questions}
    opening_ids = {_opening_id(s) for s in sections}
    # A bank question named like an opening would appear twice under one id.
    bank = [q for q in eligible_questions(track, chosen) if q.id not in opening_ids]

    plan = _Plan(sections, bank, keys)
    plan.place_musts()
    overflow = plan.must_overflow()
    if overflow:
        raise MustNotFit(
            f"the must questions of {track.id} do not fit a {length}-minute defense"
            + (f" with scopes {', '.join(chosen)}" if chosen else "")
            + f" ({'; '.join(overflow)}); mark fewer questions must: true "
            f"(viva bank lint names them)"
        )
    plan.one_per_section()
    plan.cover_categories(borrow=length >= CATEGORY_BORROW_MINUTES)
    plan.fill(length)

    return Agenda(
        track=track.id,
        minutes=length,
        seed=seed,
        scopes=chosen,
        weighted=bool(history),
        offers_scopes=bool(track.spec.scopes),
        sections=tuple(
            PlannedSection(
                id=slot.spec.id,
                title=slot.spec.title,
                budget_seconds=slot.budget * 60,
                categories=tuple(slot.spec.categories),
                questions=(_opening(slot), *(_planned(q) for q in plan.ordered(slot))),
            )
            for slot in plan.slots
        ),
    )


def check_scopes(track: Track, scopes: Collection[str]) -> tuple[str, ...]:
    """The scopes in the track's order, or :class:`UsageProblem` for one it does not offer."""
    offered = [s.id for s in track.spec.scopes]
    unknown = sorted(set(scopes) - set(offered))
    if unknown:
        known = ", ".join(offered) if offered else "none"
        raise UsageProblem(f"track {track.id} offers no scope {unknown[0]!r} (scopes: {known})")
    return tuple(s for s in offered if s in scopes)


def _key(rng: random.Random, weight: float) -> float:
    return float(rng.random() ** (1.0 / weight))


def _opening_id(section: FormatSection) -> str:
    return f"{OPENING_PREFIX}{section.id}"


def _opening(slot: _Slot) -> PlannedQuestion:
    section = slot.spec
    return PlannedQuestion(
        id=_opening_id(section),
        category=section.categories[0],
        kind="review",
        prompt=section.opening,
        minutes=slot.opening,
        opening=True,
    )


def _planned(q: Question) -> PlannedQuestion:
    return PlannedQuestion(
        q.id,
        q.category,
        q.kind,
        q.prompt,
        q.minutes,
        must=q.must,
        scopes=tuple(q.scopes),
        follow_ups=tuple(f.prompt for f in q.follow_ups),
        verified=q.verified,
    )


def must_fit_problems(catalog: Catalog, track: Track) -> list[str]:
    """Why the track's must questions cannot all be placed, for each length and
    each scope choice (none, each scope alone, all of them); empty when they fit."""
    offered = [s.id for s in track.spec.scopes]
    choices: list[tuple[str, ...]] = [(), *((s,) for s in offered)]
    if len(offered) > 1:
        choices.append(tuple(offered))
    problems = []
    for minutes in DEFENSE_LENGTHS:
        for scopes in choices:
            try:
                draw_agenda(catalog, track, minutes, seed=0, scopes=scopes)
            except MustNotFit as exc:
                problems.append(str(exc))
    return problems
