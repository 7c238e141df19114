"""A spoken rehearsal: one recording per answer, transcribed in the background.

:class:`VoiceSession` is what the plain line mode and the screen call: it
starts a recording when a question is put, closes it when the answer ends (or
the clock stops), journals ``record`` and ``audio`` events, and hands the
question's recordings to a child process (viva.speech.worker) that transcribes them, so neither
the clock nor the input loop waits. Finished transcripts are journaled as
``transcript`` events by :meth:`collect`, on the caller's thread (the store
has one writer). After a crash, :meth:`recover` makes every recording that was
left open a complete file, keeping what reached the disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from viva.locations import audio_root
from viva.rehearsal.session import LiveSession
from viva.speech.audio import RATE, file_sha256, salvage
from viva.speech.figures import SpeechFigures
from viva.speech.recorder import Recorder, check_device

__all__ = ["VoiceSession", "audio_folder", "delete_audio"]


def audio_folder(session_id: str) -> Path:
    """Where a session's recordings live: ``$VIVA_HOME/audio/<session>/``."""
    return audio_root() / session_id


def delete_audio(session_id: str) -> bool:
    folder = audio_folder(session_id)
    if folder.is_dir():
        shutil.rmtree(folder)
        return True
    return False


class VoiceSession:
    def __init__(
        self,
        live: LiveSession,
        device: str | None = None,
        engine: str = "pocketsphinx",
        model: Path | None = None,
    ) -> None:
        check_device(device)  # VoiceUnavailable before anything is recorded
        self.live = live
        self.device = device
        self.engine = engine
        self.model = str(model) if model else None
        self.folder = audio_folder(live.id)
        self.recorder: Recorder | None = None
        self.question: str | None = None
        self._pending: list[tuple[str, subprocess.Popen[str]]] = []

    # --- recording --------------------------------------------------------

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    @property
    def level(self) -> float:
        return self.recorder.level if self.recorder else 0.0

    @property
    def seconds(self) -> float:
        return self.recorder.seconds if self.recorder else 0.0

    def start(self, question: str) -> str:
        """Start recording the answer to ``question``; the file's name."""
        if self.recorder is not None:
            self.stop()
        q = self.live.rehearsal.find(question)
        part = len(q.audio_files) + 1 if q is not None else 1
        name = f"{question}-{part}.flac"
        self.live.act("record", question=question, file=name)
        recorder = Recorder(self.folder / name, self.device)
        recorder.start()
        self.recorder, self.question = recorder, question
        return name

    def stop(self) -> tuple[str, float] | None:
        """Close the recording (if one runs); its name and seconds."""
        recorder, question = self.recorder, self.question
        if recorder is None or question is None:
            return None
        self.recorder = self.question = None
        done = recorder.stop()
        self.live.act(
            "audio",
            question=question,
            file=done.file.name,
            seconds=round(done.seconds, 3),
            sha256=done.sha256,
        )
        return done.file.name, done.seconds

    def recover(self) -> list[str]:
        """Close every recording a crash left open; a line for each."""
        lines = []
        for question, name in self.live.rehearsal.open_recordings():
            path = self.folder / name
            if not path.is_file():
                continue
            audio = salvage(path)
            self.live.act(
                "audio",
                question=question,
                file=name,
                seconds=round(audio.seconds, 3),
                sha256=file_sha256(path),
                recovered=True,
            )
            lines.append(f"recovered {audio.seconds:.1f} s of {name}")
        return lines

    # --- transcription ----------------------------------------------------

    def transcribe(self, question: str) -> None:
        """Start transcribing the question's recordings in a child process."""
        q = self.live.rehearsal.find(question)
        if q is None or not q.audio_files:
            return
        paths = [str(self.folder / name) for name in q.audio_files]
        child = subprocess.Popen(
            [sys.executable, "-m", "viva.speech.worker", self.engine, self.model or "-", *paths],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._pending.append((question, child))

    def collect(self, wait: bool = False) -> list[str]:
        """Journal the transcripts that are ready (all of them with ``wait``)."""
        lines: list[str] = []
        still: list[tuple[str, subprocess.Popen[str]]] = []
        for question, child in self._pending:
            if not wait and child.poll() is None:
                still.append((question, child))
                continue
            out, err = child.communicate()
            try:
                data = json.loads(out) if child.returncode == 0 else None
            except ValueError:
                data = None
            if not isinstance(data, dict):
                reason = err.strip().splitlines()[-1] if err.strip() else "no result"
                lines.append(f"! transcription of {question} failed: {reason}")
                continue
            result = SpeechFigures.from_event_data(data)
            self.live.act("transcript", question=question, **result.event_data())
            lines.append(
                f"transcribed {question}: {result.words} words, "
                f"{result.words_per_minute:.0f} per minute, {result.filler_count} fillers"
            )
        self._pending = still
        return lines

    def close(self) -> list[str]:
        """Stop any recording, wait for the transcripts, end the worker."""
        self.stop()
        return self.collect(wait=True)


BYTES_PER_HOUR = RATE * 2 * 3600
"""Raw 16 kHz 16-bit mono; FLAC keeps speech at about half of it."""
