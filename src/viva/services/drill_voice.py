"""A spoken drill: each card's answer recorded, then transcribed in the background.

:class:`DrillVoice` records from when a card is shown until its answer ends,
into ``$VIVA_HOME/audio/drill-<started>-<hex>/<track>/<question>-<n>.flac``:
one folder per drill run beside the rehearsals' ``audio/<session>/`` (the
same ``<date>-<time>-<hex>`` shape as a session id, so two drills started in
the same second never share a folder), and inside it the card's id as a
path, so the folder reads like the cards; ``<n>`` counts a card's takes in
the run (a card rated again can come back). A drill keeps no event log: the
recording's name and figures reach the store with the card's review
(``DrillSession.rate``). The transcript comes from the same child process as
a rehearsal's (:func:`viva.services.voice.start_transcriber`), and is
measured against the card's key points with the candidate packet's hint.
"""

from __future__ import annotations

import secrets
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from viva.clock import utc_now
from viva.drill.cards import DrillCard
from viva.drill.voice import SpokenAnswer
from viva.locations import audio_root
from viva.packet.coverage import hint_key_points
from viva.services.voice import Microphone, start_transcriber, transcript_of
from viva.speech.engines import worker_model
from viva.speech.figures import SpeechFigures

__all__ = ["DrillVoice", "drill_folder"]


def drill_folder(started: datetime) -> str:
    """The name of a drill run's audio folder under ``$VIVA_HOME/audio/``."""
    return f"drill-{started:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class _Take:
    """A closed recording of one card's answer."""

    card: str
    file: str
    seconds: float


@dataclass(frozen=True)
class _Pending:
    """A take being transcribed, with what the candidate typed beside it."""

    card: DrillCard
    typed: str
    take: _Take
    child: subprocess.Popen[str]


def _covered(card: DrillCard, typed: str, figures: SpeechFigures) -> tuple[tuple[str, bool], ...]:
    # Typed notes and speech together, as a rehearsal report reads a spoken answer.
    said = "\n".join(text for text in (typed.strip(), figures.text) if text)
    hints = hint_key_points(said, card.question.key_points)
    return tuple((hint.text, hint.covered) for hint in hints)


class DrillVoice(Microphone):
    """The drill's side of :class:`viva.drill.voice.Voice`: one card at a time."""

    def __init__(
        self,
        device: str | None = None,
        engine: str = "pocketsphinx",
        model: Path | None = None,
        started: datetime | None = None,
    ) -> None:
        super().__init__(device)
        self.engine = engine
        self.model = worker_model(engine, model)
        self.folder = drill_folder(started or utc_now())
        self._takes: Counter[str] = Counter()
        self._running: tuple[str, str] | None = None
        """The card id and file of the recording that runs."""
        self._last: _Take | None = None
        self._pending: _Pending | None = None

    # --- recording --------------------------------------------------------

    def start(self, card: DrillCard) -> str:
        """Record the answer to ``card``; the file, relative to ``$VIVA_HOME/audio/``."""
        self.stop()
        self._takes[card.id] += 1
        name = f"{self.folder}/{card.id}-{self._takes[card.id]}.flac"
        self._record(audio_root() / name)
        self._running = (card.id, name)
        return name

    def stop(self) -> tuple[str, float] | None:
        """Close the recording, if one runs (the file is complete): its name and seconds."""
        running, self._running = self._running, None
        done = self._finish()
        if done is None or running is None:
            return None
        self._last = _Take(running[0], running[1], done.seconds)
        return running[1], done.seconds

    # --- transcription ----------------------------------------------------

    @property
    def transcribing(self) -> bool:
        return self._pending is not None

    def transcribe(self, card: DrillCard, typed: str) -> bool:
        """Start transcribing the card's last take in a child process; False when
        this card has none (voice came on later, or the recording failed)."""
        take, self._last = self._last, None
        if take is None or take.card != card.id:
            return False
        self._abandon()
        child = start_transcriber(self.engine, self.model, [audio_root() / take.file])
        self._pending = _Pending(card, typed, take, child)
        return True

    def heard(self, wait: bool = False) -> SpokenAnswer | None:
        """The transcribed answer once the child is done (with ``wait``, once it
        ends); ``None`` while it runs or when nothing is being transcribed."""
        pending = self._pending
        if pending is None or (not wait and pending.child.poll() is None):
            return None
        result = transcript_of(pending.child)
        self._pending = None
        take = pending.take
        if isinstance(result, str):
            return SpokenAnswer(take.file, take.seconds, None, failure=result)
        covered = _covered(pending.card, pending.typed, result)
        return SpokenAnswer(take.file, take.seconds, result, covered=covered)

    def _abandon(self) -> None:
        """End a transcription nobody will read (the card was left unrated)."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        if pending.child.poll() is None:
            pending.child.kill()
        pending.child.communicate()

    def close(self) -> None:
        """Stop recording and transcribing: the file is complete, no child is left."""
        try:
            self.stop()
        finally:
            self._abandon()
