"""``viva play``: a session's recorded answers, found, checked and played in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from viva.errors import VivaError
from viva.rehearsal.report import QuestionReport
from viva.rehearsal.session import replay, session_report
from viva.services.voice import audio_folder
from viva.speech.audio import file_sha256
from viva.speech.player import play_file
from viva.speech.recorder import check_device
from viva.store.database import open_store

__all__ = ["RecordedAnswer", "play_answers", "recorded_answers"]


@dataclass(frozen=True)
class RecordedAnswer:
    """One answer with recordings: its place in the agenda and its files."""

    number: int
    """1-based position among the session's agenda items, as in the report."""
    question: QuestionReport
    files: tuple[Path, ...]
    hashes: dict[str, str]
    """File name -> the SHA-256 its ``audio`` event recorded."""


def recorded_answers(session: str, question: str | None = None) -> tuple[str, list[RecordedAnswer]]:
    """The session's id and its recorded answers (only ``question``'s when given: a
    question id, or its number in the agenda)."""
    with open_store() as store:
        report = session_report(store, session)
        unfinished = replay(store, store.session(report.id)).open_recordings()
        hashes = {
            str(e.data.get("file")): str(e.data.get("sha256"))
            for e in store.events(report.id)
            if e.kind == "audio"
        }
    folder = audio_folder(report.id)
    items = [q for s in report.sections for q in s.questions]
    answers = [
        RecordedAnswer(
            n,
            q,
            tuple(folder / f for f in q.audio_files),
            {f: hashes[f] for f in q.audio_files if f in hashes},
        )
        for n, q in enumerate(items, 1)
        if q.audio_files
    ]
    if unfinished:
        names = ", ".join(name for _, name in unfinished)
        raise VivaError(
            f"session {report.id} has a recording a crash left open ({names}): "
            f"`viva resume {report.id}` makes it whole first"
        )
    if not answers:
        raise VivaError(
            f"session {report.id} has no recorded answers (record with `viva rehearse --voice`)"
        )
    if question is None:
        return report.id, answers
    chosen = [
        a
        for a in answers
        if a.question.question_id == question or (question.isdigit() and a.number == int(question))
    ]
    if not chosen:
        known = ", ".join(f"{a.number} {a.question.question_id}" for a in answers)
        raise VivaError(f"question {question!r} has no recording in {report.id}; recorded: {known}")
    return report.id, chosen


Say = Callable[[str], None]


def play_answers(answers: list[RecordedAnswer], say: Say, device: str | None = None) -> float:
    """Play each answer's files in order, saying which before each; seconds played.

    A file changed since it was recorded (its hash differs from the event's) is
    still played, with a warning; a missing one is skipped with a warning, and
    when none could be played that is the error.
    """
    check_device(device, output=True)
    played = 0.0
    missing: list[Path] = []
    for answer in answers:
        q = answer.question
        say(f"{answer.number}. {q.question_id}: {q.prompt}")
        for path in answer.files:
            if not path.is_file():
                missing.append(path)
                say(f"! {path}: the recording is not there (deleted or moved); skipped")
                continue
            expected = answer.hashes.get(path.name)
            if expected and file_sha256(path) != expected:
                say(f"! {path.name} changed since it was recorded (its hash differs)")
            say(f"  playing {path.name}")
            played += play_file(path, device)
    if missing and len(missing) == sum(len(a.files) for a in answers):
        raise VivaError(f"none of the recordings is there (first: {missing[0]})")
    return played
