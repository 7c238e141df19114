"""``viva bank lint``: golden messages, hostile input, and the packaged data is clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Runner
from viva.catalog.lint import lint_paths
from viva.catalog.yamlsafe import MAX_DEPTH, load_yaml
from viva.errors import DataErrors

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"

VALID = (
    "track: go/raft-kv\n"
    "questions:\n"
    "  - id: crlf-question\n"
    "    category: architecture\n"
    "    kind: review\n"
    "    prompt: Why one goroutine per node for the Ready loop?\n"
    "    key_points: [Ordering of Ready handling, Persist before send]\n"
    "    minutes: 2\n"
    "    difficulty: 1\n"
    "    source: Go Mastery / Track 1 / Architecture sketch\n"
)


def test_golden_lint_messages(run: Runner) -> None:
    os.chdir(REPO)
    result = run("bank", "lint", "tests/catalog/golden/lint")
    assert result.code == 1
    assert result.out == (GOLDEN / "lint.expected").read_text(encoding="utf-8")
    assert "problems in 10 files" in result.err


def test_packaged_data_is_clean(run: Runner) -> None:
    result = run("bank", "lint", str(REPO / "question_banks"), str(REPO / "catalog"))
    assert result.code == 0, result.out
    assert result.out.startswith("ok: ")


def test_missing_path_is_one_clear_error(run: Runner, tmp_path: Path) -> None:
    result = run("bank", "lint", str(tmp_path / "nope.yaml"))
    assert result.code == 1
    assert "no such file or folder" in result.err


def _lint_one(tmp_path: Path, content: bytes, name: str = "bank.yaml") -> list[str]:
    f = tmp_path / name
    f.write_bytes(content)
    return [str(e) for e in lint_paths([f]).errors]


def test_bom_and_crlf_are_valid(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode()
    assert _lint_one(tmp_path, content) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: &a [1,2]\nb: *a\n", "anchors and aliases"),
        (b"x: !!python/object/apply:os.system [ls]\n", "the tag !!python/object/apply:os.system"),
        (b"x: !!binary aGVsbG8=\n", "the tag !!binary"),
        (b"x: 1\n\x00\x01\x02", "binary content"),
        (b"track: caf\xe9\n", "not valid UTF-8"),
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"a: 1\na: 2\n", "duplicate key 'a'"),
        (b"questions:\n\t- x\n", "cannot start any token"),
        (b"[" * 5000 + b"]" * 5000, f"nesting deeper than {MAX_DEPTH} levels"),
        (b"x:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 200)), "nesting deeper"),
        (b"- 1\n- 2\n", "not a viva file"),
        (b"questions: [null]\ntrack: go/raft-kv\n", "expected a mapping, got null"),
    ],
)
def test_hostile_input_gets_a_located_error(tmp_path: Path, content: bytes, expected: str) -> None:
    errors = _lint_one(tmp_path, content)
    assert errors, "expected an error"
    assert any(expected in e for e in errors), errors
    assert all(e.startswith(str(tmp_path / "bank.yaml") + ":") for e in errors)


def test_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    # 9 * 4**29 nodes if expanded: the test finishes only because aliases are
    # refused while composing, before anything is built.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    errors = _lint_one(tmp_path, "\n".join(lines).encode())
    assert any("anchors and aliases" in e for e in errors)


def test_multi_megabyte_file_is_refused(tmp_path: Path) -> None:
    errors = _lint_one(tmp_path, b"# " + b"x" * (3 * 1024 * 1024) + b"\n")
    assert any("the limit is" in e for e in errors)


def test_long_unbroken_line_is_fine(tmp_path: Path) -> None:
    errors = _lint_one(tmp_path, VALID.replace("Why one", "W" + "y" * 900 + " one").encode())
    assert errors == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_data_errors(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "x.yaml"
        f.write_bytes(data)
        try:
            load_yaml(f)
        except DataErrors as exc:
            assert exc.errors and all(e.line >= 1 for e in exc.errors)


_yaml_text = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`,?\n\t 01.~")), max_size=400
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_yaml_text)
def test_arbitrary_yaml_like_text_lints_without_traceback(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "x.yaml"
        f.write_text(text, encoding="utf-8")
        result = lint_paths([f])
        for e in result.errors:
            assert e.file == str(f) and e.line >= 1 and e.message


@pytest.mark.parametrize("value", ["2026-13", "26-01", "2026-1", "December 2026", "2026-00"])
def test_verified_must_be_a_year_and_month(tmp_path: Path, value: str) -> None:
    errors = _lint_one(tmp_path, (VALID + f'    verified: "{value}"\n').encode())
    assert len(errors) == 1 and "verified" in errors[0] and "bank.yaml:" in errors[0], errors


def test_verified_is_carried_to_show_plan_and_stats() -> None:
    from dataclasses import replace
    from datetime import date

    from viva.catalog.bankstats import bank_stats, stale
    from viva.catalog.loader import load_catalog

    assert not stale("2026-12", date(2027, 12, 31)) and stale("2026-12", date(2028, 1, 1))
    assert stale(None, date(2026, 12, 3))
    track = load_catalog().tracks["kubernetes/hard-way"]
    question = track.question("etcd-space-quota-exceeded")
    assert question is not None and question.verified == "2026-12"
    first, second, *rest = track.questions
    aged = replace(
        track,
        questions=(
            first.model_copy(update={"verified": None}),
            second.model_copy(update={"verified": "2025-11"}),
            *(q.model_copy(update={"verified": "2026-12"}) for q in rest),
        ),
    )
    stats = bank_stats(aged, today=date(2026, 12, 3))
    assert stats.unverified == [first.id, second.id]  # never, and more than 12 months ago
    assert stats.as_json()["unverified"] == stats.unverified
    later = bank_stats(aged, today=date(2028, 1, 1))
    assert len(later.unverified) == len(track.questions)  # all stale a year on
    from viva.rehearsal.planner import draw_agenda

    catalog = load_catalog()
    for seed in range(8):
        agenda = draw_agenda(catalog, "kubernetes/hard-way", 60, seed).to_json()
        for q in (q for s in agenda["sections"] for q in s["questions"]):
            bank = track.question(q["id"])
            assert q["verified"] == (bank.verified if bank else None)


def test_stats_name_each_shortfall() -> None:
    from dataclasses import replace

    from viva.catalog.bankstats import MINIMUMS, bank_stats
    from viva.catalog.loader import load_catalog

    track = load_catalog().tracks["linux-kernel/ebpf-tool"]
    alternatives = [s.id for s in track.spec.scopes if s.kind == "alternative"]
    thin_scope = alternatives[0]
    kept = [q for q in track.questions if thin_scope not in q.scopes]
    kept += [q for q in track.questions if thin_scope in q.scopes][:1]
    no_cost = [q for q in kept if q.category != "cost"]
    bare = [no_cost[0].model_copy(update={"follow_ups": ()}), *no_cost[1:]]
    stats = bank_stats(replace(track, questions=tuple(bare)))
    assert stats.by_scope[thin_scope] == 1 < MINIMUMS["per_alternative_scope"]
    text = " | ".join(stats.shortfalls)
    assert f"questions for scope {thin_scope} <" in text
    assert "0 cost < 3" in text and "follow-ups on" in text
    assert stats.as_json()["meets_minimums"] is False
