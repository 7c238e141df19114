"""How an answer was said: words, speaking rate, filler words and the longest pause.

Pure functions over a transcript and the voice-activity spans of its audio;
the rehearsal engine, reports and stats read :class:`SpeechFigures`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FILLERS", "SpeechFigures", "count_fillers", "figures", "words_of"]

FILLERS: tuple[str, ...] = (
    "um",
    "uh",
    "er",
    "erm",
    "like",
    "you know",
    "basically",
    "actually",
    "i mean",
    "kind of",
    "sort of",
    "so",
)
"""Filler words and phrases counted in an answer. ``so`` counts only where it
opens the answer or a sentence ("so… the leader"), not in "so that"."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)so\b(?!\s+that\b)")


def words_of(text: str) -> list[str]:
    """The words of a transcript, lower-cased, punctuation dropped
    (pocketsphinx's alternate pronunciations such as ``the(2)`` are one word)."""
    return _WORD.findall(re.sub(r"\(\d+\)", "", text.lower()))


def count_fillers(text: str) -> dict[str, int]:
    """Each filler that occurs in ``text`` with its count (none: an empty mapping)."""
    lowered = text.lower()
    words = words_of(lowered)
    joined = f" {' '.join(words)} "
    counts: dict[str, int] = {}
    for filler in FILLERS:
        if filler == "so":
            n = len(_SENTENCE_START.findall(lowered.strip()))
        else:
            n = joined.count(f" {filler} ")
        if n:
            counts[filler] = n
    return counts


@dataclass(frozen=True)
class SpeechFigures:
    """The figures of one spoken answer (DESIGN.md's ``viva transcribe --json``)."""

    engine: str
    text: str
    seconds: float
    """Length of the audio."""
    speaking_seconds: float
    """Time the voice-activity detector heard speech."""
    words: int
    longest_pause_seconds: float
    """The longest silence between the first and the last speech heard."""
    fillers: Mapping[str, int] = field(default_factory=dict)

    @property
    def words_per_minute(self) -> float:
        """Words over the answer's length: the rate a listener hears."""
        return self.words * 60.0 / self.seconds if self.seconds > 0 else 0.0

    @property
    def filler_count(self) -> int:
        return sum(self.fillers.values())

    @property
    def fillers_per_minute(self) -> float:
        return self.filler_count * 60.0 / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "text": self.text,
            "seconds": round(self.seconds, 3),
            "speaking_seconds": round(self.speaking_seconds, 3),
            "words": self.words,
            "words_per_minute": round(self.words_per_minute, 1),
            "fillers": dict(self.fillers),
            "longest_pause_seconds": round(self.longest_pause_seconds, 3),
        }

    def event_data(self) -> dict[str, str | int | float]:
        """The flat data of a ``transcript`` event (fillers as a JSON object)."""
        return {
            "engine": self.engine,
            "text": self.text,
            "seconds": round(self.seconds, 3),
            "speaking_seconds": round(self.speaking_seconds, 3),
            "words": self.words,
            "longest_pause_seconds": round(self.longest_pause_seconds, 3),
            "fillers": json.dumps(dict(self.fillers), sort_keys=True),
        }

    @classmethod
    def from_event_data(cls, data: Mapping[str, object]) -> SpeechFigures:
        def num(key: str) -> float:
            value = data.get(key)
            return float(value) if isinstance(value, int | float) else 0.0

        raw = data.get("fillers")
        try:
            parsed = json.loads(raw) if isinstance(raw, str) else {}
        except ValueError:
            parsed = {}
        fillers = (
            {str(k): int(v) for k, v in parsed.items() if isinstance(v, int)}
            if isinstance(parsed, dict)
            else {}
        )
        text = data.get("text")
        engine = data.get("engine")
        return cls(
            engine=engine if isinstance(engine, str) else "",
            text=text if isinstance(text, str) else "",
            seconds=num("seconds"),
            speaking_seconds=num("speaking_seconds"),
            words=int(num("words")),
            longest_pause_seconds=num("longest_pause_seconds"),
            fillers=fillers,
        )


def figures(
    engine: str, text: str, seconds: float, spans: Sequence[tuple[float, float]]
) -> SpeechFigures:
    """The figures of a transcript of ``seconds`` of audio whose speech lies in ``spans``.

    When the voice-activity detector heard no speech at all, a decoder's guess
    (pocketsphinx names a word even in digital silence) is not kept: no words,
    and the whole recording is one pause.
    """
    speaking = sum(end - start for start, end in spans)
    pauses = [b[0] - a[1] for a, b in itertools.pairwise(spans)]
    if not spans:
        text, pauses = "", [seconds]
    return SpeechFigures(
        engine=engine,
        text=text,
        seconds=seconds,
        speaking_seconds=speaking,
        words=len(words_of(text)),
        longest_pause_seconds=max(pauses, default=0.0),
        fillers=count_fillers(text),
    )
