"""`viva import json`: drill state back from a `viva-export/1` file, checked
first, in one transaction, and the same after an export round trip."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner
from viva.catalog.loader import load_catalog
from viva.drill.cards import select_cards
from viva.drill.scheduler import make_scheduler
from viva.drill.state import rate_card
from viva.store.database import open_store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_fuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIVA_FSRS_FUZZ", "0")


def drill_states(export: dict[str, Any]) -> dict[str, Any]:
    """Each question's drill state, without the recall predicted at export time."""
    out = {}
    for track in export["tracks"]:
        for q in track["questions"]:
            state = q["drill"]
            if state is not None:
                state = {k: v for k, v in state.items() if k != "recall_now"}
            out[f"{track['id']}/{q['id']}"] = state
    return out


def card_rows(home: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "viva.db") as conn:
        return conn.execute(
            "SELECT id, track, card, reviews, lapses, last_rating, created_at "
            "FROM drill_cards ORDER BY id"
        ).fetchall()


def review_rows(home: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "viva.db") as conn:
        return conn.execute(
            "SELECT card_id, track, rating, reviewed_at, duration_ms, source, answer "
            "FROM drill_reviews ORDER BY reviewed_at, id"
        ).fetchall()


def drill_some(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drill in plain mode, then a few ratings that leave cards in every stage."""
    monkeypatch.setattr("sys.stdin", io.StringIO(".\n3\n.\n1\n.\n4\n"))
    drilled = run("drill", "go/raft-kv", "--plain", "--limit", "3")
    assert drilled.code == 0, drilled.err
    raft = load_catalog().tracks["go/raft-kv"]
    cards = select_cards([raft])
    scheduler = make_scheduler(False)
    with open_store() as store:
        # learning step 1 (good once), relearning (a lapse after review), review
        rate_card(store, scheduler, cards[3].id, raft.id, 3, T0, answer="an answer")
        rate_card(store, scheduler, cards[4].id, raft.id, 4, T0, duration_ms=1500)
        rate_card(store, scheduler, cards[4].id, raft.id, 1, T0 + timedelta(days=9))
        rate_card(store, scheduler, cards[5].id, raft.id, 2, T0)
        rate_card(store, scheduler, cards[5].id, raft.id, 3, T0 + timedelta(minutes=6))


def test_round_trip_restores_the_same_drill_states(
    run: Runner, tmp_path: Path, viva_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drill_some(run, monkeypatch)
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).code == 0
    first = json.loads(exported.read_text(encoding="utf-8"))
    stages = {s["stage"] for s in drill_states(first).values() if s}
    assert {"learning", "review", "relearning"} <= stages

    fresh = tmp_path / "fresh-home"
    monkeypatch.setenv("VIVA_HOME", str(fresh))
    result = run("import", "json", str(exported))
    assert result.code == 0, result.err
    n = sum(1 for s in drill_states(first).values() if s)
    assert result.out == ""
    assert f"restored {n} card states and {len(first['reviews'])} reviews" in result.err

    again = run("export", "json")
    assert again.code == 0, again.err
    second = json.loads(again.out)
    assert drill_states(second) == drill_states(first)
    assert second["reviews"] == first["reviews"]
    # the store holds exactly what the first one did (FSRS step and creation time too)
    assert card_rows(fresh) == card_rows(viva_home)
    assert review_rows(fresh) == review_rows(viva_home)


def test_importing_the_same_file_twice_changes_nothing(
    run: Runner, tmp_path: Path, viva_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drill_some(run, monkeypatch)
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).code == 0
    rows, reviews = card_rows(viva_home), review_rows(viva_home)
    result = run("import", "json", str(exported))
    assert result.code == 0, result.err
    assert "restored 0 card states and 0 reviews" in result.err
    assert "already as in the file: not changed" in result.err
    assert "already in the log: not added" in result.err
    assert card_rows(viva_home) == rows and review_rows(viva_home) == reviews


def test_a_more_recent_local_state_is_kept(run: Runner, tmp_path: Path, viva_home: Path) -> None:
    raft = load_catalog().tracks["go/raft-kv"]
    card = select_cards([raft])[0]
    scheduler = make_scheduler(False)
    with open_store() as store:
        rate_card(store, scheduler, card.id, raft.id, 3, T0)
    exported = tmp_path / "old.json"
    assert run("export", "json", "-o", str(exported)).code == 0
    with open_store() as store:
        rate_card(store, scheduler, card.id, raft.id, 3, T0 + timedelta(days=1))
    rows = card_rows(viva_home)
    result = run("import", "json", str(exported))
    assert result.code == 0, result.err
    assert "kept 1 card state the store has reviewed more recently" in result.err
    assert card_rows(viva_home) == rows


def test_states_of_questions_this_catalog_lacks_are_skipped(
    run: Runner, tmp_path: Path, viva_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raft = load_catalog().tracks["go/raft-kv"]
    with open_store() as store:
        rate_card(store, make_scheduler(False), "go/raft-kv/gone-question", raft.id, 2, T0)
    exported = tmp_path / "x.json"
    assert run("export", "json", "go/raft-kv", "-o", str(exported)).code == 0
    assert list(json.loads(exported.read_text(encoding="utf-8"))["retired"]) == [
        "go/raft-kv/gone-question"
    ]
    monkeypatch.setenv("VIVA_HOME", str(tmp_path / "fresh"))
    result = run("import", "json", str(exported))
    assert result.code == 0, result.err
    assert "restored 0 card states and 0 reviews" in result.err
    assert "skipped 1 card state and 1 review of questions this catalog does not have" in result.err


def _export(run: Runner, tmp_path: Path) -> dict[str, Any]:
    raft = load_catalog().tracks["go/raft-kv"]
    card = select_cards([raft])[0]
    with open_store() as store:
        rate_card(store, make_scheduler(False), card.id, raft.id, 3, T0)
    result = run("export", "json", "go/raft-kv")
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "viva-export/1",\n "tracks": [}', "{f}:2: not valid JSON: Expecting value"),
        ("[1, 2]", "{f}: $: expected a JSON object"),
        ('{"tracks": []}', "{f}: $.format: not a viva export: expected 'viva-export/1', it has"),
        ('{"format": "anki"}', "{f}: $.format: not a viva export: expected 'viva-export/1', got"),
        ('{"format": "viva-export/1"}', "{f}: $.tracks: Field required"),
        ("\xff\xfe", "{f}: not UTF-8 text"),
    ],
)
def test_bad_files_are_one_clear_message_and_change_nothing(
    run: Runner, tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(text.encode("latin-1"))
    result = run("import", "json", str(bad))
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: " + message.format(f=bad)), lines
    assert "Traceback" not in result.err


def test_a_bad_value_is_named_by_its_json_path_and_nothing_is_restored(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(run, tmp_path)
    drilled = next(i for i, q in enumerate(data["tracks"][0]["questions"]) if q["drill"])
    data["tracks"][0]["questions"][drilled]["drill"]["due"] = "tomorrow"
    data["reviews"][0]["rating"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("VIVA_HOME", str(fresh))
    result = run("import", "json", str(bad))
    assert result.code == 1
    assert result.err.startswith(
        f"error: {bad}: $.tracks[0].questions[{drilled}].drill.due: Input should be a valid "
    )
    assert "(and 1 more problem)" in result.err
    assert not (fresh / "viva.db").exists()


def test_the_export_matches_its_published_schema(run: Runner, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    from viva.schemas import load_schema

    data = _export(run, tmp_path)
    validator = Draft202012Validator(load_schema("export"))
    assert [e.message for e in validator.iter_errors(data)] == []
    data["format"] = "viva-export/2"
    assert list(validator.iter_errors(data))


def test_unknown_keys_of_a_later_export_are_ignored(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(run, tmp_path)
    data["added_later"] = {"x": 1}
    for q in data["tracks"][0]["questions"]:
        q["new_field"] = True
    path = tmp_path / "later.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("VIVA_HOME", str(tmp_path / "fresh"))
    result = run("import", "json", str(path))
    assert result.code == 0, result.err
    assert "restored 1 card state and 1 review" in result.err


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("stability", -5, "Input should be greater than 0"),
        ("difficulty", 99, "Input should be less than or equal to 10"),
        ("difficulty", 0.5, "Input should be greater than or equal to 1"),
    ],
)
def test_impossible_fsrs_values_are_refused_before_anything_is_restored(
    run: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    value: float,
    says: str,
) -> None:
    """A state FSRS cannot schedule (negative stability, difficulty off its 1-10
    scale) would break `viva drill` later: it is refused on import."""
    data = _export(run, tmp_path)
    drilled = next(i for i, q in enumerate(data["tracks"][0]["questions"]) if q["drill"])
    data["tracks"][0]["questions"][drilled]["drill"][field] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("VIVA_HOME", str(fresh))
    result = run("import", "json", str(bad))
    assert result.code == 1
    assert f"$.tracks[0].questions[{drilled}].drill.{field}: {says}" in result.err
    assert not (fresh / "viva.db").exists()
