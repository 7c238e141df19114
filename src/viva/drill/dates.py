"""The defense date: parsing ``--until`` and the moment recall is predicted for."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from viva.errors import UsageProblem

__all__ = ["defense_moment", "parse_until"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_until(text: str, today: date) -> date:
    """``YYYY-MM-DD``, today or later; anything else is a usage error (exit 2)."""
    wanted = text.strip()
    try:
        if not _DATE.fullmatch(wanted):
            raise ValueError(wanted)
        day = date.fromisoformat(wanted)
    except ValueError:
        raise UsageProblem(
            f"--until {text!r} is not a date; give the defense date as YYYY-MM-DD"
        ) from None
    if day < today:
        raise UsageProblem(
            f"--until {day.isoformat()} is in the past (today is {today.isoformat()}); "
            "give the defense date, today or later"
        )
    return day


def defense_moment(day: date, now: datetime) -> datetime:
    """When recall is predicted for: the start of the defense day in the user's
    time zone, or now if that has passed (a defense today)."""
    start = datetime.combine(day, time(0, 0)).astimezone()
    return max(start, now).astimezone(UTC)
