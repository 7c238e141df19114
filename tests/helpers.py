"""Test helpers: a hand-driven clock and small agendas built from real questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from viva.catalog.loader import load_catalog
from viva.clock import Clock
from viva.rehearsal.agenda import Agenda, PlannedQuestion, PlannedSection

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
"""A fixed moment for tests that pass explicit datetimes (drill, stats)."""


@dataclass
class FakeClock:
    """Monotonic and wall time that move only when a test says so (the one fake clock)."""

    t: float = 1000.0
    start: datetime = field(default_factory=lambda: datetime(2026, 11, 28, 9, 0, tzinfo=UTC))

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """Move both clocks: ``advance(30)`` or ``advance(days=2)``."""
        self.t += seconds + timedelta(**delta).total_seconds()

    def mono(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.t - 1000.0)

    @property
    def now(self) -> datetime:
        return self.wall()

    def clock(self) -> Clock:
        return Clock(mono=self.mono, wall=self.wall)


def small_agenda(track_id: str = "go/raft-kv", per_section: tuple[int, ...] = (2, 1)) -> Agenda:
    """An agenda of real questions of the track: (2, 1) is two sections of 2 and 1,
    with budgets of 5 and 10 minutes."""
    questions = list(load_catalog().tracks[track_id].questions)
    sections = []
    i = 0
    for n, count in enumerate(per_section):
        qs = questions[i : i + count]
        i += count
        sections.append(
            PlannedSection(
                id=f"s{n + 1}",
                title=f"Section {n + 1}",
                budget_seconds=300 * (n + 1),
                categories=tuple(dict.fromkeys(q.category for q in qs)),
                questions=tuple(
                    PlannedQuestion(q.id, q.category, q.kind, q.prompt, q.minutes) for q in qs
                ),
            )
        )
    minutes = sum(s.budget_seconds for s in sections) // 60
    return Agenda(track=track_id, minutes=minutes, seed=7, sections=tuple(sections))
