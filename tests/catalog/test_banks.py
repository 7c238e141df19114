"""The packaged question banks meet the product's minimums and stay faithful to the seed."""

from __future__ import annotations

import difflib
import json
import re

import pytest

from tests.conftest import Runner
from viva.catalog.bankstats import bank_stats
from viva.catalog.loader import load_catalog

TRACKS = sorted(load_catalog().tracks)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@pytest.mark.parametrize("tid", TRACKS)
def test_bank_meets_the_minimums(tid: str) -> None:
    track = load_catalog().tracks[tid]
    stats = bank_stats(track)
    assert stats.shortfalls == [], f"{tid}: {stats.shortfalls}"
    assert all(len(q.key_points) >= 2 for q in track.questions)
    assert sum(1 for c in stats.by_category.values() if c) >= 5


@pytest.mark.parametrize("tid", TRACKS)
def test_every_question_names_its_seed_source(tid: str) -> None:
    track = load_catalog().tracks[tid]
    for q in track.questions:
        assert q.source.startswith(track.path.title + " / "), (tid, q.id, q.source)


@pytest.mark.parametrize("tid", TRACKS)
def test_seed_defensible_answers_are_asked_in_their_own_words(tid: str) -> None:
    track = load_catalog().tracks[tid]
    prompts = [_norm(q.prompt) for q in track.questions if q.kind == "defensible"]
    for wanted in track.spec.defensible_answers:
        assert any(_norm(wanted) in p for p in prompts), f"{tid}: not asked: {wanted!r}"


@pytest.mark.parametrize("tid", TRACKS)
def test_seed_defensible_answers_are_must_questions(tid: str) -> None:
    track = load_catalog().tracks[tid]
    musts = [_norm(q.prompt) for q in track.questions if q.kind == "defensible" and q.must]
    for wanted in track.spec.defensible_answers:
        assert any(_norm(wanted) in p for p in musts), f"{tid}: not a must question: {wanted!r}"


@pytest.mark.parametrize("tid", TRACKS)
def test_every_packaged_question_says_when_it_was_verified(tid: str) -> None:
    track = load_catalog().tracks[tid]
    assert [q.id for q in track.questions if q.verified is None] == []


# The template each path's "Cross-Track Requirements" says every capstone integrates.
TEMPLATES = {
    "ai-systems": "ai-systems-baseline",
    "container-internals": "container-baseline",
    "go": "hardening/",
    "kubernetes": "cluster-baseline",
    "linux-kernel": "host-baseline",
    "rust": "hardening",
}


@pytest.mark.parametrize("tid", [t for t in TRACKS if t.split("/")[0] in TEMPLATES])
def test_every_bank_asks_about_its_paths_baseline_template(tid: str) -> None:
    template = TEMPLATES[tid.split("/")[0]]
    track = load_catalog().tracks[tid]
    assert any(template in q.prompt for q in track.questions), f"{tid}: nothing on {template}"


@pytest.mark.parametrize("tid", TRACKS)
def test_no_two_questions_are_substantially_the_same(tid: str) -> None:
    prompts = [(q.id, _norm(q.prompt)) for q in load_catalog().tracks[tid].questions]
    for i, (a_id, a) in enumerate(prompts):
        for b_id, b in prompts[i + 1 :]:
            ratio = difflib.SequenceMatcher(None, a, b).ratio()
            assert ratio < 0.85, f"{tid}: {a_id} and {b_id} are {ratio:.0%} alike"


def test_bank_stats_cli_shows_every_track(run: Runner) -> None:
    result = run("bank", "stats", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert sorted(r["track"] for r in rows) == TRACKS
    assert all(r["meets_minimums"] for r in rows), [r for r in rows if r["shortfalls"]]
    table = run("bank", "stats")
    assert table.code == 0 and "minimums" in table.out


def test_bank_show_json_shape(run: Runner) -> None:
    result = run("bank", "show", "go/raft-kv", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    assert rows and set(rows[0]) == {
        "id",
        "category",
        "kind",
        "prompt",
        "key_points",
        "follow_ups",
        "minutes",
        "difficulty",
        "source",
        "must",
        "scopes",
        "verified",
    }
    assert {r["id"] for r in rows if r["must"]} >= {"partition-old-leader"}
    text = run("bank", "show", "go/raft-kv")
    assert text.code == 0 and rows[0]["prompt"][:40] in text.out.replace("\n", " ")


# The seed's Python failure-mode review: "provider outage, vector DB down, OOM, runaway
# agent, prompt injection, tokenizer mismatch"; each bank asks every item, adapted.
PYTHON_FAILURE_REVIEW = {
    "provider outage": ("provider",),
    "vector DB down": ("vector", "store down", "store is down"),
    "OOM": ("oom",),
    "runaway agent": ("runaway",),
    "prompt injection": ("injection",),
    "tokenizer mismatch": ("tokenizer",),
}


@pytest.mark.parametrize("tid", [t for t in TRACKS if t.startswith("python/")])
def test_python_banks_ask_every_item_of_the_failure_mode_review(tid: str) -> None:
    musts = [q.prompt.lower() for q in load_catalog().tracks[tid].questions if q.must]
    missing = [
        item
        for item, words in PYTHON_FAILURE_REVIEW.items()
        if not any(w in p for p in musts for w in words)
    ]
    assert missing == [], f"{tid}: no must question on {missing}"
