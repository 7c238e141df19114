"""Which key points an answer touched: a keyword hint for the candidate packet.

This is a *hint*, labelled as one wherever it is shown: a key point counts as
covered when the answer uses enough of the key point's distinctive terms, not
when the answer is right. It cannot tell a claim from its opposite made with
the same words, it misses synonyms ("mantissa" for "significand"), and an
answer that lists keywords games it.

The rule, applied to the key points of one question together:

1. Terms. Text is split into words: ``.``, ``-``, ``/``, ``:`` and spaces
   separate, ``_``, ``+`` and ``#`` stay inside a word (``O_DIRECT``,
   ``B+tree`` and ``T+1`` are one word each). English stop words, a short
   list of generic technical filler ("system", "data", "use", "approach",
   ...) and one-letter words are dropped. The rest is stemmed with the
   English Snowball (Porter2) stemmer from ``snowballstemmer``, after a small
   table maps irregular verb forms to their verb ("lost" to "lose"), so
   "elected", "elects" and "election" all become ``elect``. Each distinct
   stem of a key point is one of its terms.
2. Weights. A term is *strong* (weight ``STRONG_WEIGHT``, 2) when it is
   written like an identifier or a number: it has a digit (``p99``, ``50K``,
   ``L0``), an ``_``, ``+`` or ``#``, an upper-case letter after its first
   (``CheckQuorum``, ``mTLS``, ``WAL``), it sits in backticks, or it is one
   of a short list of lower-case system names (``fsync``, ``mmap``,
   ``kubectl``, ...). Other terms weigh 1. A term shared by several key
   points of the question says less about each of them: its weight is
   divided by the number of key points it appears in ("leader" in all five
   points of a question about leaders weighs a fifth). A term that appears
   in this key point only is *distinctive*.
3. Matching. The answer is split and stemmed the same way; the parts of its
   CamelCase and snake_case words and each pair of adjacent words written
   together are added, so "pre-vote" meets ``PreVote`` and ``ReadIndex``
   meets "read" and "index". The answer is cut into sentences (at ``.``,
   ``;``, ``!`` or ``?`` before a space, and at line breaks) and each run of
   ``WINDOW`` (2) consecutive sentences is tried on its own: the terms that
   make a point sit close together, while a long answer scatters the
   question's topic words all over.
4. Covered when, within one such run, both hold: the matched terms carry at
   least ``COVERED_SHARE`` (24 %) of the key point's total weight, and at
   least ``MIN_DISTINCTIVE`` (2) of them are distinctive (all of them when
   the key point has fewer distinctive terms than that).

The distinctive-term condition does most of the work: an answer on the
question's topic uses the words its key points share, not the ones that make
a point its own. The constants were tuned on
``tests/packet/coverage_golden.yaml`` (183 answer/key-point pairs from 27
questions of 17 tracks, each with a reviewer's verdict): precision 0.97 and
recall 0.88 there, against 0.90 and 0.89 for the rule this replaced (a
suffix-stripping stemmer and "a third of the key point's words"); any share
from 0.22 to 0.26 gives the same figures. ``benchmarks/keypoints.py`` prints
both rules. What it still misses is mostly synonyms and paraphrase
("removes" for "deletes", "splitting" for "disaggregation"). Everything is
local and deterministic, with no model and no network, and the terms of a
question's key points are computed once and cached.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

__all__ = [
    "COVERED_SHARE",
    "MIN_DISTINCTIVE",
    "WINDOW",
    "KeyPointHint",
    "hint_key_points",
    "keywords",
    "stem",
]

COVERED_SHARE = 0.24
"""The share of a key point's term weight an answer must match."""

MIN_DISTINCTIVE = 2
"""Distinctive terms (this key point's own, within its question) an answer must use."""

STRONG_WEIGHT = 2.0
"""The weight of an identifier or a number; an ordinary word weighs 1."""

WINDOW = 2
"""How many consecutive sentences of the answer the matched terms must sit in."""

_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
_WORD = re.compile(r"[^\W_][\w+#]*")
_BACKTICKS = re.compile(r"`[^`]*`")
_CAMEL = re.compile(r"[a-z0-9][A-Z]|[A-Z]{2}")
_CAMEL_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

# English function words, contraction stubs ("doesn" of "doesn't") and the
# words a candidate uses to talk about the answer itself.
_STOP_WORDS = """
    a about above after again against ago all almost along already also although always am
    among an and another any anyone anything anyway are aren around as at be became because
    become been before being below between both but by can cannot could couldn did didn do
    does doesn doing don done down during each either else enough especially etc even ever
    every exactly few for from further had hadn has hasn have haven having he her here hers
    herself him himself his how however i if in instead into is isn it its itself just least
    less let lets like ll may me might mine more most mostly much must my myself neither
    never no nor not now of off often on once one only onto or other others otherwise our
    ours ourselves out over own per quite rather re really same say says said shall she
    should shouldn since so some something sometimes still such than that the their theirs
    them themselves then there therefore these they this those though through
    thus to too toward towards under unless until up upon us ve very via was wasn we were
    weren what whatever when whenever where whereas whether which while who whom whose why
    will with within without won would wouldn yes yet you your yours yourself
    answer answers eg ie example examples
"""
# Generic in any technical answer: they say nothing about which point is made.
_FILLER_WORDS = """
    system systems data use uses used using value values way ways make makes made making
    need needs needed get gets got give gives given take takes taken want wants look looks
    see sees know knows think lot lots bit stuff kind kinds sort good better best basically
    simply actually usually typically generally general specific particular various certain
    approach mechanism feature issue issues problem problems solution support handle handles
    ok okay id ids thing things
"""
# Lower-case names that are identifiers although they look like words.
_SYSTEM_NAMES = """
    fsync fdatasync mmap munmap ioctl dmesg tmpfs procfs sysfs cgroup epoll kprobe uprobe
    fentry kubectl kubelet kubeadm etcd etcdctl iostat strace pprof grpc protobuf jqwik
    lockdep kconfig runc containerd systemd seccomp nftables iptables ebpf bpf xdp
"""
# Irregular verb forms the stemmer cannot join to their verb ("lost", "lose").
_IRREGULAR_FORMS = """
    began:begin begun:begin bent:bend broke:break broken:break brought:bring built:build
    caught:catch chose:choose chosen:choose drew:draw drawn:draw drove:drive driven:drive
    fed:feed fell:fall fallen:fall felt:feel fought:fight found:find froze:freeze
    frozen:freeze grew:grow grown:grow held:hold hid:hide hidden:hide kept:keep laid:lay
    led:lead left:leave lost:lose meant:mean met:meet paid:pay ran:run sent:send shook:shake
    shown:show slept:sleep sold:sell spent:spend spun:spin stole:steal stolen:steal
    stood:stand stuck:stick swept:sweep taught:teach thrown:throw threw:throw told:tell
    took:take torn:tear tore:tear understood:understand woke:wake woken:wake wore:wear
    worn:wear wrote:write written:write
"""
_STOP = frozenset(_STOP_WORDS.split())
_IRREGULAR = dict(pair.split(":") for pair in _IRREGULAR_FORMS.split())

_stemmer = snowballstemmer.stemmer("english")
_stemmer_lock = threading.Lock()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball (Porter2) stem of a lower-case word."""
    if not word.isalpha():
        return word  # identifiers and numbers stay as written
    with _stemmer_lock:  # a Snowball stemmer keeps state between calls
        result: str = _stemmer.stemWord(word)
    return result


_FILLER = frozenset(stem(w) for w in _FILLER_WORDS.split())
_SYSTEM = frozenset(stem(w) for w in _SYSTEM_NAMES.split())


def _kept(token: str) -> bool:
    """A word worth a term: no stop word, no filler, no stray letter or digit."""
    low = token.lower()
    if len(low) < 2 or low in _STOP:
        return False
    return stem(low) not in _FILLER


def _strong(token: str, quoted: bool) -> bool:
    return (
        quoted
        or any(c.isdigit() or c in "_+#" for c in token)
        or _CAMEL.search(token) is not None
        or stem(token.lower()) in _SYSTEM
    )


def _normal(token: str) -> str:
    """The stem of a word as both sides compare it (``GPUs`` and ``GPU`` alike)."""
    if len(token) > 2 and token.endswith("s") and token[:-1].isupper():
        token = token[:-1]
    low = token.lower()
    return stem(_IRREGULAR.get(low, low))


def _words(text: str) -> Iterator[tuple[str, bool]]:
    """Each word of a key point and whether it is written in backticks."""
    quoted = [m.span() for m in _BACKTICKS.finditer(text)]
    for m in _WORD.finditer(text):
        yield m.group(), any(a < m.start() < b for a, b in quoted)


def keywords(text: str) -> list[str]:
    """The words of a key point that count as its terms, in order, one per stem."""
    seen: dict[str, str] = {}
    for token, _ in _words(text):
        if _kept(token):
            seen.setdefault(_normal(token), token)
    return list(seen.values())


def _answer_stems(answer: str) -> frozenset[str]:
    """What an answer said, as stems, with the ways it may have spelled a term."""
    said: set[str] = set()
    previous = ""
    for token in _WORD.findall(answer):
        said.add(_normal(token))
        if "_" in token or _CAMEL.search(token):
            parts = [p for chunk in token.split("_") for p in _CAMEL_PARTS.findall(chunk)]
            said.update(_normal(p) for p in parts if p)
        if previous:
            said.add(stem((previous + token).lower()))
        previous = token
    return frozenset(said)


def _answer_windows(answer: str) -> list[frozenset[str]]:
    """The stems of each run of ``WINDOW`` consecutive sentences of an answer."""
    sentences = [_answer_stems(s) for s in _SENTENCE.split(answer) if s.strip()]
    if len(sentences) <= WINDOW:
        return [frozenset().union(*sentences)]
    return [
        frozenset().union(*sentences[i : i + WINDOW]) for i in range(len(sentences) - WINDOW + 1)
    ]


@dataclass(frozen=True)
class _Term:
    stem: str
    weight: float
    distinctive: bool


@dataclass(frozen=True)
class _Point:
    terms: tuple[_Term, ...]
    total: float
    distinctive: int


@lru_cache(maxsize=2048)
def _profile(key_points: tuple[str, ...]) -> tuple[_Point, ...]:
    """Each key point's terms, weighed against the other points of its question."""
    bases: list[dict[str, float]] = []
    for point in key_points:
        base: dict[str, float] = {}
        for token, quoted in _words(point):
            if _kept(token):
                weight = STRONG_WEIGHT if _strong(token, quoted) else 1.0
                key = _normal(token)
                base[key] = max(base.get(key, 0.0), weight)
        bases.append(base)
    shared = Counter(s for base in bases for s in base)
    profiles = []
    for base in bases:
        terms = tuple(_Term(s, w / shared[s], shared[s] == 1) for s, w in base.items())
        profiles.append(
            _Point(terms, sum(t.weight for t in terms), sum(t.distinctive for t in terms))
        )
    return tuple(profiles)


@dataclass(frozen=True)
class KeyPointHint:
    """A key point and whether the answer seems to cover it (by keywords).

    ``matched`` of the key point's ``total`` terms appear in the answer.
    """

    text: str
    covered: bool
    matched: int
    total: int


def _covers(profile: _Point, said: frozenset[str]) -> bool:
    hit = [t for t in profile.terms if t.stem in said]
    return (
        bool(hit)
        and sum(t.weight for t in hit) >= COVERED_SHARE * profile.total
        and sum(t.distinctive for t in hit) >= min(MIN_DISTINCTIVE, profile.distinctive)
    )


def hint_key_points(answer: str, key_points: Sequence[str]) -> list[KeyPointHint]:
    """Mark each key point covered when the answer uses enough of its distinctive
    terms close together (the rule is in this module's docstring). Pass all the
    key points of one question: a term they share weighs less."""
    windows = _answer_windows(answer)
    said = frozenset().union(*windows)
    hints = []
    for point, profile in zip(key_points, _profile(tuple(key_points)), strict=True):
        covered = any(_covers(profile, window) for window in windows)
        matched = sum(t.stem in said for t in profile.terms)
        hints.append(KeyPointHint(point, covered, matched, len(profile.terms)))
    return hints
