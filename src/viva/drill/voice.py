"""A spoken drill as its front ends see it: a recording per card, then what was heard.

The drill's plain mode and its screen only know the :class:`Voice` protocol;
the recording, the transcription in a child process and the key-point hint
live in ``viva.services.drill_voice``, a layer up, because the hint is the
candidate packet's (``viva.packet.coverage``). What a spoken answer left is a
:class:`SpokenAnswer`, which ``DrillSession.rate`` keeps with the review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from viva.drill.cards import DrillCard
from viva.speech.figures import SpeechFigures

__all__ = ["SpokenAnswer", "Voice"]


@dataclass(frozen=True)
class SpokenAnswer:
    """One card's recording and, once transcribed, how it was said."""

    file: str
    """The recording, relative to ``$VIVA_HOME/audio/``."""
    seconds: float
    figures: SpeechFigures | None
    """``None`` when the transcription failed (``failure`` says why)."""
    failure: str = ""
    covered: tuple[tuple[str, bool], ...] = ()
    """Each key point of the card's question and whether the answer seems to cover
    it: the packet's keyword hint, not a grade."""

    def answer(self, typed: str) -> str:
        """What the review keeps as the answer: the typed text, or the transcript
        when nothing was typed (a drill answered aloud)."""
        if typed.strip() or self.figures is None:
            return typed
        return self.figures.text


class Voice(Protocol):
    """What a drill front end needs of a spoken drill (``DrillVoice``)."""

    @property
    def recording(self) -> bool: ...

    @property
    def level(self) -> float: ...

    @property
    def seconds(self) -> float: ...

    def start(self, card: DrillCard) -> str:
        """Record the card's answer; the file's name."""
        ...

    def stop(self) -> tuple[str, float] | None:
        """Close the recording, if one runs: its name and seconds."""
        ...

    def transcribe(self, card: DrillCard, typed: str) -> bool:
        """Transcribe the card's last recording in the background; False when there
        is none."""
        ...

    @property
    def transcribing(self) -> bool: ...

    def heard(self, wait: bool = False) -> SpokenAnswer | None:
        """The transcribed answer once it is ready (``wait`` for it), else ``None``."""
        ...

    def close(self) -> None:
        """Stop recording and transcribing: the file is complete, no child is left."""
        ...
