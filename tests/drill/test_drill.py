"""Drill: deterministic FSRS scheduling, the queue, the store, rehearsal ratings,
plain mode through a real terminal, the Textual screen and the command line."""

from __future__ import annotations

import dataclasses
import io
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from fsrs import State

from tests.conftest import Runner, viva_exe
from tests.helpers import T0, FakeClock, small_agenda
from viva.catalog.loader import Track
from viva.drill.cards import select_cards
from viva.drill.dates import parse_until
from viva.drill.hooks import rehearsal_ratings
from viva.drill.plain import run_drill_plain
from viva.drill.queue import DrillQueue
from viva.drill.scheduler import CardState, make_scheduler, new_card_state, recall, review
from viva.drill.session import DrillSession
from viva.drill.state import load_states, rate_card, record_rehearsal_rating
from viva.errors import UsageProblem
from viva.rehearsal.events import InvalidEvent
from viva.rehearsal.session import LiveSession, RatedAnswer
from viva.store.database import Store, open_store


def session(
    store: Store,
    tracks: list[Track],
    clock: FakeClock,
    *,
    category: str | None = None,
    defense_date: date | None = None,
    include_all: bool = False,
    limit: int | None = None,
) -> DrillSession:
    return DrillSession(
        store,
        tracks,
        category=category,
        defense_date=defense_date,
        include_all=include_all,
        limit=limit,
        scheduler=make_scheduler(fuzzing=False),
        clock=clock.clock(),
    )


# --- fsrs, deterministic -----------------------------------------------------


def test_scheduling_is_deterministic_with_explicit_datetimes() -> None:
    s = make_scheduler(fuzzing=False)
    card = new_card_state("go/raft-kv/x", "go/raft-kv", T0)
    assert card.is_new and card.due == T0  # a new card is due at once
    card = review(s, card, 3, T0)
    assert (card.card.state, card.card.step, card.due) == (
        State.Learning,
        1,
        T0 + timedelta(minutes=10),
    )
    card = review(s, card, 3, card.due)
    assert card.card.state == State.Review
    assert card.due == datetime(2026, 3, 3, 9, 10, tzinfo=UTC)
    card = review(s, card, 3, card.due)
    assert card.due == datetime(2026, 3, 14, 9, 10, tzinfo=UTC)
    assert card.card.stability == pytest.approx(10.971048, rel=1e-6)
    lapsed = review(s, card, 1, card.due)
    assert (lapsed.card.state, lapsed.lapses, lapsed.reviews) == (State.Relearning, 1, 4)
    assert lapsed.due == datetime(2026, 3, 14, 9, 20, tzinfo=UTC)
    easy = review(s, new_card_state("a/b/c", "a/b", T0), 4, T0)
    assert easy.due == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    assert recall(s, easy, T0 + timedelta(days=30)) == pytest.approx(0.791779, rel=1e-5)
    # the same inputs give the same outputs: no fuzz, no hidden clock
    again = review(s, new_card_state("a/b/c", "a/b", T0), 4, T0)
    assert again.card.due == easy.card.due and again.card.stability == easy.card.stability


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        new_card_state("a/b/c", "a/b", datetime(2026, 3, 1))  # noqa: DTZ001


# --- store -------------------------------------------------------------------


def test_store_has_the_drill_migration(store: Store) -> None:
    assert store.schema_version() >= 2
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"drill_cards", "drill_reviews", "drill_defense_dates"} <= tables


def test_a_version_1_store_is_migrated(viva_home: Path) -> None:
    from viva.store.database import MIGRATIONS

    path = viva_home / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
    )
    MIGRATIONS[0][2](conn)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'sessions and events', 'x')")
    conn.commit()
    conn.close()
    with open_store(path) as s:
        assert s.schema_version() >= 2
        rate_card(s, make_scheduler(False), "go/raft-kv/x", "go/raft-kv", 3, T0)
        assert load_states(s)["go/raft-kv/x"].reviews == 1


def test_a_rating_is_committed_and_read_back_by_another_connection(store: Store) -> None:
    s = make_scheduler(fuzzing=False)
    after = rate_card(store, s, "go/raft-kv/x", "go/raft-kv", 3, T0, answer="quorum")
    with open_store(store.path) as other:
        loaded = load_states(other)["go/raft-kv/x"]
        assert loaded.card.due == after.card.due == T0 + timedelta(minutes=10)
        assert loaded.card.stability == after.card.stability
        rows = other.conn.execute("SELECT answer, source FROM drill_reviews").fetchall()
        assert [tuple(r) for r in rows] == [("quorum", "drill")]
        # a second process rates the same card: it builds on the stored state
        rate_card(other, s, "go/raft-kv/x", "go/raft-kv", 3, T0 + timedelta(minutes=10))
    assert load_states(store)["go/raft-kv/x"].card.state == State.Review


# --- cards and queue -----------------------------------------------------------


def test_default_cards_are_the_failure_scenarios_and_category_picks_others(raft: Track) -> None:
    cards = select_cards([raft])
    assert cards and all(c.question.kind == "failure-scenario" or c.question.must for c in cards)
    ids = {c.question.id for c in cards}
    assert "partition-old-leader" in ids  # the must question, a 'defensible' kind
    assert {q.id for q in raft.questions if q.kind == "failure-scenario"} <= ids
    assert cards[0].id == f"go/raft-kv/{cards[0].question.id}"
    # a question with drill history (rated again or hard in a rehearsal) joins them
    other = next(q for q in raft.questions if q.id not in ids)
    with_history = select_cards([raft], history={f"go/raft-kv/{other.id}"})
    assert {c.question.id for c in with_history} == ids | {other.id}
    perf = select_cards([raft], "performance")
    assert perf and all(c.question.category == "performance" for c in perf)
    with pytest.raises(UsageProblem, match="unknown category 'speed'"):
        select_cards([raft], "speed")


def test_queue_orders_by_recall_on_the_defense_date_weakest_first(raft: Track) -> None:
    s = make_scheduler(fuzzing=False)
    cards = select_cards([raft])[:4]
    a, b, c, d = cards

    def reviewed(card_id: str, days_ago: int, rating: int) -> CardState:
        when = T0 - timedelta(days=days_ago)
        return review(s, new_card_state(card_id, raft.id, when), rating, when)

    states = {
        a.id: reviewed(a.id, 40, 4),  # easy, long ago: decent stability, overdue
        b.id: reviewed(b.id, 9, 4),  # easy, recently: the strongest
        c.id: reviewed(c.id, 40, 2),  # hard, long ago: the weakest reviewed card
    }
    defense = T0 + timedelta(days=20)
    queue = DrillQueue(s, cards, states, T0, defense)
    order = []
    while (card := queue.pop(T0)) is not None:
        order.append(card.id)
    # d is new (recall 0, due at once); then c (hard), a (easy, old); b is due by now too
    assert order[0] == d.id
    assert order.index(c.id) < order.index(a.id) < order.index(b.id)
    recalls = [recall(s, states[i], defense) if i in states else 0.0 for i in order]
    assert recalls == sorted(recalls)


def test_only_due_cards_unless_all(raft: Track) -> None:
    s = make_scheduler(fuzzing=False)
    cards = select_cards([raft])[:3]
    fresh = review(s, new_card_state(cards[0].id, raft.id, T0), 4, T0)  # due in 8 days
    states = {cards[0].id: fresh}
    due = DrillQueue(s, cards, states, T0)
    assert due.due_count(T0) == 2
    assert cards[0] not in [due.pop(T0), due.pop(T0)]
    assert due.pop(T0) is None
    everything = DrillQueue(s, cards, states, T0, include_all=True)
    assert everything.due_count(T0) == 3


def test_a_card_rated_again_comes_back_when_its_learning_step_is_due(
    store: Store, raft: Track
) -> None:
    two = [q for q in raft.questions if q.kind == "failure-scenario"][:2]
    clock = FakeClock(start=T0)
    run = session(store, [dataclasses.replace(raft, questions=tuple(two))], clock)
    first = run.next_card()
    assert first is not None
    run.rate(first, 1)  # again: due in one minute
    clock.advance(seconds=20)
    second = run.next_card()
    assert second is not None and second.id != first.id
    run.rate(second, 3)
    assert run.next_card() is None  # nothing due: the queue has run out for now
    clock.advance(minutes=1)
    assert run.next_card() == first


def test_limit_and_the_below_target_count(store: Store, raft: Track) -> None:
    clock = FakeClock(start=T0)
    run = session(store, [raft], clock, limit=2, defense_date=date(2026, 3, 20))
    total = len(run.cards)
    assert run.below_target() == total  # nothing learnt yet
    for _ in range(2):
        card = run.next_card()
        assert card is not None
        run.rate(card, 4)
    assert run.next_card() is None  # the limit
    summary = run.summary()
    assert summary.rated == 2 and summary.ratings == {4: 2}
    assert summary.below_target is not None and summary.below_target <= total


def test_state_survives_bank_edits_and_removed_questions_leave_the_queue(
    store: Store, raft: Track
) -> None:
    clock = FakeClock(start=T0)
    cards = select_cards([raft])
    kept, removed = cards[0], cards[1]
    run = session(store, [raft], clock, include_all=True)
    for _ in range(2):
        card = run.next_card()
        assert card is not None
        run.rate(card, 3)
    rated = {kept.id, removed.id}
    assert rated <= set(load_states(store))
    # the bank is edited: one prompt reworded, one question removed
    questions = [
        q.model_copy(update={"prompt": "Reworded: " + q.prompt}) if q.id == kept.question.id else q
        for q in raft.questions
        if q.id != removed.question.id
    ]
    edited = dataclasses.replace(raft, questions=tuple(questions))
    clock.advance(days=30)
    again = session(store, [edited], clock, include_all=True)
    assert removed.id not in {c.id for c in again.cards}
    assert again.retired == [removed.id]
    assert again.state(next(c for c in again.cards if c.id == kept.id)).reviews == 1
    shown = []
    while (card := again.next_card()) is not None:
        shown.append(card.id)
        again.rate(card, 3)
    assert removed.id not in shown and kept.id in shown
    assert load_states(store)[removed.id].reviews == 1  # history kept


def test_until_parsing() -> None:
    assert parse_until("2026-06-01", date(2026, 5, 1)) == date(2026, 6, 1)
    assert parse_until("2026-05-01", date(2026, 5, 1)) == date(2026, 5, 1)
    for bad in ("2026-13-01", "tomorrow", "20260601", "2026-6-1"):
        with pytest.raises(UsageProblem, match="not a date"):
            parse_until(bad, date(2026, 5, 1))
    with pytest.raises(UsageProblem, match="in the past"):
        parse_until("2026-04-30", date(2026, 5, 1))


# --- rehearsal ratings ------------------------------------------------------------


def test_rehearsal_ratings_update_the_same_cards(store: Store) -> None:
    clock = FakeClock()
    live = LiveSession.start(
        store, small_agenda(), clock=clock.clock(), on_rate=rehearsal_ratings(store)
    )
    rated = live.rehearsal.current()
    assert rated is not None
    qid = f"go/raft-kv/{rated[1].id}"
    live.act("rate", rating=3)
    clock.advance(20)
    live.act("rate", rating=1)  # changed their mind: replaces, not a second review
    state = load_states(store)[qid]
    assert (state.reviews, state.last_rating, state.card.state) == (1, 1, State.Learning)
    rows = [tuple(r) for r in store.conn.execute("SELECT rating, source FROM drill_reviews")]
    assert rows == [(1, f"rehearsal:{live.id}")]
    # a drill then picks the card up where the rehearsal left it
    before = load_states(store)[qid]
    after = rate_card(store, make_scheduler(False), qid, "go/raft-kv", 3, clock.wall())
    assert after.reviews == 2 and after.card.stability != before.card.stability


def test_opening_prompts_are_not_cards(store: Store) -> None:
    opening = RatedAnswer("s1", "go/raft-kv", "opening-architecture", True, 3, T0)
    assert record_rehearsal_rating(store, opening) is None
    assert load_states(store) == {}


def test_a_rating_outside_1_to_4_is_never_recorded(store: Store) -> None:
    live = LiveSession.start(store, small_agenda())
    for bad in (0, 5, "3", True, None):
        with pytest.raises(InvalidEvent):
            live.act("rate", rating=bad)
    assert [e.kind for e in store.events(live.id)] == ["start"]
    assert load_states(store) == {}


# --- plain mode ---------------------------------------------------------------------


def test_plain_mode_in_process(store: Store, raft: Track) -> None:
    clock = FakeClock(start=T0)
    run = session(store, [raft], clock, limit=2, defense_date=date(2026, 4, 1))
    lines = iter(["I would check the term.\n", "And the log.\n", ".\n", "9\n", "3\n", ".\n"])
    out = io.StringIO()
    rated = run_drill_plain(run, lambda: next(lines, ""), out)
    text = out.getvalue()
    assert rated == 1
    assert "-- Card 1/2 · go/raft-kv/" in text
    assert "key points:" in text and "follow-up 1:" in text
    assert "! rate with one line 1-4" in text
    assert "rated 3 (good) · next due in 10 min" in text
    assert "drill saved: 1 card rated (1 good)" in text
    assert "still predicted below 90% recall by 2026-04-01" in text
    answer = store.conn.execute("SELECT answer FROM drill_reviews").fetchone()[0]
    assert answer == "I would check the term.\nAnd the log."


def spawn(*args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        viva_exe(),
        list(args),
        encoding="utf-8",
        timeout=20,
        env=dict(os.environ, VIVA_FSRS_FUZZ="0"),
        dimensions=(40, 200),
    )
    child.setecho(False)
    return child


def test_plain_mode_through_a_terminal() -> None:
    child = spawn("drill", "go/raft-kv", "--plain", "--until", "2099-01-01", "--limit", "2")
    child.expect(
        r"drill: go/raft-kv · failure scenarios and must questions · "
        r"(\d+) cards, \1 due now \(\1 new\)"
    )
    total = int(child.match.group(1))
    child.expect(rf"defense 2099-01-01: {total} of {total} cards predicted below 90% recall")
    child.expect(r"-- Card 1/2 · (go/raft-kv/\S+) · \S+ · new")
    first = child.match.group(1)
    child.expect('end with a line holding only "."')
    child.sendline("Quorum loss stops commits.")
    child.sendline(".")
    child.expect("key points:")
    child.expect(r"rate 1-4 \(1 again, 2 hard, 3 good, 4 easy\):")
    child.sendline("3")
    child.expect(r"rated 3 \(good\) · next due in 10 min")
    child.expect(r"-- Card 2/2 · (go/raft-kv/\S+)")
    assert child.match.group(1) != first
    child.sendline(".")  # answered aloud
    child.expect("rate 1-4")
    child.sendline("1")
    child.expect(r"rated 1 \(again\) · next due in 1 min")
    child.expect(r"drill saved: 2 cards rated \(1 again, 1 good\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # end of input mid-card: saves what was rated and exits
    child = spawn("drill", "--plain")  # no TRACK: the tracks with drill history
    child.expect(r"drill: go/raft-kv")
    child.expect(r"defense 2099-01-01")  # remembered
    child.expect("-- Card 1/")
    child.sendeof()
    child.expect(r"drill saved: 0 cards rated")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with open_store() as s:
        states = load_states(s)
    assert len(states) == 2 and states[first].last_rating == 3


# --- the Textual screen ---------------------------------------------------------------


async def test_textual_screen_rates_and_commits(store: Store, raft: Track) -> None:
    from viva.tui.screens.drill import build_drill_app

    clock = FakeClock(start=T0)
    run = session(store, [raft], clock, limit=2)
    app = build_drill_app(run)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("q", "3")  # typed into the answer: not a rating
        assert run.rated == 0
        await pilot.press("ctrl+n")
        await pilot.press("3")
        await pilot.pause()
        assert run.rated == 1
        await pilot.press("ctrl+n", "f1")
        await pilot.pause()
    assert app.return_value == 2
    rows = [
        tuple(r) for r in store.conn.execute("SELECT rating, answer FROM drill_reviews ORDER BY id")
    ]
    assert rows == [(3, "q3"), (1, None)]


# --- the command line -------------------------------------------------------------------


def test_cli_errors(run: Runner) -> None:
    result = run("drill", "--plain")
    assert result.code == 2
    assert "no drill or rehearsal history yet: name a track" in result.err
    past = run("drill", "go/raft-kv", "--until", "2001-01-01")
    assert past.code == 2 and "--until 2001-01-01 is in the past" in past.err
    assert past.err.count("error:") == 1 and "Traceback" not in past.err
    bad = run("drill", "go/raft-kv", "--until", "next week")
    assert bad.code == 2 and "not a date; give the defense date as YYYY-MM-DD" in bad.err
    cat = run("drill", "go/raft-kv", "--category", "speed")
    assert cat.code == 2 and "unknown category 'speed'" in cat.err
    amb = run("drill", "raft-kv")
    assert amb.code == 2 and "ambiguous" in amb.err


def test_cli_nothing_due(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(".\n4\n" * 20))
    first = run("drill", "go/raft-kv", "--plain")
    assert first.code == 0, first.err
    assert "drill saved:" in first.out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    second = run("drill", "go/raft-kv", "--plain")
    assert "nothing due now; the next card is due in 8 days" in second.out
    monkeypatch.setattr("sys.stdin", io.StringIO(".\n3\n"))
    third = run("drill", "go/raft-kv", "--plain", "--all", "--limit", "1")
    assert "rated 3 (good)" in third.out


def test_the_header_of_an_all_cards_drill_counts_what_is_really_due(
    store: Store, raft: Track
) -> None:
    from viva.drill.text import header_lines

    s = make_scheduler(fuzzing=False)
    cards = select_cards([raft])
    for card in cards[:2]:  # rated good: not due again for a while
        rate_card(store, s, card.id, raft.id, 3, T0)
    later = FakeClock(start=T0 + timedelta(minutes=1))  # a first "good" waits 10 min
    session = DrillSession(store, [raft], include_all=True, scheduler=s, clock=later.clock())
    first = header_lines(session)[0]
    n = len(cards)
    assert f"{n} cards, {n - 2} due now ({n - 2} new), every card (--all)" in first
    assert session.due_now() == n  # --all drills them all the same


# --- dates are the user's local days -----------------------------------------------


@pytest.fixture
def honolulu(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import time

    monkeypatch.setenv("TZ", "Pacific/Honolulu")  # UTC-10, no daylight saving
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_until_today_is_the_users_today_not_utcs(honolulu: None) -> None:
    from viva.drill.dates import defense_moment
    from viva.services.drill import stats

    evening = datetime(2026, 12, 3, 4, 32, tzinfo=UTC)  # 18:32 on 2 December in Honolulu
    stats("go/raft-kv", until="2026-12-02", now=evening)  # today there: allowed
    with pytest.raises(UsageProblem, match=r"in the past \(today is 2026-12-02\)"):
        stats("go/raft-kv", until="2026-12-01", now=evening)
    # recall is aimed at the start of the defense day where the user is
    assert defense_moment(date(2026, 12, 10), evening) == datetime(2026, 12, 10, 10, tzinfo=UTC)
    assert defense_moment(date(2026, 12, 2), evening) == evening


@pytest.mark.parametrize("zone", ["Pacific/Honolulu", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_until_the_local_today_is_accepted_in_any_zone(zone: str) -> None:
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo(zone)).date().isoformat()
    out, status = pexpect.run(
        f"{viva_exe()} stats go/raft-kv --until {today} --json",
        env={**os.environ, "TZ": zone},
        encoding="utf-8",
        withexitstatus=True,
    )
    assert status == 0, out
