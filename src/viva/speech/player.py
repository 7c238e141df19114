"""Playing a recorded answer back through an output device (PortAudio, as recording).

Samples are written to a blocking output stream in short blocks, so Ctrl-C
stops playback within a block and the stream is always closed.
"""

from __future__ import annotations

from pathlib import Path

from viva.speech.audio import RATE, read_pcm
from viva.speech.recorder import VoiceUnavailable, device_arg, sounddevice_module

__all__ = ["play_file"]

_BLOCK_BYTES = RATE // 10 * 2  # 100 ms of 16-bit mono samples


def play_file(path: Path, device: str | None = None) -> float:
    """Play a WAV or FLAC file to the end; its length in seconds."""
    audio = read_pcm(path)
    sd = sounddevice_module()
    try:
        stream = sd.RawOutputStream(
            samplerate=RATE, channels=1, dtype="int16", device=device_arg(device)
        )
    except (sd.PortAudioError, ValueError) as err:
        raise VoiceUnavailable(f"cannot play {path.name}: {err}") from None
    with stream:
        samples = audio.samples
        for start in range(0, len(samples), _BLOCK_BYTES):
            stream.write(samples[start : start + _BLOCK_BYTES])
    return audio.seconds
