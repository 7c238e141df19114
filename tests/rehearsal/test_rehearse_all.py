"""A 45-minute rehearsal of every track runs end to end in plain mode."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.helpers import FakeClock
from viva.catalog.loader import load_catalog
from viva.rehearsal.history import question_history
from viva.rehearsal.plain import run_plain
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession
from viva.store.database import open_store

TRACKS = sorted(load_catalog().tracks)


@pytest.mark.parametrize("tid", TRACKS)
def test_every_track_rehearses_to_the_end(tid: str, tmp_path: Path) -> None:
    catalog = load_catalog()
    track = catalog.tracks[tid]
    store = open_store(tmp_path / "viva.db")
    clock = FakeClock()
    agenda = draw_agenda(catalog, track, 45, 1)
    live = LiveSession.start(store, agenda, "Grace", clock.clock())
    n = sum(len(s.questions) for s in agenda.sections)
    lines = iter([line for i in range(n) for line in (f"answer {i}\n", ".\n")])

    def readline() -> str:
        clock.advance(30)
        return next(lines, "")

    out = io.StringIO()
    assert run_plain(live, track, readline, out) == "ended"
    report = live.report().to_json()
    assert report["status"] == "ended"
    got = [q["answer"] for s in report["sections"] for q in s["questions"]]
    assert got == [f"answer {i}" for i in range(n)]
    # 30 s before each line: the first answer gets 60 s; after each '.', the 30 s
    # until the next line are spent reading its key points, with the clock stopped
    assert report["active_seconds"] == pytest.approx(60 + 30 * (n - 1))
    assert report["paused_seconds"] == pytest.approx(30 * (n - 1))
    assert sum(s["budget_seconds"] for s in report["sections"]) == 45 * 60
    assert "ended" in out.getvalue()


def test_history_steers_the_next_agenda(tmp_path: Path) -> None:
    catalog = load_catalog()
    track = catalog.tracks["go/raft-kv"]
    store = open_store(tmp_path / "viva.db")
    clock = FakeClock()
    first = draw_agenda(catalog, track, 45, 5)
    live = LiveSession.start(store, first, None, clock.clock())
    asked = []
    while (cur := live.rehearsal.current()) is not None:
        asked.append(cur[1].id)
        live.act("rate", rating=4)
        live.act("answer", text="x")
        live.finish_if_done()
    history = question_history(store, track.id)
    drawn = [q for q in asked if not q.startswith("opening-")]
    assert drawn and all(history[q].times_asked_recently == 1 for q in drawn)
    assert all(history[q].last_rating == 4 for q in drawn)
    second = draw_agenda(catalog, track, 45, 5, history)
    again = {q.id for s in second.sections for q in s.questions} & set(drawn)
    assert len(again) < len(drawn)
