"""Drill speed: picking the next card among 10,000, and committing a rating.

Goals: the next card in <= 10 ms with 10,000 cards (the queue already built:
a heap pop), and a rating committed to the store (WAL, ``synchronous=FULL``)
with p99 <= 20 ms. Also printed: the cold start (load 10,000 card states
from the store, build the queue, pick the first card), with 10,000 cards and
with every question of the packaged banks as a card, and each figure's
ratio to a reference measured in the same run: ``min()`` over 10,000 floats
for picking, a bare one-row ``INSERT`` committed with the same pragmas for
the rating.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import emit

CARDS = int(os.environ.get("VIVA_BENCH_CARDS", "10000"))
PICKS = int(os.environ.get("VIVA_BENCH_PICKS", "2000"))
RATINGS = int(os.environ.get("VIVA_BENCH_RATINGS", "300"))
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
DEFENSE = NOW + timedelta(days=30)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ["VIVA_HOME"] = home
        return run(Path(home))


def run(home: Path) -> int:
    from viva.catalog.loader import Track, load_catalog
    from viva.drill.cards import DrillCard
    from viva.drill.queue import DrillQueue
    from viva.drill.scheduler import CardState, make_scheduler, new_card_state, review
    from viva.drill.state import load_states, put_states, rate_card
    from viva.store.database import open_store

    rng = random.Random(7)
    scheduler = make_scheduler(fuzzing=False)
    base: Track = load_catalog().tracks["go/raft-kv"]
    template = base.questions[0]
    cards = [
        DrillCard(base.id, template.model_copy(update={"id": f"bench-{i:05d}"}))
        for i in range(CARDS)
    ]
    states: dict[str, CardState] = {}
    for card in cards[: CARDS * 4 // 5]:  # a fifth stay new
        when = NOW - timedelta(days=rng.uniform(1, 90))
        state = new_card_state(card.id, card.track, when)
        for _ in range(rng.randint(1, 4)):
            state = review(scheduler, state, rng.choice((1, 2, 3, 3, 3, 4)), when)
            when = min(NOW, max(when + timedelta(minutes=1), state.due))
        states[card.id] = state

    store = open_store(home / "viva.db")
    put_states(store, states.values())

    # --- picking -----------------------------------------------------------
    floats = [rng.random() for _ in range(CARDS)]
    ref_pick = []
    for _ in range(200):
        t0 = time.perf_counter()
        min(floats)
        ref_pick.append(time.perf_counter() - t0)
    reference_pick = statistics.median(ref_pick)

    cold = []
    for _ in range(5):
        t0 = time.perf_counter()
        loaded = load_states(store, [base.id])
        queue = DrillQueue(scheduler, cards, loaded, NOW, DEFENSE, include_all=True)
        first = queue.pop(NOW)
        cold.append(time.perf_counter() - t0)
        assert first is not None

    # every question of every packaged track as a card, all reviewed once
    catalog = load_catalog()
    bank = [DrillCard(t.id, q) for t in catalog.tracks.values() for q in t.questions]
    bank_store = open_store(home / "bank.db")
    put_states(
        bank_store,
        [review(scheduler, new_card_state(c.id, c.track, NOW), 3, NOW) for c in bank],
    )
    bank_cold = []
    for _ in range(20):
        t0 = time.perf_counter()
        loaded = load_states(bank_store, list(catalog.tracks))
        bank_queue = DrillQueue(scheduler, bank, loaded, NOW, DEFENSE, include_all=True)
        assert bank_queue.pop(NOW) is not None
        bank_cold.append(time.perf_counter() - t0)

    queue = DrillQueue(scheduler, cards, states, NOW, DEFENSE, include_all=True)
    picks = []
    later = NOW
    for _ in range(PICKS):
        t0 = time.perf_counter()
        card = queue.pop(later)
        picks.append(time.perf_counter() - t0)
        assert card is not None
        # the card is rated (in memory) and waits for its next due time
        queue.rated(card, review(scheduler, queue.states[card.id], 3, later))
        later += timedelta(seconds=5)

    # --- committing ---------------------------------------------------------
    ref_store = open_store(home / "reference.db")
    ref_store.conn.execute("CREATE TABLE IF NOT EXISTS t (k TEXT, v TEXT)")
    ref_commit = []
    for i in range(RATINGS):
        t0 = time.perf_counter()
        with ref_store.transaction() as conn:
            conn.execute("INSERT INTO t VALUES (?, ?)", (str(i), "x" * 64))
        ref_commit.append(time.perf_counter() - t0)
    reference_commit = statistics.median(ref_commit)

    commits = []
    when = NOW
    for i in range(RATINGS):
        card = cards[rng.randrange(CARDS)]
        t0 = time.perf_counter()
        rate_card(store, scheduler, card.id, card.track, rng.randint(1, 4), when, answer=f"a{i}")
        commits.append(time.perf_counter() - t0)
        when += timedelta(seconds=30)

    rows = [
        ("next card (queue built)", "median", statistics.median(picks), reference_pick, 10.0),
        ("next card (queue built)", "p99", percentile(picks, 0.99), reference_pick, 10.0),
        ("first card, cold start", "median", statistics.median(cold), reference_pick, None),
        (
            f"  same, {len(bank)} bank cards",
            "median",
            statistics.median(bank_cold),
            reference_pick,
            None,
        ),
        ("rating committed", "median", statistics.median(commits), reference_commit, None),
        ("rating committed", "p99", percentile(commits, 0.99), reference_commit, 20.0),
    ]
    emit(
        "drill",
        [
            (
                f"drill: {name.strip()} ({stat})",
                f"{seconds * 1000:.3f} ms",
                "-" if goal is None else f"<= {goal:.0f} ms",
                None if goal is None else seconds * 1000 <= goal,
            )
            for name, stat, seconds, _reference, goal in rows
        ],
    )
    print(f"{CARDS} cards, {PICKS} picks, {RATINGS} ratings committed (WAL, synchronous=FULL)")
    print(
        f"reference: min() over {CARDS} floats {reference_pick * 1000:.3f} ms; "
        f"one-row INSERT committed {reference_commit * 1000:.3f} ms (medians)"
    )
    print(f"{'metric':<28} {'stat':>6} {'ms':>9} {'ratio':>8} {'goal ms':>8}  result")
    failed = False
    for name, stat, seconds, reference, goal in rows:
        ms = seconds * 1000
        ok = goal is None or ms <= goal
        failed |= not ok
        verdict = "-" if goal is None else ("pass" if ok else "FAIL")
        print(
            f"{name:<28} {stat:>6} {ms:>9.3f} {seconds / reference:>8.2f} "
            f"{'' if goal is None else f'{goal:.0f}':>8}  {verdict}"
        )
    store.close()
    bank_store.close()
    ref_store.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
