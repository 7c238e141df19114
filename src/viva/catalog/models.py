"""Validated, immutable models of the catalog and the question banks.

Every model forbids unknown keys and is frozen; collections are tuples. The
YAML shapes are documented in DESIGN.md and in the files under ``catalog/``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from viva.text import describe, unsafe_characters

__all__ = [
    "CATEGORY_IDS",
    "KINDS",
    "BankFile",
    "CategoriesFile",
    "Category",
    "DefenseFormat",
    "FollowUp",
    "FormatSection",
    "FormatVariant",
    "FormatsFile",
    "NamedSection",
    "PathSpec",
    "Question",
    "RubricLevel",
    "ScopeSpec",
    "TrackSpec",
]

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
TRACK_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}/[a-z0-9][a-z0-9-]{1,62}$")

CategoryId = Literal[
    "architecture",
    "performance",
    "correctness",
    "failure-modes",
    "security",
    "operations",
    "cost",
    "decisions",
]
Kind = Literal["defensible", "failure-scenario", "review", "deep-dive"]
# The same values as tuples, in the order reports and tables show them.
CATEGORY_IDS: tuple[str, ...] = get_args(CategoryId)
KINDS: tuple[str, ...] = get_args(Kind)
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE.pattern)]
YearMonth = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
"""``YYYY-MM``: when a question's facts were last checked."""
TrackId = Annotated[str, StringConstraints(pattern=TRACK_ID_RE.pattern)]


def _no_control_characters(value: str) -> str:
    """Catalog text is printed to terminals and pages: no control or bidi characters."""
    bad = unsafe_characters(value)
    if bad:
        raise ValueError(
            f"holds {describe(bad)}: control and bidi characters would act on the "
            "terminal or reorder the text; remove them"
        )
    return value


_Safe = AfterValidator(_no_control_characters)
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), _Safe
]
Prompt = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), _Safe
]
KeyPoint = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400), _Safe
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


# --- question banks -------------------------------------------------------


class FollowUp(_Frozen):
    """A deeper question asked after the main answer."""

    prompt: Prompt
    key_points: tuple[KeyPoint, ...] = Field(min_length=1)


class Question(_Frozen):
    """One question of a track's bank; ``id`` is a stable slug."""

    id: Slug
    category: CategoryId
    kind: Kind
    prompt: Prompt
    key_points: tuple[KeyPoint, ...] = Field(min_length=2)
    follow_ups: tuple[FollowUp, ...] = Field(default=(), min_length=1)
    minutes: int = Field(strict=True, ge=1, le=15)
    difficulty: int = Field(strict=True, ge=1, le=3)
    source: Text
    must: bool = Field(default=False, strict=True)
    """Every defense of the track asks it: the planner always places it."""
    scopes: tuple[Slug, ...] = ()
    """The track scopes (alternatives or stretch items) it applies to; empty:
    every candidate of the track can answer it."""
    verified: YearMonth | None = None
    """When its facts were last checked against the technology (``YYYY-MM``);
    ``viva bank stats`` lists the questions not verified in the last 12 months."""


class BankFile(_Frozen):
    """A question bank file: one track's questions."""

    track: TrackId
    questions: tuple[Question, ...] = Field(min_length=1)


# --- catalog --------------------------------------------------------------


class NamedSection(_Frozen):
    """A titled list of items copied from the seed."""

    title: Text
    items: tuple[Text, ...] = Field(min_length=1)


ScopeKind = Literal["alternative", "stretch"]


class ScopeSpec(_Frozen):
    """A part of a track the candidate may or may not have built.

    ``alternative``: the seed lets the candidate pick among several (ask which);
    ``stretch``: beyond the required scope (assume not built unless named).
    """

    id: Slug
    kind: ScopeKind
    title: Text
    source: Text


class TrackSpec(_Frozen):
    """One capstone track as the seed describes it."""

    id: Slug
    number: int = Field(strict=True, ge=1, le=20)
    title: Text
    outcome: Text
    functional_spec: tuple[Text, ...] = ()
    non_functional_spec: tuple[Text, ...] = ()
    architecture_sketch: tuple[Text, ...] = ()
    test_rigor: tuple[Text, ...] = ()
    hardening_pass: tuple[Text, ...] = ()
    acceptance_criteria: tuple[Text, ...] = ()
    skills: tuple[Text, ...] = ()
    suggested_scopes: tuple[Text, ...] = ()
    stretch_scope: tuple[Text, ...] = ()
    required_reading: tuple[Text, ...] = ()
    failure_scenarios: tuple[Text, ...] = ()
    defensible_answers: tuple[Text, ...] = ()
    other_sections: tuple[NamedSection, ...] = ()
    scopes: tuple[ScopeSpec, ...] = ()

    @model_validator(mode="after")
    def _unique_scopes(self) -> TrackSpec:
        ids = [s.id for s in self.scopes]
        if len(set(ids)) != len(ids):
            raise ValueError("scope ids must be unique")
        return self


class PathSpec(_Frozen):
    """A learning path: its cross-track requirements and its tracks."""

    id: Slug
    title: Text
    defense_minutes: Literal[45, 60]
    summary: Text | None = None
    cross_track_requirements: tuple[Text, ...] = ()
    defense_readiness: Text | None = None
    career_note: Text | None = None
    other_sections: tuple[NamedSection, ...] = ()
    tracks: tuple[TrackSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_tracks(self) -> PathSpec:
        seen: set[str] = set()
        for track in self.tracks:
            if track.id in seen:
                raise ValueError(f"track id {track.id!r} appears twice")
            seen.add(track.id)
        return self


class RubricLevel(_Frozen):
    """One score of a category's 1-5 rubric."""

    score: int = Field(strict=True, ge=1, le=5)
    label: Text
    descriptor: Text


class Category(_Frozen):
    """A review category with the rubric a reviewer applies."""

    id: CategoryId
    title: Text
    description: Text
    rubric: tuple[RubricLevel, ...] = Field(min_length=5, max_length=5)

    @model_validator(mode="after")
    def _scores(self) -> Category:
        if [r.score for r in self.rubric] != [1, 2, 3, 4, 5]:
            raise ValueError("rubric must list scores 1, 2, 3, 4, 5 in order")
        return self


class CategoriesFile(_Frozen):
    categories: tuple[Category, ...] = Field(min_length=1)


class FormatSection(_Frozen):
    """A section of a defense: its budget and the categories it draws from."""

    id: Slug
    title: Text
    minutes: int = Field(strict=True, ge=1, le=60)
    categories: tuple[CategoryId, ...] = Field(min_length=1)
    opening: Prompt
    opening_minutes: int = Field(default=2, strict=True, ge=1, le=10)
    """The time the opening prompt gets (a walkthrough longer than a question)."""
    kinds: tuple[Kind, ...] = ()


class FormatVariant(_Frozen):
    """The sections of one defense length."""

    minutes: Literal[45, 60]
    sections: tuple[FormatSection, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _budgets(self) -> FormatVariant:
        total = sum(s.minutes for s in self.sections)
        if total != self.minutes:
            raise ValueError(f"section minutes sum to {total}, not {self.minutes}")
        ids = [s.id for s in self.sections]
        if len(set(ids)) != len(ids):
            raise ValueError("section ids must be unique")
        return self


class DefenseFormat(_Frozen):
    """A defense format; ``paths`` empty means the default for every path."""

    id: Slug
    title: Text
    description: Text
    paths: tuple[Slug, ...] = ()
    variants: tuple[FormatVariant, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _lengths(self) -> DefenseFormat:
        mins = sorted(v.minutes for v in self.variants)
        if mins != [45, 60]:
            raise ValueError("a format needs exactly one 45-minute and one 60-minute variant")
        return self

    def variant(self, minutes: int) -> FormatVariant:
        return next(v for v in self.variants if v.minutes == minutes)


class FormatsFile(_Frozen):
    formats: tuple[DefenseFormat, ...] = Field(min_length=1)
