"""Time, injected: monotonic seconds for durations and a UTC wall clock; calendar
days (a defense date, a day of reviews) are the user's local days (:func:`local_day`).

Rehearsals and drills take a :class:`Clock`, so their tests move time by
hand; what only stamps a date (a backup's name, a packet's cover) reads
:func:`utc_now`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

__all__ = ["Clock", "local_day", "utc_now"]


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_day(moment: datetime) -> date:
    """The user's calendar date at ``moment`` (the system time zone, ``TZ``):
    a defense date or a day of reviews is the user's day, not UTC's."""
    return moment.astimezone().date()


@dataclass
class Clock:
    """Monotonic seconds and wall time; replaced by a fake in tests."""

    mono: Callable[[], float] = field(default=time.monotonic)
    wall: Callable[[], datetime] = field(default=utc_now)
