"""The recording meter both screens show while an answer is recorded."""

from __future__ import annotations

from viva.rehearsal.engine import clock_text

__all__ = ["recording_meter"]

BARS = 8


def recording_meter(seconds: float, level: float) -> str:
    """``● rec 0:42 ▮▮▮▯▯▯▯▯``: the time shows the recording runs, the bars that the
    microphone hears something (a flat meter while speaking is a wrong device)."""
    bars = max(0, min(BARS, round(level * BARS)))
    return f"● rec {clock_text(seconds)} {'▮' * bars}{'▯' * (BARS - bars)}"
