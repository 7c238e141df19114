"""A worker for the concurrency soak: writes to one store for a while, reports JSON.

``python -m tests.soak_worker rehearsal|drill SECONDS`` (VIVA_HOME names the store).
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime

from viva.catalog.loader import load_catalog
from viva.store.database import open_store


def rehearsal(seconds: float) -> dict[str, object]:
    from viva.rehearsal.planner import draw_agenda
    from viva.rehearsal.session import LiveSession

    catalog = load_catalog()
    track = catalog.tracks["go/raft-kv"]
    store = open_store()
    rng = random.Random(1)
    acked = 0
    worst = 0.0
    sessions = []
    live = None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if live is None or live.rehearsal.finished:
            live = LiveSession.start(store, draw_agenda(catalog, track, 45, rng.randrange(9999)))
            sessions.append(live.id)
            acked += 1
        kind = rng.choice(["draft", "draft", "answer", "flag", "rate"])
        t0 = time.monotonic()
        if kind == "rate":
            live.act(kind, rating=rng.randint(1, 4))
        elif kind in ("draft", "answer"):
            live.act(kind, text=f"text {acked}")
        else:
            live.act(kind)
        if acked > 5:  # after warm-up (first imports, first checkpoint)
            worst = max(worst, time.monotonic() - t0)
        acked += 1
        if live.finish_if_done():
            acked += 1
    return {"acked": acked, "worst": worst, "sessions": sessions}


def drill(seconds: float) -> dict[str, object]:
    from viva.drill.scheduler import make_scheduler
    from viva.drill.state import rate_card

    track = load_catalog().tracks["go/raft-kv"]
    cards = [q.id for q in track.questions if q.kind == "failure-scenario"]
    store = open_store()
    scheduler = make_scheduler(fuzzing=False)
    rng = random.Random(2)
    acked = 0
    worst = 0.0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        qid = rng.choice(cards)
        t0 = time.monotonic()
        rate_card(
            store, scheduler, f"{track.id}/{qid}", track.id, rng.randint(1, 4), datetime.now(UTC)
        )
        if acked > 5:  # after warm-up (first imports, first checkpoint)
            worst = max(worst, time.monotonic() - t0)
        acked += 1
    return {"acked": acked, "worst": worst}


if __name__ == "__main__":
    role, secs = sys.argv[1], float(sys.argv[2])
    result = rehearsal(secs) if role == "rehearsal" else drill(secs)
    sys.stdout.write(json.dumps(result) + "\n")
