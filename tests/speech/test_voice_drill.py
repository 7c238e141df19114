"""A spoken drill through the real capture path: each card's answer recorded from its
prompt to the end of the answer, transcribed offline, shown before the rating and
kept with the review; a drill that cannot record says why and stays typed."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.conftest import env_with, viva_exe
from tests.speech.conftest import SENTENCES, AudioServer, Speak, recall
from viva.drill.state import ReviewRow, review_log
from viva.store.database import open_store

pytestmark = pytest.mark.slow

LAYOUT = re.compile(r"drill-\d{8}-\d{6}-[0-9a-f]{6}/go/raft-kv/[a-z0-9-]+-1\.flac")
"""``$VIVA_HOME/audio/<drill folder>/<track>/<question>-<take>.flac``."""
TYPED = "Quorum loss stops commits."


def _env(server: AudioServer, home: Path) -> dict[str, str]:
    env = dict(server.env)
    env.update(
        env_with(VIVA_HOME=str(home), PULSE_SERVER=server.env["PULSE_SERVER"], VIVA_FSRS_FUZZ="0")
    )
    return env


def _spawn(args: list[str], server: AudioServer, home: Path) -> pexpect.spawn:
    child = pexpect.spawn(
        viva_exe(), args, env=_env(server, home), encoding="utf-8", timeout=60, dimensions=(40, 400)
    )
    child.setecho(False)
    return child


def _clip_seconds(wav: Path) -> float:
    import soundfile

    return float(soundfile.info(str(wav)).duration)


def _reviews(home: Path) -> list[ReviewRow]:
    with open_store(home / "viva.db") as store:
        return review_log(store)


def _answer_aloud(
    child: pexpect.spawn, server: AudioServer, wav: Path, typed: str = ""
) -> tuple[str, float]:
    """Play ``wav`` (after typing ``typed``) while the card's answer is recorded, end
    the answer, and return the recording's name and the length the drill printed."""
    child.expect(r'recording: answer aloud, then a line holding only "\." \((\S+\.flac)\)')
    name = child.match.group(1)
    if typed:
        child.sendline(typed)
    server.play(wav).wait(30)
    return name, _stopped(child, name)


def _stopped(child: pexpect.spawn, name: str) -> float:
    child.sendline(".")
    child.expect(r"recording stopped: (\d+):(\d\d) \((\S+)\)")
    assert child.match.group(3) == name
    return int(child.match.group(1)) * 60 + int(child.match.group(2))


def test_a_drill_answered_aloud_is_recorded_transcribed_shown_and_kept_with_the_review(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    from viva.speech.audio import read_pcm

    child = _spawn(
        ["drill", "go/raft-kv", "--voice", "--plain", "--limit", "2"], audio_server, viva_home
    )
    clip = speech(SENTENCES[0])
    first, shown_seconds = _answer_aloud(child, audio_server, clip)
    child.expect("key points:")
    child.expect("transcribing the answer")
    child.expect(r"transcript: ([^\r\n]+)\r\n")
    transcript = child.match.group(1)
    child.expect(r"speech: (\d+) words · (\d+) per minute · \d+ fillers? ")
    words = int(child.match.group(1))
    child.expect(r"key points heard: \d+ of (\d+) \(a keyword hint, not a grade\)")
    child.expect(r"rate 1-4 \(1 again, 2 hard, 3 good, 4 easy\):")
    child.sendline("3")
    child.expect(r"rated 3 \(good\)")

    # The second card: typed notes beside the spoken answer; the notes are the answer.
    second, _ = _answer_aloud(child, audio_server, speech(SENTENCES[1]), TYPED)
    child.expect(r"transcript: ([^\r\n]+)\r\n")
    second_transcript = child.match.group(1)
    child.expect("rate 1-4")
    child.sendline("2")
    child.expect(r"drill saved: 2 cards rated \(1 hard, 1 good\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert recall(transcript, SENTENCES[0]) >= 0.5, transcript
    assert words > 5
    for name in (first, second):
        assert LAYOUT.fullmatch(name), name
    path = viva_home / "audio" / first
    audio = read_pcm(path)
    assert audio.complete
    # From the prompt to the "." line: the clip, plus the device's start and our typing.
    assert _clip_seconds(clip) - 0.5 <= audio.seconds <= _clip_seconds(clip) + 8
    assert abs(audio.seconds - shown_seconds) < 1.0

    spoken, typed = _reviews(viva_home)
    assert (spoken.rating, spoken.audio, spoken.answer) == (3, first, transcript)
    assert spoken.speech is not None and spoken.speech.text == transcript
    assert spoken.speech.words == words and spoken.speech.seconds == pytest.approx(audio.seconds)
    assert (typed.rating, typed.audio, typed.answer) == (2, second, TYPED)
    assert typed.speech is not None and typed.speech.text == second_transcript
    assert recall(second_transcript, SENTENCES[1]) >= 0.5, second_transcript


def test_a_failed_transcription_says_so_in_one_line_and_the_drill_goes_on(
    audio_server: AudioServer, viva_home: Path
) -> None:
    pytest.importorskip("faster_whisper")  # a test extra: installed wherever CI runs
    # A model folder that passes the up-front check but cannot load: the worker fails.
    damaged = viva_home / "models" / "faster-whisper-base.en"
    damaged.mkdir(parents=True)
    (damaged / "model.bin").write_bytes(b"not a model")
    child = _spawn(
        ["drill", "go/raft-kv", "--voice", "--plain", "--limit", "1", "--engine", "whisper"],
        audio_server,
        viva_home,
    )
    child.expect(r"recording: .*\((\S+\.flac)\)")
    name = child.match.group(1)
    _stopped(child, name)
    child.expect(r"! transcription failed: [^\r\n]*cannot load this model[^\r\n]*\r\n")
    child.expect("rate 1-4")
    child.sendline("1")
    child.expect(r"drill saved: 1 card rated")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (row,) = _reviews(viva_home)
    assert (row.rating, row.audio, row.answer, row.speech) == (1, name, None, None)
    assert (viva_home / "audio" / name).is_file()


@pytest.mark.parametrize("leave", ["end of input", "ctrl-c"])
def test_leaving_mid_recording_closes_the_file_cleanly(
    audio_server: AudioServer, speech: Speak, viva_home: Path, leave: str
) -> None:
    from viva.speech.audio import read_pcm

    child = _spawn(["drill", "go/raft-kv", "--voice", "--plain"], audio_server, viva_home)
    child.expect(r"recording: .*\((\S+\.flac)\)")
    name = child.match.group(1)
    path = viva_home / "audio" / name
    clip = speech(SENTENCES[1])
    audio_server.play(clip).wait(30)  # the answer, cut before its "." line
    if leave == "end of input":
        child.sendeof()
        child.expect(rf"recording stopped: 0:0\d \({re.escape(name)}\)")
        child.expect("drill saved: 0 cards rated")
    else:
        child.kill(signal.SIGINT)
        child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == (0 if leave == "end of input" else 130)
    audio = read_pcm(path)
    assert audio.complete, "the FLAC file was finished, not cut"
    assert _clip_seconds(clip) - 1.0 <= audio.seconds <= _clip_seconds(clip) + 8
    assert _reviews(viva_home) == []


def test_without_a_usable_device_the_drill_says_why_and_stays_typed(
    audio_server: AudioServer, viva_home: Path
) -> None:
    out = subprocess.run(
        [
            viva_exe(),
            "drill",
            "go/raft-kv",
            "--plain",
            "--voice",
            "--input-device",
            "no-such-mic",
            "--limit",
            "1",
        ],
        input="typed answer\n.\n3\n",
        env=_env(audio_server, viva_home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    (line,) = [line for line in out.stderr.splitlines() if line.startswith("viva:")]
    assert line.startswith("viva: input device 'no-such-mic' cannot record")
    assert line.endswith("; this drill continues typed")
    assert "recording" not in out.stdout and "transcri" not in out.stdout
    assert "rated 3 (good)" in out.stdout
    (row,) = _reviews(viva_home)
    assert (row.answer, row.audio, row.speech) == ("typed answer", None, None)
    assert not (viva_home / "audio").exists()


async def test_the_screen_meters_the_answer_and_a_rating_waits_for_its_transcript(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    from tests.tui.test_rehearsal_screen import shown
    from viva.catalog.loader import load_catalog
    from viva.drill.scheduler import make_scheduler
    from viva.drill.session import DrillSession
    from viva.services.drill_voice import DrillVoice
    from viva.speech.audio import read_pcm
    from viva.tui.screens.drill import build_drill_app

    track = load_catalog().tracks["go/raft-kv"]
    with open_store() as store:
        run = DrillSession(store, [track], limit=2, scheduler=make_scheduler(fuzzing=False))
        voice = DrillVoice()
        app = build_drill_app(run, voice)
        async with app.run_test(size=(100, 40)) as pilot:
            player = audio_server.play(speech(SENTENCES[1]))
            await pilot.pause(1.5)
            assert voice.recording
            assert "● rec 0:0" in shown(app.query_one("#voice"))
            while player.poll() is None:
                await pilot.pause(0.2)
            await pilot.press("ctrl+n")  # the answer ends: the recording closes
            assert not voice.recording and voice.transcribing
            assert "recording stopped" in shown(app.query_one("#voice"))
            assert "transcribing the answer" in shown(app.query_one("#back-text"))
            await pilot.press("3")  # before the transcript is ready: it waits for it
            assert app.phase == "saving" and run.rated == 0
            for _ in range(150):
                if run.rated:
                    break
                await pilot.pause(0.2)
            assert run.rated == 1 and voice.recording  # the next card's answer
            await pilot.pause(1.0)
            await pilot.press("ctrl+n", "2")
            assert app.phase == "saving"
            await pilot.press("ctrl+q")  # leaving: the rating given waits for its transcript
        voice.close()
        row, quit_row = review_log(store)
    assert app.return_value == 2 and (row.rating, quit_row.rating) == (3, 2)
    assert quit_row.audio is not None and quit_row.speech is not None
    assert row.audio is not None and LAYOUT.fullmatch(row.audio)
    assert row.speech is not None and row.answer == row.speech.text
    assert recall(row.speech.text, SENTENCES[1]) >= 0.5, row.speech.text
    assert read_pcm(viva_home / "audio" / row.audio).complete
