"""Recording through a real capture path: PortAudio → ALSA → PulseAudio null sink monitor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.speech.conftest import SENTENCES, AudioServer, Speak, recall


def test_a_recorded_answer_is_a_flac_file_with_the_words_in_it(
    audio_server: AudioServer, speech: Speak, tmp_path: Path
) -> None:
    from viva.speech.audio import file_sha256, read_pcm
    from viva.speech.engines import engine_named, transcribe_file
    from viva.speech.recorder import Recorder

    clip = speech(SENTENCES[0])
    path = tmp_path / "q-1.flac"
    recorder = Recorder(path)
    recorder.start()
    time.sleep(0.3)
    audio_server.play(clip).wait(30)
    time.sleep(0.5)
    peak_seen = recorder.level
    done = recorder.stop()
    assert path.read_bytes()[:4] == b"fLaC"
    audio = read_pcm(path)
    assert audio.complete
    assert abs(audio.seconds - done.seconds) < 0.1
    assert done.sha256 == file_sha256(path)
    assert done.dropped == 0
    assert peak_seen >= 0.0
    fig = transcribe_file(path, engine_named())
    assert recall(fig.text, SENTENCES[0]) >= 0.5, fig.text
    assert fig.speaking_seconds > 2.0


WORKER = """
import sys, time
from pathlib import Path
from viva.speech.recorder import Recorder
rec = Recorder(Path(sys.argv[1]))
rec.start()
while True:
    time.sleep(0.05)
    Path(sys.argv[2]).write_text(f"{rec.seconds:.3f}")
"""


def test_kill_9_mid_answer_keeps_all_but_the_last_second(
    audio_server: AudioServer, speech: Speak, tmp_path: Path
) -> None:
    from viva.speech.audio import read_pcm, salvage

    path = tmp_path / "q-1.flac"
    progress = tmp_path / "progress"
    child = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(path), str(progress)], env=audio_server.env
    )
    try:
        deadline = time.monotonic() + 20
        while not progress.exists() or float(progress.read_text() or 0) < 3.0:
            assert child.poll() is None, "the recorder died"
            assert time.monotonic() < deadline, "the recorder recorded nothing"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    recorded = float(progress.read_text())
    cut = read_pcm(path)
    assert not cut.complete or cut.seconds > 0
    assert cut.seconds >= recorded - 1.0, (cut.seconds, recorded)
    kept = salvage(path)
    assert read_pcm(path).complete
    assert abs(read_pcm(path).seconds - kept.seconds) < 0.01


def test_devices_are_listed_and_a_bad_one_is_refused(audio_server: AudioServer) -> None:
    from viva.speech.recorder import VoiceUnavailable, check_device, input_devices

    devices = input_devices()
    assert any(d.default for d in devices)
    check_device(None)
    with pytest.raises(VoiceUnavailable, match="viva doctor"):
        check_device("no-such-microphone")
