"""The report of a session: what was asked, answered, skipped, flagged and rated, and when.

A :class:`Report` is derived from a session's events by the engine
(:meth:`viva.rehearsal.engine.Rehearsal.report`); ``viva report --json`` is
:meth:`Report.to_json`, DESIGN.md's shape. Reports, stats, history and
packets read the typed fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from viva.speech.figures import SpeechFigures

__all__ = ["CategoryScore", "QuestionReport", "Report", "SectionReport"]


@dataclass(frozen=True)
class QuestionReport:
    """One agenda item as the candidate went through it."""

    question_id: str
    prompt: str
    category: str
    kind: str
    minutes: int
    opening: bool
    answer: str
    """The recorded answer, or the last draft of one never recorded."""
    answered: bool
    seconds: float
    skipped: bool
    flagged: bool
    rating: int | None
    follow_ups_revealed: int
    reached: bool
    planned_seconds: float = 0.0
    """Its share of the section's budget."""
    short: bool = False
    """Answered in under a quarter of its planned time."""
    must: bool = False
    follow_ups_asked: tuple[str, ...] = ()
    """The follow-up prompts revealed while it was answered, in order."""
    speech: SpeechFigures | None = None
    """Transcript and speech figures of a spoken answer."""
    audio_files: tuple[str, ...] = ()
    """Its recordings, relative to the session's audio folder."""
    score: int | None = None
    """A reviewer's score, 1-5 against its category's rubric."""
    notes: tuple[str, ...] = ()
    """A reviewer's notes on it."""

    @property
    def spoken_text(self) -> str:
        """The transcript of a spoken answer, else the typed answer."""
        if self.speech is not None and self.speech.text:
            return (
                self.speech.text
                if not self.answer.strip()
                else f"{self.answer}\n{self.speech.text}"
            )
        return self.answer

    def to_json(self) -> dict[str, Any]:
        audio: dict[str, Any] | None = None
        if self.audio_files:
            audio = self.speech.to_json() if self.speech is not None else {}
            audio["file"] = self.audio_files[0]
            audio["files"] = list(self.audio_files)
        return {
            "question_id": self.question_id,
            "prompt": self.prompt,
            "answer": self.answer,
            "seconds": round(self.seconds, 3),
            "skipped": self.skipped,
            "flagged": self.flagged,
            "rating": self.rating,
            "planned_seconds": round(self.planned_seconds, 3),
            "short": self.short,
            "must": self.must,
            "follow_ups_asked": list(self.follow_ups_asked),
            "audio": audio,
            "score": self.score,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class CategoryScore:
    """A review category's figures in a reviewed session."""

    category: str
    questions_scored: int
    mean: float | None
    """The mean of the reviewer's question scores (None: none scored)."""
    score: float | None
    """The summary score: the reviewer's own, else the mean."""
    given: bool
    """The reviewer gave the summary score (rather than taking the mean)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "score": self.score,
            "mean": self.mean,
            "questions_scored": self.questions_scored,
            "given": self.given,
        }


@dataclass(frozen=True)
class SectionReport:
    id: str
    title: str
    budget_seconds: int
    spent_seconds: float
    questions: tuple[QuestionReport, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "budget_seconds": self.budget_seconds,
            "spent_seconds": round(self.spent_seconds, 3),
            "questions": [q.to_json() for q in self.questions],
        }


@dataclass(frozen=True)
class Report:
    """A session's figures: the session's own fields, then each section's."""

    id: str
    track: str
    minutes: int
    seed: int
    status: str
    candidate: str | None
    active_seconds: float
    paused_seconds: float
    sections: tuple[SectionReport, ...]
    mode: str = "rehearsal"
    """``rehearsal`` or ``review`` (a reviewer scored it)."""
    verdict: str = ""
    """A reviewer's verdict on the defense."""
    category_scores: tuple[CategoryScore, ...] = ()
    """A reviewed session's summary per category, in agenda order."""

    @property
    def reviewed(self) -> bool:
        return self.mode == "review"

    @property
    def questions(self) -> tuple[QuestionReport, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @property
    def budget_seconds(self) -> int:
        return sum(s.budget_seconds for s in self.sections)

    def section(self, section_id: str) -> SectionReport | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's ``viva report --json`` shape."""
        return {
            "id": self.id,
            "track": self.track,
            "minutes": self.minutes,
            "seed": self.seed,
            "status": self.status,
            "candidate": self.candidate,
            "active_seconds": round(self.active_seconds, 3),
            "paused_seconds": round(self.paused_seconds, 3),
            "sections": [s.to_json() for s in self.sections],
            "mode": self.mode,
            "review": (
                {
                    "verdict": self.verdict,
                    "categories": [c.to_json() for c in self.category_scores],
                }
                if self.reviewed
                else None
            ),
        }
