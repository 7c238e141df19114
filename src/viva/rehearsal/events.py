"""What happens in a rehearsal, as a closed set of event kinds with their data.

An :class:`Event` is one recorded action. Its kind is one of
:data:`EVENT_KINDS`, and its data is checked against the kind by
:func:`check_data` *before* the event is written, so the log only ever holds
events the engine can replay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeGuard, get_args

__all__ = [
    "DRAFT_KINDS",
    "EVENT_KINDS",
    "RATING_HELP",
    "RATING_NAMES",
    "REVIEW_KINDS",
    "SCORES",
    "Event",
    "EventData",
    "EventKind",
    "InvalidEvent",
    "SessionStatus",
    "check_data",
    "is_event_kind",
]

EventKind = Literal[
    "start",
    "reopen",
    "draft",
    "draft_line",
    "answer",
    "skip",
    "flag",
    "rate",
    "reveal",
    "pause",
    "resume",
    "next_section",
    "end",
    "quit",
    "record",
    "audio",
    "transcript",
    "score",
    "note",
    "asked",
    "verdict",
    "category_score",
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

SessionStatus = Literal["active", "paused", "ended"]

EventValue = str | int | float | bool | None
EventData = Mapping[str, EventValue]

# The four ratings of a rehearsal answer and of a drill card (FSRS's scale).
RATING_NAMES: dict[int, str] = {1: "again", 2: "hard", 3: "good", 4: "easy"}
RATING_HELP = ", ".join(f"{n} {name}" for n, name in RATING_NAMES.items())
"""``1 again, 2 hard, 3 good, 4 easy``: how every screen names the ratings."""

# What each kind carries; a kind not listed carries nothing.
_TEXT_KINDS = frozenset({"draft", "draft_line", "answer"})
DRAFT_KINDS: frozenset[str] = frozenset({"draft", "draft_line"})
"""Events that only keep unfinished text: they move nothing and change no clock, so
a replay for figures (history, stats) may pass over them."""


# Spoken answers: ``record`` when a recording of a question's answer starts (its
# file, relative to the session's audio folder), ``audio`` when it is closed
# (length and SHA-256 of the file; ``recovered`` after a crash), ``transcript``
# when its words and figures are known (viva.speech.figures.SpeechFigures).
_VOICE_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "record": {"question": str, "file": str},
    "audio": {
        "question": str,
        "file": str,
        "seconds": (int, float),
        "sha256": str,
        "recovered": bool,
    },
    "transcript": {
        "question": str,
        "engine": str,
        "text": str,
        "seconds": (int, float),
        "speaking_seconds": (int, float),
        "words": int,
        "longest_pause_seconds": (int, float),
        "fillers": str,
    },
}


# A reviewer's record of a live defense: ``score`` (1-5 against the category's
# rubric) and ``note`` of a question, ``asked`` (its follow-up number K, from 1,
# was put to the candidate), then the session's ``category_score`` (a category's
# summary score, when the reviewer gives one rather than the mean) and
# ``verdict`` (free text).
SCORES = range(1, 6)
"""A reviewer's scores: 1 to 5, each described by the category's rubric."""
_REVIEW_FIELDS: dict[str, dict[str, type]] = {
    "score": {"question": str, "score": int},
    "note": {"question": str, "text": str},
    "asked": {"question": str, "follow_up": int},
    "verdict": {"text": str},
    "category_score": {"category": str, "score": int},
}
REVIEW_KINDS: frozenset[str] = frozenset(_REVIEW_FIELDS)
"""What only a reviewed session records; they may follow its end (scoring
often finishes after the clock has stopped)."""


class InvalidEvent(ValueError):
    """An event that must not be recorded: an unknown kind, or data that does not fit it."""


def is_event_kind(kind: str) -> TypeGuard[EventKind]:
    return kind in EVENT_KINDS


def check_data(kind: str, data: EventData) -> EventKind:
    """The kind, if ``kind`` and ``data`` make an event the engine can replay."""
    if not is_event_kind(kind):
        raise InvalidEvent(f"unknown event kind {kind!r}; known: {', '.join(EVENT_KINDS)}")
    if kind in _TEXT_KINDS:
        allowed = {"text"}
        if not isinstance(data.get("text"), str):
            raise InvalidEvent(f"a {kind!r} event needs its text")
    elif kind == "rate":
        allowed = {"rating", "question"}
        rating = data.get("rating")
        if isinstance(rating, bool) or rating not in RATING_NAMES:
            raise InvalidEvent(f"a rating is {RATING_HELP}, not {rating!r}")
        if "question" in data and not isinstance(data["question"], str):
            raise InvalidEvent("a rating names its question by id")
    elif kind in _REVIEW_FIELDS:
        allowed = set(_REVIEW_FIELDS[kind])
        for name, typ in _REVIEW_FIELDS[kind].items():
            value = data.get(name)
            if isinstance(value, bool) or not isinstance(value, typ):
                raise InvalidEvent(f"a {kind!r} event needs its {name}")
        if "score" in data and data["score"] not in SCORES:
            raise InvalidEvent(f"a score is 1 to 5 (the rubric's levels), not {data['score']!r}")
        if kind == "asked" and int(data["follow_up"]) < 1:  # type: ignore[arg-type]
            raise InvalidEvent("follow-ups are numbered from 1")
    elif kind in _VOICE_FIELDS:
        allowed = set(_VOICE_FIELDS[kind])
        for name, types in _VOICE_FIELDS[kind].items():
            value = data.get(name)
            if name != "recovered" and (isinstance(value, bool) or not isinstance(value, types)):
                raise InvalidEvent(f"a {kind!r} event needs its {name}")
    else:
        allowed = set()
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidEvent(f"a {kind!r} event takes no {', '.join(extra)}")
    return kind


@dataclass(frozen=True)
class Event:
    """One recorded action of a session: its order, kind, both clocks and its data."""

    seq: int
    kind: EventKind
    mono: float
    wall: datetime
    data: EventData = field(default_factory=dict)

    @property
    def text(self) -> str:
        value = self.data.get("text")
        return value if isinstance(value, str) else ""

    @property
    def question(self) -> str | None:
        """The question a ``rate`` event rates, when it is not the current one."""
        value = self.data.get("question")
        return value if isinstance(value, str) else None

    @property
    def rating(self) -> int | None:
        value = self.data.get("rating")
        return value if isinstance(value, int) and not isinstance(value, bool) else None
