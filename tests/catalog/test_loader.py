"""The packaged catalog: 24 tracks, faithful defense lengths, categories and formats."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Runner
from viva.catalog.loader import load_catalog, resolve_track_id

EXPECTED = {
    "ai-systems/inference-engine": 60,
    "ai-systems/training-systems": 60,
    "ai-systems/gpu-kernel": 60,
    "container-internals/mini-docker": 45,
    "container-internals/image-scanning": 45,
    "container-internals/runtime-fork": 45,
    "go/raft-kv": 45,
    "go/service-mesh": 45,
    "go/streaming-pipeline": 45,
    "java/raft-kv": 60,
    "java/service-mesh": 60,
    "java/streaming-pipeline": 60,
    "kubernetes/hard-way": 60,
    "kubernetes/platform": 60,
    "kubernetes/operator": 60,
    "linux-kernel/kernel-module": 45,
    "linux-kernel/ebpf-tool": 45,
    "linux-kernel/self-healing": 45,
    "python/rag-service": 60,
    "python/agent-platform": 60,
    "python/training-serving": 60,
    "rust/compiler-tooling": 45,
    "rust/matching-engine": 45,
    "rust/kernel-chardev": 45,
}


def test_exactly_the_24_tracks_with_the_seed_defense_minutes(run: Runner) -> None:
    result = run("tracks", "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert {r["id"]: r["defense_minutes"] for r in rows} == EXPECTED
    assert len(rows) == 24
    for r in rows:
        assert set(r) == {"id", "path", "title", "defense_minutes", "question_count"}
        assert r["id"].startswith(r["path"] + "/")
        assert r["title"]


def test_tracks_table_lists_every_track(run: Runner) -> None:
    result = run("tracks")
    assert result.code == 0
    for tid in EXPECTED:
        assert tid.split("/")[1] in result.out


def test_every_track_has_the_seed_sections() -> None:
    catalog = load_catalog()
    for tid, track in catalog.tracks.items():
        spec = track.spec
        assert spec.outcome, tid
        assert track.acceptance_checklist(), tid
        assert spec.skills or tid.startswith(("python/", "java/")), tid
        assert spec.functional_spec or spec.suggested_scopes, tid
        assert track.path.cross_track_requirements, tid


@pytest.mark.parametrize("tid", sorted(EXPECTED))
def test_show_prints_a_full_brief(run: Runner, tid: str) -> None:
    result = run("show", tid)
    assert result.code == 0, result.err
    out = result.out
    track = load_catalog().tracks[tid]
    assert track.spec.title.split(":")[0] in out
    assert "Outcome" in out
    assert "Acceptance checklist" in out
    assert "45-minute defense" in out and "60-minute defense" in out
    assert f"{track.defense_minutes}-minute defense" in out
    if track.spec.non_functional_spec:
        assert "Numeric targets to probe" in out


def test_split_code_spans_are_repaired() -> None:
    spec = load_catalog().tracks["ai-systems/inference-engine"].spec
    joined = " | ".join(spec.functional_spec)
    assert "`POST /v1/completions`" in joined
    assert "`POST /v1/chat/completions`" in joined
    assert "completions`and`" not in joined
    assert not any("- style" in item for item in spec.hardening_pass)


def test_numeric_targets_are_separate_items() -> None:
    nfs = load_catalog().tracks["ai-systems/inference-engine"].spec.non_functional_spec
    assert any("TTFT p99" in i for i in nfs)
    assert any("TPOT p99" in i for i in nfs)
    assert not any("TTFT" in i and "TPOT" in i for i in nfs)


def test_defensible_answers_are_recorded() -> None:
    tracks = load_catalog().tracks
    assert any("network partition" in q for q in tracks["go/raft-kv"].spec.defensible_answers)
    assert any("registry leader" in q for q in tracks["go/service-mesh"].spec.defensible_answers)
    assert any("100" in q for q in tracks["rust/matching-engine"].spec.defensible_answers)
    assert len(tracks["java/raft-kv"].spec.failure_scenarios) == 4


def test_categories_have_a_five_level_rubric() -> None:
    catalog = load_catalog()
    assert list(catalog.categories) == [
        "architecture",
        "performance",
        "correctness",
        "failure-modes",
        "security",
        "operations",
        "cost",
        "decisions",
    ]
    for cat in catalog.categories.values():
        assert [r.score for r in cat.rubric] == [1, 2, 3, 4, 5]
        assert "no hand-waving" in cat.rubric[4].descriptor


def test_formats_sum_to_their_length_and_honour_path_overrides() -> None:
    catalog = load_catalog()
    for path in catalog.paths:
        fmt = catalog.format_for(path.id)
        for minutes in (45, 60):
            variant = fmt.variant(minutes)
            assert sum(s.minutes for s in variant.sections) == minutes
    python = catalog.format_for("python").variant(60)
    assert [s.id for s in python.sections] == [
        "architecture-review",
        "performance-review",
        "eval-review",
        "cost-review",
        "failure-mode-review",
    ]
    java = catalog.format_for("java")
    for minutes in (45, 60):
        demo = next(s for s in java.variant(minutes).sections if s.id == "demo-script")
        assert 10 <= demo.minutes <= 20
        assert "chaos" in demo.opening


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("go/raft-kv", "go/raft-kv"),
        ("go/raft", "go/raft-kv"),
        ("mini-docker", "container-internals/mini-docker"),
        ("inference", "ai-systems/inference-engine"),
        ("kernel-chardev", "rust/kernel-chardev"),
        ("JAVA/RAFT-KV", "java/raft-kv"),
    ],
)
def test_resolve_unique_prefix_or_suffix(name: str, expected: str) -> None:
    assert resolve_track_id(name, list(EXPECTED)) == expected


def test_ambiguous_name_lists_the_candidates(run: Runner) -> None:
    result = run("show", "raft")
    assert result.code == 2  # a usage error
    assert "go/raft-kv" in result.err and "java/raft-kv" in result.err
    assert "ambiguous" in result.err
    assert "Traceback" not in result.err


def test_unknown_name_lists_candidates(run: Runner) -> None:
    result = run("show", "mesh-servic")
    assert result.code == 2
    assert "unknown track" in result.err
    result = run("show", "service")
    assert result.code == 2
    assert "go/service-mesh" in result.err and "java/service-mesh" in result.err
