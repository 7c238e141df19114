"""The rehearsal commands in-process: rehearse, resume, sessions and report."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest

from tests.conftest import Runner

Feed = Callable[[str], None]


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Feed:
    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return feed


def test_rehearse_resume_sessions_report(run: Runner, stdin: Feed) -> None:
    stdin("first answer\n.\n:flag\n:rate 2\nsecond\n:quit\n")
    result = run("rehearse", "go/raft-kv", "--seed", "3", "--candidate", "Lin")
    assert result.code == 0, result.err
    session = result.out.splitlines()[0].removeprefix("session: ")
    assert "flagged" in result.out and "rated 2 (hard)" in result.out
    assert f"viva resume {session}" in result.out

    listed = json.loads(run("sessions", "--json").out)
    assert [(s["id"], s["status"]) for s in listed] == [(session, "paused")]
    assert "paused" in run("sessions").out

    stdin("the rest\n.\n:skip\n:next-section\n:pause\n:resume\n:follow\n:bogus\n:rate 9\n:end\n")
    resumed = run("resume", session)
    assert resumed.code == 0, resumed.err
    assert "draft restored:" in resumed.out and "| second" in resumed.out
    assert "unknown command :bogus" in resumed.out
    assert ":rate takes 1-4" in resumed.out
    assert f"session {session} ended" in resumed.out

    report = json.loads(run("report", session, "--json").out)
    assert report["status"] == "ended" and report["candidate"] == "Lin"
    answers = [q["answer"] for s in report["sections"] for q in s["questions"]]
    assert answers[:2] == ["first answer", "second\nthe rest"]
    text = run("report", session[:12])
    assert text.code == 0
    assert "Time per section" in text.out and "Flagged" in text.out and "Ratings" in text.out

    again = run("resume", session)
    assert again.code == 1 and "has ended" in again.err


def test_report_compares_with_the_previous_rehearsal(run: Runner, stdin: Feed) -> None:
    for seed in ("1", "2"):
        stdin("answer\n.\n:end\n")
        assert run("rehearse", "go/raft-kv", "--seed", seed).code == 0
    latest = json.loads(run("sessions", "--json").out)[-1]["id"]
    text = run("report", latest)
    assert "previous rehearsal of this track" in text.out


def test_nothing_to_resume_and_bad_minutes(run: Runner, stdin: Feed) -> None:
    result = run("resume")
    assert result.code == 1 and "no unfinished session" in result.err
    assert run("rehearse", "go/raft-kv", "--minutes", "50").code == 2
    assert "no sessions yet" in run("sessions").out
