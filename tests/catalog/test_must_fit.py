"""`viva bank lint` and the planner agree on must questions: a bank whose must
questions cannot all be placed is refused at its first must question, also
when it adds them to a packaged track; a bank id may not look like an opening."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Runner

HUGE = """track: go/raft-kv
questions:
  - id: huge-must
    category: cost
    kind: review
    prompt: A fifteen-minute cost question?
    key_points: [alpha beta gamma, delta epsilon zeta]
    minutes: 15
    difficulty: 2
    source: "Go Mastery / Track 1 / Acceptance criteria"
    must: true
"""


def test_a_user_bank_whose_must_question_cannot_fit_beside_the_packaged_ones(
    run: Runner, viva_home: Path
) -> None:
    banks = viva_home / "question_banks"
    banks.mkdir()
    bank = banks / "big.yaml"
    bank.write_text(HUGE)
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert f"{bank}:3: must: the must questions of go/raft-kv do not fit a 45-minute" in result.out
    # and a plan says so too, instead of an agenda over its time
    plan = run("plan", "go/raft-kv", "--seed", "1")
    assert plan.code == 1 and "do not fit a 45-minute defense" in plan.err
    assert "Traceback" not in plan.err


def test_scoped_must_questions_are_checked_for_their_scope(run: Runner, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "question_banks/container-internals"
    text = (source / "runtime-fork.yaml").read_text()
    # every runc-trace question must, and each 4 minutes long
    marked = text.replace(
        "    scopes:\n      - runc-trace\n", "    must: true\n    scopes:\n      - runc-trace\n"
    )
    marked = marked.replace("    minutes: 2\n", "    minutes: 4\n").replace(
        "    minutes: 3\n", "    minutes: 4\n"
    )
    assert marked.count("must: true") >= 9
    bank = tmp_path / "runtime-fork.yaml"
    bank.write_text(marked)
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert "do not fit a 45-minute defense with scopes runc-trace" in result.out


def test_a_bank_id_may_not_look_like_an_opening(run: Runner, tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(HUGE.replace("huge-must", "opening-architecture").replace("15", "3"))
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert f"{bank}:3: questions[0].id: 'opening-architecture': ids starting with" in result.out


def test_a_user_bank_that_reuses_a_packaged_id_is_refused_by_lint(
    run: Runner, viva_home: Path
) -> None:
    banks = viva_home / "question_banks"
    banks.mkdir()
    bank = banks / "mine.yaml"
    bank.write_text(HUGE.replace("huge-must", "partition-old-leader").replace("15", "3"))
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert "duplicate question id 'partition-old-leader'" in result.out
    # the same file outside the data folders is a bank of its own: checked alone
    elsewhere = viva_home.parent / f"{viva_home.name}-copy.yaml"
    elsewhere.write_text(bank.read_text())
    bank.unlink()
    assert run("bank", "lint", str(elsewhere)).code == 0


def test_a_second_default_format_is_refused(run: Runner, viva_home: Path) -> None:
    packaged = Path(__file__).resolve().parents[2] / "catalog" / "formats.yaml"
    text = packaged.read_text()
    start = text.index("  - id: standard")
    end = text.index("  - id: python-five-reviews")
    user = viva_home / "catalog"
    user.mkdir()
    mine = user / "my-formats.yaml"
    mine.write_text("formats:\n" + text[start:end].replace("id: standard", "id: my-default", 1))
    result = run("plan", "go/raft-kv", "--seed", "1")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{mine}:1: formats: format 'my-default' is a second default" in result.err
