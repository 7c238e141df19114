"""Test helpers: a hand-driven clock, small agendas built from real questions, and
plain-mode rehearsals driven line by line."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from viva.catalog.loader import load_catalog
from viva.clock import Clock
from viva.rehearsal.agenda import Agenda, PlannedQuestion, PlannedSection
from viva.rehearsal.plain import run_plain
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession
from viva.store.database import Store, open_store

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


def start_live(
    store: Store,
    seed: int = 1,
    candidate: str | None = None,
    clock: FakeClock | None = None,
    track_id: str = "go/raft-kv",
) -> LiveSession:
    """A rehearsal of the track's real 45-minute agenda for ``seed``, on a fake clock."""
    agenda = draw_agenda(load_catalog(), track_id, 45, seed)
    return LiveSession.start(store, agenda, candidate, (clock or FakeClock()).clock())


def play_plain(
    db: Path,
    script: Iterable[str | tuple[float, str]],
    seed: int = 1,
    track_id: str = "go/raft-kv",
) -> tuple[LiveSession, str]:
    """Drive plain mode with lines (``"text"`` or ``(seconds before it, "text")``,
    newline added) until they run out (end of input); return the session and
    what it printed."""
    clock = FakeClock()
    live = start_live(open_store(db), seed, clock=clock, track_id=track_id)
    lines: Iterator[str | tuple[float, str]] = iter(script)

    def readline() -> str:
        item = next(lines, None)
        if item is None:
            return ""
        wait, text = item if isinstance(item, tuple) else (0.0, item)
        clock.advance(wait)
        return text + "\n"

    out = io.StringIO()
    run_plain(live, load_catalog().tracks[track_id], readline, out)
    return live, out.getvalue()
