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
from collections.abc import Sequence
from pathlib import Path

from viva.errors import VivaError
from viva.locations import audio_root
from viva.rehearsal.session import LiveSession
from viva.speech.audio import RATE, file_sha256, salvage
from viva.speech.engines import worker_model
from viva.speech.figures import SpeechFigures
from viva.speech.recorder import Recorder, Recording, check_device

__all__ = [
    "Microphone",
    "VoiceSession",
    "audio_folder",
    "delete_audio",
    "start_transcriber",
    "transcript_of",
]


def audio_folder(session_id: str) -> Path:
    """Where a session's recordings live: ``$VIVA_HOME/audio/<session>/``."""
    return audio_root() / session_id


def delete_audio(session_id: str) -> bool:
    """Remove a session's recordings; a link in their place is removed, never what it
    points to. A folder that cannot be removed is one error naming it."""
    folder = audio_folder(session_id)
    try:
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.is_dir():
            shutil.rmtree(folder)
        else:
            return False
    except OSError as err:
        raise VivaError(
            f"{folder}: could not remove the session's audio ({err.strerror or err}); "
            "the session itself is deleted, remove the folder by hand"
        ) from None
    return True


def start_transcriber(
    engine: str, model: str | None, paths: Sequence[Path]
) -> subprocess.Popen[str]:
    """Transcribe ``paths`` (one answer) in a child process (viva.speech.worker), so
    transcription uses the other core and no clock or input loop waits for it."""
    return subprocess.Popen(
        [sys.executable, "-m", "viva.speech.worker", engine, model or "-", *map(str, paths)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def transcript_of(child: subprocess.Popen[str]) -> SpeechFigures | str:
    """What a transcriber printed (waiting for it to end): the answer's figures, or
    why there are none (its last line on stderr)."""
    out, err = child.communicate()
    try:
        data = json.loads(out) if child.returncode == 0 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return err.strip().splitlines()[-1] if err.strip() else "no result"
    return SpeechFigures.from_event_data(data)


class Microphone:
    """One input device recording one answer at a time: what a spoken rehearsal and
    a spoken drill share, and what their screens meter."""

    def __init__(self, device: str | None) -> None:
        check_device(device)  # VoiceUnavailable before anything is recorded
        self.device = device
        self.recorder: Recorder | None = None

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    @property
    def level(self) -> float:
        return self.recorder.level if self.recorder else 0.0

    @property
    def seconds(self) -> float:
        return self.recorder.seconds if self.recorder else 0.0

    def _record(self, path: Path) -> None:
        """Start recording into ``path``; nothing is kept running if that fails."""
        recorder = Recorder(path, self.device)
        recorder.start()
        self.recorder = recorder

    def _finish(self) -> Recording | None:
        """Close the running recording (forgotten even if closing fails)."""
        recorder, self.recorder = self.recorder, None
        return recorder.stop() if recorder is not None else None


class VoiceSession(Microphone):
    def __init__(
        self,
        live: LiveSession,
        device: str | None = None,
        engine: str = "pocketsphinx",
        model: Path | None = None,
    ) -> None:
        super().__init__(device)
        self.live = live
        self.engine = engine
        self.model = worker_model(engine, model)
        self.folder = audio_folder(live.id)
        self.question: str | None = None
        self._pending: list[tuple[str, subprocess.Popen[str]]] = []

    # --- recording --------------------------------------------------------

    def start(self, question: str) -> str:
        """Start recording the answer to ``question``; the file's name."""
        if self.recorder is not None:
            self.stop()
        q = self.live.rehearsal.find(question)
        part = len(q.audio_files) + 1 if q is not None else 1
        name = f"{question}-{part}.flac"
        self.live.act("record", question=question, file=name)
        self._record(self.folder / name)
        self.question = question
        return name

    def stop(self) -> tuple[str, float] | None:
        """Close the recording (if one runs); its name and seconds."""
        question, self.question = self.question, None
        done = self._finish()
        if done is None or question is None:
            return None
        self.live.act(
            "audio",
            question=question,
            file=done.file.name,
            seconds=round(done.seconds, 3),
            sha256=done.sha256,
        )
        return done.file.name, done.seconds

    def recover(self) -> list[str]:
        """Close every recording a crash left open, and transcribe again every
        answer whose transcript a crash cut short; a line for each."""
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
        # A transcript still running when the process died is started again.
        for section in self.live.rehearsal.sections:
            for q in section.questions:
                if q.answered and q.audio_files and q.speech is None and q.recording is None:
                    self.transcribe(q.id)
                    lines.append(f"transcribing {q.id} again (the crash cut its transcript)")
        return lines

    # --- transcription ----------------------------------------------------

    def transcribe(self, question: str) -> None:
        """Start transcribing the question's recordings in a child process."""
        q = self.live.rehearsal.find(question)
        if q is None or not q.audio_files:
            return
        paths = [self.folder / name for name in q.audio_files]
        self._pending.append((question, start_transcriber(self.engine, self.model, paths)))

    def collect(self, wait: bool = False) -> list[str]:
        """Journal the transcripts that are ready (all of them with ``wait``)."""
        lines: list[str] = []
        still: list[tuple[str, subprocess.Popen[str]]] = []
        for question, child in self._pending:
            if not wait and child.poll() is None:
                still.append((question, child))
                continue
            result = transcript_of(child)
            if isinstance(result, str):
                lines.append(f"! transcription of {question} failed: {result}")
                continue
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
