"""The agenda of one defense: timed sections, each with its questions in order.

The planner draws an :class:`Agenda`; the store keeps it as JSON
(:meth:`Agenda.to_json`, DESIGN.md's ``viva plan --json`` shape plus each
question's ``opening`` flag and each section's ``categories``) and the engine,
reports and packets read it back with :meth:`Agenda.from_json`. Agendas stored
before the flags were written have neither: an opening prompt is then known by
its ``opening-`` id, and a section's categories by its questions' categories;
``must`` and ``scopes`` default to false and empty, and ``weighted`` to true
(the planner of those agendas always used history, so no seed repeats them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from viva.catalog import OPENING_PREFIX
from viva.rehearsal import SEED_LIMIT

__all__ = ["OPENING_PREFIX", "SEED_LIMIT", "Agenda", "PlannedQuestion", "PlannedSection"]


def _field(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"agenda {where}: {key!r} must be {kind.__name__}, not {value!r}")
    return value


@dataclass(frozen=True)
class PlannedQuestion:
    """One item of an agenda: a bank question or a section's opening prompt."""

    id: str
    category: str
    kind: str
    prompt: str
    minutes: int
    opening: bool = False
    must: bool = False
    scopes: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    """The follow-up prompts a reviewer may push with, in order."""
    verified: str | None = None
    """When the bank question's facts were last checked (``YYYY-MM``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "kind": self.kind,
            "prompt": self.prompt,
            "minutes": self.minutes,
            "opening": self.opening,
            "must": self.must,
            "scopes": list(self.scopes),
            "follow_ups": list(self.follow_ups),
            "verified": self.verified,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlannedQuestion:
        qid = _field(data, "id", str, "question")
        where = f"question {qid!r}"
        opening = data.get("opening", qid.startswith(OPENING_PREFIX))
        return cls(
            id=qid,
            category=_field(data, "category", str, where),
            kind=_field(data, "kind", str, where),
            prompt=_field(data, "prompt", str, where),
            minutes=_field(data, "minutes", int, where),
            opening=bool(opening),
            must=bool(data.get("must", False)),
            scopes=tuple(str(x) for x in data.get("scopes", ())),
            follow_ups=tuple(str(x) for x in data.get("follow_ups", ())),
            verified=str(data["verified"]) if data.get("verified") else None,
        )


@dataclass(frozen=True)
class PlannedSection:
    """A section of the agenda with its time budget and its questions in order."""

    id: str
    title: str
    budget_seconds: int
    categories: tuple[str, ...]
    questions: tuple[PlannedQuestion, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(q.minutes for q in self.questions)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "budget_seconds": self.budget_seconds,
            "categories": list(self.categories),
            "questions": [q.to_json() for q in self.questions],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlannedSection:
        sid = _field(data, "id", str, "section")
        where = f"section {sid!r}"
        questions = tuple(
            PlannedQuestion.from_json(q) for q in _field(data, "questions", list, where)
        )
        categories = data.get("categories")
        if categories is None:
            categories = list(dict.fromkeys(q.category for q in questions))
        return cls(
            id=sid,
            title=_field(data, "title", str, where),
            budget_seconds=_field(data, "budget_seconds", int, where),
            categories=tuple(str(c) for c in categories),
            questions=questions,
        )


@dataclass(frozen=True)
class Agenda:
    """A drawn defense: the track, its length, the seed, the scopes, the sections.

    ``weighted`` says the candidate's history shaped the draw; only an agenda
    that is not weighted is repeated by its track, length, scopes and seed.
    """

    track: str
    minutes: int
    seed: int
    sections: tuple[PlannedSection, ...]
    scopes: tuple[str, ...] = ()
    weighted: bool = False
    offers_scopes: bool = False
    """The track offers scopes, so a scope-neutral draw is repeated with ``--scope none``."""

    @property
    def repeatable(self) -> bool:
        return not self.weighted

    def repeat_args(self) -> str:
        """The options that draw this agenda again: ``--minutes 45 --seed 7 --scope x``
        (``--scope none`` for a scope-neutral draw of a track that offers scopes, so
        that remembered scopes do not change it)."""
        names = self.scopes or (("none",) if self.offers_scopes else ())
        scopes = "".join(f" --scope {s}" for s in names)
        return f"--minutes {self.minutes} --seed {self.seed}{scopes}"

    @property
    def questions(self) -> tuple[PlannedQuestion, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @property
    def planned_minutes(self) -> int:
        return sum(s.planned_minutes for s in self.sections)

    @property
    def budget_seconds(self) -> int:
        return sum(s.budget_seconds for s in self.sections)

    def to_json(self) -> dict[str, Any]:
        """The plan as DESIGN.md gives it (``viva plan --json``)."""
        return {
            "track": self.track,
            "minutes": self.minutes,
            "seed": self.seed,
            "scopes": list(self.scopes),
            "offers_scopes": self.offers_scopes,
            "weighted": self.weighted,
            "sections": [s.to_json() for s in self.sections],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Agenda:
        """Read an agenda back; a malformed one raises ``ValueError`` naming the field."""
        sections: Sequence[Mapping[str, Any]] = _field(data, "sections", list, "")
        return cls(
            track=_field(data, "track", str, ""),
            minutes=_field(data, "minutes", int, ""),
            seed=_field(data, "seed", int, ""),
            sections=tuple(PlannedSection.from_json(s) for s in sections),
            scopes=tuple(str(x) for x in data.get("scopes", ())),
            # An agenda stored before the flag was drawn by a planner that always
            # used history: its seed alone does not repeat it.
            weighted=bool(data.get("weighted", True)),
            offers_scopes=bool(data.get("offers_scopes", False)),
        )
