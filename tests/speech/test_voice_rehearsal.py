"""A spoken rehearsal in plain mode, end to end: record, transcribe, crash, resume, report."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.conftest import env_with, kill_9, viva_exe
from tests.speech.conftest import SENTENCES, AudioServer, Speak, recall

pytestmark = pytest.mark.slow


def _spawn(args: list[str], server: AudioServer, home: Path) -> pexpect.spawn:
    env = dict(server.env)
    env.update(env_with(VIVA_HOME=str(home), PULSE_SERVER=server.env["PULSE_SERVER"]))
    return pexpect.spawn(viva_exe(), args, env=env, encoding="utf-8", timeout=60)


def _report(home: Path, session: str, server: AudioServer) -> dict[str, object]:
    env = dict(server.env)
    env["VIVA_HOME"] = str(home)
    out = subprocess.run(
        [viva_exe(), "report", session, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, object] = json.loads(out.stdout)
    return data


def test_an_answer_spoken_aloud_is_recorded_transcribed_and_reported(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    child = _spawn(
        ["rehearse", "go/raft-kv", "--voice", "--plain", "--seed", "1"], audio_server, viva_home
    )
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(r"recording: answer aloud.*\((\S+\.flac)\)")
    name = child.match.group(1)
    audio_server.play(speech(SENTENCES[0])).wait(30)
    child.sendline(".")
    child.expect("recording stopped")
    child.sendline(":end")
    child.expect(r"transcribed opening-architecture: (\d+) words")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (viva_home / "audio" / session / name).is_file()
    first = _report(viva_home, session, audio_server)["sections"][0]["questions"][0]  # type: ignore[index]
    audio = first["audio"]
    assert audio["file"] == name
    assert recall(audio["text"], SENTENCES[0]) >= 0.5, audio["text"]
    assert audio["words"] > 5 and audio["words_per_minute"] > 60
    assert 2.0 < audio["speaking_seconds"] <= audio["seconds"]

    # Both packets print the transcript with the key points and the speech figures.
    from pypdf import PdfReader

    env = dict(audio_server.env)
    env["VIVA_HOME"] = str(viva_home)
    for kind in ("candidate", "reviewer"):
        pdf = viva_home / f"{kind}.pdf"
        subprocess.run(
            [viva_exe(), "packet", session, "--kind", kind, "-o", str(pdf)],
            env=env,
            check=True,
            capture_output=True,
        )
        text = " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
        flat = " ".join(text.split())
        assert f"{audio['words']} words" in flat, kind
        assert "transcribed by pocketsphinx" in flat, kind
        assert " ".join(audio["text"].split()[:3]) in flat, kind


def test_kill_9_mid_answer_then_resume_keeps_the_recording_and_goes_on(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    child = _spawn(
        ["rehearse", "go/raft-kv", "--voice", "--plain", "--seed", "2"], audio_server, viva_home
    )
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(r"recording: answer aloud.*\((\S+\.flac)\)")
    first = child.match.group(1)
    audio_server.play(speech(SENTENCES[0])).wait(30)
    kill_9(child)
    cut = viva_home / "audio" / session / first
    assert cut.stat().st_size > 0

    again = _spawn(["resume", session, "--plain"], audio_server, viva_home)
    again.expect(r"recovered (\d+\.\d) s of " + first.replace(".", r"\."))
    recovered = float(again.match.group(1))
    again.expect(r"recording: answer aloud.*\((\S+\.flac)\)")
    second = again.match.group(1)
    assert second != first
    audio_server.play(speech(SENTENCES[1])).wait(30)
    again.sendline(".")
    again.expect("recording stopped")
    again.sendline(":end")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0
    q = _report(viva_home, session, audio_server)["sections"][0]["questions"][0]  # type: ignore[index]
    assert q["audio"]["files"] == [first, second]
    assert recovered >= 4.0  # the clip is over 5 s: all but the last second survived
    said = " ".join(SENTENCES)
    assert recall(q["audio"]["text"], said) >= 0.5, q["audio"]["text"]


def test_without_a_usable_device_the_rehearsal_says_why_and_stays_typed(
    audio_server: AudioServer, viva_home: Path
) -> None:
    env = dict(audio_server.env)
    env["VIVA_HOME"] = str(viva_home)
    out = subprocess.run(
        [
            viva_exe(),
            "rehearse",
            "go/raft-kv",
            "--plain",
            "--voice",
            "--input-device",
            "no-such-mic",
            "--seed",
            "1",
        ],
        input="typed answer\n.\n:end\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "cannot record" in out.stderr and "continues typed" in out.stderr
    assert "recording:" not in out.stdout
    assert "Traceback" not in out.stderr


def test_a_reviewed_peer_defense_records_the_candidate_while_the_reviewer_scores(
    audio_server: AudioServer, speech: Speak, viva_home: Path
) -> None:
    """One machine for a peer rehearsal: the candidate speaks, the reviewer scores."""
    child = _spawn(
        ["review", "go/raft-kv", "--candidate", "Ada", "--voice", "--plain", "--seed", "1"],
        audio_server,
        viva_home,
    )
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(r"recording: answer aloud.*\((\S+\.flac)\)")
    name = child.match.group(1)
    audio_server.play(speech(SENTENCES[0])).wait(30)
    child.sendline(":score 4")
    child.expect(r"scored 4 \(Strong\)")
    child.sendline(":note clear on the components")
    child.sendline(".")
    child.expect("recording stopped")
    child.sendline(":end")
    child.expect(r"transcribed opening-architecture: (\d+) words")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (viva_home / "audio" / session / name).is_file()
    rep = _report(viva_home, session, audio_server)
    first = rep["sections"][0]["questions"][0]  # type: ignore[index]
    assert (first["score"], first["notes"]) == (4, ["clear on the components"])
    assert recall(first["audio"]["text"], SENTENCES[0]) >= 0.5, first["audio"]["text"]
