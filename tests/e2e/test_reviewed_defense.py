"""A reviewed defense end to end, as a reviewer would run it: the real screen in
a terminal (pexpect), the machine killed mid-defense, resumed in plain mode,
finished with a verdict, and printed as a scored packet read back with pypdf."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest
from pypdf import PdfReader

from tests.conftest import kill_9, viva_exe
from viva.catalog.loader import load_catalog
from viva.rehearsal.planner import draw_agenda
from viva.store.database import open_store

pytestmark = pytest.mark.slow


def _json(*args: str) -> Any:
    return json.loads(pexpect.run(f"{viva_exe()} {' '.join(args)}", env=dict(os.environ)))


def _events(session: str) -> list[str]:
    with open_store() as store:
        return [e.kind for e in store.events(session)]


def _wait_for(session_kinds: list[str], session: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kinds = _events(session)
        if all(kinds.count(k) >= session_kinds.count(k) for k in set(session_kinds)):
            return
        time.sleep(0.1)
    raise AssertionError(f"events {session_kinds} not all recorded: {_events(session)}")


def test_screen_kill_resume_plain_and_the_scored_packet(tmp_path: Path) -> None:
    agenda = draw_agenda(load_catalog(), "go/raft-kv", 45, 5)
    first = agenda.sections[0].questions[0]
    env = {**os.environ, "TERM": "xterm-256color"}
    child = pexpect.spawn(
        viva_exe(),
        ["review", "go/raft-kv", "--candidate", "Ada Lovelace", "--seed", "5"],
        env=env,
        dimensions=(40, 120),
        timeout=30,
    )
    child.expect("score")  # the footer is drawn: the screen is up
    sessions = _json("sessions", "--json")
    (row,) = sessions
    session = row["id"]
    assert row["mode"] == "review"
    child.send("\x12")  # ctrl+r: the score box with the rubric
    child.expect("press 1-5")
    child.send("4")
    child.send("names the components, misses <leases> & reads")
    time.sleep(0.5)
    child.send("\x0e")  # ctrl+n: the note recorded, the next question
    _wait_for(["start", "score", "note", "answer"], session)
    child.send("\x10")  # ctrl+p: pause, then the power goes
    _wait_for(["pause"], session)
    kill_9(child)

    plain = pexpect.spawn(viva_exe(), ["resume", "--plain"], env=env, encoding="utf-8", timeout=30)
    plain.expect(f"session: {session}")
    plain.expect(r"-- Question 2/")
    plain.sendline(":score 2")
    plain.expect(r"scored 2 \(Hand-waving\)")
    plain.sendline(":end")
    plain.expect(f"reviewed session {session} ended")
    plain.expect(pexpect.EOF)

    report = _json("report", session, "--json")
    flat = [q for s in report["sections"] for q in s["questions"]]
    assert (flat[0]["question_id"], flat[0]["score"]) == (first.id, 4)
    assert flat[0]["notes"] == ["names the components, misses <leases> & reads"]
    assert flat[1]["score"] == 2
    assert report["paused_seconds"] > 0  # the time the machine was down counts as paused

    pdf = tmp_path / "scored.pdf"
    done = pexpect.run(
        f"{viva_exe()} packet {session} --kind scored -o {pdf}",
        env=dict(os.environ),
        withexitstatus=True,
    )
    assert done[1] == 0, done[0]
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(pdf).pages).split())
    assert "names the components, misses <leases> & reads" in text
    assert "4 · Strong" in text and "2 · Hand-waving" in text
    assert "Ada Lovelace" in text
