"""``viva review --plain`` in a real terminal (pexpect): the reviewer's
protocol, a kill -9 in the middle, ``viva resume``, the wrap-up with category
scores and the verdict, and what the report then holds."""

from __future__ import annotations

import os

import pexpect

from tests.conftest import kill_9, viva_exe
from tests.rehearsal.test_plain import report, spawn
from viva.catalog.loader import load_catalog
from viva.rehearsal.planner import draw_agenda

HEADER = r"-- Question \d+/\d+"


def test_a_reviewed_defense_survives_a_kill_and_ends_with_its_verdict() -> None:
    agenda = draw_agenda(load_catalog(), "go/raft-kv", 45, 5)
    questions = [q for s in agenda.sections for q in s.questions]
    first, second = questions[0], questions[1]
    track = load_catalog().tracks["go/raft-kv"]
    bank = track.question(second.id)
    assert bank is not None and bank.follow_ups

    child = spawn("review", "go/raft-kv", "--candidate", "Ada Lovelace", "--seed", "5", "--plain")
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(HEADER)
    child.expect(r"rubric, Architecture \(:score N\):")
    child.expect(r"1 Missing: ")
    child.expect(r"5 Senior: ")
    child.sendline("draws the three nodes and the WAL")
    child.sendline(":note names etcd-io/raft, not why <b>")
    child.expect("noted: ")
    child.sendline(":score 3")
    child.expect(rf"scored 3 \(Adequate\): {first.id}")
    child.sendline(".")
    child.expect(HEADER)
    child.expect("key points:")
    child.expect(r"follow-ups \(:asked K when you ask one\):")
    child.sendline(":asked 1")
    child.expect("asked follow-up 1: ")
    child.sendline(":score 9")
    child.expect(r"! :score takes 1-5")
    child.sendline(":score 2")
    child.expect(rf"scored 2 \(\S[^)]*\): {second.id}")
    kill_9(child)  # the machine dies mid-defense: everything acknowledged is kept

    child = spawn("resume", "--plain")
    child.expect(f"session: {session}")
    child.expect(HEADER)
    child.expect(r"follow-ups \(:asked K when you ask one\):")
    child.expect(r"1\. .* \(asked\)")
    child.sendline(":score 4")  # the reviewer changes their mind: the last score stands
    child.expect(rf"scored 4 \(Strong\): {second.id}")
    child.sendline(".")
    child.expect(HEADER)
    child.sendline(":end")
    child.expect(rf"reviewed session {session} ended")
    child.expect(pexpect.EOF)

    rep = report(session)
    assert rep["mode"] == "review" and rep["status"] == "ended"
    flat = [q for s in rep["sections"] for q in s["questions"]]
    assert (flat[0]["score"], flat[0]["notes"]) == (3, ["names etcd-io/raft, not why <b>"])
    assert flat[0]["answer"] == "draws the three nodes and the WAL"
    assert flat[1]["score"] == 4
    assert flat[1]["follow_ups_asked"] == [bank.follow_ups[0].prompt]
    categories = {c["category"]: c for c in rep["review"]["categories"]}
    assert categories[first.category]["mean"] is not None


def test_the_wrap_up_takes_category_scores_and_the_verdict() -> None:
    child = spawn("review", "go/raft-kv", "--candidate", "Ada", "--seed", "5", "--plain")
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(HEADER)
    child.sendline(":score 5")
    for _ in range(7):
        child.sendline(":next-section")
    child.expect("the agenda is done. Category scores")
    child.sendline("a stray line")
    child.expect("! the agenda is done")
    child.sendline(":category nonsense 3")
    child.expect(r"! :category CAT N")
    child.sendline(":category architecture 2")
    child.expect("architecture: summary score 2")
    child.sendline(":verdict Not yet: the read path is hand-waved")
    child.expect("verdict recorded")
    child.sendline(":quit")  # still resumable, in the wrap-up
    child.expect(pexpect.EOF)
    child = spawn("resume", session, "--plain")
    child.expect("the agenda is done")
    child.expect("verdict: Not yet: the read path is hand-waved")
    child.sendeof()  # the end of input in the wrap-up ends the session
    child.expect(rf"reviewed session {session} ended")
    child.expect(pexpect.EOF)
    rep = report(session)
    assert rep["status"] == "ended"
    assert rep["review"]["verdict"] == "Not yet: the read path is hand-waved"
    arch = next(c for c in rep["review"]["categories"] if c["category"] == "architecture")
    assert (arch["score"], arch["mean"], arch["given"]) == (2.0, 5.0, True)


def test_review_needs_a_candidate() -> None:
    out, code = pexpect.run(
        f"{viva_exe()} review go/raft-kv --plain", env=dict(os.environ), withexitstatus=True
    )
    assert code == 2 and b"--candidate" in out


def test_a_question_is_named_by_its_packet_number_too() -> None:
    child = spawn("review", "go/raft-kv", "--candidate", "Ada", "--seed", "5", "--plain")
    child.expect(r"session: (\S+)")
    session = child.match.group(1)
    child.expect(HEADER)
    child.sendline(".")
    child.expect(HEADER)
    child.sendline(":score 2 Q1")
    child.expect(r"scored 2 \(Hand-waving\): ")
    child.sendline(":score 3 1")
    child.expect(r"scored 3 \(Adequate\): ")
    child.sendline(":score 3 Q40")
    child.expect(r"! no question 'Q40' has been asked yet")
    child.sendline(":category ARCHITECTURE 4")
    child.expect("architecture: summary score 4")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    flat = [q for s in report(session)["sections"] for q in s["questions"]]
    assert flat[0]["score"] == 3


def test_a_name_with_a_line_break_tab_or_invisible_character_is_refused() -> None:
    for name in ("A\nB", "Tab\there", "Zero\u200bwidth"):
        out, code = _run_review(name)
        assert code == 2 and b"a name may not hold control, format or bidi" in out


def _run_review(name: str) -> tuple[bytes, int]:
    import subprocess

    done = subprocess.run(
        [viva_exe(), "review", "go/raft-kv", "--candidate", name, "--plain"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return done.stderr, done.returncode
