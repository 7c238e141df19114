"""The packet's key-point hint: stemming, the distinctive-term rule, the golden set.

The golden set (``coverage_golden.yaml`` beside this file) holds real key
points from the banks with candidate answers and a reviewer's verdict; the
floors asserted here are quality thresholds, not timings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from viva.packet.coverage import (
    COVERED_SHARE,
    MIN_DISTINCTIVE,
    WINDOW,
    KeyPointHint,
    hint_key_points,
    keywords,
    stem,
)

GOLDEN = Path(__file__).with_name("coverage_golden.yaml")
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.8

# go/raft-kv#partition-old-leader and go/raft-kv#storage-engine-decision, verbatim
PARTITION = [
    "The old leader, isolated in the minority, can still append client proposals to its own "
    "log but can never commit them: AppendEntries cannot reach a quorum, so commitIndex does "
    "not advance and no client gets an OK",
    "The majority side's followers hit their randomized election timeout, one wins at term T+1 "
    "(its log is at least as up to date as a majority's, so it holds every committed entry) and "
    "the majority side keeps serving reads and writes",
    "With CheckQuorum enabled the old leader steps down by itself after an election timeout "
    "without hearing from a quorum; without it, it stays 'leader' and keeps accepting proposals "
    "that can only time out",
]
ENGINE = [
    "bbolt: B+tree with copy-on-write pages, single writer, two fsyncs per transaction, mmap for "
    "reads; good for read-heavy state but write throughput depends on big transactions",
    "Pebble: LSM with WAL plus memtable, group commit across concurrent synced batches, "
    "background compactions that can cause write stalls when L0 fills",
    "For an append-mostly raft log, the decision should be backed by a benchmark of appends plus "
    "fsync per Ready batch and truncation cost on each engine",
    "Operational differences: bbolt file does not shrink without compaction, Pebble compaction "
    "debt and its metrics",
]


def covered(answer: str, key_points: list[str]) -> list[bool]:
    return [h.covered for h in hint_key_points(answer, key_points)]


# --- stemming ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("elect", "elected", "elects", "electing", "election", "elections"),
        ("replicate", "replicated", "replicates", "replication"),
        ("truncate", "truncated", "truncates", "truncating", "truncation"),
        ("commit", "commits", "committed", "committing"),
        ("batch", "batches", "batched", "batching"),
        ("compaction", "compactions"),
        ("fsync", "fsyncs"),
    ],
)
def test_inflections_share_one_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


def test_identifiers_and_numbers_are_not_stemmed() -> None:
    for word in ("p99", "50k", "o_direct", "crc32c", "b+tree", "l0"):
        assert stem(word) == word


def test_irregular_forms_meet_their_verb() -> None:
    points = ["Only the steps since the last checkpoint are lost; the interval is chosen"]
    assert covered("we lose the steps after the last checkpoint", points) == [True]


def test_the_issue_case_elected_meets_election() -> None:
    answer = (
        "The followers on the majority side time out and elect a new leader at a higher term; "
        "it was elected by a majority, so that side keeps serving reads and writes."
    )
    assert covered(answer, PARTITION) == [False, True, False]


# --- which words count ------------------------------------------------------------


def test_keywords_drop_stop_words_and_filler_and_keep_identifiers() -> None:
    words = keywords("The system uses the data in O_DIRECT mode with p99 of 50K and CheckQuorum")
    assert words == ["O_DIRECT", "mode", "p99", "50K", "CheckQuorum"]


def test_keywords_keep_one_word_per_stem() -> None:
    assert keywords("elected by an election, elections") == ["elected"]


def test_spelling_variants_of_identifiers_match() -> None:
    points = ["PreVote stops a partitioned node from bumping the term"]
    assert covered("with pre-vote a partitioned node cannot bump the term", points) == [True]
    points = ["Serve linearizable reads through read-index after a heartbeat round"]
    assert covered("ReadIndex reads wait for a heartbeat round", points) == [True]


# --- the distinctive-term rule ----------------------------------------------------


def test_the_issue_case_generic_topic_words_do_not_tick_the_bbolt_point() -> None:
    answer = (
        "I picked Pebble over bbolt: Pebble's WAL and memtable with group commit beat bbolt's "
        "single writer, though Pebble compactions can stall writes."
    )
    hints = hint_key_points(answer, ENGINE)
    assert [h.covered for h in hints] == [False, True, False, False]
    # bbolt, Pebble and compaction are all there, but the point's own claim is not
    assert hints[3].matched == 3
    operational = "A bbolt file never shrinks until you compact it; Pebble has compaction debt."
    assert covered(operational, ENGINE)[3] is True


def test_terms_every_point_shares_cannot_cover_a_point_alone() -> None:
    points = [
        "The leader replicates the entry to a quorum before it commits",
        "The leader steps down when it loses the quorum after an election timeout",
        "The leader serves a read only after a heartbeat round to the quorum",
    ]
    # "leader" and "quorum" are in every point: they weigh a third and are not distinctive
    assert covered("the leader and the quorum", points) == [False, False, False]
    assert covered("the leader steps down after an election timeout", points) == [
        False,
        True,
        False,
    ]


def test_a_point_with_one_distinctive_term_needs_only_that_one() -> None:
    points = ["fsync the WAL", "fsync the snapshot"]
    assert covered("we fsync the WAL on every batch", points) == [True, False]
    assert covered("we fsync everything", points) == [False, False]


def test_identifiers_weigh_double() -> None:
    point = [
        "CheckQuorum and PreVote keep a cluster steady during flaky networks, partial "
        "failures, restarts, upgrades and deployments"
    ]
    # 2 identifiers and 10 words: 14 weight units. Two identifiers carry 4 of them,
    # two ordinary words 2: the same count of terms, only one is above the share.
    assert 2 / 14 < COVERED_SHARE <= 4 / 14
    assert covered("CheckQuorum and PreVote", point) == [True]
    assert covered("flaky restarts", point) == [False]
    assert hint_key_points("flaky restarts", point)[0].matched == 2


def test_one_distinctive_term_is_not_enough_when_a_point_has_more() -> None:
    assert MIN_DISTINCTIVE == 2
    points = ["Snapshot every 10K entries so that a restart replays a short log"]
    assert covered("we take a snapshot", points) == [False]
    assert covered("a snapshot every 10K entries", points) == [True]


def test_terms_scattered_over_a_long_answer_do_not_add_up() -> None:
    assert WINDOW == 2
    point = [
        "Rotate the signing key monthly, publish the new public half at the JWKS endpoint "
        "and keep the old one for a day"
    ]
    sentences = [
        "We rotate the TLS certificates",
        "That part is automated",
        "The pipeline itself runs monthly",
        "Nobody touches it by hand",
        "There is a signing step in the release job",
        "It runs last",
        "The docs say where the endpoint is",
    ]
    # one term every other sentence: no two consecutive sentences hold two of them
    assert covered(". ".join(sentences) + ".", point) == [False]
    # the same words in one breath would have been enough
    assert covered(" and ".join(sentences), point) == [True]
    assert covered("We rotate the signing key monthly, at the JWKS endpoint.", point) == [True]


def test_empty_answers_and_empty_points_cover_nothing() -> None:
    assert covered("", PARTITION) == [False, False, False]
    assert covered("anything at all", ["and the of it"]) == [False]
    assert hint_key_points("anything", []) == []


def test_hints_count_matched_terms_and_are_deterministic() -> None:
    answer = "We chose Pebble; its memtable and group commit batch fsyncs."
    first = hint_key_points(answer, ENGINE)
    assert first == hint_key_points(answer, ENGINE)
    pebble = first[1]
    assert isinstance(pebble, KeyPointHint)
    assert pebble.text == ENGINE[1]
    assert pebble.total == len(keywords(ENGINE[1]))
    assert pebble.matched == 5  # pebble, memtable, group, commit, batch


# --- the golden set ---------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    question: str
    key_point: str
    answer: str
    covered: bool
    why: str


def golden() -> tuple[dict[str, list[str]], list[Pair]]:
    data: dict[str, Any] = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    questions: dict[str, list[str]] = data["questions"]
    return questions, [Pair(**p) for p in data["pairs"]]


def test_the_golden_set_is_well_formed_and_balanced() -> None:
    questions, pairs = golden()
    assert len(pairs) >= 40
    assert len({q.split("/")[0] for q in questions}) >= 6  # varied tracks
    for pair in pairs:
        assert pair.key_point in questions[pair.question], pair
        assert pair.answer.strip() and pair.why.strip(), pair
    positives = sum(p.covered for p in pairs)
    assert 0.35 <= positives / len(pairs) <= 0.65


def test_golden_precision_and_recall() -> None:
    questions, pairs = golden()
    tp = fp = fn = 0
    wrong = []
    for pair in pairs:
        points = questions[pair.question]
        hint = hint_key_points(pair.answer, points)[points.index(pair.key_point)]
        tp += hint.covered and pair.covered
        fp += hint.covered and not pair.covered
        fn += pair.covered and not hint.covered
        if hint.covered != pair.covered:
            wrong.append(f"{'FP' if hint.covered else 'FN'} {pair.key_point[:60]}")
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= PRECISION_FLOOR, (precision, wrong)
    assert recall >= RECALL_FLOOR, (recall, wrong)
