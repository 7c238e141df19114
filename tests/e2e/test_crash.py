"""kill -9 during a drill and during a packet render: nothing acknowledged is lost,
and a packet's output path never holds a partial PDF."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pexpect
import pytest
from pypdf import PdfReader

from tests.conftest import kill_9, viva_exe


@pytest.mark.slow
def test_kill_9_during_drills_loses_no_acknowledged_rating(viva_home: Path) -> None:
    rng = random.Random(7)
    acknowledged = 0
    for kill in range(40):
        child = pexpect.spawn(
            viva_exe(),
            ["drill", "go/raft-kv", "--plain", "--all"],
            encoding="utf-8",
            timeout=30,
            env=dict(os.environ),
        )
        child.setecho(False)
        for _ in range(rng.randint(0, 3)):
            child.expect(r"\(answer; end with")
            child.sendline(f"answer {kill}")
            child.sendline(".")
            child.expect(r"rate 1-4")
            child.sendline(str(rng.randint(1, 4)))
            child.expect(r"rated \d")
            acknowledged += 1
        if rng.random() < 0.5:
            child.sendline(".")
            child.sendline(str(rng.randint(1, 4)))
        time.sleep(rng.random() * 0.05)
        kill_9(child)
        conn = sqlite3.connect(viva_home / "viva.db")
        stored = conn.execute("SELECT count(*) FROM drill_reviews").fetchone()[0]
        assert stored >= acknowledged, f"after kill {kill + 1}: {stored} < {acknowledged}"
        assert stored <= acknowledged + kill + 1  # at most one unacknowledged per kill
        conn.close()
    conn = sqlite3.connect(viva_home / "viva.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert acknowledged > 20


def _complete_pdf(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return len(PdfReader(path).pages)


@pytest.mark.slow
def test_kill_9_during_packet_renders_never_leaves_a_partial_pdf(tmp_path: Path) -> None:
    rng = random.Random(11)
    out = tmp_path / "packet.pdf"
    # a finished packet first: later kills must never damage it
    subprocess.run(
        [viva_exe(), "packet", "--track", "go/raft-kv", "--seed", "1", "-o", str(out)],
        check=True,
        capture_output=True,
    )
    pages = _complete_pdf(out)
    for _ in range(30):
        proc = subprocess.Popen(
            [viva_exe(), "packet", "--track", "go/raft-kv", "--seed", "1", "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.random() * 1.5)
        os.killpg(proc.pid, signal.SIGKILL)  # the render helper dies with it
        proc.wait()
        assert _complete_pdf(out) == pages
    leftovers = [p for p in tmp_path.iterdir() if p.name != "packet.pdf"]
    # temporary files of killed renders may remain, but never under the output's name
    assert all(not p.name.endswith(".pdf") or p.name.startswith(".") for p in leftovers)
