"""Recording an answer from an input device into a FLAC file, as it is spoken.

PortAudio (through sounddevice) calls back with each block of 16 kHz mono
samples; a writer thread appends them to the file and flushes at least every
:data:`FLUSH_SECONDS`, so a ``kill -9`` loses at most that much (the file is
made whole again by :func:`viva.speech.audio.salvage`). The callback only
queues bytes: nothing slow runs on PortAudio's thread.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from viva.errors import VivaError
from viva.speech.audio import RATE, file_sha256

__all__ = [
    "FLUSH_SECONDS",
    "InputDevice",
    "Recorder",
    "Recording",
    "VoiceUnavailable",
    "check_device",
    "device_arg",
    "input_devices",
    "sounddevice_module",
]

FLUSH_SECONDS = 0.25
BLOCK_FRAMES = RATE // 20  # 50 ms per callback

PORTAUDIO_ADVICE = (
    "recording needs the PortAudio library: Debian/Ubuntu `apt-get install libportaudio2`, "
    "Fedora `dnf install portaudio`, macOS `brew install portaudio`"
)


class VoiceUnavailable(VivaError):
    """No way to record here: no PortAudio, no input device, or the device refused."""


def sounddevice_module() -> ModuleType:
    """sounddevice, or :class:`VoiceUnavailable` when the PortAudio library is missing."""
    try:
        import sounddevice
    except OSError:  # sounddevice raises OSError when libportaudio is missing
        raise VoiceUnavailable(PORTAUDIO_ADVICE) from None
    module: ModuleType = sounddevice
    return module


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_rate: float
    default: bool


def input_devices() -> list[InputDevice]:
    """The devices that can record, the default one marked."""
    sd = sounddevice_module()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0]
    except sd.PortAudioError as err:
        raise VoiceUnavailable(f"PortAudio cannot list devices: {err}") from None
    return [
        InputDevice(
            index=i,
            name=str(d["name"]),
            channels=int(d["max_input_channels"]),
            default_rate=float(d["default_samplerate"]),
            default=i == default_in,
        )
        for i, d in enumerate(devices)
        if int(d["max_input_channels"]) > 0
    ]


def device_arg(device: str | None) -> int | str | None:
    if device is None or device == "":
        return None
    return int(device) if device.isdigit() else device


def check_device(device: str | None, *, output: bool = False) -> None:
    """Raise :class:`VoiceUnavailable` unless ``device`` (or the default) can record
    (or, with ``output``, play) 16 kHz mono."""
    sd = sounddevice_module()
    check = sd.check_output_settings if output else sd.check_input_settings
    try:
        check(device=device_arg(device), channels=1, dtype="int16", samplerate=RATE)
    except (sd.PortAudioError, ValueError) as err:
        side, verb, where = (
            ("output", "play", "the system's sound settings list the outputs")
            if output
            else ("input", "record", "`viva doctor` lists the devices")
        )
        which = f"{side} device {device!r}" if device else f"the default {side} device"
        raise VoiceUnavailable(f"{which} cannot {verb} ({err}); {where}") from None


@dataclass(frozen=True)
class Recording:
    file: Path
    seconds: float
    sha256: str
    dropped: int
    """Blocks PortAudio reported lost (input overflow)."""


class Recorder:
    """One answer's recording: :meth:`start`, read :attr:`level` and
    :attr:`seconds` while it runs, :meth:`stop` for the file's figures."""

    def __init__(self, path: Path, device: str | None = None) -> None:
        self.path = path
        self.device = device
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._frames = 0
        self._level = 0.0
        self._dropped = 0
        self._stream: Any = None
        self._writer: threading.Thread | None = None
        self._error: BaseException | None = None
        self._first_block_at: float | None = None
        self._np: Any = None

    @property
    def seconds(self) -> float:
        return self._frames / RATE

    @property
    def level(self) -> float:
        """Peak of the latest block, 0 (silence) to 1 (full scale)."""
        return self._level

    @property
    def started_at(self) -> float | None:
        """Monotonic time of the first block heard (the device's start-up latency before)."""
        return self._first_block_at

    @property
    def running(self) -> bool:
        return self._stream is not None

    def start(self) -> None:
        sd = sounddevice_module()
        import numpy
        import soundfile as sf

        self._np = numpy

        self.path.parent.mkdir(parents=True, exist_ok=True)
        out = sf.SoundFile(
            str(self.path), "w", samplerate=RATE, channels=1, format="FLAC", subtype="PCM_16"
        )
        self._writer = threading.Thread(target=self._write, args=(out,), daemon=True)
        self._writer.start()
        try:
            self._stream = sd.RawInputStream(
                samplerate=RATE,
                channels=1,
                dtype="int16",
                blocksize=BLOCK_FRAMES,
                device=device_arg(self.device),
                callback=self._callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as err:
            self._stream = None
            self._queue.put(None)
            self._writer.join()
            self.path.unlink(missing_ok=True)
            raise VoiceUnavailable(
                f"cannot record: {err}; `viva doctor` lists the devices"
            ) from None

    def _callback(self, indata: Any, frames: int, _time: Any, status: Any) -> None:
        if status and status.input_overflow:
            self._dropped += 1
        data = bytes(indata)
        self._queue.put(data)
        self._frames += frames
        if self._first_block_at is None:
            self._first_block_at = time.monotonic()
        samples = self._np.frombuffer(data, dtype="<i2")
        peak = int(self._np.abs(samples.astype("int32")).max()) if len(samples) else 0
        self._level = min(1.0, peak / 32767)

    def _write(self, out: Any) -> None:
        last_flush = time.monotonic()
        try:
            while True:
                try:
                    block = self._queue.get(timeout=FLUSH_SECONDS)
                except queue.Empty:
                    block = b""
                if block is None:
                    break
                if block:
                    out.buffer_write(block, dtype="int16")
                if time.monotonic() - last_flush >= FLUSH_SECONDS:
                    out.flush()
                    last_flush = time.monotonic()
        except BaseException as err:  # reported by stop(), not lost on a thread
            self._error = err
        finally:
            out.close()

    def stop(self) -> Recording:
        """Stop recording, finish the file and return its length and hash."""
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        self._queue.put(None)
        if self._writer is not None:
            self._writer.join()
            self._writer = None
        if self._error is not None:
            raise VivaError(f"{self.path}: recording failed: {self._error}")
        return Recording(
            file=self.path,
            seconds=self.seconds,
            sha256=file_sha256(self.path),
            dropped=self._dropped,
        )
