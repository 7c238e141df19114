"""One card set: `viva drill --all`, `viva stats`, and the Markdown, JSON and Anki
exports agree on which questions are cards, also after rehearsal ratings and with
a remembered scope; and the rule by which a rehearsal rating makes a card."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import T0, FakeClock
from viva.catalog.loader import Track, load_catalog
from viva.catalog.models import Question
from viva.drill.cards import card_id, is_card, select_cards
from viva.drill.hooks import rehearsal_ratings
from viva.drill.state import load_states, record_rehearsal_rating
from viva.rehearsal.agenda import Agenda, PlannedQuestion, PlannedSection
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession, RatedAnswer
from viva.store.database import Store, open_store

RAFT = "go/raft-kv"
RUNTIME_FORK = "container-internals/runtime-fork"


@dataclass(frozen=True)
class CardSet:
    """What each command counts as the track's cards."""

    drill: int
    stats: int
    markdown: list[str]
    json: list[str]
    anki: list[str]

    def agreed(self) -> set[str]:
        """The one set, once every command is seen to hold it."""
        ids = set(self.markdown)
        assert len(self.markdown) == len(ids), "a card twice in the Markdown export"
        assert sorted(self.json) == sorted(self.markdown), "JSON and Markdown differ"
        assert sorted(self.anki) == sorted(self.markdown), "Anki and Markdown differ"
        assert self.drill == self.stats == len(ids), (self.drill, self.stats, len(ids))
        return ids


def card_set(run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, track: str) -> CardSet:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # shows the header, then end of input
    drill = run("drill", track, "--all", "--plain")
    assert drill.code == 0, drill.err
    header = re.search(rf"^drill: {re.escape(track)} · .* · (\d+) cards, ", drill.out, re.M)
    assert header is not None, drill.out
    assert "drill saved: 0 cards rated" in drill.out

    stats = run("stats", track, "--json")
    assert stats.code == 0, stats.err

    markdown = run("export", "markdown", track)
    assert markdown.code == 0, markdown.err
    md_ids = re.findall(r" — `([^`]+)`$", markdown.out, re.M)
    assert markdown.out.count("\n### ") == len(md_ids)

    exported = run("export", "json", track)
    assert exported.code == 0, exported.err
    (data,) = json.loads(exported.out)["tracks"]

    deck = tmp_path / f"deck-{len(list(tmp_path.glob('deck-*')))}.apkg"
    anki = run("export", "anki", track, "-o", str(deck))
    assert anki.code == 0, anki.err
    anki_ids = anki_note_ids(deck, tmp_path)
    assert f"wrote {len(anki_ids)} notes in 1 deck" in anki.err

    return CardSet(
        drill=int(header.group(1)),
        stats=int(json.loads(stats.out)["cards"]["total"]),
        markdown=md_ids,
        json=[f"{track}/{q['id']}" for q in data["questions"]],
        anki=anki_ids,
    )


def anki_note_ids(deck: Path, tmp_path: Path) -> list[str]:
    """The Id field of every note in an .apkg (genanki's collection.anki2)."""
    folder = tmp_path / f"{deck.stem}-unzipped"
    with zipfile.ZipFile(deck) as z:
        z.extract("collection.anki2", folder)
    conn = sqlite3.connect(folder / "collection.anki2")
    try:
        fields = [row[0].split("\x1f") for row in conn.execute("SELECT flds FROM notes")]
    finally:
        conn.close()
    return [f[3] for f in fields]  # Prompt, KeyPoints, FollowUps, Id, ...


def planned(q: Question) -> PlannedQuestion:
    return PlannedQuestion(q.id, q.category, q.kind, q.prompt, q.minutes, must=q.must)


def agenda_of(track: Track, questions: list[Question]) -> Agenda:
    """A one-section agenda asking exactly these bank questions, in order."""
    section = PlannedSection(
        id="s1",
        title="Section 1",
        budget_seconds=60 * sum(q.minutes for q in questions),
        categories=tuple(dict.fromkeys(q.category for q in questions)),
        questions=tuple(planned(q) for q in questions),
    )
    return Agenda(track=track.id, minutes=45, seed=1, sections=(section,))


def non_cards(track: Track) -> list[Question]:
    return [q for q in track.questions if not is_card(q)]


# --- 8. drill, stats and the exports agree on one set ---------------------------------


def test_drill_stats_and_exports_count_the_same_cards(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ids = card_set(run, monkeypatch, tmp_path, RAFT).agreed()
    track = load_catalog().tracks[RAFT]
    assert ids == {c.id for c in select_cards([track])}
    assert {q.id for q in track.questions if q.must} <= {i.rpartition("/")[2] for i in ids}


def test_a_rehearsal_rating_of_hard_adds_exactly_that_card_everywhere(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: Store
) -> None:
    track = load_catalog().tracks[RAFT]
    before = card_set(run, monkeypatch, tmp_path, RAFT).agreed()
    hard, easy = non_cards(track)[:2]
    clock = FakeClock()
    live = LiveSession.start(
        store, agenda_of(track, [hard, easy]), clock=clock.clock(), on_rate=rehearsal_ratings(store)
    )
    clock.advance(60)
    live.act("answer", text="an answer")
    live.act("rate", rating=2, question=hard.id)  # :rate 2 just after answering it
    clock.advance(60)
    live.act("answer", text="another answer")
    live.act("rate", rating=4, question=easy.id)
    assert live.rehearsal.finished or live.finish_if_done()

    after = card_set(run, monkeypatch, tmp_path, RAFT).agreed()
    assert after - before == {card_id(RAFT, hard.id)}
    assert before <= after and len(after) == len(before) + 1


def test_a_remembered_scope_leaves_its_rivals_failure_scenarios_out_everywhere(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    track = load_catalog().tracks[RUNTIME_FORK]
    scoped_out = {
        card_id(RUNTIME_FORK, q.id)
        for q in track.questions
        if q.kind == "failure-scenario" and q.scopes and "runc-trace" not in q.scopes
    }
    traced = {
        card_id(RUNTIME_FORK, q.id)
        for q in track.questions
        if q.kind == "failure-scenario" and "runc-trace" in q.scopes
    }
    assert scoped_out and traced
    neutral = card_set(run, monkeypatch, tmp_path, RUNTIME_FORK).agreed()
    assert neutral & (traced | scoped_out) == set()  # nothing named yet: scope-neutral

    assert run("plan", RUNTIME_FORK, "--scope", "runc-trace", "--json").code == 0
    ids = card_set(run, monkeypatch, tmp_path, RUNTIME_FORK).agreed()
    assert ids & scoped_out == set()
    assert traced <= ids and ids - traced == neutral
    assert ids == {c.id for c in select_cards([track.scoped(["runc-trace"])])}


# --- 9. which rehearsal ratings make a card --------------------------------------------


def rated(question: Question, rating: int, session: str = "s1") -> RatedAnswer:
    return RatedAnswer(
        session, RAFT, question.id, False, rating, T0, kind=question.kind, must=question.must
    )


@pytest.mark.parametrize("rating", [3, 4])
def test_a_good_or_easy_rating_of_a_non_card_question_makes_no_card(
    store: Store, raft: Track, rating: int
) -> None:
    q = non_cards(raft)[0]
    assert record_rehearsal_rating(store, rated(q, rating)) is None
    assert load_states(store) == {}
    assert card_id(RAFT, q.id) not in {c.id for c in select_cards([raft], history=set())}


@pytest.mark.parametrize("rating", [1, 2])
def test_an_again_or_hard_rating_of_a_non_card_question_makes_it_a_card(
    store: Store, raft: Track, rating: int
) -> None:
    q = non_cards(raft)[0]
    state = record_rehearsal_rating(store, rated(q, rating))
    assert state is not None and state.last_rating == rating and state.reviews == 1
    states = load_states(store)
    assert set(states) == {card_id(RAFT, q.id)}
    assert card_id(RAFT, q.id) in {c.id for c in select_cards([raft], history=states)}


def test_a_must_question_rated_easy_is_still_a_card(store: Store, raft: Track) -> None:
    q = next(q for q in raft.questions if q.must and q.kind != "failure-scenario")
    state = record_rehearsal_rating(store, rated(q, 4))
    assert state is not None and state.last_rating == 4  # its card is reviewed
    states = load_states(store)
    assert card_id(RAFT, q.id) in states
    assert card_id(RAFT, q.id) in {c.id for c in select_cards([raft], history=states)}


def test_hard_changed_to_easy_in_the_same_rehearsal_leaves_no_card(
    store: Store, raft: Track
) -> None:
    q = non_cards(raft)[0]
    assert record_rehearsal_rating(store, rated(q, 2)) is not None
    assert record_rehearsal_rating(store, rated(q, 4)) is None  # replaces the 2
    assert load_states(store) == {}
    assert store.conn.execute("SELECT count(*) FROM drill_reviews").fetchone()[0] == 0


def test_a_scoped_out_card_with_drill_history_is_kept_but_not_retired_anywhere(
    run: Runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store: Store
) -> None:
    """A question of a scope the candidate no longer names is still in the bank: its
    drill state is kept, and no command calls it a removed ("retired") question."""
    track = load_catalog().tracks[RUNTIME_FORK]
    other = next(q for q in track.questions if q.scopes == ("runc-autoseccomp",))
    full_id = card_id(RUNTIME_FORK, other.id)
    assert run("plan", RUNTIME_FORK, "--scope", "runc-autoseccomp", "--json").code == 0
    answer = RatedAnswer("s1", RUNTIME_FORK, other.id, False, 2, T0, other.kind, other.must)
    assert record_rehearsal_rating(store, answer) is not None
    assert run("plan", RUNTIME_FORK, "--scope", "runc-trace", "--json").code == 0

    assert full_id not in card_set(run, monkeypatch, tmp_path, RUNTIME_FORK).agreed()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    drill = run("drill", RUNTIME_FORK, "--all", "--plain")
    assert "removed questions kept" not in drill.out
    assert json.loads(run("stats", RUNTIME_FORK, "--json").out)["retired"] == []
    exported = json.loads(run("export", "json", RUNTIME_FORK).out)
    assert full_id not in exported["retired"], "a scoped-out question is not a removed one"
    assert full_id in load_states(store)  # its history is kept


def test_a_rate_typed_after_the_last_answer_of_a_plain_rehearsal_rates_it(
    run: Runner, monkeypatch: pytest.MonkeyPatch, raft: Track
) -> None:
    """Plain mode invites `:rate N` after every answer, the agenda's last one too."""

    def ends_with_a_non_card(agenda: Agenda) -> bool:
        q = raft.question(agenda.questions[-1].id)
        return q is not None and not is_card(q)

    draws = (draw_agenda(load_catalog(), raft, 60, seed) for seed in range(1, 50))
    agenda = next(a for a in draws if ends_with_a_non_card(a))
    last = agenda.questions[-1]
    lines = ["an answer\n", ".\n"] * len(agenda.questions) + [":rate 2\n"]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(lines)))
    result = run("rehearse", RAFT, "--plain", "--minutes", "60", "--seed", str(agenda.seed))
    assert result.code == 0, result.err
    assert result.out.count("rate that answer: :rate N") == len(agenda.questions)
    assert f"rated 2 (hard): {last.id}" in result.out
    session = re.search(r"^session: (\S+)$", result.out, re.M)
    assert session is not None
    report = json.loads(run("report", session.group(1), "--json").out)
    rated_last = [q for s in report["sections"] for q in s["questions"]][-1]
    assert (rated_last["question_id"], rated_last["rating"]) == (last.id, 2)
    with open_store() as store:
        assert card_id(RAFT, last.id) in load_states(store)
