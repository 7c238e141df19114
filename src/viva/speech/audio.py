"""Reading answers back: any WAV or FLAC file as 16 kHz mono 16-bit samples.

A recording cut short by a crash (``kill -9`` mid-answer) has a FLAC header
that never learned its length; :func:`read_pcm` reads frame blocks until the
data ends, so everything written before the crash is heard, and
:func:`salvage` rewrites such a file as a complete one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from viva.errors import VivaError

__all__ = ["RATE", "Audio", "AudioError", "file_sha256", "read_pcm", "salvage"]

RATE = 16_000
"""The sample rate answers are recorded at and engines listen at."""

_BLOCK = RATE  # one second of frames per read


class AudioError(VivaError):
    """An audio file that cannot be read: missing, not WAV/FLAC, or damaged at its start."""


@dataclass(frozen=True)
class Audio:
    samples: bytes
    """Signed 16-bit little-endian mono samples at :data:`RATE`."""
    source_rate: int
    complete: bool
    """False when the file ended inside its data (a recording cut short)."""

    @property
    def seconds(self) -> float:
        return len(self.samples) / 2 / RATE


def _open(path: Path) -> object:
    import soundfile as sf

    if not path.is_file():
        raise AudioError(f"{path}: no such audio file")
    try:
        return sf.SoundFile(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError) as err:
        raise AudioError(f"{path}: not a WAV or FLAC file viva can read ({err})") from None


def read_pcm(path: Path) -> Audio:
    """The file's samples, down-mixed to mono and resampled to 16 kHz."""
    import numpy as np
    import soundfile as sf

    f = _open(path)
    assert isinstance(f, sf.SoundFile)
    chunks: list[np.ndarray] = []
    complete = True
    with f:
        rate = int(f.samplerate)
        try:
            while True:
                block = f.read(_BLOCK, dtype="float32", always_2d=True)
                if len(block) == 0:
                    break
                chunks.append(block.mean(axis=1))
                if len(block) < _BLOCK:
                    break
        except (sf.LibsndfileError, RuntimeError):
            complete = False  # the data ends early: keep what was read
    mono = np.concatenate(chunks) if chunks else np.zeros(0, dtype="float32")
    if rate != RATE and len(mono):
        n = int(len(mono) * RATE / rate)
        mono = np.interp(np.arange(n) * (rate / RATE), np.arange(len(mono)), mono)
    pcm = (np.clip(mono, -1.0, 1.0) * 32767).astype("<i2")
    return Audio(samples=pcm.tobytes(), source_rate=rate, complete=complete)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_flac(path: Path, samples: bytes) -> None:
    """Write 16 kHz mono samples as a complete FLAC file (through a temporary file)."""
    import numpy as np
    import soundfile as sf

    tmp = path.with_name(f".{path.name}.tmp")
    data = np.frombuffer(samples, dtype="<i2")
    sf.write(str(tmp), data, RATE, format="FLAC", subtype="PCM_16")
    tmp.replace(path)


def salvage(path: Path) -> Audio:
    """Make a recording left open by a crash a complete file, keeping every frame that
    reached the disk; return what it now holds."""
    audio = read_pcm(path)
    if not audio.complete or audio.source_rate != RATE:
        write_flac(path, audio.samples)
    return audio
