"""Where the speaker spoke: voice-activity spans from pocketsphinx's packaged detector.

pocketsphinx ships WebRTC's detector (:class:`pocketsphinx.Vad`), offline and
with no model to fetch. Frames of 30 ms are classified, then smoothed: gaps
shorter than :data:`MERGE_GAP` join the spans around them (the breath between
words is not a pause) and spans shorter than :data:`MIN_SPAN` are dropped.
"""

from __future__ import annotations

from viva.speech.audio import RATE

__all__ = ["MERGE_GAP", "MIN_SPAN", "speech_spans"]

MERGE_GAP = 0.3
MIN_SPAN = 0.12
AGGRESSIVENESS = 2
"""WebRTC's mode, 0 (keeps most) to 3 (drops most non-speech)."""


def speech_spans(samples: bytes, rate: int = RATE) -> list[tuple[float, float]]:
    """The (start, end) seconds of speech in 16-bit mono ``samples``."""
    from pocketsphinx import Vad

    vad = Vad(AGGRESSIVENESS, rate)
    step = int(vad.frame_bytes)
    frame_seconds = step / 2 / rate
    raw: list[tuple[float, float]] = []
    start: float | None = None
    for i in range(0, len(samples) - step + 1, step):
        t = i / 2 / rate
        if vad.is_speech(samples[i : i + step]):
            if start is None:
                start = t
        elif start is not None:
            raw.append((start, t))
            start = None
    if start is not None:
        raw.append((start, len(samples) / 2 / rate))
    merged: list[tuple[float, float]] = []
    for span in raw:
        if merged and span[0] - merged[-1][1] < MERGE_GAP:
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return [s for s in merged if s[1] - s[0] >= max(MIN_SPAN, frame_seconds)]
