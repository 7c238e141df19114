"""Figures about question banks, and the minimums a packaged bank must meet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from viva.catalog.loader import Track
from viva.catalog.models import CATEGORY_IDS, KINDS
from viva.clock import utc_now

__all__ = ["MINIMUMS", "STALE_MONTHS", "BankStats", "bank_stats", "stale"]

STALE_MONTHS = 12
"""A question whose facts were checked longer ago than this is listed as stale."""

MINIMUMS = {
    "questions": 45,
    "categories": 5,
    "failure_scenario": 8,
    "defensible": 5,
    "cost": 3,
    "key_points_avg": 3.0,
    "follow_up_share": 1.0,
    "per_alternative_scope": 6,
}
"""What a packaged bank must hold. ``follow_up_share`` 1.0: every question has
a follow-up; ``per_alternative_scope``: questions tagged with each scope of kind
``alternative``, so a candidate who built that scope gets a defense of its own."""


@dataclass(frozen=True)
class BankStats:
    track: str
    questions: int
    by_category: dict[str, int]
    by_kind: dict[str, int]
    key_points: int
    follow_ups: int
    with_follow_ups: int
    minutes: int
    by_scope: dict[str, int] = field(default_factory=dict)
    """Questions tagged with each scope the track declares."""
    unverified: list[str] = field(default_factory=list)
    """Questions never verified, or not in the last :data:`STALE_MONTHS` months."""
    shortfalls: list[str] = field(default_factory=list)

    @property
    def key_points_avg(self) -> float:
        return self.key_points / self.questions if self.questions else 0.0

    @property
    def follow_up_share(self) -> float:
        return self.with_follow_ups / self.questions if self.questions else 0.0

    @property
    def sessions_of_60(self) -> float:
        return self.minutes / 60

    def as_json(self) -> dict[str, object]:
        return {
            "track": self.track,
            "questions": self.questions,
            "by_category": self.by_category,
            "by_kind": self.by_kind,
            "key_points": self.key_points,
            "key_points_avg": round(self.key_points_avg, 2),
            "follow_ups": self.follow_ups,
            "with_follow_ups": self.with_follow_ups,
            "minutes": self.minutes,
            "by_scope": self.by_scope,
            "sessions_of_60": round(self.sessions_of_60, 2),
            "unverified": self.unverified,
            "meets_minimums": not self.shortfalls,
            "shortfalls": self.shortfalls,
        }


def stale(verified: str | None, today: date) -> bool:
    """Never verified, or verified more than :data:`STALE_MONTHS` months before ``today``."""
    if verified is None:
        return True
    year, month = (int(x) for x in verified.split("-"))
    return (today.year - year) * 12 + (today.month - month) > STALE_MONTHS


def bank_stats(track: Track, today: date | None = None) -> BankStats:
    qs = track.questions
    today = today or utc_now().date()
    cats: Counter[str] = Counter(q.category for q in qs)
    kinds: Counter[str] = Counter(q.kind for q in qs)
    stats = BankStats(
        track=track.id,
        questions=len(qs),
        by_category={c: cats.get(c, 0) for c in CATEGORY_IDS},
        by_kind={k: kinds.get(k, 0) for k in KINDS},
        key_points=sum(len(q.key_points) for q in qs),
        follow_ups=sum(len(q.follow_ups) for q in qs),
        with_follow_ups=sum(1 for q in qs if q.follow_ups),
        minutes=sum(q.minutes for q in qs),
        by_scope={sc.id: sum(1 for q in qs if sc.id in q.scopes) for sc in track.spec.scopes},
        unverified=[q.id for q in qs if stale(q.verified, today)],
    )
    m = MINIMUMS
    checks = [
        (stats.questions >= m["questions"], f"{stats.questions} questions < {m['questions']}"),
        (len(cats) >= m["categories"], f"{len(cats)} categories < {m['categories']}"),
        (
            kinds["failure-scenario"] >= m["failure_scenario"],
            f"{kinds['failure-scenario']} failure-scenario < {m['failure_scenario']}",
        ),
        (
            kinds["defensible"] >= m["defensible"],
            f"{kinds['defensible']} defensible < {m['defensible']}",
        ),
        (
            stats.by_category["cost"] >= m["cost"],
            f"{stats.by_category['cost']} cost < {m['cost']}",
        ),
        (
            stats.key_points_avg >= m["key_points_avg"],
            f"{stats.key_points_avg:.2f} key points per question < {m['key_points_avg']}",
        ),
        (
            stats.follow_up_share >= m["follow_up_share"],
            f"follow-ups on {stats.follow_up_share:.0%} < {m['follow_up_share']:.0%}",
        ),
    ]
    checks += [
        (
            stats.by_scope[sc.id] >= m["per_alternative_scope"],
            f"{stats.by_scope[sc.id]} questions for scope {sc.id} < {m['per_alternative_scope']}",
        )
        for sc in track.spec.scopes
        if sc.kind == "alternative"
    ]
    stats.shortfalls.extend(msg for ok, msg in checks if not ok)
    return stats
