"""A faithful agenda: scoped draws keep the planner's promises, a seed ignores the
stored history, and the bank checks behind must questions and scopes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, Runner
from tests.helpers import FakeClock
from viva.catalog.loader import Catalog, Track, load_catalog
from viva.drill.hooks import rehearsal_ratings
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.history import question_history
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession
from viva.services.rehearsal import plan
from viva.store.database import default_store_path, open_store

CATALOG = load_catalog()
SEEDS = range(1, 21)
SCOPED_TRACKS = sorted(tid for tid, t in CATALOG.tracks.items() if t.spec.scopes)
ONE_SCOPE = [(tid, s.id) for tid in SCOPED_TRACKS for s in CATALOG.tracks[tid].spec.scopes]
RUNTIME_FORK = "container-internals/runtime-fork"


def _check_scoped_draw(catalog: Catalog, track: Track, agenda: Agenda, chosen: set[str]) -> None:
    """The promises of the planner, for a candidate who built ``chosen``."""
    where = f"{track.id} {agenda.minutes} min seed {agenda.seed} scopes {sorted(chosen)}"
    fmt_sections = catalog.format_for(track.path.id).variant(agenda.minutes).sections
    eligible = track.eligible(chosen)
    bank = {q.id: q for q in track.questions}

    assert set(agenda.scopes) == chosen, where
    assert not agenda.weighted, where
    assert sum(s.budget_seconds for s in agenda.sections) == agenda.minutes * 60, where
    assert agenda.planned_minutes <= agenda.minutes, where

    ids = [q.id for q in agenda.questions]
    assert len(ids) == len(set(ids)), f"{where}: a question appears twice"
    musts = {q.id for q in eligible if q.must}
    assert musts <= set(ids), f"{where}: must questions missing: {musts - set(ids)}"

    for q in agenda.questions:
        if q.opening:
            continue
        scopes = bank[q.id].scopes
        assert not scopes or chosen & set(scopes), f"{where}: {q.id} is for {scopes}"
        assert q.scopes == scopes, f"{where}: {q.id} carries the wrong scopes"

    for section in agenda.sections:
        bank_questions = [q for q in section.questions if not q.opening]
        if section.budget_seconds >= 4 * 60:
            assert bank_questions, f"{where}: {section.id} asks no bank question"

    if agenda.minutes == 45:
        assert 15 <= len(ids) <= 25, f"{where}: {len(ids)} items"
    else:
        named = {c for s in fmt_sections for c in s.categories}
        answerable = {q.category for q in eligible}
        asked = {q.category for q in agenda.questions if not q.opening}
        assert named & answerable <= asked, f"{where}: never asked {(named & answerable) - asked}"


# --- 1. scoped draws keep every promise --------------------------------------------


@pytest.mark.parametrize("minutes", [45, 60])
@pytest.mark.parametrize(("track_id", "scope"), ONE_SCOPE)
def test_a_single_scope_draw_keeps_every_promise_and_asks_nothing_of_other_scopes(
    track_id: str, scope: str, minutes: int
) -> None:
    track = CATALOG.tracks[track_id]
    for seed in SEEDS:
        agenda = draw_agenda(CATALOG, track, minutes=minutes, seed=seed, scopes=[scope])
        assert agenda.scopes == (scope,)
        _check_scoped_draw(CATALOG, track, agenda, {scope})


@pytest.mark.parametrize("minutes", [45, 60])
@pytest.mark.parametrize("track_id", SCOPED_TRACKS)
def test_a_draw_for_every_scope_at_once_keeps_every_promise(track_id: str, minutes: int) -> None:
    track = CATALOG.tracks[track_id]
    every = {s.id for s in track.spec.scopes}
    for seed in SEEDS:
        agenda = draw_agenda(CATALOG, track, minutes=minutes, seed=seed, scopes=sorted(every))
        # the scopes come back in the track's order, whatever order they were named in
        assert agenda.scopes == tuple(s.id for s in track.spec.scopes)
        _check_scoped_draw(CATALOG, track, agenda, every)


def test_a_chosen_scope_brings_its_questions_into_the_draw() -> None:
    """Not only are other scopes left out: the chosen one's questions do get asked."""
    track = CATALOG.tracks[RUNTIME_FORK]
    for scope in ("runc-trace", "runc-autoseccomp", "runc-cap"):
        tagged = {q.id for q in track.questions if scope in q.scopes}
        drawn: set[str] = set()
        for seed in SEEDS:
            agenda = draw_agenda(CATALOG, track, minutes=45, seed=seed, scopes=[scope])
            drawn |= {q.id for q in agenda.questions} & tagged
        assert drawn, f"no {scope} question in 20 draws for {scope}"


# --- 2. a seed ignores the stored history ----------------------------------------


def _rehearse_with_ratings(sessions: int) -> None:
    """Real stored rehearsals of go/raft-kv: every other bank question rated again,
    the others answered; each session ended."""
    track = CATALOG.tracks["go/raft-kv"]
    clock = FakeClock()
    with open_store() as store:
        for n in range(sessions):
            agenda = draw_agenda(CATALOG, track, seed=100 + n)
            live = LiveSession.start(
                store, agenda, clock=clock.clock(), on_rate=rehearsal_ratings(store)
            )
            for i in range(8):
                if live.rehearsal.agenda_done:
                    break
                clock.advance(45)
                if i % 2:
                    live.act("rate", rating=1)
                live.act("answer", text=f"answer {i} of session {n}")
            live.act("end")


def test_a_seed_gives_the_same_agenda_whatever_the_stored_history() -> None:
    seeds = range(1, 9)
    before = {seed: plan("go/raft-kv", seed=seed).to_json() for seed in seeds}
    _rehearse_with_ratings(3)
    with open_store() as store:
        history = question_history(store, "go/raft-kv")
    assert any(h.last_rating == 1 for h in history.values())
    assert any(h.times_asked_recently > 0 for h in history.values())
    # This history would change these draws, were it used:
    weighted = {s: draw_agenda(CATALOG, "go/raft-kv", seed=s, history=history) for s in seeds}
    assert any(weighted[s].to_json()["sections"] != before[s]["sections"] for s in seeds)

    after = {seed: plan("go/raft-kv", seed=seed).to_json() for seed in seeds}
    assert after == before
    assert all(not a["weighted"] for a in after.values())


def test_without_a_seed_the_stored_history_weights_the_draw() -> None:
    assert not default_store_path().exists()
    assert plan("go/raft-kv").weighted is False  # no history yet: a plain draw
    _rehearse_with_ratings(2)
    agenda = plan("go/raft-kv")
    assert agenda.weighted is True and agenda.repeatable is False
    with open_store() as store:
        history = question_history(store, "go/raft-kv")
    # the draw is the one that seed gives with that history
    assert agenda == draw_agenda(CATALOG, "go/raft-kv", seed=agenda.seed, history=history)


def test_plan_says_a_weighted_draw_does_not_repeat_by_its_seed(run: Runner) -> None:
    _rehearse_with_ratings(1)
    result = run("plan", "go/raft-kv")
    assert result.code == 0, result.err
    assert "weighted by your rehearsal history" in result.out
    assert "repeat with viva plan" not in result.out
    seeded = run("plan", "go/raft-kv", "--seed", "4")
    assert "seed: 4 — repeat with viva plan go/raft-kv --minutes 45 --seed 4" in seeded.out


# --- 3. bank lint: must questions that cannot fit, undeclared scopes ---------------


def _bank_lines(relative: str) -> list[str]:
    return (REPO / "question_banks" / relative).read_text(encoding="utf-8").splitlines()


def test_bank_lint_refuses_must_questions_that_cannot_fit(run: Runner, tmp_path: Path) -> None:
    lines: list[str] = []
    for line in _bank_lines("go/raft-kv.yaml"):
        if re.match(r"^    must: ", line):
            continue
        lines.append(line)
        if line.startswith("  - id: "):
            lines.append("    must: true")
    bank = tmp_path / "all-must.yaml"
    bank.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first_id = next(i for i, line in enumerate(lines, 1) if line.startswith("  - id: "))
    count = sum(1 for line in lines if line.startswith("  - id: "))

    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    messages = result.out.splitlines()
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{bank}:{first_id}: must: track go/raft-kv: ")
    assert f"its {count} must questions take" in messages[0]
    assert "does not fit the 45-minute defense" in messages[0]
    assert "1 problem in 1 files" in result.err


def test_bank_lint_accepts_the_same_bank_unchanged(run: Runner, tmp_path: Path) -> None:
    """The control for the test above: a copy of the bank as shipped is clean."""
    bank = tmp_path / "copy.yaml"
    bank.write_text("\n".join(_bank_lines("go/raft-kv.yaml")) + "\n", encoding="utf-8")
    result = run("bank", "lint", str(bank))
    assert result.code == 0, result.out
    assert result.out.startswith("ok: 1 files")


def test_bank_lint_refuses_an_undeclared_scope(run: Runner, tmp_path: Path) -> None:
    source = _bank_lines("container-internals/runtime-fork.yaml")
    at = next(
        i
        for i, line in enumerate(source)
        if line == "    scopes:" and source[i + 1] == "      - runc-trace"
    )
    lines = [*source[: at + 2], "      - runc-traces", *source[at + 2 :]]
    index = sum(1 for line in source[:at] if line.startswith("  - id: ")) - 1
    bank = tmp_path / "typo-scope.yaml"
    bank.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    offered = ", ".join(sorted(s.id for s in CATALOG.tracks[RUNTIME_FORK].spec.scopes))
    assert result.out.splitlines() == [
        f"{bank}:{at + 3}: questions[{index}].scopes[1]: track {RUNTIME_FORK} offers no "
        f"scope 'runc-traces' (offers: {offered})"
    ]


# --- 4. an unknown --scope ------------------------------------------------------------


@pytest.mark.parametrize("command", ["plan", "rehearse", "packet", "drill"])
def test_an_unknown_scope_is_one_usage_error_listing_the_offered_scopes(
    run: Runner, tmp_path: Path, command: str
) -> None:
    args = {
        "plan": ["plan", RUNTIME_FORK, "--seed", "1"],
        "rehearse": ["rehearse", RUNTIME_FORK, "--plain", "--seed", "1"],
        "packet": ["packet", "--track", RUNTIME_FORK, "--seed", "1", "-o", str(tmp_path / "p.pdf")],
        "drill": ["drill", RUNTIME_FORK, "--plain", "--all"],
    }[command]
    result = run(*args, "--scope", "runc-trace", "--scope", "runc-bogus")
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    assert result.err.count("error:") == 1, result.err
    offered = ", ".join(s.id for s in CATALOG.tracks[RUNTIME_FORK].spec.scopes)
    assert f"offers no scope 'runc-bogus' (scopes: {offered})" in " ".join(result.err.split())
    assert not (tmp_path / "p.pdf").exists()
    # nothing was started, and the bad choice was not remembered
    if default_store_path().exists():
        with open_store() as store:
            assert store.sessions() == []
            assert store.scopes(RUNTIME_FORK) is None
