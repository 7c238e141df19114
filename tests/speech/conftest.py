"""A real capture path for the recording tests, and real speech to play into it.

``audio_server`` starts a private PulseAudio server (its own socket under a
temporary folder) with a null sink whose monitor is the default input, so
PortAudio, through ALSA's pulse plugin, records whatever ``paplay`` plays into
the sink. ``speech`` synthesizes sentences with flite. The Makefile's
``audiodeps`` installs all of it; without it these tests skip, except under CI,
where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import FakeClock
from viva.rehearsal.session import LiveSession

TOOLS = ("pulseaudio", "pactl", "paplay", "flite")

SENTENCES = (
    "the leader replicates log entries to a majority of followers before it commits them",
    "a follower that misses heartbeats starts an election",
)


def _require(tools: tuple[str, ...]) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        message = f"missing {', '.join(missing)}: run `make audiodeps`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _rescan_devices() -> None:
    """PortAudio lists devices once, when it starts: if an earlier test in this process
    (``viva doctor``) started it before the server was up, start it again (the
    re-scan sounddevice documents)."""
    import sys

    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


@dataclass(frozen=True)
class AudioServer:
    env: dict[str, str]

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        """Play ``wav`` into the null sink (what the recorder hears)."""
        return subprocess.Popen(["paplay", "--device=viva_test", str(wav)], env=self.env)


@pytest.fixture(scope="session")
def audio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AudioServer]:
    _require(TOOLS)
    base = tmp_path_factory.mktemp("pulse")
    socket = base / "native"
    script = base / "server.pa"
    script.write_text(
        f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1\n"
        "load-module module-null-sink sink_name=viva_test rate=16000 channels=1\n"
        "set-default-sink viva_test\n"
        "set-default-source viva_test.monitor\n"
    )
    env = dict(os.environ)
    env.update(
        PULSE_SERVER=f"unix:{socket}",
        PULSE_RUNTIME_PATH=str(base / "run"),
        PULSE_STATE_PATH=str(base / "state"),
        PULSE_COOKIE=str(base / "cookie"),
    )
    server = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--log-target=stderr",
            "--log-level=error",
            "-F",
            str(script),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("the test PulseAudio server did not start")
        time.sleep(0.1)
    saved = {k: os.environ.get(k) for k in ("PULSE_SERVER", "PULSE_RUNTIME_PATH")}
    os.environ["PULSE_SERVER"] = env["PULSE_SERVER"]
    os.environ["PULSE_RUNTIME_PATH"] = env["PULSE_RUNTIME_PATH"]
    _rescan_devices()
    try:
        yield AudioServer(env)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        server.terminate()
        server.wait(10)


Speak = Callable[[str], Path]


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speak:
    """``speech("text")``: a 16 kHz WAV of flite saying it (one file per text)."""
    _require(("flite",))
    folder = tmp_path_factory.mktemp("speech")
    made: dict[str, Path] = {}

    def speak(text: str) -> Path:
        if text not in made:
            path = folder / f"{len(made)}.wav"
            subprocess.run(["flite", "-voice", "rms", "-t", text, "-o", str(path)], check=True)
            made[text] = path
        return made[text]

    return speak


def recall(heard: str, said: str) -> float:
    """Share of the said words the transcript has (each word once)."""
    from viva.speech.figures import words_of

    got = words_of(heard)
    hits = 0
    for word in words_of(said):
        if word in got:
            got.remove(word)
            hits += 1
    return hits / max(1, len(words_of(said)))


def answer_aloud(live: LiveSession, clock: FakeClock, wav: Path, seconds: float) -> tuple[str, str]:
    """Answer the current question with ``wav`` as a spoken rehearsal would record it:
    the FLAC in the session's audio folder, its ``record`` and ``audio`` events, then
    the ``.`` answer; the question id and the file name."""
    from viva.services.voice import audio_folder
    from viva.speech.audio import file_sha256, read_pcm, write_flac

    cur = live.rehearsal.current()
    assert cur is not None
    qid = cur[1].planned.id
    name = f"{qid}-1.flac"
    folder = audio_folder(live.id)
    folder.mkdir(parents=True, exist_ok=True)
    write_flac(folder / name, read_pcm(wav).samples)
    live.act("record", question=qid, file=name)
    clock.advance(seconds)
    live.act("audio", question=qid, file=name, seconds=seconds, sha256=file_sha256(folder / name))
    live.act("answer", text=".")
    return qid, name
