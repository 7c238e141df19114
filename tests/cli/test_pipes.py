"""The real executable in pipes and odd locales: any encoding, `-o -`, a reader that
closes early, and status on stderr (issue 16, point 3)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Runner, env_with, viva_exe

UNICODE_HEAVY = [
    ("show", "go/raft-kv"),
    ("plan", "go/raft-kv", "--seed", "1"),
    ("bank", "show", "go/raft-kv"),
    ("stats",),
    ("export", "markdown", "go/raft-kv"),
    ("tracks",),
]


@pytest.mark.parametrize("args", UNICODE_HEAVY, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_any_stdout_encoding_prints_without_a_traceback(
    args: tuple[str, ...], encoding: str
) -> None:
    done = subprocess.run(
        [viva_exe(), *args],
        env=env_with(PYTHONIOENCODING=encoding),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    done.stdout.decode(encoding)  # what reached the pipe is valid in that encoding
    assert done.stdout.strip()


@pytest.mark.parametrize(
    "args",
    [
        ("bank", "show", "go/raft-kv"),
        ("bank", "show", "go/raft-kv", "--json"),
        ("export", "markdown"),
    ],
    ids=lambda a: " ".join(a),
)
def test_a_reader_that_closes_early_ends_the_command_quietly(args: tuple[str, ...]) -> None:
    proc = subprocess.Popen(
        [viva_exe(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_with()
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)  # like `| head -c 100`
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert err == b""


def test_dash_output_is_stdout_where_the_format_allows(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    markdown = run("export", "markdown", "go/raft-kv", "-o", "-")
    assert markdown.code == 0 and markdown.out.startswith("#")
    as_json = run("export", "json", "go/raft-kv", "-o", "-")
    assert as_json.code == 0 and '"questions"' in as_json.out
    deck = run("export", "anki", "go/raft-kv", "-o", "-")
    assert deck.code == 2 and "an Anki deck is a file" in deck.err
    assert not (tmp_path / "-").exists()


def test_status_lines_go_to_stderr_and_results_to_stdout(run: Runner, tmp_path: Path) -> None:
    deck = run("export", "anki", "go/raft-kv", "-o", str(tmp_path / "d.apkg"))
    assert deck.code == 0 and deck.out == "" and "wrote" in deck.err
    md = run("export", "markdown", "go/raft-kv", "-o", str(tmp_path / "q.md"))
    assert md.code == 0 and md.out == "" and "wrote" in md.err
    from viva.store.database import open_store

    with open_store():
        pass  # a store to back up
    backup = run("backup", "-o", str(tmp_path / "b.db"))
    assert backup.code == 0 and backup.out == "" and "backup written" in backup.err
