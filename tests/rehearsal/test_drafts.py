"""Plain mode journals each answer line as it arrives, so what the store holds
grows with what was typed (not with its square), and a resume restores it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers import play_plain
from viva.rehearsal.session import LiveSession, replay


def _paste(tmp_path: Path, lines: list[str], end: str) -> LiveSession:
    return play_plain(tmp_path / "viva.db", [*lines, end])[0]


def _stored_text_bytes(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT SUM(LENGTH(data)) FROM events").fetchone()[0])


def test_a_pasted_answer_is_stored_in_linear_space(tmp_path: Path) -> None:
    lines = [f"line {i:04d} of a long pasted answer, with some words in it" for i in range(1000)]
    typed = sum(len(line) + 1 for line in lines)
    live = _paste(tmp_path, lines, ".")
    answer = live.report().to_json()["sections"][0]["questions"][0]["answer"]
    assert answer == "\n".join(lines)
    # every line once as it came, the answer once, and small JSON overheads
    assert _stored_text_bytes(tmp_path / "viva.db") < 3 * typed


def test_a_draft_with_blank_lines_is_restored_exactly(tmp_path: Path) -> None:
    lines = ["", "first thought", "", "  indented second"]
    live = _paste(tmp_path, lines, ":quit")
    back = replay(live.store, live.store.session(live.id))
    cur = back.current()
    assert cur is not None and cur[1].draft == "\n".join(lines)


def test_history_replays_without_the_drafts(tmp_path: Path) -> None:
    live = _paste(tmp_path, ["draft only"], ":quit")
    full = live.store.events(live.id)
    light = live.store.events(live.id, skip=("draft", "draft_line"))
    assert [e.kind for e in full if e.kind == "draft_line"] == ["draft_line"]
    assert all(e.kind not in ("draft", "draft_line") for e in light)
    assert len(light) == len(full) - 1
