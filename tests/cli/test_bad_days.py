"""A bad day gives one message and a non-zero exit, never a traceback, and keeps
what was recorded: a full disk, a data folder that is a file, invalid UTF-8."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import play_plain
from viva.store.database import Store


@pytest.mark.parametrize(
    ("problem", "advice"),
    [
        ("database or disk is full", "free some disk space"),
        ("attempt to write a readonly database", "writable (or set VIVA_HOME)"),
    ],
)
def test_a_store_that_cannot_be_written_is_one_message_and_keeps_what_was_recorded(
    run: Runner, monkeypatch: pytest.MonkeyPatch, problem: str, advice: str
) -> None:
    # (as root, CI cannot make a file read-only for SQLite: the store's error is raised)
    monkeypatch.setattr("sys.stdin", io.StringIO("first answer\n.\nsecond\n.\n"))
    first = run("rehearse", "go/raft-kv", "--plain", "--seed", "1")
    assert first.code == 0, first.err
    real_append = Store.append
    calls = {"n": 0}

    def full(self: Store, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > 3:
            raise sqlite3.OperationalError(problem)
        return real_append(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "append", full)
    monkeypatch.setattr("sys.stdin", io.StringIO("a\nb\nc\nd\n.\n"))
    result = run("resume", "--plain")
    assert result.code == 1
    assert "Traceback" not in result.err and result.err.count("error:") == 1
    assert f"{problem}): " in result.err and advice in result.err
    assert "everything recorded before is kept" in result.err
    monkeypatch.setattr(Store, "append", real_append)
    (session,) = [line.split()[1] for line in first.out.splitlines() if line.startswith("session:")]
    report = run("report", session, "--json")
    assert report.code == 0 and "first answer" in report.out


@pytest.mark.parametrize("home", ["file", "/dev/null"])
def test_a_data_folder_that_is_not_a_folder_is_one_message(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: str
) -> None:
    path = tmp_path / "a-file" if home == "file" else Path(home)
    if home == "file":
        path.write_text("not a folder")
    monkeypatch.setenv("VIVA_HOME", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    for args in (("rehearse", "go/raft-kv", "--plain"), ("drill", "go/raft-kv", "--plain")):
        result = run(*args)
        assert result.code == 1, result.err
        assert f"{path} is not a folder, so the store cannot live there" in result.err
        assert "Traceback" not in result.err


def test_invalid_utf8_on_stdin_is_kept_as_replacement_characters(tmp_path: Path) -> None:
    broken = b"caf\xe9 and \xff\xfe bytes".decode("utf-8", "surrogateescape")
    live, _ = play_plain(tmp_path / "viva.db", [broken, "."])
    answer = live.report().to_json()["sections"][0]["questions"][0]["answer"]
    assert answer == "caf\ufffd and \ufffd\ufffd bytes"


def test_a_name_that_is_not_valid_utf8_is_a_usage_error(run: Runner) -> None:
    name = b"Ann \xff".decode("utf-8", "surrogateescape")
    result = run("rehearse", "go/raft-kv", "--plain", "--candidate", name)
    assert result.code == 2 and "Traceback" not in result.err
    assert "a name may not hold" in result.err


def test_a_damaged_session_never_blocks_its_track(
    run: Runner, monkeypatch: pytest.MonkeyPatch, viva_home: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("an answer\n.\n:end\n"))
    first = run("rehearse", "go/raft-kv", "--plain", "--seed", "3")
    assert first.code == 0, first.err
    (session,) = [line.split()[1] for line in first.out.splitlines() if line.startswith("session:")]
    conn = sqlite3.connect(viva_home / "viva.db")
    conn.execute(  # bytes that are not UTF-8 in an event's data, as a bad disk leaves them
        "UPDATE events SET data = CAST(x'7b22ff22' AS TEXT) WHERE session_id = ? AND seq = 2",
        (session,),
    )
    conn.commit()
    conn.close()
    for args in (("plan", "go/raft-kv", "--json"), ("stats", "go/raft-kv", "--json")):
        result = run(*args)
        assert result.code == 0, result.err
    monkeypatch.setattr("sys.stdin", io.StringIO("next\n.\n:end\n"))
    again = run("rehearse", "go/raft-kv", "--plain")
    assert again.code == 0, again.err and "ended" in again.out
    report = run("report", session)
    assert report.code == 1 and "Traceback" not in report.err
    assert report.err.count("error:") == 1 and "could not be used" in report.err
    from viva.admin.doctor import run_checks

    (store,) = [c for c in run_checks() if c.name == "Store"]
    assert not store.ok and f"1 sessions cannot be read ({session})" in store.detail
    assert "left out of history and stats" in store.advice
    assert run("doctor").code == 1
