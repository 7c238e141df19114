"""Plain mode after an answer: the rating is for the answer just given, and the
time spent reading its key points is not answering time."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import play_plain
from viva.rehearsal.session import LiveSession

TRACK = "go/raft-kv"


def _run(tmp_path: Path, script: list[tuple[float, str]]) -> tuple[LiveSession, str]:
    """Feed ``(seconds before the line, line)`` pairs to a plain rehearsal (seed 7)."""
    return play_plain(tmp_path / "viva.db", script, seed=7)


def test_a_rating_after_the_opening_rates_the_opening(tmp_path: Path) -> None:
    live, out = _run(tmp_path, [(60, "my architecture"), (5, "."), (3, ":rate 1")])
    first, second = live.rehearsal.sections[0].questions[:2]
    assert first.opening and first.rating == 1
    assert second.rating is None and not second.answer
    assert f"rated 1 (again): {first.id}" in out


def test_reading_the_key_points_is_not_answering_time(tmp_path: Path) -> None:
    live, out = _run(
        tmp_path,
        [
            (200, "the walkthrough"),
            (0, "."),
            (150, ":rate 3"),  # 150 s reading the (opening's) feedback, then a rating
            (40, "the second answer"),  # and 40 s more before typing
            (20, "."),
        ],
    )
    opening, second = live.rehearsal.sections[0].questions[:2]
    assert opening.seconds == 200 and opening.rating == 3
    assert second.seconds == 20  # only the time after the next line arrived
    assert live.rehearsal.paused_seconds == 190
    assert "the clock stops while you read this" in out


def test_pausing_between_the_answer_and_the_rating_keeps_the_target(tmp_path: Path) -> None:
    live, out = _run(
        tmp_path,
        [(30, "x"), (1, "."), (1, ":pause"), (100, ":resume"), (1, ":rate 2")],
    )
    opening, second = live.rehearsal.sections[0].questions[:2]
    assert opening.rating == 2 and second.rating is None
    assert f"rated 2 (hard): {opening.id}" in out
