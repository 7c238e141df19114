"""``viva stats``: drill figures, rehearsals over time, JSON and the terminal view."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date, timedelta

import pytest
from rich.console import Console

from tests.conftest import Runner
from tests.helpers import T0, FakeClock, small_agenda
from viva.catalog.loader import load_catalog
from viva.cli.views.stats import render_stats, sparkline
from viva.drill.cards import select_cards
from viva.drill.hooks import rehearsal_ratings
from viva.drill.scheduler import make_scheduler
from viva.drill.state import rate_card, set_defense_date
from viva.drill.stats import collect_stats, stats_tracks
from viva.rehearsal.session import LiveSession
from viva.store.database import Store


def failure_ids(track_id: str) -> list[str]:
    """The track's default cards (failure scenarios and must questions), as drill has them."""
    return [c.id for c in select_cards([load_catalog().tracks[track_id]])]


def test_no_history_gives_empty_stats(run: Runner) -> None:
    result = run("stats", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["tracks"] == [] and data["cards"]["total"] == 0
    assert run("stats").out.startswith("no rehearsals or drills yet")


def test_stats_json_for_a_track_without_history(run: Runner) -> None:
    result = run("stats", "go/raft-kv", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    n = len(failure_ids("go/raft-kv"))
    assert data["tracks"] == ["go/raft-kv"]
    assert {k: data["cards"][k] for k in ("total", "due_now", "reviewed", "new")} == {
        "total": n,
        "due_now": n,
        "reviewed": 0,
        "new": n,
    }
    assert data["cards"]["due_before_defense"] is None
    assert data["weakest"] == [] and data["rehearsals"] == []


def test_stats_json_after_drilling(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(".\n3\n.\n1\n.\n4\n"))
    drilled = run("drill", "go/raft-kv", "--plain", "--until", "2099-06-01", "--limit", "3")
    assert drilled.code == 0, drilled.err
    data = json.loads(run("stats", "--json").out)
    n = len(failure_ids("go/raft-kv"))
    cards = data["cards"]
    assert data["tracks"] == ["go/raft-kv"]
    assert data["defense_dates"] == {"go/raft-kv": "2099-06-01"}  # remembered from the drill
    assert (cards["total"], cards["reviewed"], cards["reviews"]) == (n, 3, 3)
    assert cards["due_now"] == n - 3
    assert cards["due_before_defense"] == n
    assert cards["below_target"] == n
    assert 0 < cards["predicted_recall"] < 0.9
    weakest = data["weakest"]
    assert [w["last_rating"] for w in weakest] == [1, 3, 4]  # lowest predicted recall first
    assert [w["recall"] for w in weakest] == sorted(w["recall"] for w in weakest)
    assert data["reviews_by_day"][0]["count"] == 3


def test_collect_stats_with_explicit_times(store: Store) -> None:
    catalog = load_catalog()
    raft = catalog.tracks["go/raft-kv"]
    ids = failure_ids("go/raft-kv")
    s = make_scheduler(fuzzing=False)
    rate_card(store, s, ids[0], raft.id, 4, T0)  # easy: due in 8 days
    rate_card(store, s, ids[1], raft.id, 1, T0)  # again: due in a minute
    # a rehearsal-rated question of another kind becomes a card too
    other = next(q for q in raft.questions if f"{raft.id}/{q.id}" not in ids)
    rate_card(store, s, f"{raft.id}/{other.id}", raft.id, 3, T0, source="rehearsal")
    # and a card whose question was removed from the bank
    rate_card(store, s, f"{raft.id}/gone-question", raft.id, 3, T0)
    set_defense_date(store, [raft.id], date(2026, 3, 20), T0)

    now = T0 + timedelta(days=2)
    data = collect_stats(store, [raft], now).to_json()
    cards = data["cards"]
    assert cards["total"] == len(ids) + 1
    assert cards["reviewed"] == 3 and cards["retired"] == 1 and cards["reviews"] == 4
    assert cards["due_now"] == len(ids)  # all but the easy card (a first 'good' waits 10 min)
    assert cards["due_before_defense"] == len(ids) + 1  # 8 days and 10 minutes are < 19 days
    assert data["defense_dates"] == {raft.id: "2026-03-20"}
    assert data["retired"] == [{"id": f"{raft.id}/gone-question", "track": raft.id}]
    assert data["weakest"][-1]["id"] == ids[0]  # the easy card is the strongest
    # --until overrides the remembered date
    later = collect_stats(store, [raft], now, until=date(2026, 3, 3)).to_json()
    assert later["defense_dates"] == {raft.id: "2026-03-03"}
    assert later["cards"]["due_before_defense"] == len(ids)  # the easy card is due on 03-09


def test_rehearsals_over_time(store: Store) -> None:
    catalog = load_catalog()
    clock = FakeClock()
    live = LiveSession.start(
        store,
        small_agenda(per_section=(2, 1)),
        clock=clock.clock(),
        on_rate=rehearsal_ratings(store),
    )
    first = live.rehearsal.current()
    assert first is not None
    live.act("rate", rating=2)
    clock.advance(400)  # over the 300 s budget of section 1
    live.act("answer", text="a")
    clock.advance(10)
    live.act("answer", text="b")
    clock.advance(30)
    live.act("end")
    assert stats_tracks(store, catalog) == ["go/raft-kv"]
    data = collect_stats(store, [catalog.tracks["go/raft-kv"]], clock.wall()).to_json()
    (rehearsal,) = data["rehearsals"]
    assert rehearsal["id"] == live.id and rehearsal["status"] == "ended"
    s1, s2 = rehearsal["sections"]
    assert (s1["spent_seconds"], s1["budget_seconds"]) == (410, 300)
    assert (s2["spent_seconds"], s2["budget_seconds"]) == (30, 600)
    assert rehearsal["categories"] == {first[1].category: {"rated": 1, "mean_rating": 2.0}}
    assert data["categories"] == rehearsal["categories"]
    # the rehearsal rating made a drill card
    assert data["cards"]["reviewed"] == 1


def test_terminal_view_has_bars_and_sparklines(store: Store) -> None:
    catalog = load_catalog()
    raft = catalog.tracks["go/raft-kv"]
    s = make_scheduler(fuzzing=False)
    for i, cid in enumerate(failure_ids(raft.id)[:3]):
        rate_card(store, s, cid, raft.id, i + 1, T0 - timedelta(days=i))
    clock = FakeClock(start=T0)
    live = LiveSession.start(
        store, small_agenda(), clock=clock.clock(), on_rate=rehearsal_ratings(store)
    )
    clock.advance(100)
    live.act("end")
    set_defense_date(store, [raft.id], date(2026, 4, 1), T0)
    data = collect_stats(store, [raft], T0 + timedelta(hours=1))
    out = Console(file=io.StringIO(), width=120, color_system=None)
    render_stats(data, out)
    text = out.file.getvalue()  # type: ignore[attr-defined]
    assert "Drill cards" in text and "due before the defense" in text
    assert "below 90% recall, defense 2026-04-01" in text
    assert "Rehearsals" in text and "Weakest questions" in text
    assert "█" in text and "drill reviews, last 30 days:" in text
    assert sparkline([0, 1, 2, 3], 0.0) == "▁▃▆█"


def test_unknown_track_is_one_clear_error(run: Runner) -> None:
    result = run("stats", "no-such-track", "--json")
    assert result.code == 2 and "unknown track 'no-such-track'" in result.err


def test_removed_track_questions_do_not_break_stats(store: Store) -> None:
    catalog = load_catalog()
    raft = catalog.tracks["go/raft-kv"]
    cid = failure_ids(raft.id)[0]
    rate_card(store, make_scheduler(False), cid, raft.id, 3, T0)
    slim = dataclasses.replace(raft, questions=())
    data = collect_stats(store, [slim], T0).to_json()
    assert data["cards"]["total"] == 0 and data["cards"]["retired"] == 1


def test_spoken_rehearsals_give_words_and_fillers_per_minute(store: Store) -> None:
    from viva.speech.figures import SpeechFigures

    catalog = load_catalog()
    clock = FakeClock()
    typed = LiveSession.start(store, small_agenda(per_section=(1, 1)), clock=clock.clock())
    typed.act("answer", text="typed")
    typed.act("end")
    clock.advance(60)
    live = LiveSession.start(store, small_agenda(per_section=(2, 1)), clock=clock.clock())
    said = [(60.0, 150, {"um": 3}), (30.0, 60, {"like": 1, "uh": 2})]
    for seconds, words, fillers in said:
        cur = live.rehearsal.current()
        assert cur is not None
        qid = cur[1].planned.id
        live.act("record", question=qid, file=f"{qid}-1.flac")
        clock.advance(seconds)
        live.act("audio", question=qid, file=f"{qid}-1.flac", seconds=seconds, sha256="0" * 64)
        live.act("answer", text=".")
        figures = SpeechFigures("pocketsphinx", "words", seconds, seconds - 5, words, 1.5, fillers)
        live.act("transcript", question=qid, **figures.event_data())
    live.act("end")
    data = collect_stats(store, [catalog.tracks["go/raft-kv"]], clock.wall()).to_json()
    first, second = data["rehearsals"]
    assert first["speech"] is None  # a typed rehearsal has no speaking rate
    assert second["speech"] == {
        "answers": 2,
        "seconds": 90.0,
        "speaking_seconds": 80.0,
        "words": 210,
        "fillers": 6,
        "words_per_minute": 140.0,  # 210 words over 90 s of answers
        "fillers_per_minute": 4.0,
    }
    out = io.StringIO()
    stats = collect_stats(store, [catalog.tracks["go/raft-kv"]], clock.wall())
    render_stats(stats, Console(file=out, width=160, color_system=None))
    text = out.getvalue()
    assert "words/min" in text and "fillers/min" in text
    assert "140" in text and "4.0" in text and "typed" in text
