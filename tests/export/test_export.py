"""Exports: an Anki deck that re-imports without duplicates, Markdown and JSON."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner
from viva.catalog.loader import load_catalog
from viva.drill.cards import select_cards
from viva.drill.scheduler import make_scheduler
from viva.drill.state import rate_card
from viva.export.anki import ANKI_MODEL_ID, anki_deck_id, anki_guid, write_apkg
from viva.export.markdown import md_text, render_markdown
from viva.store.database import open_store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def collection(tmp_path: Path) -> Any:
    from anki.collection import Collection

    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_apkg(col: Any, path: Path) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True),
    )
    return col.import_anki_package(request).log


def failure_count(*track_ids: str) -> int:
    """The default cards (failure scenarios and must questions), as `viva drill --all` has them."""
    tracks = load_catalog().tracks
    return len(select_cards([tracks[t] for t in track_ids]))


def test_anki_deck_imports_once_and_reimports_without_duplicates(
    run: Runner, collection: Any, tmp_path: Path
) -> None:
    deck = tmp_path / "viva.apkg"
    n = failure_count("go/raft-kv", "rust/matching-engine")
    result = run("export", "anki", "go/raft-kv", "matching-engine", "-o", str(deck))
    assert result.code == 0, result.err
    assert f"wrote {n} notes in 2 decks to {deck}" in result.err  # status goes to stderr
    first = import_apkg(collection, deck)
    assert len(first.new) == n
    assert collection.note_count() == n
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"viva::go::raft-kv", "viva::rust::matching-engine"} <= names

    again = run("export", "anki", "go/raft-kv", "matching-engine", "-o", str(deck))
    assert again.code == 0, again.err
    second = import_apkg(collection, deck)
    assert len(second.new) == 0
    assert len(second.updated) + len(second.duplicate) == n
    assert collection.note_count() == n

    # The stable ids: a note's GUID is derived from its question id.
    raft = load_catalog().tracks["go/raft-kv"]
    q = next(q for q in raft.questions if q.kind == "failure-scenario")
    note_ids = collection.find_notes(f'"Id:go/raft-kv/{q.id}"')
    assert len(note_ids) == 1
    note = collection.get_note(note_ids[0])
    assert note.guid == anki_guid(f"go/raft-kv/{q.id}")
    assert note.note_type()["id"] == ANKI_MODEL_ID


def test_an_edited_prompt_updates_the_note(collection: Any, tmp_path: Path) -> None:
    raft = load_catalog().tracks["go/raft-kv"]
    cards = select_cards([raft])
    deck = tmp_path / "raft.apkg"
    assert write_apkg(deck, [raft], cards, T0) == len(cards)
    assert len(import_apkg(collection, deck).new) == len(cards)
    target = cards[0].question
    edited_q = target.model_copy(update={"prompt": "Edited <b>prompt</b> & more"})
    edited = dataclasses.replace(
        raft, questions=tuple(edited_q if q.id == target.id else q for q in raft.questions)
    )
    write_apkg(deck, [edited], select_cards([edited]), T0 + timedelta(days=1))
    log = import_apkg(collection, deck)
    assert len(log.new) == 0 and len(log.updated) == len(cards)
    (nid,) = collection.find_notes(f'"Id:go/raft-kv/{target.id}"')
    assert collection.get_note(nid)["Prompt"] == "Edited &lt;b&gt;prompt&lt;/b&gt; &amp; more"
    assert collection.note_count() == len(cards)


def test_anki_ids_are_fixed() -> None:
    assert anki_deck_id("go/raft-kv") == anki_deck_id("go/raft-kv")
    assert anki_deck_id("go/raft-kv") != anki_deck_id("java/raft-kv")
    assert (1 << 30) <= anki_deck_id("go/raft-kv") < (1 << 31)
    assert anki_guid("go/raft-kv/a") == anki_guid("go/raft-kv/a") != anki_guid("java/raft-kv/a")


def test_anki_export_needs_an_apkg_name(run: Runner, tmp_path: Path) -> None:
    result = run("export", "anki", "go/raft-kv", "-o", str(tmp_path / "deck.zip"))
    assert result.code == 2 and "needs the .apkg suffix" in result.err
    assert not (tmp_path / "deck.zip").exists()


def test_anki_package_is_a_valid_zip(run: Runner, tmp_path: Path) -> None:
    deck = tmp_path / "out" / "all.apkg"
    result = run("export", "anki", "-o", str(deck), "--category", "security")
    assert result.code == 0, result.err
    with zipfile.ZipFile(deck) as z:
        assert "collection.anki2" in z.namelist()
    assert [p.name for p in deck.parent.iterdir()] == ["all.apkg"]  # no temp files left


def test_markdown_export(run: Runner, tmp_path: Path) -> None:
    result = run("export", "markdown", "go/raft-kv")
    assert result.code == 0, result.err
    text = result.out
    assert text.startswith("# Defense questions\n")
    assert "## Distributed Storage" in text
    assert text.count("\n### ") == failure_count("go/raft-kv")
    assert "**Key points**" in text and "**Follow-up 1.**" in text
    out = tmp_path / "raft.md"
    assert run("export", "markdown", "go/raft-kv", "--all-questions", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").count("\n### ") == len(
        load_catalog().tracks["go/raft-kv"].questions
    )


def test_markdown_keeps_bank_text_literal() -> None:
    assert md_text("a <script> [link](x) *b* #c") == r"a \<script> \[link\](x) \*b\* #c"
    assert md_text("the `raft.Storage` interface, snake_case") == (
        "the `raft.Storage` interface, snake_case"
    )
    raft = load_catalog().tracks["go/raft-kv"]
    q = raft.questions[0].model_copy(update={"prompt": "# not a heading\n  <i>x</i>"})
    doc = render_markdown([raft], [select_cards([raft])[0].__class__(raft.id, q)])
    assert r"### 1. \# not a heading \<i>x\</i>" in doc


def test_json_export_has_questions_and_drill_state(run: Runner) -> None:
    raft = load_catalog().tracks["go/raft-kv"]
    first = select_cards([raft])[0]
    with open_store() as store:
        rate_card(store, make_scheduler(False), first.id, raft.id, 3, T0, answer="x")
        rate_card(store, make_scheduler(False), "go/raft-kv/removed-one", raft.id, 2, T0)
    result = run("export", "json", "go/raft-kv")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["format"] == "viva-export/1"
    (track,) = data["tracks"]
    assert track["id"] == "go/raft-kv"
    assert len(track["questions"]) == failure_count("go/raft-kv")
    by_id = {q["id"]: q for q in track["questions"]}
    drilled = by_id[first.question.id]
    assert set(drilled) >= {"id", "category", "kind", "prompt", "key_points", "follow_ups"}
    assert drilled["drill"]["reviews"] == 1 and drilled["drill"]["last_rating"] == 3
    assert drilled["drill"]["stage"] == "learning"
    assert all(q["drill"] is None for q in track["questions"] if q["id"] != first.question.id)
    assert list(data["retired"]) == ["go/raft-kv/removed-one"]
    assert [r["card"] for r in data["reviews"]] == [first.id, "go/raft-kv/removed-one"]
