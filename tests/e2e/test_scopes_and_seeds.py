"""End to end: a seed repeats the same questions everywhere (rehearsal, plan, packet),
scopes are remembered per track, and a terminal is asked which scope was built."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pexpect
import pypdf

from tests.conftest import Runner, viva_exe
from viva.catalog.loader import load_catalog
from viva.rehearsal.planner import draw_agenda

RAFT = "go/raft-kv"
RUNTIME_FORK = "container-internals/runtime-fork"
ZWSP = "\u200b"

# Two questions answered, one rated again just after its answer (history that a
# seeded draw must ignore), two more answered, then :end.
SCRIPT = ["first answer", ".", "second answer", ".", ":rate 1", "third", ".", "fourth", ".", ":end"]


def viva(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in a child process, stdin a pipe (``stdin``) or /dev/null."""
    return subprocess.run(
        [viva_exe(), *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )


def rehearse_plain(seed: int) -> tuple[str, list[str]]:
    """Run SCRIPT through `viva rehearse --plain`; the session id and the prompts
    shown, in order."""
    proc = viva("rehearse", RAFT, "--plain", "--seed", str(seed), stdin="\n".join(SCRIPT) + "\n")
    assert proc.returncode == 0, proc.stderr
    found = re.search(r"^session: (\S+)$", proc.stdout, re.MULTILINE)
    assert found is not None, proc.stdout
    lines = proc.stdout.splitlines()
    shown = [lines[i + 1] for i, line in enumerate(lines) if line.startswith("-- Question ")]
    assert re.search(rf"session {re.escape(found.group(1))} ended", proc.stdout)
    return found.group(1), shown


def spawn_plan(*args: str) -> pexpect.spawn:
    """`viva plan` in a real terminal: stdin and stderr are TTYs."""
    return pexpect.spawn(
        viva_exe(),
        ["plan", *args],
        encoding="utf-8",
        timeout=30,
        env=dict(os.environ),
        dimensions=(40, 200),
    )


def reported(session: str) -> list[dict[str, Any]]:
    """The questions of a recorded session, as `viva report --json` lists them."""
    proc = viva("report", session, "--json")
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return [q for s in data["sections"] for q in s["questions"]]


def plan_json(run: Runner, *args: str) -> dict[str, Any]:
    result = run("plan", *args, "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def questions_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for s in data["sections"] for q in s["questions"]]


def pdf_text(path: Path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(path)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Text without whitespace, zero-width spaces or the backticks the packet sets as
    code: robust to line wrapping."""
    return re.sub(r"\s+", "", text.replace(ZWSP, "").replace("`", ""))


def positions_in_order(flat: str, needles: list[str]) -> list[int]:
    """Where each needle is found, each searched after the one before it; -1 from the
    first that is not found in order."""
    found: list[int] = []
    at = 0
    for needle in needles:
        at = flat.find(needle, at) if at >= 0 else -1
        found.append(at)
        if at >= 0:
            at += len(needle)
    return found


# --- 5. one seed, the same questions in the same order everywhere ------------------


def test_a_seed_asks_the_same_questions_in_rehearsal_plan_and_packet(
    run: Runner, tmp_path: Path
) -> None:
    first, shown_first = rehearse_plain(7)
    second, shown_second = rehearse_plain(7)
    assert first != second
    assert len(shown_first) == 5  # four answered, the fifth left by :end
    assert shown_second == shown_first
    # the first rehearsal left history (a rating of again) that the second ignored
    assert [q["rating"] for q in reported(first)][:4] == [None, 1, None, None]

    planned = questions_of(plan_json(run, RAFT, "--seed", "7"))
    assert shown_first == [q["prompt"] for q in planned][: len(shown_first)]
    # the whole stored agenda of both rehearsals, not only what was reached
    ids = [q["id"] for q in planned]
    assert [q["question_id"] for q in reported(first)] == ids
    assert [q["question_id"] for q in reported(second)] == ids
    assert planned == questions_of(draw_agenda(load_catalog(), RAFT, seed=7).to_json())

    out = tmp_path / "reviewer.pdf"
    result = run("packet", "--track", RAFT, "--seed", "7", "-o", str(out))
    assert result.code == 0, result.err
    reader, text = pdf_text(out)
    assert f"{len(planned)} prompts" in reader.pages[0].extract_text()
    prefixes = [squash(q["prompt"])[:40] for q in planned]
    # The agenda lists the prompts in order, then each gets its page block in order.
    order = positions_in_order(squash(text), prefixes + prefixes)
    missing = [planned[i % len(planned)]["id"] for i, at in enumerate(order) if at < 0]
    assert missing == [], f"not in the packet in agenda order: {missing}"


# --- 6. scopes are remembered per track ------------------------------------------------


def test_a_named_scope_is_remembered_until_none_resets_it(run: Runner) -> None:
    track = load_catalog().tracks[RUNTIME_FORK]
    other_only = {q.id for q in track.questions if q.scopes and "runc-trace" not in q.scopes}
    assert any(q.scopes == ("runc-autoseccomp",) for q in track.questions if q.id in other_only)

    named = plan_json(run, RUNTIME_FORK, "--scope", "runc-trace", "--seed", "1")
    assert named["scopes"] == ["runc-trace"]
    traced: set[str] = set()
    for minutes in ("45", "60"):
        for seed in range(1, 11):
            data = plan_json(run, RUNTIME_FORK, "--minutes", minutes, "--seed", str(seed))
            assert data["scopes"] == ["runc-trace"], (minutes, seed)
            ids = {q["id"] for q in questions_of(data)}
            assert ids & other_only == set(), (minutes, seed, ids & other_only)
            traced |= {q["id"] for q in questions_of(data) if "runc-trace" in q["scopes"]}
    assert traced, "the remembered scope's questions are drawn"

    reset = plan_json(run, RUNTIME_FORK, "--scope", "none", "--seed", "1")
    assert reset["scopes"] == []
    again = plan_json(run, RUNTIME_FORK, "--seed", "1")
    assert again["scopes"] == []  # `none` is remembered too
    assert all(q["scopes"] == [] for q in questions_of(again))
    assert again == draw_agenda(load_catalog(), RUNTIME_FORK, seed=1).to_json()


def test_the_packet_cover_names_the_remembered_scope(run: Runner, tmp_path: Path) -> None:
    track = load_catalog().tracks[RUNTIME_FORK]
    assert plan_json(run, RUNTIME_FORK, "--scope", "runc-trace")["scopes"] == ["runc-trace"]
    out = tmp_path / "fork.pdf"
    result = run("packet", "--track", RUNTIME_FORK, "--seed", "3", "-o", str(out))
    assert result.code == 0, result.err
    reader, text = pdf_text(out)
    cover = reader.pages[0].extract_text()
    assert "SCOPES BUILT" in cover.upper()
    assert "runc-trace:" in cover
    assert "runc-autoseccomp" not in cover and "runc-cap" not in cover
    repeat = (
        f"viva plan {RUNTIME_FORK} --minutes {track.defense_minutes} --seed 3 --scope runc-trace"
    )
    assert squash(repeat) in squash(cover)
    flat = squash(text)
    agenda = draw_agenda(load_catalog(), track, seed=3, scopes=["runc-trace"])
    for asked in agenda.questions:
        assert squash(asked.prompt) in flat, asked.id
    for q in track.questions:
        if q.scopes and "runc-trace" not in q.scopes:
            assert squash(q.prompt) not in flat, q.id


# --- 7. a terminal is asked which scope was built ---------------------------------------


def test_a_terminal_is_asked_which_scope_was_built_and_the_answer_is_remembered() -> None:
    track = load_catalog().tracks[RUNTIME_FORK]
    scopes = track.spec.scopes
    assert len(scopes) >= 2 and all(s.kind == "alternative" for s in scopes[:2])
    second = scopes[1].id
    child = spawn_plan(RUNTIME_FORK, "--seed", "1")
    child.expect(r"which did you build\?")
    for number, scope in enumerate(scopes, 1):
        child.expect(rf"{number}\. {re.escape(scope.id)} \({scope.kind}\)")
    child.expect("> ")
    child.sendline("2")
    child.expect(rf"scopes: {re.escape(second)}\s")
    # (the terminal is 100 columns wide: the line may wrap between words)
    repeat = rf"repeat with viva plan {RUNTIME_FORK} --minutes \d+ --seed 1 --scope {second}"
    child.expect(repeat.replace(" ", r"\s+"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    # remembered: a terminal is not asked again
    child = spawn_plan(RUNTIME_FORK, "--seed", "1")
    assert child.expect([r"which did you build\?", rf"scopes: {re.escape(second)}\s"]) == 1
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    later = viva("plan", RUNTIME_FORK, "--seed", "1", "--json")  # stdin: /dev/null
    assert later.returncode == 0, later.stderr
    assert "which did you build" not in later.stderr
    data = json.loads(later.stdout)
    assert data["scopes"] == [second]
    assert data == draw_agenda(load_catalog(), track, seed=1, scopes=[second]).to_json()


def test_without_a_terminal_nothing_is_asked_and_the_draw_is_scope_neutral() -> None:
    proc = viva("plan", RUNTIME_FORK, "--seed", "1", "--json")  # stdin: /dev/null
    assert proc.returncode == 0, proc.stderr
    assert "which did you build" not in proc.stderr and proc.stderr.strip() == ""
    data = json.loads(proc.stdout)
    assert data["scopes"] == []
    assert all(q["scopes"] == [] for q in questions_of(data))
    assert data == draw_agenda(load_catalog(), RUNTIME_FORK, seed=1).to_json()
