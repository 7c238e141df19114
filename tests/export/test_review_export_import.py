"""A reviewed defense out as ``viva-review/1`` JSON (checked against the published
schema) and scores typed from a printed packet back in from CSV: onto a
reviewed session, or as a new one for a defense scored on a blank packet;
every problem located by line, nothing written when any row is wrong, and a
second import of the same file writing nothing (issue 17, points 4 and 5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.helpers import FakeClock
from viva.catalog.loader import load_catalog
from viva.drill.hooks import rehearsal_ratings
from viva.drill.state import load_states, review_log
from viva.errors import DataErrors, UsageProblem
from viva.packet.model import blank_packet
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession, session_report
from viva.schemas import load_schema, schema_path
from viva.schemas.generate import schema_text
from viva.services.review import (
    CSV_COLUMNS,
    FORMAT,
    ImportResult,
    ReviewDocument,
    export_review,
    import_scores,
    rubric_label,
)
from viva.speech.figures import SpeechFigures
from viva.store.database import Store, open_store

TRACK = "go/raft-kv"


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store() as opened:
        yield opened


def numbers(seed: int = 1, minutes: int = 45) -> dict[int, str]:
    """The question ids by the number the blank packet of this seed prints."""
    catalog = load_catalog()
    track = catalog.tracks[TRACK]
    context = blank_packet(catalog, track, draw_agenda(catalog, track, minutes, seed))
    return {q["number"]: q["id"] for s in context["sections"] for q in s["questions"]}


def defended(store: Store, clock: FakeClock, *, stop_after: int | None = None) -> LiveSession:
    """A reviewed session of the raft track's 45-minute agenda for seed 1, every
    question answered (or only the first ``stop_after``), then ended."""
    agenda = draw_agenda(load_catalog(), TRACK, 45, 1)
    live = LiveSession.start(
        store, agenda, "Ada", clock.clock(), on_rate=rehearsal_ratings(store), mode="review"
    )
    done = 0
    while live.rehearsal.current() is not None and not live.rehearsal.agenda_done:
        if stop_after is not None and done == stop_after:
            break
        clock.advance(60)
        live.act("answer", text=f"answer {done + 1}")
        done += 1
    live.act("end")
    return live


def write_csv(tmp_path: Path, text: str, name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(DataErrors) as caught:
        import_scores(path)
    return str(caught.value).splitlines()


def event_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM events").fetchone()[0])


# --- export --------------------------------------------------------------------------


def test_the_review_schema_is_generated_and_published() -> None:
    assert schema_path("review").read_text(encoding="utf-8") == schema_text("review")
    schema = load_schema("review")
    assert schema["title"] == "viva reviewed defense (viva-review/1)"
    assert schema["additionalProperties"] is False
    required = set(schema["required"])
    assert {"format", "session", "track", "questions", "categories", "verdict"} <= required
    assert "reviewer" not in required  # optional: the store keeps no reviewer's name
    question = schema["$defs"]["ReviewQuestion"]
    assert set(question["required"]) >= {
        "id",
        "category",
        "kind",
        "prompt",
        "score",
        "rubric_label",
        "notes",
        "follow_ups_asked",
        "answer",
        "transcript",
        "seconds",
        "skipped",
        "flagged",
    }


def test_an_exported_review_matches_the_schema(store: Store) -> None:
    clock = FakeClock()
    agenda = draw_agenda(load_catalog(), TRACK, 45, 1)
    live = LiveSession.start(store, agenda, "Ada", clock.clock(), mode="review")
    ids = numbers()
    for n in range(1, len(ids) + 1):
        qid = ids[n]
        if n == 13:  # partition-old-leader: three follow-ups
            live.act("asked", question=qid, follow_up=1)
            live.act("asked", question=qid, follow_up=3)
            live.act("score", question=qid, score=2)
            live.act("note", question=qid, text="no log matching")
            live.act("rate", rating=3)
            live.act("flag")
            figures = SpeechFigures("pocketsphinx", "the old leader steps down", 30, 25, 5, 1.0)
            live.act("transcript", question=qid, **figures.event_data())
        if n == 2:
            live.act("score", question=qid, score=4)
        clock.advance(30)
        if n == 4:
            live.act("skip")
        else:
            live.act("answer", text=f"answer {n}")
    live.act("category_score", category="performance", score=3)
    live.act("verdict", text="Pass, with revisions to the failure-mode story.")
    live.act("end")

    doc = export_review(live.id[:15])
    errors = list(Draft202012Validator(load_schema("review")).iter_errors(doc))
    assert errors == []
    assert ReviewDocument.model_validate(doc).format == FORMAT == doc["format"]
    assert (doc["session"], doc["track"], doc["candidate"]) == (live.id, TRACK, "Ada")
    assert (doc["minutes"], doc["seed"], doc["status"]) == (45, 1, "ended")
    assert "reviewer" not in doc
    assert [q["number"] for q in doc["questions"]] == list(range(1, len(ids) + 1))
    assert {q["number"]: q["id"] for q in doc["questions"]} == ids  # as the packet numbers
    q13 = doc["questions"][12]
    assert (q13["score"], q13["rubric_label"], q13["notes"]) == (
        2,
        "Hand-waving",
        ["no log matching"],
    )
    follow = agenda.sections[4].questions[2].follow_ups
    assert q13["follow_ups_asked"] == [follow[0], follow[2]]
    assert q13["transcript"] == "the old leader steps down" and q13["answer"] == "answer 13"
    assert (q13["rating"], q13["flagged"], q13["seconds"]) == (3, True, 30.0)
    assert doc["questions"][3]["skipped"] is True and doc["questions"][3]["score"] is None
    assert doc["questions"][1]["rubric_label"] == "Strong"
    cats = {c["category"]: c for c in doc["categories"]}
    assert cats["performance"] == {
        "category": "performance",
        "title": "Performance",
        "score": 3.0,
        "rubric_label": "Adequate",
        "mean": None,
        "questions_scored": 0,
        "given": True,
    }
    assert cats["failure-modes"]["score"] == 2.0
    assert doc["verdict"] == "Pass, with revisions to the failure-mode story."
    json.dumps(doc)  # plain JSON
    # the schema is closed: a key it does not name fails
    extra: dict[str, Any] = {**doc, "grade": "A"}
    assert list(Draft202012Validator(load_schema("review")).iter_errors(extra))
    named = export_review(live.id, reviewer="Grace")
    assert named["reviewer"] == "Grace"
    assert not list(Draft202012Validator(load_schema("review")).iter_errors(named))


def test_a_rehearsal_is_not_exported_as_a_review(store: Store) -> None:
    clock = FakeClock()
    live = LiveSession.start(store, draw_agenda(load_catalog(), TRACK, 45, 1), clock=clock.clock())
    live.act("end")
    with pytest.raises(UsageProblem, match="is a rehearsal, not a reviewed defense"):
        export_review(live.id)


def test_rubric_labels() -> None:
    arch = load_catalog().categories["architecture"]
    assert [rubric_label(arch, s) for s in (1, 3, 5)] == ["Missing", "Adequate", "Senior"]
    assert rubric_label(arch, 3.5) is None and rubric_label(arch, None) is None
    assert rubric_label(None, 3) is None


# --- import onto a reviewed session ---------------------------------------------------


def test_import_onto_a_reviewed_session(store: Store, tmp_path: Path) -> None:
    live = defended(store, FakeClock())
    ids = numbers()
    path = write_csv(
        tmp_path,
        "Session,Question,Score,Note,Asked\n"
        f"{live.id[:15]},2,3,solid ADR trail,\n"
        ",Q4,2,,1\n"
        ',partition-old-leader,1,"vague on terms, ""leases"" unclear\nsecond line","1 3"\n'
        ",category:performance,4,,\n"
        ",verdict,,Pass with revisions,\n",
    )
    result = import_scores(path)
    assert isinstance(result, ImportResult)
    assert (result.session, result.created) == (live.id, False)
    assert (result.scores, result.notes, result.asked, result.categories, result.verdict) == (
        3,
        2,
        3,
        1,
        True,
    )
    assert str(result) == (
        f"session {live.id} ({TRACK}): wrote 3 scores, 2 notes, 3 follow-ups asked, "
        "1 category score and the verdict"
    )
    report = session_report(store, live.id)
    by_id = {q.question_id: q for q in report.questions}
    assert by_id[ids[2]].score == 3 and by_id[ids[2]].notes == ("solid ADR trail",)
    assert by_id[ids[4]].score == 2 and len(by_id[ids[4]].follow_ups_asked) == 1
    pol = by_id["partition-old-leader"]
    assert pol.score == 1
    assert pol.notes == ('vague on terms, "leases" unclear\nsecond line',)
    assert len(pol.follow_ups_asked) == 2
    assert report.verdict == "Pass with revisions"
    perf = next(c for c in report.category_scores if c.category == "performance")
    assert (perf.score, perf.given) == (4.0, True)
    # the scores reached the drill: partition-old-leader (a must question) rated again
    card = load_states(store, [TRACK])[f"{TRACK}/partition-old-leader"]
    assert card.last_rating == 1
    assert {e.source for e in review_log(store, [TRACK])} == {f"review:{live.id}"}


def test_reimporting_the_same_file_writes_nothing_new(store: Store, tmp_path: Path) -> None:
    live = defended(store, FakeClock())
    path = write_csv(
        tmp_path,
        "session,question,score,note,asked\n"
        f"{live.id},2,3,a note,1\n"
        f"{live.id},2,,a note,\n"  # the same note twice in one file is one note
        f"{live.id},verdict,,Pass,\n",
    )
    first = import_scores(path)
    assert (first.scores, first.notes, first.asked, first.verdict) == (1, 1, 1, True)
    events, reviews = event_count(store), len(review_log(store))
    again = import_scores(path)
    assert again.written == 0 and again.unchanged == 5
    assert str(again) == f"session {live.id} ({TRACK}): nothing new (5 already recorded)"
    assert (event_count(store), len(review_log(store))) == (events, reviews)
    report = session_report(store, live.id)
    assert report.questions[1].notes == ("a note",)
    # a corrected file changes only what changed
    path.write_text(
        f"session,question,score,note\n{live.id},2,4,a note\n{live.id},2,,a second note\n",
        encoding="utf-8",
    )
    fixed = import_scores(path)
    assert (fixed.scores, fixed.notes, fixed.unchanged) == (1, 1, 1)
    report = session_report(store, live.id)
    assert report.questions[1].score == 4
    assert report.questions[1].notes == ("a note", "a second note")


def test_semicolons_and_a_byte_order_mark_are_read(store: Store, tmp_path: Path) -> None:
    live = defended(store, FakeClock())
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (f"\ufeffsession;question;score\n{live.id};2;5\n{live.id};category:decisions;4\n").encode()
    )
    result = import_scores(path)
    assert (result.scores, result.categories) == (1, 1)


# --- import of a defense scored on a blank packet -------------------------------------


def test_a_blank_packet_defense_becomes_a_reviewed_session(store: Store, tmp_path: Path) -> None:
    ids = numbers(seed=1)
    path = write_csv(
        tmp_path,
        "track,seed,minutes,candidate,started,question,score,note,asked\n"
        "go/raft-kv,1,45,Ada Lovelace,2026-12-04 09:30,1,4,clear walkthrough,\n"
        ",,,,,2,3,,1\n"
        ",,,,,13,2,missed the stale read,2\n"
        ",,,,,category:failure-modes,2,,\n"
        ",,,,,verdict,,Pass with revisions,\n",
    )
    result = import_scores(path)
    assert result.created and result.track == TRACK
    assert str(result).startswith(f"session {result.session} ({TRACK}): created from the blank")
    record = store.session(result.session)
    assert (record.mode, record.status, record.candidate) == ("review", "ended", "Ada Lovelace")
    assert (record.seed, record.minutes) == (1, 45)
    assert record.started_at.astimezone().strftime("%Y-%m-%d %H:%M") == "2026-12-04 09:30"
    agenda = draw_agenda(load_catalog(), TRACK, 45, 1)
    assert json.loads(record.agenda) == agenda.to_json()  # the packet's agenda
    report = session_report(store, result.session)
    by_id = {q.question_id: q for q in report.questions}
    assert (by_id[ids[1]].score, by_id[ids[2]].score, by_id[ids[13]].score) == (4, 3, 2)
    assert by_id[ids[13]].notes == ("missed the stale read",)
    assert by_id[ids[1]].answered and not by_id[ids[1]].skipped
    assert by_id[ids[5]].skipped  # no row: not scored on the packet
    assert report.verdict == "Pass with revisions"
    fm = next(c for c in report.category_scores if c.category == "failure-modes")
    assert (fm.score, fm.given) == (2.0, True)
    # the export of it is a valid document
    doc = export_review(result.session)
    assert not list(Draft202012Validator(load_schema("review")).iter_errors(doc))
    # importing the same packet's scores again finds that session
    sessions, events = len(store.sessions()), event_count(store)
    again = import_scores(path)
    assert (again.session, again.created, again.written) == (result.session, False, 0)
    assert (len(store.sessions()), event_count(store)) == (sessions, events)


def test_a_blank_packet_needs_its_seed_and_candidate(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "track,question,score\ngo/raft-kv,1,3\n")
    assert errors_of(path) == [
        f"{path}:2: candidate: a defense scored on a blank packet names its candidate",
        f"{path}:2: seed: the seed printed on the blank packet is needed",
    ]
    path = write_csv(tmp_path, "track,seed,minutes,candidate,question\nnope,1,45,Ada,1\n")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:2: track: unknown track 'nope'")
    path = write_csv(tmp_path, "track,seed,minutes,candidate,question\ngo/raft-kv,x,50,Ada,1\n")
    assert errors_of(path) == [f"{path}:2: seed: a whole number, not 'x'"]
    path = write_csv(tmp_path, "track,seed,minutes,candidate,question\ngo/raft-kv,1,50,Ada,1\n")
    assert errors_of(path) == [f"{path}:2: minutes: a defense lasts 45 or 60 minutes, not 50"]
    for seed in ("-5", "99999999999999999999999"):  # what --seed refuses, the import refuses
        path = write_csv(tmp_path, f"track,seed,candidate,question\ngo/raft-kv,{seed},Ada,1\n")
        assert errors_of(path) == [
            f"{path}:2: seed: a seed is a whole number from 0 to {2**63 - 1}"
        ]
    for name in ('"Eve\nX"', '"Tab\there"', "Zero\u200bwidth"):
        path = write_csv(tmp_path, f"track,seed,candidate,question\ngo/raft-kv,7,{name},1\n")
        (line,) = errors_of(path)
        assert line.startswith(f"{path}:2: candidate: control characters: ")
    path = write_csv(
        tmp_path, "track,seed,candidate,started,question\ngo/raft-kv,7,Ada,2099-01-01 10:00,1\n"
    )
    assert errors_of(path) == [
        f"{path}:2: started: 2099-01-01 10:00 is in the future: a defense scored is one held"
    ]
    assert store.sessions() == []


# --- errors ---------------------------------------------------------------------------


def test_every_error_is_located_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    live = defended(store, FakeClock())
    events = event_count(store)
    path = write_csv(
        tmp_path,
        "session,question,score,note,asked\n"
        f"{live.id},2,3,fine,\n"  # line 2: right, but not written
        f"{live.id},3,7,,\n"
        f"{live.id},no-such-question,2,,\n"
        f"{live.id},13,2,,1 4\n"
        f"{live.id},13,3,,x\n"
        f"{live.id},category:nope,3,,\n"
        f"{live.id},category:architecture,,a note,\n"
        f"{live.id},verdict,2,,\n"
        f"{live.id},99,,,\n"
        f",,4,,\n"
        "other-session,1,1,,\n",
    )
    lines = errors_of(path)
    assert lines == [
        f"{path}:3: score: a score is a whole number 1 to 5 (the rubric's levels), not '7'",
        f"{path}:4: question: no question 'no-such-question' on this defense's agenda (ids, "
        "or numbers 1 to 17 as the packet prints them)",
        f"{path}:5: asked: partition-old-leader has 3 follow-ups, not 4",
        f"{path}:6: asked: follow-ups are numbered from 1, not 'x'",
        f"{path}:6: score: partition-old-leader is scored 2 on line 5",
        f"{path}:7: question: this agenda asks no 'nope' questions (its categories: "
        "architecture, correctness, decisions, failure-modes, operations, performance, security)",
        f"{path}:8: note: a category row takes only a score",
        f"{path}:8: score: a category row needs its summary score, 1 to 5",
        f"{path}:9: note: the verdict's text goes here",
        f"{path}:9: score: the verdict row takes its text in note",
        f"{path}:10: question: no question '99' on this defense's agenda (ids, or numbers 1 "
        "to 17 as the packet prints them)",
        f"{path}:11: question: empty: a question's id or packet number, category:ID, or verdict",
        f"{path}:12: session: one defense per file: line 2 says {live.id!r}, this row "
        "'other-session'",
    ]
    assert event_count(store) == events
    assert session_report(store, live.id).questions[1].score is None


def test_a_question_the_defense_never_reached_rolls_the_file_back(
    store: Store, tmp_path: Path
) -> None:
    live = defended(store, FakeClock(), stop_after=2)  # ended after two questions
    ids = numbers()
    events, reviews = event_count(store), len(review_log(store))
    path = write_csv(
        tmp_path,
        f"session,question,score\n{live.id},1,2\n{live.id},2,1\n{live.id},{ids[9]},2\n",
    )
    assert errors_of(path) == [
        f"{path}:4: question: {ids[9]} was never reached in session {live.id} (the defense "
        "ended before it), so it cannot be scored there"
    ]
    # the two rows that were right were written in the transaction, then rolled back
    assert (event_count(store), len(review_log(store))) == (events, reviews)
    assert [q.score for q in session_report(store, live.id).questions[:2]] == [None, None]


def test_which_sessions_take_an_import(store: Store, tmp_path: Path) -> None:
    clock = FakeClock()
    rehearsal = LiveSession.start(
        store, draw_agenda(load_catalog(), TRACK, 45, 1), clock=clock.clock()
    )
    rehearsal.act("end")
    path = write_csv(tmp_path, f"session,question,score\n{rehearsal.id},1,3\n")
    assert errors_of(path) == [
        f"{path}:2: session: session {rehearsal.id} is a rehearsal, not a reviewed defense "
        "(`viva review` records one)"
    ]
    running = LiveSession.start(
        store, draw_agenda(load_catalog(), TRACK, 45, 1), "Ada", clock.clock(), mode="review"
    )
    path = write_csv(tmp_path, f"session,question,score\n{running.id},1,3\n")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:2: session: session {running.id} has not ended")
    path = write_csv(tmp_path, "session,question,score\nzzz,1,9\n")
    score, unknown = errors_of(path)  # what needs no agenda is checked all the same
    assert unknown.startswith(f"{path}:2: session: unknown session 'zzz'")
    assert (
        score == f"{path}:2: score: a score is a whole number 1 to 5 (the rubric's levels), not '9'"
    )
    path = write_csv(tmp_path, "question,score\n1,3\n")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:2: session: no defense named")
    ended = defended(store, clock)
    path = write_csv(tmp_path, f"session,seed,scopes,question,score\n{ended.id},2,none,1,3\n")
    assert errors_of(path) == [
        f"{path}:2: scopes: only for a defense scored on a blank packet (no session column)",
        f"{path}:2: seed: session {ended.id} has seed 1, not '2'",
    ]


def test_file_and_header_errors(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "")
    assert errors_of(path) == [
        f"{path}:1: file: empty: a header row names the columns (columns: "
        + ", ".join(CSV_COLUMNS)
        + ")"
    ]
    path = write_csv(tmp_path, "session,grade,score\nx,A,3\n")
    assert errors_of(path) == [
        f"{path}:1: grade: unknown column (columns: {', '.join(CSV_COLUMNS)})",
        f"{path}:1: question: the column is missing (columns: {', '.join(CSV_COLUMNS)})",
    ]
    path = write_csv(tmp_path, "question,score,score\n1,2,3\n")
    assert errors_of(path)[0] == f"{path}:1: score: the column appears twice"
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"session,question,note\nx,1,fine\nx,2,caf\xe9\n")
    assert errors_of(path) == [f"{path}:3: file: not UTF-8 text (save the sheet as CSV UTF-8)"]
    path = write_csv(tmp_path, 'question,note\n1,"never closed\n')
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:2: file: not CSV")
    with pytest.raises(Exception, match="no such file"):
        import_scores(tmp_path / "missing.csv")
