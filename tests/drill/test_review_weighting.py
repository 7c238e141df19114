"""A reviewer's score reaches the candidate's drill (issue 17, point 5): a question
scored 1 or 2 is drilled like one rated "again" in a rehearsal: it becomes a
drill card, due at once, first in the queue. Against the real store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.helpers import FakeClock
from viva.catalog.loader import Track
from viva.catalog.models import Question
from viva.clock import Clock, local_day
from viva.drill.cards import card_id, is_default_card, select_cards
from viva.drill.hooks import rehearsal_ratings
from viva.drill.scheduler import TARGET_RECALL, make_scheduler, new_card_state, review
from viva.drill.session import DrillSession
from viva.drill.state import load_states, rate_card, review_log
from viva.rehearsal.agenda import Agenda, PlannedQuestion, PlannedSection
from viva.rehearsal.session import SCORE_AS_RATING, LiveSession
from viva.store.database import Store


def plain_questions(track: Track, n: int) -> list[Question]:
    """Bank questions that are no drill card by default (not failure scenarios, not must)."""
    found = [q for q in track.questions if not is_default_card(q.kind, q.must)]
    assert len(found) >= n
    return found[:n]


def agenda_of(track: Track, questions: list[Question], opening: bool = False) -> Agenda:
    planned = [
        PlannedQuestion(q.id, q.category, q.kind, q.prompt, q.minutes, must=q.must)
        for q in questions
    ]
    if opening:
        planned.insert(
            0, PlannedQuestion("opening-s1", "architecture", "opening", "Walk us through", 2, True)
        )
    section = PlannedSection(
        "s1", "Section 1", 600, tuple(dict.fromkeys(p.category for p in planned)), tuple(planned)
    )
    return Agenda(track=track.id, minutes=10, seed=3, sections=(section,))


def session(
    store: Store, track: Track, questions: list[Question], clock: FakeClock, mode: str
) -> LiveSession:
    return LiveSession.start(
        store,
        agenda_of(track, questions),
        "Ada",
        clock.clock(),
        on_rate=rehearsal_ratings(store),
        mode=mode,
    )


def drill_at(
    store: Store,
    track: Track,
    moment: FakeClock,
    include_all: bool = False,
    defense_date: date | None = None,
) -> DrillSession:
    return DrillSession(
        store,
        [track],
        clock=Clock(mono=moment.mono, wall=moment.wall),
        scheduler=make_scheduler(fuzzing=False),
        include_all=include_all,
        defense_date=defense_date,
    )


@pytest.mark.parametrize("score", [1, 2])
def test_a_low_score_makes_a_card_like_again(store: Store, raft: Track, score: int) -> None:
    clock = FakeClock()
    scored_q, rated_q = plain_questions(raft, 2)
    # The candidate has drilled every default card (easy, a day before): none is due.
    s = make_scheduler(fuzzing=False)
    for card in select_cards([raft]):
        rate_card(store, s, card.id, raft.id, 4, clock.now - timedelta(days=1))
    assert drill_at(store, raft, clock).due_now() == 0

    live = session(store, raft, [scored_q], clock, "review")
    live.act("score", question=scored_q.id, score=score)
    when = clock.now
    # the same moment, in a rehearsal: another question rated "again"
    rehearsal = session(store, raft, [rated_q], clock, "rehearsal")
    rehearsal.act("rate", rating=1)
    live.act("answer", text="")
    live.act("end")

    states = load_states(store, [raft.id])
    scored = states[card_id(raft.id, scored_q.id)]
    rated = states[card_id(raft.id, rated_q.id)]
    assert scored.last_rating == 1 == SCORE_AS_RATING[score]
    assert (scored.reviews, scored.lapses) == (1, 0)
    expected = review(s, new_card_state(scored.id, raft.id, when), 1, when)
    assert scored.card.to_dict() == expected.card.to_dict()
    same = ("state", "step", "stability", "difficulty", "due", "last_review")
    mine: dict[str, Any] = dict(scored.card.to_dict())
    theirs: dict[str, Any] = dict(rated.card.to_dict())
    assert {k: mine[k] for k in same} == {k: theirs[k] for k in same}
    assert scored.due <= when + timedelta(minutes=1)  # FSRS's first relearning step
    (entry,) = [e for e in review_log(store, [raft.id]) if e.card_id == scored.id]
    assert (entry.rating, entry.source) == (1, f"review:{live.id}")

    # Drilled after the defense: the scored question is a card, due, and first.
    after = clock
    after.advance(10 * 60)
    drill = drill_at(store, raft, after)
    assert scored.id in {c.id for c in drill.cards}
    assert drill.due_now() == 2  # the scored question and the one rated again
    order = [drill.next_card(), drill.next_card()]
    assert {c.id for c in order if c} == {scored.id, rated.id}
    # With the defense two weeks away even --all puts it first: its recall on that
    # day is the lowest, as that of a question rated again.
    defense = local_day(after.now + timedelta(days=14))
    everything = drill_at(store, raft, after, include_all=True, defense_date=defense)
    first = everything.next_card()
    assert first is not None and first.id in {scored.id, rated.id}
    recall = everything.queue.recall_at
    assert recall(first) == min(recall(c) for c in everything.cards) < TARGET_RECALL


def test_a_scored_question_comes_before_those_rated_better(store: Store, raft: Track) -> None:
    clock = FakeClock()
    s = make_scheduler(fuzzing=False)
    for card in select_cards([raft]):
        rate_card(store, s, card.id, raft.id, 4, clock.now - timedelta(days=1))
    questions = plain_questions(raft, 3)
    live = session(store, raft, questions, clock, "review")
    for q, score in zip(questions, (3, 2, 3), strict=True):  # 3 adequate weighs like hard
        live.act("score", question=q.id, score=score)
        clock.advance(30)
        live.act("answer", text="")
    live.act("end")
    clock.advance(20 * 60)
    drill = drill_at(store, raft, clock)
    first = drill.next_card()
    assert first is not None and first.question.id == questions[1].id  # scored 2
    states = load_states(store, [raft.id])
    assert [states[card_id(raft.id, q.id)].last_rating for q in questions] == [2, 1, 2]


@pytest.mark.parametrize(("score", "rating"), [(3, 2), (4, 3), (5, 4)])
def test_higher_scores_weigh_like_hard_good_and_easy(
    store: Store, raft: Track, score: int, rating: int
) -> None:
    clock = FakeClock()
    plain = plain_questions(raft, 1)[0]
    must = next(q for q in raft.questions if is_default_card(q.kind, q.must))
    live = session(store, raft, [plain, must], clock, "review")
    live.act("score", question=plain.id, score=score)
    live.act("answer", text="")
    live.act("score", question=must.id, score=score)
    live.act("answer", text="")
    states = load_states(store, [raft.id])
    # a good or easy answer does not make a question a card, as in a rehearsal
    assert (card_id(raft.id, plain.id) in states) is (rating <= 2)
    default = states[card_id(raft.id, must.id)]  # a default card is rated whatever the score
    assert default.last_rating == rating
    sources = {e.source for e in review_log(store, [raft.id])}
    assert sources == {f"review:{live.id}"}


def test_rescoring_in_the_same_session_replaces_the_earlier_score(
    store: Store, raft: Track
) -> None:
    clock = FakeClock()
    q = plain_questions(raft, 1)[0]
    live = session(store, raft, [q], clock, "review")
    live.act("score", question=q.id, score=1)
    assert card_id(raft.id, q.id) in load_states(store, [raft.id])
    clock.advance(60)
    live.act("score", question=q.id, score=5)  # the reviewer changed their mind
    assert card_id(raft.id, q.id) not in load_states(store, [raft.id])
    assert review_log(store, [raft.id]) == []
    live.act("score", question=q.id, score=2)
    (entry,) = review_log(store, [raft.id])
    assert entry.rating == 1


def test_a_self_rating_and_a_score_are_two_reviews(store: Store, raft: Track) -> None:
    clock = FakeClock()
    q = plain_questions(raft, 1)[0]
    live = session(store, raft, [q], clock, "review")
    live.act("rate", rating=2)  # the candidate's own rating
    clock.advance(30)
    live.act("score", question=q.id, score=1)  # then the reviewer's
    log = review_log(store, [raft.id])
    assert [(e.rating, e.source) for e in log] == [
        (2, f"rehearsal:{live.id}"),
        (1, f"review:{live.id}"),
    ]
    assert load_states(store, [raft.id])[card_id(raft.id, q.id)].reviews == 2


def test_an_opening_scored_low_is_no_card(store: Store, raft: Track) -> None:
    clock = FakeClock()
    live = LiveSession.start(
        store,
        agenda_of(raft, plain_questions(raft, 1), opening=True),
        "Ada",
        clock.clock(),
        on_rate=rehearsal_ratings(store),
        mode="review",
    )
    live.act("score", question="opening-s1", score=1)
    assert load_states(store, [raft.id]) == {}
