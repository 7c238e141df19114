"""Which key points an answer touched: a keyword hint for the candidate packet.

This is deliberately simple and labelled as a hint wherever it is shown: a
key point counts as *covered* when the answer uses enough of the key point's
distinctive words (after a crude stemming), not when the answer is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["KeyPointHint", "hint_key_points", "keywords"]

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'][a-z0-9]+)*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")
_STOP_WORDS = """
    about above after again against also although among another answer anything around
    because been before being below between both but cannot could does doing done down
    during each either else enough even every first from further have having here into
    itself just less like made make many more most much must never next none only other
    otherwise over same shows should since some such than that their them then there these
    they this those though through thus under until upon very were what when where whether
    which while whole with within without would your yours says said names name uses using
    used exactly rather instead still given gives same shown keeps kept example for
"""
_STOP = frozenset(_STOP_WORDS.split())


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:7]


def _tokens(text: str) -> Iterable[str]:
    return _WORD.findall(text.lower())


def keywords(text: str) -> list[str]:
    """The distinctive words of a key point, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in _tokens(text):
        if any(c.isdigit() for c in token) or (len(token) >= 4 and token not in _STOP):
            seen.setdefault(token, None)
    return list(seen)


@dataclass(frozen=True)
class KeyPointHint:
    """A key point and whether the answer seems to cover it (by keywords)."""

    text: str
    covered: bool
    matched: int
    total: int


def hint_key_points(answer: str, key_points: Sequence[str]) -> list[KeyPointHint]:
    """Mark each key point covered when the answer shares enough of its keywords:
    at least a third of them and at least two (all of them for a short point)."""
    said = {_stem(t) for t in _tokens(answer)}
    hints = []
    for point in key_points:
        words = keywords(point)
        stems = {_stem(w) for w in words}
        matched = len(stems & said)
        need = min(len(stems), max(2, -(-len(stems) // 3)))
        hints.append(KeyPointHint(point, bool(stems) and matched >= need, matched, len(stems)))
    return hints
