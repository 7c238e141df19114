"""A reviewed session in ``viva report`` and ``viva stats``: the reviewer's scores
beside the self-ratings, the category scores, the verdict, and the categories
that stay weak over several reviewed sessions (issue 17, point 4)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import timedelta

import pytest
from rich.console import Console

from tests.conftest import Runner
from tests.helpers import FakeClock, small_agenda
from viva.catalog.loader import load_catalog
from viva.cli.views.report import render_report
from viva.cli.views.stats import render_stats
from viva.drill.hooks import rehearsal_ratings
from viva.drill.stats import (
    WEAK_SCORE,
    WEAK_TIMES,
    WEAK_WINDOW,
    RehearsalFigures,
    ReviewedCategory,
    SessionReview,
    collect_stats,
    weak_categories,
)
from viva.rehearsal.agenda import Agenda, PlannedQuestion, PlannedSection
from viva.rehearsal.session import LiveSession, session_report
from viva.store.database import Store, open_store

BOX = "┃│━─┏┓┗┛╭╮╰╯┡┩"
TRACK = "go/raft-kv"


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store() as opened:
        yield opened


def reviewed(
    store: Store,
    clock: FakeClock,
    scores: Mapping[int, int],
    *,
    candidate: str = "Ada",
    verdict: str = "pass with revisions",
    notes: Mapping[int, list[str]] | None = None,
    ratings: Mapping[int, int] | None = None,
    given: Mapping[str, int] | None = None,
) -> LiveSession:
    """A reviewed session of the small agenda (three questions): ``scores`` and
    ``ratings`` by position from 0; ``given`` the reviewer's summary per category."""
    live = LiveSession.start(
        store,
        small_agenda(per_section=(2, 1)),
        candidate,
        clock.clock(),
        on_rate=rehearsal_ratings(store),
        mode="review",
    )
    for i in range(3):
        cur = live.rehearsal.current()
        assert cur is not None
        qid = cur[1].id
        if ratings and i in ratings:
            live.act("rate", rating=ratings[i])
        if i in scores:
            live.act("score", question=qid, score=scores[i])
        for text in (notes or {}).get(i, []):
            live.act("note", question=qid, text=text)
        clock.advance(45)
        live.act("answer", text=f"answer {i}")
    for category, score in (given or {}).items():
        live.act("category_score", category=category, score=score)
    if verdict:
        live.act("verdict", text=verdict)
    live.act("end")
    clock.advance(hours=2)
    return live


def rendered(store: Store, session: str, width: int, terminal: bool = True) -> str:
    out = Console(
        file=io.StringIO(), width=width, force_terminal=terminal, color_system=None, record=True
    )
    render_report(session_report(store, session), None, out, load_catalog().categories)
    return out.export_text()


def _categories(live: LiveSession) -> list[str]:
    return list(dict.fromkeys(q.category for s in live.rehearsal.sections for q in s.questions))


# --- viva report -------------------------------------------------------------------


def test_report_puts_the_reviewer_score_beside_the_self_rating(store: Store) -> None:
    live = reviewed(
        store,
        FakeClock(),
        {0: 2, 1: 4},
        ratings={0: 3},
        notes={0: ["no log matching", "vague on terms"]},
    )
    text = rendered(store, live.id, 120)
    first, second, third = (q for s in live.rehearsal.sections for q in s.questions)
    table = text.split("Reviewer scores beside self-ratings", 1)[1].split("Reviewer's notes")[0]
    row = next(line for line in table.splitlines() if first.id in line)
    assert re.search(r"│\s+1 │", row)  # the packet's number
    assert first.category in row and "3 good" in row and "2 Hand-waving" in row
    assert re.search(r"│\s+2 │$", row)  # two notes
    row2 = next(line for line in table.splitlines() if second.id in line)
    assert "4 Strong" in row2 and " - " in row2  # no self-rating
    assert third.id in table  # reached, not scored
    assert "Q1 " + first.id + ": no log matching" in text
    assert "Category scores" in text
    cats = text.split("Category scores", 1)[1]
    assert re.search(rf"{first.category}\s+│ 2 Hand-waving │\s+2.00 │\s+1 │ mean", cats)
    assert "Verdict: pass with revisions" in text
    assert "Ratings" not in text.split("Reviewer scores")[0]  # the table has them


def _one_category_agenda() -> Agenda:
    """Three bank questions of one review category, in one section."""
    bank = load_catalog().tracks[TRACK].questions
    category = next(
        c
        for c in dict.fromkeys(q.category for q in bank)
        if sum(q.category == c for q in bank) >= 3
    )
    picked = [q for q in bank if q.category == category][:3]
    section = PlannedSection(
        id="s1",
        title="Section 1",
        budget_seconds=900,
        categories=(category,),
        questions=tuple(
            PlannedQuestion(q.id, q.category, q.kind, q.prompt, q.minutes) for q in picked
        ),
    )
    return Agenda(track=TRACK, minutes=15, seed=7, sections=(section,))


def test_a_mean_between_levels_and_a_given_category_score(store: Store) -> None:
    clock = FakeClock()
    agenda = _one_category_agenda()
    category = agenda.sections[0].categories[0]
    live = LiveSession.start(store, agenda, "Ada", clock.clock(), mode="review")
    for score in (2, 3, None):
        cur = live.rehearsal.current()
        assert cur is not None
        if score is not None:
            live.act("score", question=cur[1].id, score=score)
        live.act("answer", text="")
    live.act("end")
    cats = rendered(store, live.id, 120).split("Category scores", 1)[1]
    # a mean between two levels names no level; it is the mean's
    assert re.search(rf"{category}\s+│ 2.5\s+│\s+2.50 │\s+2 │ mean", cats), cats
    live.act("category_score", category=category, score=4)  # after the end, as reviewers do
    text = rendered(store, live.id, 120)
    cats = text.split("Category scores", 1)[1]
    assert re.search(rf"{category}\s+│ 4 Strong\s+│\s+2.50 │\s+2 │ reviewer", cats), cats
    assert "Verdict: none yet" in text


@pytest.mark.parametrize("width", [60, 80])
def test_review_tables_fit_a_narrow_terminal(store: Store, width: int) -> None:
    live = reviewed(store, FakeClock(), {0: 1, 1: 5, 2: 3}, ratings={0: 1, 1: 4}, notes={0: ["x"]})
    text = rendered(store, live.id, width)
    assert max(len(line) for line in text.splitlines()) <= width, text
    cells = [ln for ln in text.splitlines() if "│" in ln or "┃" in ln]
    assert not [ln for ln in cells if "…" in ln], text  # labels dropped, nothing cut
    for category in _categories(live):
        assert category in text
    header = next(ln for ln in text.splitlines() if "┃ question" in ln)
    assert "self" in header and "reviewer" in header and "notes" in header
    assert "Verdict: pass with revisions" in text


def test_piped_report_of_a_review_is_plain_and_whole(run: Runner) -> None:
    with open_store() as store:
        live = reviewed(store, FakeClock(), {0: 2}, notes={0: ["a note"]})
    result = run("report", live.id)
    assert result.code == 0, result.err
    text = result.out
    assert not any(ch in text for ch in BOX) and "\x1b" not in text and "…" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert "2 Hand-waving" in text and "Verdict: pass with revisions" in text
    data = json.loads(run("report", live.id, "--json").out)
    assert data["mode"] == "review" and data["review"]["verdict"] == "pass with revisions"
    assert data["sections"][0]["questions"][0]["score"] == 2


def test_a_rehearsal_report_has_no_review_tables(store: Store) -> None:
    clock = FakeClock()
    live = LiveSession.start(store, small_agenda(per_section=(1,)), clock=clock.clock())
    live.act("rate", rating=2)
    live.act("answer", text="a")
    live.act("end")
    text = rendered(store, live.id, 100)
    assert "Reviewer" not in text and "Verdict" not in text and "Category scores" not in text
    assert "Ratings" in text


# --- viva stats: reviewer scores beside self-ratings, weak categories ---------------


def test_stats_json_has_reviewer_scores_and_weak_categories(store: Store) -> None:
    clock = FakeClock()
    # the first question's category scored 2, then 4, then 2: weak (2 of the last 3)
    sessions = [
        reviewed(store, clock, {0: 2, 1: 4}, ratings={0: 3}),
        reviewed(store, clock, {0: 4, 1: 5}),
        reviewed(store, clock, {0: 2, 1: 4}),
    ]
    plain = LiveSession.start(store, small_agenda(per_section=(1,)), clock=clock.clock())
    plain.act("answer", text="")
    plain.act("end")
    first = sessions[0].rehearsal.sections[0].questions
    weak_cat, strong_cat = first[0].category, first[1].category
    data = collect_stats(store, [load_catalog().tracks[TRACK]], clock.wall()).to_json()
    for key in ("tracks", "cards", "weakest", "rehearsals", "categories", "reviews_by_day"):
        assert key in data  # the keys there were before stay
    assert [r["mode"] for r in data["rehearsals"]] == ["review", "review", "review", "rehearsal"]
    assert data["rehearsals"][-1]["review"] is None
    one = data["rehearsals"][0]["review"]
    assert one["candidate"] == "Ada" and one["verdict"] == "pass with revisions"
    assert one["categories"][weak_cat] == {
        "score": 2.0,
        "mean": 2.0,
        "questions_scored": 1,
        "given": False,
    }
    figures = data["review_categories"][weak_cat]
    assert figures == {
        "sessions": 3,
        "mean_score": round((2 + 4 + 2) / 3, 3),
        "last_score": 2.0,
        "questions_scored": 3,
        "weak": True,
    }
    assert data["review_categories"][strong_cat]["weak"] is False
    assert data["categories"][weak_cat] == {"rated": 1, "mean_rating": 3.0}  # the self-rating
    (weak,) = data["weak_categories"]
    assert weak == {
        "category": weak_cat,
        "candidate": "Ada",
        "scores": [2.0, 4.0, 2.0],
        "sessions": [s.id for s in sessions],
        "below": 2,
        "mean": round(8 / 3, 3),
        "last": 2.0,
    }
    assert data["weak_rule"]["below"] == WEAK_SCORE == 3.0
    assert (data["weak_rule"]["times"], data["weak_rule"]["of_last"]) == (2, 3)


def _figures(
    sid: str, scores: Mapping[str, float | None], candidate: str = "Ada"
) -> RehearsalFigures:
    return RehearsalFigures(
        id=sid,
        track=TRACK,
        started_at=FakeClock().now,
        status="ended",
        minutes=45,
        budget_seconds=2700,
        active_seconds=0.0,
        sections=(),
        categories={},
        mode="review",
        review=SessionReview(
            candidate=candidate,
            verdict="",
            categories={
                c: ReviewedCategory(s, s, 0 if s is None else 1, False) for c, s in scores.items()
            },
        ),
    )


@pytest.mark.parametrize(
    ("history", "weak"),
    [
        ([2.0], False),  # one bad defense is not a pattern
        ([2.0, 2.5], True),
        ([2.0, 4.0, 2.0], True),
        ([2.0, 4.0, 4.0], False),
        ([2.0, 2.0, 4.0, 4.0], False),  # recovered: only the last three count
        ([4.0, 2.0, 2.0, 5.0], True),
        ([3.0, 3.0, 3.0], False),  # adequate is not weak
        ([2.0, None, 2.0], True),  # a session that did not score it does not count
    ],
)
def test_the_weak_category_rule(history: list[float | None], weak: bool) -> None:
    rows = [_figures(f"s{i}", {"architecture": s}) for i, s in enumerate(history)]
    found = weak_categories(rows)
    assert bool(found) is weak
    if found:
        scored = [s for s in history if s is not None][-WEAK_WINDOW:]
        assert found[0].scores == tuple(scored)
        assert found[0].below == sum(1 for s in scored if s < WEAK_SCORE) >= WEAK_TIMES


def test_weak_categories_are_per_candidate_and_lowest_first() -> None:
    rows = [
        _figures("a1", {"architecture": 2.0, "security": 1.0}, "Ada"),
        _figures("b1", {"architecture": 2.0}, "Bob"),
        _figures("a2", {"architecture": 2.0, "security": 1.0}, "Ada"),
    ]
    found = weak_categories(rows)
    assert [(w.category, w.candidate) for w in found] == [
        ("security", "Ada"),
        ("architecture", "Ada"),
    ]  # Bob's one bad architecture answer is not Ada's


def test_a_given_summary_score_decides_weakness(store: Store) -> None:
    clock = FakeClock()
    live = reviewed(store, clock, {0: 4}, given={})
    category = live.rehearsal.sections[0].questions[0].category
    reviewed(store, clock, {0: 4}, given={category: 2})
    reviewed(store, clock, {0: 4}, given={category: 2})
    data = collect_stats(store, [load_catalog().tracks[TRACK]], clock.wall()).to_json()
    (weak,) = data["weak_categories"]
    assert weak["category"] == category and weak["scores"] == [4.0, 2.0, 2.0]


def test_stats_text_shows_reviewer_scores_and_weak_categories(store: Store) -> None:
    clock = FakeClock()
    live = reviewed(store, clock, {0: 1, 1: 4}, ratings={0: 2})
    reviewed(store, clock, {0: 2, 1: 4})
    category = live.rehearsal.sections[0].questions[0].category
    data = collect_stats(store, [load_catalog().tracks[TRACK]], clock.wall() + timedelta(hours=1))
    out = Console(
        file=io.StringIO(), width=120, force_terminal=True, color_system=None, record=True
    )
    render_stats(data, out)
    text = out.export_text()
    assert "Reviewer scores (1-5) beside self-ratings (1-4), per category" in text
    row = next(ln for ln in text.splitlines() if ln.startswith(f"│ {category} ") and "weak" in ln)
    assert re.search(r"│\s+2.0 │\s+1 │\s+1.5 │\s+2.0 │\s+2 │", row), row
    assert "Categories that stay weak (summary score below 3 in at least 2 of the last 3" in text
    assert f"  - {category}: 2 of the last 2 below 3 (scores 1 · 2, oldest first)" in text
    header = next(ln for ln in text.splitlines() if "┃ started (UTC)" in ln)
    assert "┃ score" in header  # a reviewed session's mean category score


@pytest.mark.parametrize("width", [60, 80])
def test_stats_review_tables_fit_a_narrow_terminal(store: Store, width: int) -> None:
    clock = FakeClock()
    for _ in range(2):
        reviewed(store, clock, {0: 1, 1: 4, 2: 5}, ratings={0: 2})
    data = collect_stats(store, [load_catalog().tracks[TRACK]], clock.wall())
    out = Console(
        file=io.StringIO(), width=width, force_terminal=True, color_system=None, record=True
    )
    render_stats(data, out)
    text = out.export_text()
    assert max(len(line) for line in text.splitlines()) <= width, text
    review = text.split("Reviewer scores", 1)[1].split("self: mean")[0]
    assert not [ln for ln in review.splitlines() if "…" in ln], review
    assert "weak" in review


def test_piped_stats_with_reviews_are_plain(run: Runner) -> None:
    with open_store() as store:
        clock = FakeClock()
        reviewed(store, clock, {0: 1})
        reviewed(store, clock, {0: 2})
    result = run("stats")
    assert result.code == 0, result.err
    text = result.out
    assert not any(ch in text for ch in BOX) and "\x1b" not in text and "…" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert "Categories that stay weak" in text
    data = json.loads(run("stats", "--json").out)
    assert len(data["weak_categories"]) == 1 and data["weak_categories"][0]["candidate"] == "Ada"
