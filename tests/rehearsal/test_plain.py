"""Plain line mode through a real terminal (pexpect), resume, and a kill -9 harness."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.conftest import kill_9, viva_exe
from viva.catalog.loader import load_catalog
from viva.rehearsal.planner import draw_agenda

HEADER = r"-- Question \d+/\d+|session \S+ ended"


def spawn(*args: str, timeout: float = 20) -> pexpect.spawn:
    child = pexpect.spawn(
        viva_exe(),
        list(args),
        encoding="utf-8",
        timeout=timeout,
        env=dict(os.environ),
        dimensions=(40, 200),
    )
    child.setecho(False)
    return child


def report(session: str) -> dict[str, Any]:
    proc = pexpect.run(
        f"{viva_exe()} report {session} --json", env=dict(os.environ), encoding="utf-8"
    )
    data: dict[str, Any] = json.loads(proc)
    return data


def answers(rep: dict[str, Any]) -> list[str]:
    return [q["answer"] for s in rep["sections"] for q in s["questions"]]


def test_plain_mode_protocol_end_to_end() -> None:
    child = spawn(
        "rehearse", "go/raft-kv", "--plain", "--seed", "11", "--minutes", "45", "--candidate", "Ada"
    )
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(r"seed 11 \(repeat the draw with --minutes 45 --seed 11\)")
    agenda = draw_agenda(load_catalog(), "go/raft-kv", 45, 11)
    budget = agenda.sections[0].budget_seconds // 60
    child.expect(rf"== Section 1/7: Architecture walkthrough · budget {budget}:00 ==")
    child.expect(rf"section {budget}:00 left · overall 45:00 left")
    child.expect(r"Walk us through your architecture")
    child.sendline("Three nodes, etcd-io/raft.")
    child.sendline("A sharded map as state machine.")
    child.sendline(":flag")
    child.expect("flagged")
    child.sendline(":rate 3")
    child.expect(r"rated 3 \(good\)")
    child.sendline(".")
    child.expect(HEADER)
    # a bank question: answer it, then its key points and follow-ups are shown and
    # the :rate typed next rates it, not the question after it
    second = agenda.sections[0].questions[1]
    bank = load_catalog().tracks["go/raft-kv"].question(second.id)
    assert bank is not None and bank.follow_ups
    child.sendline(":follow")
    child.expect("follow-up: ")
    child.sendline("An answer to the second question.")
    child.sendline(".")
    child.expect("key points:")
    child.expect(re.escape(bank.key_points[0][:40]))
    child.expect("follow-ups a reviewer may push with:")
    child.expect(r"1\. .*\(asked\)")
    child.expect(r"rate that answer: :rate N \(1 again, 2 hard, 3 good, 4 easy\)")
    child.expect(HEADER)
    child.sendline(":rate 2")
    child.expect(rf"rated 2 \(hard\): {second.id}")
    child.sendline(":skip")
    child.expect(HEADER)
    child.sendline(":pause")
    child.expect("paused")
    child.sendline(":resume")
    child.expect("resumed")
    child.sendline(":end")
    child.expect(r"session \S+ ended")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    rep = report(session)
    assert rep["status"] == "ended" and rep["candidate"] == "Ada"
    first, answered, skipped = [q for s in rep["sections"] for q in s["questions"]][:3]
    assert first["question_id"] == "opening-architecture"
    assert first["answer"] == "Three nodes, etcd-io/raft.\nA sharded map as state machine."
    assert first["flagged"] and first["rating"] == 3
    assert answered["question_id"] == second.id and answered["rating"] == 2
    assert answered["follow_ups_asked"] == [bank.follow_ups[0].prompt]
    assert answered["short"] is True  # answered in well under a quarter of its time
    assert skipped["skipped"] and skipped["rating"] is None


def test_quit_then_resume_restores_the_draft() -> None:
    child = spawn("rehearse", "rust/matching", "--plain", "--seed", "2")
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(HEADER)
    child.sendline("first answer")
    child.sendline(".")
    child.expect(HEADER)
    child.sendline("half of a")
    child.sendline("second answer")
    child.sendline(":quit")
    child.expect(f"viva resume {session}")
    child.expect(pexpect.EOF)
    child = spawn("resume", "--plain")
    child.expect(f"session: {session}")
    child.expect("draft restored:")
    child.expect(r"\| half of a")
    child.expect(r"\| second answer")
    child.sendline("and the rest")
    child.sendline(".")
    child.expect(HEADER)
    child.sendeof()
    child.expect(pexpect.EOF)
    rep = report(session)
    assert answers(rep)[:2] == ["first answer", "half of a\nsecond answer\nand the rest"]
    assert rep["status"] == "paused"


def test_end_of_input_saves_and_quits_and_unknown_session_is_one_error() -> None:
    out = pexpect.run(
        f"{viva_exe()} resume no-such-session --plain",
        env=dict(os.environ),
        encoding="utf-8",
        withexitstatus=True,
    )
    text, status = out
    assert status == 2 and "unknown session" in text and "Traceback" not in text


def test_recorded_times_exclude_pauses() -> None:
    """Bounds that hold however loaded the machine is: the child measured at
    least the time the test waited outside the pause, at least the pause as
    paused, and answering time plus paused time within the test's own window."""
    t_spawn = time.monotonic()
    child = spawn("rehearse", "go/raft-kv", "--plain", "--seed", "4")
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(HEADER)
    time.sleep(1.0)
    child.sendline(":pause")
    child.expect("paused")
    time.sleep(1.5)
    child.sendline(":resume")
    child.expect("resumed")
    time.sleep(0.5)
    child.sendline(".")
    child.expect(HEADER)
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    window = time.monotonic() - t_spawn
    rep = report(session)
    first = rep["sections"][0]["questions"][0]
    assert first["seconds"] >= 1.5
    assert rep["paused_seconds"] >= 1.5
    # were the pause counted as answering time, this would exceed the window
    assert first["seconds"] + rep["paused_seconds"] <= window


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_nothing_acknowledged(viva_home: Path) -> None:
    rng = random.Random(20261128)
    acknowledged: dict[str, list[str]] = {}
    session: str | None = None
    kills = 0
    while kills < 100:
        child = (
            spawn("resume", session, "--plain")
            if session
            else spawn("rehearse", "go/raft-kv", "--plain", "--minutes", "45", "--seed", str(kills))
        )
        child.expect(r"session: (\S+)")
        session = child.match.group(1)
        acknowledged.setdefault(session, [])
        index = child.expect([r"-- Question \d+/\d+", r"session \S+ ended"])
        if index == 1:
            child.expect(pexpect.EOF)
            session = None
            continue
        for _ in range(rng.randint(0, 3)):  # answers acknowledged by the next header
            text = f"answer {kills}-{rng.randint(0, 10**6)}"
            child.sendline(text)
            child.sendline(".")
            i = child.expect(
                [r"-- Question \d+/\d+", r"session \S+ ended", r"that was the last question"]
            )
            acknowledged[session].append(text)
            if i == 2:  # one more line may rate it; an empty one ends the session
                child.sendline("")
                child.expect(r"session \S+ ended")
            if i >= 1:
                break
        # then kill at a random moment: mid-draft, right after a submit, or idle
        for _ in range(rng.randint(0, 3)):
            child.sendline(f"draft {rng.random()}")
        if rng.random() < 0.5:
            child.sendline(".")
        time.sleep(rng.random() * 0.05)
        kill_9(child)
        kills += 1
        rep = report(session)
        got = answers(rep)
        # a resumed draft is kept, so an answer may begin with earlier draft lines
        missing = [a for a in acknowledged[session] if not any(a in g for g in got)]
        assert not missing, f"after kill {kills}: lost {missing}"
        if rep["status"] == "ended":
            session = None
    db = viva_home / "viva.db"
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sum(len(v) for v in acknowledged.values()) > 20


def test_resume_continues_at_the_same_question_after_kill_9() -> None:
    child = spawn("rehearse", "kubernetes/operator", "--plain", "--seed", "9")
    child.expect(r"session: (\S+)")
    child.expect(HEADER)
    child.sendline("one")
    child.sendline(".")
    child.expect(r"-- Question \d+/\d+ [^\n]*\n([^\n]+)\n")
    prompt = child.match.group(1).strip()
    child.sendline("unfinished thought")
    time.sleep(0.5)  # the line is read and journaled
    kill_9(child)
    again = spawn("resume", "--plain")
    again.expect(re.escape(prompt))
    again.expect(r"\| unfinished thought")
    again.sendeof()
    again.expect(pexpect.EOF)
