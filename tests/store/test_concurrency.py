"""A rehearsal and a drill writing one store at the same time: no error, no lost event."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("VIVA_SOAK_SECONDS", "60"))


@pytest.mark.slow
def test_rehearsal_and_drill_share_the_store(viva_home: Path) -> None:
    from viva.store.database import open_store

    open_store().close()  # migrate once, before the race
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.soak_worker", role, str(SECONDS)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("rehearsal", "drill")
    ]
    outs = [p.communicate(timeout=SECONDS + 120) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    rehearsal, drill = (json.loads(out) for out, _ in outs)
    conn = sqlite3.connect(viva_home / "viva.db")
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    rehearsal_ratings = conn.execute("SELECT count(*) FROM events WHERE kind = 'rate'").fetchone()[
        0
    ]
    reviews = conn.execute("SELECT count(*) FROM drill_reviews WHERE source = 'drill'").fetchone()[
        0
    ]
    assert events == rehearsal["acked"]
    assert reviews == drill["acked"]
    assert rehearsal_ratings > 0 and reviews > 100
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # How long a writer waited for the other is a latency figure: benchmarks/rehearsal.py
    # reports it against a writer alone; here only correctness counts.
