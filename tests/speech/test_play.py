"""``viva play``: recorded answers played back through a real output device.

The answer files are written from synthesized speech; ``viva play`` runs as its
own process and plays into the test server's null sink while a Recorder in
this process records the sink's monitor, so what is heard is what was played.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import Runner, env_with, viva_exe
from tests.helpers import FakeClock, small_agenda
from tests.speech.conftest import SENTENCES, AudioServer, Speak, answer_aloud, recall
from viva.rehearsal.session import LiveSession
from viva.speech.engines import engine_named, transcribe_file
from viva.speech.recorder import Recorder
from viva.store.database import open_store


def _voiced_session(home: Path, speech: Speak) -> tuple[str, list[str]]:
    """A session whose second agenda item was answered aloud with SENTENCES[1]."""
    clock = FakeClock()
    with open_store(home / "viva.db") as store:
        live = LiveSession.start(store, small_agenda(per_section=(2, 1)), clock=clock.clock())
        live.act("answer", text="typed opening")
        qid, name = answer_aloud(live, clock, speech(SENTENCES[1]), 5.0)
        live.act("end")
        return live.id, [qid, name]


@pytest.mark.slow
def test_play_sends_the_recorded_answer_to_the_output_device(
    audio_server: AudioServer, speech: Speak, viva_home: Path, tmp_path: Path
) -> None:
    session, (qid, name) = _voiced_session(viva_home, speech)
    heard = Recorder(tmp_path / "heard.flac")
    heard.start()
    while heard.started_at is None:
        time.sleep(0.01)
    env = dict(audio_server.env)
    env.update(env_with(VIVA_HOME=str(viva_home), PULSE_SERVER=audio_server.env["PULSE_SERVER"]))
    played = subprocess.run(
        [viva_exe(), "play", session[:-1], "2"], env=env, capture_output=True, text=True, timeout=60
    )
    time.sleep(0.3)
    heard.stop()
    assert played.returncode == 0, played.stderr
    assert f"2. {qid}:" in played.stdout and f"playing {name}" in played.stdout
    assert "played 0:0" in played.stdout
    text = transcribe_file(tmp_path / "heard.flac", engine_named()).text
    assert recall(text, SENTENCES[1]) >= 0.5, text


def test_play_names_what_is_wrong(
    audio_server: AudioServer, speech: Speak, run: Runner, viva_home: Path
) -> None:
    session, (qid, name) = _voiced_session(viva_home, speech)
    missing = run("play", session, "1")  # the typed opening has no recording
    assert missing.code == 1 and f"recorded: 2 {qid}" in missing.err
    assert run("play", session, "no-such-question").code == 1
    recording = viva_home / "audio" / session / name
    recording.write_bytes(recording.read_bytes() + b"\0")  # changed since recorded
    changed = run("play", session, qid)
    assert changed.code == 0, changed.err
    assert f"{name} changed since it was recorded" in changed.out
    recording.unlink()
    gone = run("play", session)
    assert gone.code == 1 and "Traceback" not in gone.err
    assert "is not there (deleted or moved); skipped" in gone.out
    assert "none of the recordings is there" in gone.err

    with open_store(viva_home / "viva.db") as store:
        crashed = LiveSession.start(store, small_agenda(), clock=FakeClock().clock())
        cur = crashed.rehearsal.current()
        assert cur is not None
        crashed.act("record", question=cur[1].planned.id, file="open-1.flac")  # then a crash
    open_left = run("play", crashed.id)
    assert open_left.code == 1 and f"`viva resume {crashed.id}` makes it whole" in open_left.err

    with open_store(viva_home / "viva.db") as store:
        typed = LiveSession.start(store, small_agenda(), clock=FakeClock().clock())
    none = run("play", typed.id)
    assert none.code == 1 and "has no recorded answers" in none.err
