"""Key-point hint quality: the packet's coverage rule against the rule it replaced.

On the golden set (``tests/packet/coverage_golden.yaml``: answers written as
candidates would say them, each with a reviewer's verdict on one key point of
its question), both rules mark each pair covered or not, and this prints, for
each, precision, recall, F1 and the confusion counts (true/false positives,
false/true negatives), and the new figure as a ratio of the old one. The old
rule is copied below as the reference (``old_*``): a hand-written suffix
stemmer and "a third of the key point's words, at least two".

Also timed, in this same run: scoring every pair, for both rules, as a ratio
(the median of ``VIVA_BENCH_RUNS`` passes, default 50; the new rule once more
with its caches cleared first, as the first packet of a process sees it).

Goals, the floors ``tests/packet/test_coverage.py`` asserts: the new rule's
precision >= 0.9 and recall >= 0.8. Exits 1 when one is missed.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from common import emit

RUNS = int(os.environ.get("VIVA_BENCH_RUNS", "50"))
GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "packet" / "coverage_golden.yaml"
PRECISION_GOAL = 0.9
RECALL_GOAL = 0.8

# --- the reference: the rule before snowballstemmer, verbatim --------------------

OLD_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'][a-z0-9]+)*")
OLD_SUFFIXES = (
    "ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s",
)  # fmt: skip
OLD_STOP_WORDS = """
    about above after again against also although among another answer anything around
    because been before being below between both but cannot could does doing done down
    during each either else enough even every first from further have having here into
    itself just less like made make many more most much must never next none only other
    otherwise over same shows should since some such than that their them then there these
    they this those though through thus under until upon very were what when where whether
    which while whole with within without would your yours says said names name uses using
    used exactly rather instead still given gives same shown keeps kept example for
"""
OLD_STOP = frozenset(OLD_STOP_WORDS.split())


def old_stem(word: str) -> str:
    for suffix in OLD_SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:7]


def old_tokens(text: str) -> Iterable[str]:
    return OLD_WORD.findall(text.lower())


def old_keywords(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in old_tokens(text):
        if any(c.isdigit() for c in token) or (len(token) >= 4 and token not in OLD_STOP):
            seen.setdefault(token, None)
    return list(seen)


def old_hint_key_points(answer: str, key_points: Sequence[str]) -> list[bool]:
    said = {old_stem(t) for t in old_tokens(answer)}
    hints = []
    for point in key_points:
        stems = {old_stem(w) for w in old_keywords(point)}
        matched = len(stems & said)
        need = min(len(stems), max(2, -(-len(stems) // 3)))
        hints.append(bool(stems) and matched >= need)
    return hints


# --- measuring -------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    points: list[str]
    index: int
    answer: str
    covered: bool


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


Rule = Callable[[str, Sequence[str]], list[bool]]


def load_pairs() -> list[Pair]:
    data: dict[str, Any] = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    questions: dict[str, list[str]] = data["questions"]
    pairs = []
    for p in data["pairs"]:
        points = questions[p["question"]]
        pairs.append(Pair(points, points.index(p["key_point"]), p["answer"], p["covered"]))
    return pairs


def score(rule: Rule, pairs: list[Pair]) -> Scores:
    tp = fp = fn = tn = 0
    for pair in pairs:
        said = rule(pair.answer, pair.points)[pair.index]
        tp += said and pair.covered
        fp += said and not pair.covered
        fn += pair.covered and not said
        tn += not said and not pair.covered
    return Scores(tp, fp, fn, tn)


def time_all(rule: Rule, pairs: list[Pair]) -> float:
    t0 = time.perf_counter()
    for pair in pairs:
        rule(pair.answer, pair.points)
    return time.perf_counter() - t0


def main() -> int:
    from viva.packet import coverage

    def new_rule(answer: str, key_points: Sequence[str]) -> list[bool]:
        return [h.covered for h in coverage.hint_key_points(answer, key_points)]

    pairs = load_pairs()
    coverage.stem.cache_clear()
    coverage._profile.cache_clear()
    cold = time_all(new_rule, pairs)
    old_s = [time_all(old_hint_key_points, pairs) for _ in range(RUNS)]
    new_s = [time_all(new_rule, pairs) for _ in range(RUNS)]
    old_t, new_t = statistics.median(old_s), statistics.median(new_s)

    old, new = score(old_hint_key_points, pairs), score(new_rule, pairs)
    positives = sum(p.covered for p in pairs)
    print(
        f"golden set: {len(pairs)} pairs ({positives} covered, {len(pairs) - positives} not), "
        f"{GOLDEN.relative_to(GOLDEN.parents[2])}"
    )
    print(
        f"new rule: Snowball stems; in {coverage.WINDOW} consecutive sentences, "
        f"weight share >= {coverage.COVERED_SHARE} and >= {coverage.MIN_DISTINCTIVE} "
        "distinctive terms"
    )
    counts = " ".join(f"{c:>3}" for c in ("TP", "FP", "FN", "TN"))
    print(f"{'rule':<22} {'precision':>9} {'recall':>7} {'F1':>6}   {counts}")
    for name, s in (("old (suffix, 1/3)", old), ("new", new)):
        print(
            f"{name:<22} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}   "
            f"{s.tp:>3} {s.fp:>3} {s.fn:>3} {s.tn:>3}"
        )

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    print(
        f"{'new / old':<22} {ratio(new.precision, old.precision):>9} "
        f"{ratio(new.recall, old.recall):>7} {ratio(new.f1, old.f1):>6}   "
        f"false positives {old.fp} -> {new.fp}, false negatives {old.fn} -> {new.fn}"
    )
    print(f"time to score all {len(pairs)} pairs, median of {RUNS} passes")
    print(f"   old rule               {old_t * 1000:8.2f} ms")
    print(f"   new rule               {new_t * 1000:8.2f} ms  ratio {new_t / old_t:.2f}")
    print(f"   new rule, caches cold  {cold * 1000:8.2f} ms  ratio {cold / old_t:.2f}")
    ok_p, ok_r = new.precision >= PRECISION_GOAL, new.recall >= RECALL_GOAL
    print(
        f"goals: precision >= {PRECISION_GOAL} {'pass' if ok_p else 'FAIL'}, "
        f"recall >= {RECALL_GOAL} {'pass' if ok_r else 'FAIL'}"
    )
    emit(
        "coverage",
        [
            (
                "coverage: hint precision (new, old)",
                f"{new.precision:.2f} ({old.precision:.2f})",
                f">= {PRECISION_GOAL}",
                ok_p,
            ),
            (
                "coverage: hint recall (new, old)",
                f"{new.recall:.2f} ({old.recall:.2f})",
                f">= {RECALL_GOAL}",
                ok_r,
            ),
            (
                "coverage: time to score the golden set vs old rule",
                f"{new_t / old_t:.2f}x (cold {cold / old_t:.2f}x)",
                "-",
                None,
            ),
        ],
    )
    return 0 if ok_p and ok_r else 1


if __name__ == "__main__":
    sys.exit(main())
