"""Bank text, answers and names never act on the terminal or reorder a page.

Banks and catalogs with control or bidi characters are refused where they are
(file:line); a name with them is a usage error; what is already stored (an
older store, a hostile one) is printed with those characters made visible.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import FakeClock, start_live
from viva.catalog.loader import load_catalog
from viva.rehearsal.plain import run_plain
from viva.rehearsal.session import LiveSession
from viva.store.database import open_store
from viva.text import printable, unsafe_characters

HOSTILE = (
    "\x1b]0;TITLE\x07 \x1b[2J\x1b[H \x1b]52;c;cHduZWQ=\x07 \x1b]8;;http://evil.example/\x07LINK"
)
RLO_NAME = "Ann \u202eecilA"


def test_printable_shows_controls_and_keeps_newlines() -> None:
    shown = printable(HOSTILE + "\nline two\tafter a tab \x9b \u202e")
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\u202e" not in shown
    assert "␛]0;TITLE␇" in shown and "\\x9b" in shown and "\\u202e" in shown
    assert "\nline two\tafter a tab" in shown
    assert unsafe_characters(shown) == []


def test_a_bank_prompt_with_escapes_is_refused_at_its_line(run: Runner, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "question_banks/go/raft-kv.yaml"
    text = source.read_text()
    start = text.index("    prompt: >-\n")
    bank = tmp_path / "raft-kv.yaml"
    bank.write_text(
        text[:start]
        + '    prompt: "What \\e]0;TITLE\\a \\e[2J happens?"\n'
        + text[start:].split("\n", 3)[3]
    )
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    line = text[:start].count("\n") + 1
    assert f"{bank}:{line}: questions[0].prompt: holds ESC (U+001B), BEL (U+0007)" in result.out
    assert "\x1b" not in result.out + result.err


@pytest.mark.parametrize(
    "name", [HOSTILE, RLO_NAME, "Eve\rMallory", "Eve\nMallory", "Eve\tMallory", "Eve\u200b"]
)
def test_a_name_with_controls_or_bidi_is_a_usage_error(run: Runner, name: str) -> None:
    result = run("rehearse", "go/raft-kv", "--plain", "--seed", "1", "--candidate", name)
    assert result.code == 2
    assert "a name may not hold control, format or bidi characters" in result.err
    assert "\x1b" not in result.err and "\u202e" not in result.err


def _stored_session(tmp_path: Path, candidate: str, answer: str) -> LiveSession:
    """A session as an older or hostile store could hold it."""
    clock = FakeClock()
    live = start_live(open_store(), candidate=candidate, clock=clock)
    clock.advance(30)
    live.act("answer", text=answer)
    live.act("draft", text=answer)
    return live


def test_stored_names_and_answers_are_shown_visibly(run: Runner, tmp_path: Path) -> None:
    live = _stored_session(tmp_path, HOSTILE, "my answer " + HOSTILE)
    report = run("report", live.id)
    assert report.code == 0, report.err
    assert "\x1b]" not in report.out and "\x07" not in report.out
    assert "␛]0;TITLE␇" in report.out
    # plain mode restores the draft without sending it to the terminal raw
    out = io.StringIO()
    again = LiveSession.reopen(live.store, live.id, FakeClock().clock())
    run_plain(again, load_catalog().tracks["go/raft-kv"], iter([":quit\n"]).__next__, out)
    assert "\x1b" not in out.getvalue() and "| my answer ␛]0;TITLE␇" in out.getvalue()


def test_a_right_to_left_override_in_a_stored_name_is_shown_in_the_packet(
    run: Runner, tmp_path: Path
) -> None:
    live = _stored_session(tmp_path, RLO_NAME, "answer \u202etxet")
    out = tmp_path / "p.html"
    result = run("packet", live.id, "--html", "-o", str(out))
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert "\u202e" not in html
    assert "Ann \\u202eecilA" in html and "answer \\u202etxet" in html
