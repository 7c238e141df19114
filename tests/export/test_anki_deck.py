"""The Anki deck as Anki reads it: fields, tags, styling and, with
--with-scheduling, the drill state, each checked by importing the package
into a real ``anki`` Collection."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Card, State

from tests.conftest import Runner
from viva.catalog.loader import Track, load_catalog
from viva.drill.cards import DrillCard, select_cards
from viva.drill.scheduler import CardState, fsrs_card_id, make_scheduler
from viva.drill.state import load_states, put_states, rate_card
from viva.export.anki import ANKI_MODEL_ID, card_html, write_apkg
from viva.store.database import open_store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_fuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIVA_FSRS_FUZZ", "0")


@pytest.fixture
def raft() -> Track:
    return load_catalog().tracks["go/raft-kv"]


@pytest.fixture
def new_collection(tmp_path: Path) -> Iterator[Any]:
    """A factory of empty Anki collections (each import test may want a fresh one)."""
    from anki.collection import Collection

    opened: list[Any] = []

    def make() -> Any:
        folder = tmp_path / f"anki{len(opened)}"
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        opened.append(col)
        return col

    yield make
    for col in opened:
        col.close()


def import_apkg(col: Any, path: Path, with_scheduling: bool = True) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=with_scheduling, merge_notetypes=True),
    )
    return col.import_anki_package(request).log


def anki_card(col: Any, full_id: str) -> Any:
    (nid,) = col.find_notes(f'"Id:{full_id}"')
    (card,) = col.get_note(nid).cards()
    return card


def anki_day(when: datetime) -> date:
    """Anki's day of an instant: the local date, the day starting at 4 am."""
    return (when.astimezone() - timedelta(hours=4)).date()


# --- fields ------------------------------------------------------------------


def test_fields_escape_markup_but_not_quotes(
    run: Runner, new_collection: Any, tmp_path: Path
) -> None:
    deck = tmp_path / "raft.apkg"
    assert run("export", "anki", "go/raft-kv", "-o", str(deck)).code == 0
    col = new_collection()
    import_apkg(col, deck)
    # The bank's own apostrophes ("the old leader's step-down") are searchable.
    # A plain search would match even ``&#x27;`` (Anki decodes entities there);
    # a field search or a regex matches the stored text as it is.
    found = col.find_notes("leader's")
    assert found
    assert set(col.find_notes('"KeyPoints:*leader\'s*"')) | set(
        col.find_notes('"FollowUps:*leader\'s*"')
    ) == set(found)
    assert col.find_notes('"Prompt:re:leader\'s"') or col.find_notes('"KeyPoints:re:leader\'s"')
    for nid in found:
        note = col.get_note(nid)
        assert "&#x27;" not in note["KeyPoints"] + note["Prompt"] + note["FollowUps"]
        assert "leader's" in note["KeyPoints"] + note["Prompt"] + note["FollowUps"]


def test_a_prompt_with_quotes_and_markup_stays_text(
    raft: Track, new_collection: Any, tmp_path: Path
) -> None:
    card = select_cards([raft])[0]
    q = card.question.model_copy(update={"prompt": 'Why does the "node\'s" <b>log</b> & WAL lag?'})
    deck = tmp_path / "edited.apkg"
    write_apkg(deck, [raft], [DrillCard(raft.id, q)], T0)
    col = new_collection()
    import_apkg(col, deck)
    (nid,) = col.find_notes('"Prompt:*node\'s*"')
    assert col.get_note(nid)["Prompt"] == (
        'Why does the "node\'s" &lt;b&gt;log&lt;/b&gt; &amp; WAL lag?'
    )


def test_inline_code_spans() -> None:
    assert card_html("run `make test` now") == "run <code>make test</code> now"
    assert (
        card_html("`<a href=x>` & `b's`") == "<code>&lt;a href=x&gt;</code> &amp; <code>b's</code>"
    )
    assert card_html("a ` b") == "a ` b"  # unmatched: text
    assert card_html("`a` and ` b") == "<code>a</code> and ` b"
    assert card_html("``") == "``"  # an empty pair is no code span


def test_backticks_in_a_bank_become_code_on_the_card(
    run: Runner, new_collection: Any, tmp_path: Path
) -> None:
    deck = tmp_path / "scan.apkg"
    track = "container-internals/image-scanning"
    assert run("export", "anki", track, "--all-questions", "-o", str(deck)).code == 0
    col = new_collection()
    import_apkg(col, deck)
    note = col.get_note(col.find_notes(f'"Id:{track}/end-to-end-critical-cve-flow"')[0])
    assert "<code>not_affected</code>/<code>fixed</code>" in note["KeyPoints"]
    assert "said <code>affected</code> instead?" in note["FollowUps"]
    assert "`" not in note["KeyPoints"] + note["FollowUps"]
    answer = note.cards()[0].answer()
    assert "<code>affected</code>" in answer


# --- tags and styling --------------------------------------------------------


def test_every_tag_is_under_viva(run: Runner, new_collection: Any, tmp_path: Path) -> None:
    deck = tmp_path / "raft.apkg"
    assert run("export", "anki", "go/raft-kv", "-o", str(deck)).code == 0
    col = new_collection()
    import_apkg(col, deck)
    tags = col.tags.all()
    assert tags and all(t.startswith("viva::") for t in tags)
    assert "viva::go::raft-kv" in tags
    assert "viva::kind::failure-scenario" in tags
    assert any(t.startswith("viva::category::") for t in tags)
    assert col.find_notes("tag:viva") == col.find_notes("")  # the branch holds every note
    note = col.get_note(col.find_notes('"Id:go/raft-kv/partition-old-leader"')[0])
    assert sorted(note.tags) == [
        "viva::category::failure-modes",
        "viva::go::raft-kv",
        "viva::kind::defensible",
    ]


def test_card_styling_follows_night_mode(run: Runner, new_collection: Any, tmp_path: Path) -> None:
    deck = tmp_path / "raft.apkg"
    assert run("export", "anki", "go/raft-kv", "-o", str(deck)).code == 0
    col = new_collection()
    import_apkg(col, deck)
    css = col.models.get(ANKI_MODEL_ID)["css"]
    for selector in (
        ".card.nightMode",
        ".nightMode .card",
        ".night_mode .card",
        ".card.night_mode",
    ):
        assert selector in css
    # The light colours are variables the night rules replace, not fixed values.
    card_rule = css.split("}", 1)[0]
    assert "background-color: var(--viva-bg)" in card_rule and "color: var(--viva-fg)" in card_rule
    night_rule = css[css.index(".card.nightMode") :].split("}", 1)[0]
    assert "--viva-bg: #1e1e1e" in night_rule and "--viva-fg: #e6e6e6" in night_rule
    assert "\ncode {" in css
    assert "#fff" not in css.replace("--viva-bg: #fff", "")


# --- scheduling --------------------------------------------------------------


def _review_state(full_id: str, track: str, now: datetime) -> CardState:
    """A card in review: last seen a week ago, due in five days."""
    card = Card(
        card_id=fsrs_card_id(full_id),
        state=State.Review,
        stability=12.5,
        difficulty=4.25,
        due=now + timedelta(days=5),
        last_review=now - timedelta(days=7),
    )
    return CardState(
        full_id,
        track,
        card,
        created_at=now - timedelta(days=30),
        reviews=4,
        lapses=1,
        last_rating=3,
    )


def _drill(
    raft: Track, now: datetime
) -> tuple[DrillCard, DrillCard, DrillCard, dict[str, CardState]]:
    """Three drilled cards: one in review, one learning, one relearning."""
    reviewed, learning, relearning = select_cards([raft])[:3]
    scheduler = make_scheduler(fuzzing=False)
    with open_store() as store:
        put_states(
            store,
            [
                _review_state(reviewed.id, raft.id, now),
                _review_state(relearning.id, raft.id, now - timedelta(days=5)),
            ],
        )
        rate_card(store, scheduler, learning.id, raft.id, 1, now - timedelta(minutes=1))
        rate_card(store, scheduler, relearning.id, raft.id, 1, now - timedelta(minutes=2))
        states = load_states(store, [raft.id])
    assert states[learning.id].card.state == State.Learning
    assert states[relearning.id].card.state == State.Relearning
    return reviewed, learning, relearning, states


def test_with_scheduling_starts_cards_where_the_drill_is(
    run: Runner, raft: Track, new_collection: Any, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    reviewed, learning, relearning, states = _drill(raft, now)
    deck = tmp_path / "raft.apkg"
    result = run("export", "anki", "go/raft-kv", "--with-scheduling", "-o", str(deck))
    assert result.code == 0, result.err
    col = new_collection()
    import_apkg(col, deck, with_scheduling=True)

    # Review: due on its day (counted from the collection's today), the
    # interval from last review to due, the tallies, and FSRS's memory state.
    card = anki_card(col, reviewed.id)
    assert (card.type, card.queue) == (2, 2)
    assert card.due - col.sched.today == (anki_day(now + timedelta(days=5)) - anki_day(now)).days
    assert card.ivl == 12
    assert (card.reps, card.lapses) == (4, 1)
    assert card.memory_state.stability == pytest.approx(12.5, abs=1e-3)
    assert card.memory_state.difficulty == pytest.approx(4.25, abs=1e-3)
    assert card.last_review_time == int((now - timedelta(days=7)).timestamp())
    data = json.loads(col.db.scalar("SELECT data FROM cards WHERE id = ?", card.id))
    assert data["s"] == pytest.approx(12.5) and data["d"] == pytest.approx(4.25)

    # Learning: Anki's intraday learning queue, due at the step's time.
    state = states[learning.id]
    card = anki_card(col, learning.id)
    assert (card.type, card.queue) == (1, 1)
    assert card.due == int(state.card.due.timestamp())
    assert (card.reps, card.lapses) == (1, 0)
    assert card.memory_state.stability == pytest.approx(state.card.stability, abs=1e-3)
    assert card.memory_state.difficulty == pytest.approx(state.card.difficulty, abs=1e-3)

    # Relearning after a lapse.
    state = states[relearning.id]
    card = anki_card(col, relearning.id)
    assert (card.type, card.queue) == (3, 1)
    assert card.due == int(state.card.due.timestamp())
    assert (card.reps, card.lapses) == (5, 2)
    assert card.ivl >= 1

    # Cards never drilled stay new.
    drilled = {reviewed.id, learning.id, relearning.id}
    for other in select_cards([raft]):
        if other.id not in drilled:
            card = anki_card(col, other.id)
            assert (card.type, card.queue, card.reps) == (0, 0, 0)
            assert card.memory_state is None


def test_without_the_flag_or_anki_scheduling_cards_are_new(
    run: Runner, raft: Track, new_collection: Any, tmp_path: Path
) -> None:
    reviewed, *_ = _drill(raft, datetime.now(UTC))
    plain = tmp_path / "plain.apkg"
    assert run("export", "anki", "go/raft-kv", "-o", str(plain)).code == 0
    col = new_collection()
    import_apkg(col, plain, with_scheduling=True)
    assert col.db.scalar("SELECT count(*) FROM cards WHERE type != 0 OR data LIKE '%\"s\"%'") == 0

    # Anki's own choice: an import without scheduling makes every card new.
    scheduled = tmp_path / "scheduled.apkg"
    assert run("export", "anki", "go/raft-kv", "--with-scheduling", "-o", str(scheduled)).code == 0
    col = new_collection()
    import_apkg(col, scheduled, with_scheduling=False)
    card = anki_card(col, reviewed.id)
    assert (card.type, card.queue, card.reps) == (0, 0, 0)
    assert card.memory_state is None


def test_reimport_updates_notes_and_keeps_anki_scheduling(
    run: Runner, raft: Track, new_collection: Any, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    reviewed, *_ = _drill(raft, now)
    deck = tmp_path / "raft.apkg"
    assert run("export", "anki", "go/raft-kv", "--with-scheduling", "-o", str(deck)).code == 0
    col = new_collection()
    n = len(import_apkg(col, deck).new)
    assert n == col.note_count() == len(select_cards([raft]))
    before = anki_card(col, reviewed.id)

    # The bank text changes and the drill goes on; the newer export updates
    # the note, and Anki keeps the scheduling of a card it already has.
    edited_q = reviewed.question.model_copy(update={"prompt": "Edited: the leader's `fsync`?"})
    edited = dataclasses.replace(
        raft,
        questions=tuple(edited_q if q.id == reviewed.question.id else q for q in raft.questions),
    )
    with open_store() as store:
        rate_card(store, make_scheduler(False), reviewed.id, raft.id, 3, now)
        states = load_states(store, [raft.id])
    write_apkg(deck, [edited], select_cards([edited]), now + timedelta(seconds=5), states)
    log = import_apkg(col, deck)
    assert len(log.new) == 0 and len(log.updated) == n
    assert col.note_count() == n and col.card_count() == n
    after = anki_card(col, reviewed.id)
    assert after.note()["Prompt"] == "Edited: the leader's <code>fsync</code>?"
    assert (after.id, after.due, after.reps) == (before.id, before.due, before.reps)


def test_with_scheduling_and_no_drill_history_makes_no_store(
    run: Runner, viva_home: Path, new_collection: Any, tmp_path: Path
) -> None:
    from viva.store.database import default_store_path

    deck = tmp_path / "raft.apkg"
    result = run("export", "anki", "go/raft-kv", "--with-scheduling", "-o", str(deck))
    assert result.code == 0, result.err
    assert not default_store_path().exists()
    col = new_collection()
    import_apkg(col, deck)
    assert col.db.scalar("SELECT count(*) FROM cards WHERE type != 0") == 0


# --- the command -------------------------------------------------------------


def test_help_has_examples(run: Runner) -> None:
    result = run("export", "anki", "--help")
    assert result.code == 0
    lines = result.out.splitlines()
    at = lines.index("  Examples:")
    assert lines[at + 1 : at + 4] == [
        "",
        "    viva export anki -o raft.apkg go/raft-kv",
        "    viva export anki -o all.apkg --with-scheduling",
    ]
    assert "--with-scheduling" in result.out and "\b" not in result.out


def test_tracks_complete_in_the_shell() -> None:
    from typer.main import get_command

    from viva.cli.export import export_app

    group: Any = get_command(export_app)
    for name in ("anki", "markdown", "json"):
        command = group.commands[name]
        param = next(p for p in command.params if p.name == "tracks")
        ctx = command.make_context(name, ["-o", "x.apkg"], resilient_parsing=True)
        offered = [item.value for item in param.shell_complete(ctx, "go/raf")]
        assert offered == ["go/raft-kv"]
