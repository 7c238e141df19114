"""Spoken answers: transcription speed and recall, recording cost and dropped frames.

- Real-time factor of each engine on a 60 s clip: seconds to transcribe over
  the clip's own seconds, both measured in this run (goal <= 0.5 on 2 cores
  for the bundled pocketsphinx; the whisper engine is measured when
  faster-whisper is installed and has a model: ``viva speech setup`` fetched
  one, or ``VIVA_WHISPER_MODEL`` names one; otherwise the line says why not).
- Word recall against the text the clip says (flite's synthesized voice).
- Recording: CPU of the recording process as a share of one core, and frames
  dropped, over ``VIVA_BENCH_RECORD_SECONDS`` (default 600, a 10-minute
  answer) while speech plays into the input; the reference is the wall time of
  the same recording (goal CPU <= 5 %, dropped frames 0).

Needs flite, pulseaudio and paplay (``make audiodeps``): without a running
server it starts a private one with a null sink whose monitor is the input,
as the tests do. Exits 1 when a goal is missed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit

TEXT = (
    "the leader replicates log entries to a majority of followers before it commits them. "
    "a follower that misses heartbeats starts an election and asks the others for votes. "
    "the state machine applies committed entries in log order so every replica agrees. "
    "snapshots bound the log and let a slow follower catch up without replaying history. "
)


def clip(folder: Path, seconds: float) -> tuple[Path, str]:
    """A WAV of flite saying TEXT as many times as needed for ``seconds``."""
    one = folder / "one.wav"
    subprocess.run(["flite", "-voice", "rms", "-t", TEXT, "-o", str(one)], check=True)
    with wave.open(str(one)) as w:
        params, frames = w.getparams(), w.readframes(w.getnframes())
    repeats = max(1, int(seconds * params.framerate / params.nframes + 0.999))
    out = folder / "clip.wav"
    with wave.open(str(out), "wb") as w:
        w.setparams(params)
        w.writeframes(frames * repeats)
    return out, " ".join([TEXT] * repeats)


def private_server(folder: Path) -> subprocess.Popen[bytes]:
    socket = folder / "native"
    script = folder / "server.pa"
    script.write_text(
        f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1\n"
        "load-module module-null-sink sink_name=viva_test rate=16000 channels=1\n"
        "set-default-sink viva_test\nset-default-source viva_test.monitor\n"
    )
    os.environ.update(PULSE_SERVER=f"unix:{socket}", PULSE_RUNTIME_PATH=str(folder / "run"))
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "-F", str(script)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
            return server
        time.sleep(0.1)
    server.kill()
    raise SystemExit("the private PulseAudio server did not start")


def transcription_rows(audio: Path, said: str) -> list[tuple[str, str, str, bool | None]]:
    from viva.speech.audio import RATE, read_pcm
    from viva.speech.engines import Engine, EngineUnavailable, engine_named, transcribe_samples
    from viva.speech.figures import words_of

    samples = read_pcm(audio).samples
    seconds = len(samples) / 2 / RATE
    rows: list[tuple[str, str, str, bool | None]] = []
    engines: list[tuple[str, Engine]] = [("pocketsphinx", engine_named("pocketsphinx"))]
    try:
        engines.append(("whisper", engine_named("whisper")))
    except EngineUnavailable as why:  # not installed, or no model fetched or named
        print(f"whisper: not measured ({why})")
    for name, engine in engines:
        start = time.perf_counter()
        result = transcribe_samples(engine, samples)
        rtf = (time.perf_counter() - start) / seconds
        got = words_of(result.text)
        hits = 0
        for word in words_of(said):
            if word in got:
                got.remove(word)
                hits += 1
        rec = hits / len(words_of(said))
        goal_ok = rtf <= 0.5 if name == "pocketsphinx" else None
        print(
            f"{name}: {seconds:.1f} s clip in {rtf * seconds:.2f} s: "
            f"RTF {rtf:.3f}, recall {rec:.2f}"
        )
        rows.append(
            (f"{name} real-time factor ({seconds:.0f} s clip)", f"{rtf:.3f}", "<= 0.5", goal_ok)
        )
        rows.append((f"{name} word recall", f"{rec:.2f}", ">= 0.6", rec >= 0.6))
    return rows


def recording_rows(
    audio: Path, seconds: float, folder: Path
) -> list[tuple[str, str, str, bool | None]]:
    from viva.speech.audio import RATE
    from viva.speech.recorder import Recorder

    rec = Recorder(folder / "long.flac")
    player = subprocess.Popen(
        ["sh", "-c", f"while true; do paplay '{audio}'; done"], stdout=subprocess.DEVNULL
    )
    try:
        rec.start()
        while rec.started_at is None:  # the device's start-up latency is not a drop
            time.sleep(0.01)
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        wall0, frames0 = time.monotonic(), rec.seconds * RATE
        time.sleep(seconds)
        wall = time.monotonic() - wall0
        frames = rec.seconds * RATE - frames0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        done = rec.stop()
    finally:
        player.kill()
        subprocess.run(["pkill", "-f", f"paplay {audio}"], check=False)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    share = cpu / wall
    # Frames heard against the wall clock over the same span; a block of slack at each end.
    missing = max(0, int(wall * RATE - frames) - 2 * (RATE // 20))
    print(
        f"recording {wall:.0f} s: CPU {cpu:.2f} s ({share:.1%} of a core), "
        f"{done.seconds:.1f} s recorded, overflows {done.dropped}, "
        f"{(folder / 'long.flac').stat().st_size / 1e6:.1f} MB"
    )
    return [
        (
            f"recording CPU, share of a core ({wall:.0f} s)",
            f"{share:.3f}",
            "<= 0.05",
            share <= 0.05,
        ),
        ("recording dropped frames", str(done.dropped + missing), "0", done.dropped + missing == 0),
    ]


def main() -> int:
    record_seconds = float(os.environ.get("VIVA_BENCH_RECORD_SECONDS", "600"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = None
        if not os.environ.get("PULSE_SERVER"):
            server = private_server(folder)
        try:
            audio, said = clip(folder, 60.0)
            rows = transcription_rows(audio, said)
            rows += recording_rows(audio, record_seconds, folder)
        finally:
            if server is not None:
                server.terminate()
    emit("speech.py", rows)
    for metric, figure, goal, ok in rows:
        print(f"  {metric}: {figure} (goal {goal}) {'ok' if ok or ok is None else 'MISSED'}")
    return 0 if all(ok is not False for ok in rows_ok(rows)) else 1


def rows_ok(rows: list[tuple[str, str, str, bool | None]]) -> list[bool | None]:
    return [ok for *_, ok in rows]


if __name__ == "__main__":
    raise SystemExit(main())
