"""The real executable in pipes and odd locales: any encoding, `-o -`, a reader that
closes early, and status on stderr (issue 16, point 3)."""

from __future__ import annotations

import re
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
    restored = run("restore", str(tmp_path / "b.db"))
    assert restored.code == 0 and restored.out == "" and "restored" in restored.err


# --- narrow terminals and piped tables (issue 16, point 2) -------------------------


def _sessions_rows() -> list[dict[str, object]]:
    return [
        {
            "id": f"20261202-04253{i}-8f3a2c",
            "track": "container-internals/image-scanning",
            "minutes": 60,
            "seed": 123456789,
            "status": status,
            "started_at": f"2026-12-02T04:25:3{i}+00:00",
        }
        for i, status in enumerate(("ended", "paused", "running"))
    ]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_sessions_show_ids_and_statuses_whole_at_any_width(width: int) -> None:
    from rich.console import Console

    from viva.cli.views.sessions import render_sessions

    out = Console(width=width, force_terminal=True, record=True, color_system=None)
    render_sessions(_sessions_rows(), out)
    text = out.export_text()
    for row in _sessions_rows():
        assert str(row["id"]) in text, text
        assert f" {row['status']} " in text, text
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("width", [60, 80])
def test_no_track_column_renders_at_zero_width(width: int) -> None:
    from rich.console import Console

    from viva.catalog.loader import load_catalog, track_index
    from viva.cli.catalog import _tracks_table

    index = track_index(load_catalog())
    out = Console(width=width, force_terminal=True, record=True, color_system=None)
    out.print(_tracks_table(index, width))
    text = out.export_text()
    for t in index:
        assert t["title"].split()[0][:5] in text and t["id"].split("/")[1] in text
    assert max(len(line) for line in text.splitlines()) <= width


def test_piped_tables_are_tab_separated_plain_text(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("answer\n.\n:end\n"))
    assert run("rehearse", "go/raft-kv", "--seed", "1").code == 0
    listed = run("sessions").out.splitlines()
    assert listed[0].split("\t") == [
        "id",
        "track",
        "min",
        "seed",
        "status",
        "started (UTC)",
        "mode",
    ]
    fields = listed[1].split("\t")
    assert len(fields) == 7 and fields[1] == "go/raft-kv" and fields[4] == "ended"
    assert fields[6] == "rehearsal"
    tracks = run("tracks").out.splitlines()
    assert tracks[0].split("\t") == ["TRACK", "MIN", "QUESTIONS", "TITLE"]
    assert all(len(line.split("\t")) == 4 for line in tracks) and len(tracks) == 25
    assert not any(ch in run("tracks").out for ch in "┃│━\x1b")


def test_force_color_and_no_color_are_honoured_in_a_pipe() -> None:
    forced = subprocess.run(
        [viva_exe(), "tracks"], env=env_with(FORCE_COLOR="1"), capture_output=True, timeout=60
    )
    assert b"\x1b[" in forced.stdout and "┃".encode() in forced.stdout
    plain = subprocess.run(
        [viva_exe(), "tracks"], env=env_with(NO_COLOR="1"), capture_output=True, timeout=60
    )
    assert b"\x1b[" not in plain.stdout and plain.stdout.startswith(b"TRACK\t")


BOX = "┃│━─┏┓┗┛╭╮╰╯┡┩"


def _piped(*args: str) -> str:
    done = subprocess.run(
        [viva_exe(), *args], env=env_with(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _plain(text: str) -> None:
    assert text.strip()
    assert not any(ch in text for ch in BOX), text
    assert "\x1b" not in text and "…" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_piped_plan_and_bank_show_keep_every_prompt_whole() -> None:
    from viva.catalog.loader import load_catalog

    track = load_catalog().tracks["go/raft-kv"]
    plan = _piped("plan", "go/raft-kv", "--seed", "1")
    _plain(plan)
    import json

    agenda = json.loads(_piped("plan", "go/raft-kv", "--seed", "1", "--json"))
    prompts = [q["prompt"] for s in agenda["sections"] for q in s["questions"]]
    assert prompts and all(" ".join(p.split()) in plan for p in prompts)
    shown = _piped("bank", "show", "go/raft-kv")
    _plain(shown)
    for q in track.questions:
        assert q.prompt in shown and all(k in shown for k in q.key_points)
    brief = _piped("show", "go/raft-kv")
    _plain(brief)
    assert track.spec.outcome in " ".join(brief.split())


def test_piped_stats_and_report_are_plain_and_whole(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("answer\n.\n:end\n"))
    assert run("rehearse", "go/raft-kv", "--seed", "1").code == 0
    report = _piped("report")
    _plain(report)
    from viva.catalog.loader import load_catalog

    track = load_catalog().tracks["go/raft-kv"]
    musts = [q for q in track.questions if q.must and not q.scopes]
    assert musts and all(q.prompt in report for q in musts)  # none was answered
    stats = _piped("stats")
    _plain(stats)
    rows = [line for line in stats.splitlines() if "go/raft-kv" in line and "ended" in line]
    assert len(rows) == 1


@pytest.mark.parametrize("width", [60, 80])
def test_terminal_tables_keep_ids_statuses_and_counts_whole(
    run: Runner, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("answer\n.\n:end\n"))
    assert run("rehearse", "container-internals/image-scanning", "--seed", "1").code == 0
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as far as the tables know
    monkeypatch.setenv("NO_COLOR", "1")
    for args in (("stats",), ("report",), ("bank", "stats"), ("sessions",), ("tracks",)):
        result = run(*args)
        assert result.code == 0, result.err
        text = re.sub(r"\x1b\[[0-9;]*m", "", result.out)  # NO_COLOR keeps bold and dim
        assert max(len(line) for line in text.splitlines()) <= width, (args, text)
        cells = [ln for ln in text.splitlines() if "│" in ln or "┃" in ln or args[0] == "bank"]
        assert not [ln for ln in cells if "…" in ln], (args, text)  # decoration dropped first
        header = next((ln for ln in text.splitlines() if "┃" in ln), None)
        if header:  # no column squeezed to nothing
            assert all(cell.strip() for cell in header.strip("┃").split("┃")[1:-1] if cell), header
    (row,) = [ln for ln in run("stats").out.splitlines() if " ended " in ln]
    assert ("container-internals/image-scanning" in row) == (width >= 80)  # folds at 60
    report = run("report").out
    assert "Architecture" in report and "walkthrough" in report


def test_typed_text_the_stdin_encoding_cannot_read_is_replaced(run: Runner) -> None:
    done = subprocess.run(
        [viva_exe(), "rehearse", "go/raft-kv", "--plain", "--seed", "1"],
        input="café\n.\n:end\n".encode(),
        env=env_with(PYTHONIOENCODING="ascii"),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    report = run("report", "--json")
    import json

    first = json.loads(report.out)["sections"][0]["questions"][0]
    assert first["answer"].startswith("caf") and first["answer"] != "café"
