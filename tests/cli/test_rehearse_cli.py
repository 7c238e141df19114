"""The rehearsal commands in-process: rehearse, resume, sessions and report."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

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
    bare = json.loads(run("report", "--json").out)  # no id: the latest, as resume does
    assert bare["id"] == latest


@pytest.mark.parametrize("prefix", ["_", "%", "2%", "____", "%-%"])
def test_session_prefixes_match_literally(run: Runner, stdin: Feed, prefix: str) -> None:
    stdin("answer\n.\n:end\n")
    assert run("rehearse", "go/raft-kv", "--seed", "1").code == 0
    result = run("report", prefix)
    assert result.code == 2 and f"unknown session {prefix!r}" in result.err


def test_report_without_sessions_is_a_usage_error(run: Runner) -> None:
    result = run("report")
    assert result.code == 2 and "no sessions yet" in result.err


def test_nothing_to_resume_and_bad_minutes(run: Runner, stdin: Feed) -> None:
    result = run("resume")
    assert result.code == 1 and "no unfinished session" in result.err
    assert run("rehearse", "go/raft-kv", "--minutes", "50").code == 2
    assert "no sessions yet" in run("sessions").out


def test_sessions_delete_asks_then_removes_the_session_and_its_audio(
    run: Runner, stdin: Feed
) -> None:
    import sqlite3

    from viva.locations import home

    stdin("opening\n.\nkept answer\n.\n:rate 1\n:end\n")
    assert run("rehearse", "go/raft-kv", "--seed", "4").code == 0
    stdin("other\n.\n:end\n")
    assert run("rehearse", "go/raft-kv", "--seed", "5").code == 0
    first, second = (s["id"] for s in json.loads(run("sessions", "--json").out))
    folder = home() / "audio" / first
    folder.mkdir(parents=True)
    (folder / "q-1.flac").write_bytes(b"f" * 2_000_000)

    def review_ratings() -> list[int]:
        with sqlite3.connect(home() / "viva.db") as conn:
            rows = conn.execute(
                "SELECT rating FROM drill_reviews WHERE source = ?", (f"rehearsal:{first}",)
            )
            return [r[0] for r in rows]

    assert review_ratings() == [1]
    stdin("n\n")
    declined = run("sessions", "delete", first)
    assert declined.code == 1 and "nothing deleted" in declined.err
    assert "1 audio file (2.0 MB)" in declined.err and str(folder) in declined.err
    stdin("")  # end of input is not a yes
    assert run("sessions", "delete", first).code == 1
    assert folder.is_dir() and len(json.loads(run("sessions", "--json").out)) == 2

    stdin("y\n")
    deleted = run("sessions", "delete", first[:-2])  # a unique prefix
    assert deleted.code == 0, deleted.err
    assert f"deleted session {first} and its audio" in deleted.err
    assert not folder.exists()
    assert [s["id"] for s in json.loads(run("sessions", "--json").out)] == [second]
    assert run("report", first).code == 2
    assert review_ratings() == [1]  # the drill card keeps the rating it was given

    gone = run("sessions", "delete", first, "--yes")
    assert gone.code == 2 and "unknown session" in gone.err
    assert run("sessions", "delete", second, "--yes").code == 0
    assert json.loads(run("sessions", "--json").out) == []


def test_an_engine_that_cannot_run_is_one_error_before_any_session(
    run: Runner, stdin: Feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIVA_WHISPER_MODEL", raising=False)
    stdin(":quit\n")
    whisper = run("rehearse", "go/raft-kv", "--voice", "--engine", "whisper", "--plain")
    assert whisper.code == 1 and "whisper engine needs" in whisper.err
    bogus = run("drill", "go/raft-kv", "--voice", "--engine", "bogus", "--plain")
    assert bogus.code == 2 and "unknown engine 'bogus'" in bogus.err
    assert json.loads(run("sessions", "--json").out) == []  # nothing was started


def test_an_empty_line_after_the_key_points_only_restarts_the_clock(
    run: Runner, stdin: Feed
) -> None:
    stdin("opening\n.\n\nsecond\n.\n:end\n")
    result = run("rehearse", "go/raft-kv", "--seed", "6", "--plain")
    assert result.code == 0, result.err
    session = result.out.splitlines()[0].removeprefix("session: ")
    report = json.loads(run("report", session, "--json").out)
    answers = [q["answer"] for s in report["sections"] for q in s["questions"]]
    assert answers[:2] == ["opening", "second"]  # no blank first line in the second


def test_sessions_delete_removes_a_linked_audio_folder_not_its_target(
    run: Runner, stdin: Feed, tmp_path: Path
) -> None:
    from viva.locations import home

    stdin("a\n.\n:end\n")
    assert run("rehearse", "go/raft-kv", "--seed", "2", "--plain").code == 0
    (session,) = (s["id"] for s in json.loads(run("sessions", "--json").out))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("x")
    (home() / "audio").mkdir()
    (home() / "audio" / session).symlink_to(elsewhere)
    assert run("sessions", "delete", "", "--yes").code == 2  # no id is not "every session"
    stdin("\x1b]0;pwned\x07n\n")
    declined = run("sessions", "delete", session)
    assert "\x1b" not in declined.out and declined.code == 1
    deleted = run("sessions", "delete", session, "--yes")
    assert deleted.code == 0, deleted.err
    assert not (home() / "audio" / session).exists()
    assert (elsewhere / "keep").read_text() == "x"
