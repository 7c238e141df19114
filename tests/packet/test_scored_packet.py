"""``viva packet SESSION --kind scored`` and the reviewer packet's rubric and note
boxes: real WeasyPrint PDFs, read back with pypdf.

A reviewed session is recorded the way a live reviewer records one (scores,
notes, follow-ups asked, a category score, a verdict; a transcript for one
answer); what the scored packet prints must be what was entered, user text
printed literally and nothing fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ContentStream

from tests.conftest import Runner
from tests.helpers import FakeClock
from tests.packet.test_packet import (  # noqa: F401  - the autouse no_weasyprint_warnings
    LONG_LINE,
    TRACK,
    Listener,
    long_line_in,
    no_weasyprint_warnings,
    pdf_text,
    planned_prompts,
    record_session,
    squash,
)
from viva.catalog.loader import load_catalog
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.report import Report
from viva.rehearsal.session import LiveSession, session_report
from viva.speech.figures import SpeechFigures
from viva.store.database import open_store

SEED = 7
MARKUP_NOTE = "Said <b>quorum</b> & meant majority"
VERDICT = "Pass, with reservations: <i>snapshots</i> & partitions need work.\nSecond line."
TRANSCRIPT = "the leader appends to its log then replicates to a quorum of followers"
TYPED = "Typed by the reviewer: Pebble, for group commit."


@dataclass
class Review:
    """What the reviewer entered, to compare the packet with."""

    session: str
    scores: dict[str, int] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    asked: dict[str, list[str]] = field(default_factory=dict)
    given: tuple[str, int] = ("", 0)
    spoken: str = ""
    typed: str = ""


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback listener: a packet that fetched anything would connect to it."""
    server = Listener()
    yield server
    server.close()


def record_review(port: int = 9, scored: int = 6) -> Review:
    """A reviewed go/raft-kv defense: the first ``scored`` questions scored 1, 2, ...,
    each with a note (the second with markup and a link that must not be
    fetched), follow-up 1 asked where there is one, a transcript of the second
    answer, a typed third answer, a category score and a verdict."""
    catalog = load_catalog()
    agenda = draw_agenda(catalog, catalog.tracks[TRACK], 45, SEED)
    clock = FakeClock()
    with open_store() as store:
        live = LiveSession.start(store, agenda, "Ada Lovelace", clock.clock(), mode="review")
        review = Review(live.id)
        for i in range(scored):
            current = live.rehearsal.current()
            assert current is not None
            q = current[1]
            clock.advance(120)
            if q.planned.follow_ups:
                live.act("asked", question=q.id, follow_up=1)
                review.asked[q.id] = [q.planned.follow_ups[0]]
            notes = [f"Note {i + 1} on {q.id}"]
            if i == 1:
                notes = [
                    "A first note, on its own line.",
                    f'{MARKUP_NOTE} <img src="http://127.0.0.1:{port}/n.png">',
                ]
            for note in notes:
                live.act("note", question=q.id, text=note)
            review.notes[q.id] = notes
            live.act("score", question=q.id, score=1 + i % 5)
            review.scores[q.id] = 1 + i % 5
            if i == 1:
                figures = SpeechFigures("whisper", TRANSCRIPT, 60.0, 48.0, 12, 1.4, {"um": 1})
                live.act("transcript", question=q.id, **figures.event_data())
                review.spoken = q.id
            typed = TYPED if i == 2 else ""
            if typed:
                review.typed = q.id
            live.act("answer", text=typed)
        category = agenda.questions[1].category
        live.act("category_score", category=category, score=4)
        review.given = (category, 4)
        live.act("verdict", text=VERDICT)
        live.act("end")
    return review


def report_of(session: str) -> Report:
    with open_store() as store:
        return session_report(store, session)


def rubric_label(category: str, score: int) -> str:
    level = next(r for r in load_catalog().categories[category].rubric if r.score == score)
    return f"{score} · {level.label}"


def number(value: float | None) -> str:
    """A score as the scoring sheet prints it: ``4``, ``3.5``, ``2.33`` (``—``: none)."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


# --- the scored packet --------------------------------------------------------


def test_scored_packet_prints_what_the_reviewer_entered(
    run: Runner, tmp_path: Path, listener: Listener
) -> None:
    review = record_review(listener.port)
    report = report_of(review.session)
    assert report.reviewed
    out = tmp_path / "scored.pdf"
    result = run("packet", review.session, "--kind", "scored", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    reader, text = pdf_text(out)
    flat = squash(text)
    assert "SCORED PACKET" in text and "Scoring sheet" in text and "Verdict" in text

    # Each question's block, from its prompt to the next one's, holds its score
    # (with the rubric label and that level's descriptor), notes and follow-ups.
    questions = report.questions
    starts = [flat.index(squash(q.prompt)) for q in questions]
    assert starts == sorted(starts), "the questions in agenda order"
    catalog = load_catalog()
    for i, q in enumerate(questions):
        block = flat[starts[i] : starts[i + 1] if i + 1 < len(starts) else len(flat)]
        entered = review.scores.get(q.question_id)
        assert q.score == entered
        if entered is None:
            assert "Notscored." in block, q.question_id
            continue
        level = next(r for r in catalog.categories[q.category].rubric if r.score == entered)
        assert squash(f"Score {rubric_label(q.category, entered)} {level.descriptor}") in block
        assert list(q.notes) == review.notes[q.question_id]
        at = [block.index(squash(note)) for note in q.notes]
        assert at == sorted(at) and at[0] > block.index("REVIEWER'SNOTES"), q.notes
        asked = review.asked.get(q.question_id, [])
        assert list(q.follow_ups_asked) == asked
        if asked:
            assert block.index(squash(asked[0])) > block.index("FOLLOW-UPSASKED")
        else:
            assert "FOLLOW-UPSASKEDNone." in block
        # The transcript shows where the answer was recorded, the typed answer where typed.
        assert ("TRANSCRIPT" in block) == (q.question_id == review.spoken)
        assert ("TYPEDANSWER" in block) == (q.question_id == review.typed)
    spoken = next(q for q in questions if q.question_id == review.spoken)
    assert spoken.speech is not None and spoken.speech.text == TRANSCRIPT
    assert squash("TRANSCRIPT Spoken: 0:48 speaking of") in flat
    assert squash(TRANSCRIPT) in flat and squash(TYPED) in flat
    # Markup in a note is printed as it was typed, and its image is never fetched.
    assert squash(MARKUP_NOTE) in flat
    assert listener.hits == 0

    # The scoring sheet: per category, the questions, how many were scored, the
    # mean of their scores, the summary score and where it comes from.
    assert report.category_scores
    numbers = {q.question_id: n for n, q in enumerate(questions, 1)}
    for c in report.category_scores:
        asked_numbers = [
            numbers[q.question_id]
            for q in questions
            if q.category == c.category and (not q.opening or q.score is not None)
        ]
        summary = (
            rubric_label(c.category, int(c.score))
            if c.score is not None and float(c.score).is_integer()
            else number(c.score)
        )
        source = (
            "given by the reviewer"
            if c.given
            else "mean of the question scores"
            if c.score is not None
            else "no score"
        )
        row = " ".join(
            [
                catalog.categories[c.category].title,
                ", ".join(f"Q{n}" for n in asked_numbers) or "—",
                str(c.questions_scored),
                number(c.mean),
                summary,
                source,
            ]
        )
        assert squash(row) in flat, row
    category, given = review.given
    (chosen,) = [c for c in report.category_scores if c.category == category]
    assert chosen.given and chosen.score == given
    assert squash(f"{rubric_label(category, given)} given by the reviewer") in flat
    scored = len(review.scores)
    assert squash(f"{scored} of {len(questions)} questions scored") in flat

    # The verdict, markup and line break as written.
    assert squash(VERDICT) in flat
    page = next(p.extract_text() for p in reader.pages if "Verdict" in p.extract_text())
    assert "Pass, with reservations: <i>snapshots</i> & partitions need work." in page
    assert "Second line." in page


def test_scored_packet_html_escapes_every_user_text(run: Runner, tmp_path: Path) -> None:
    review = record_review()
    out = tmp_path / "scored.html"
    result = run("packet", review.session, "--kind", "scored", "--html", "-o", str(out))
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert "Said &lt;b&gt;quorum&lt;/b&gt; &amp; meant majority" in html
    assert "&lt;i&gt;snapshots&lt;/i&gt; &amp; partitions" in html
    assert "<b>quorum</b>" not in html and "<i>snapshots</i>" not in html
    assert "<img" not in html and '<link rel="attachment"' not in html


def test_a_long_note_wraps_and_template_syntax_is_data(run: Runner, tmp_path: Path) -> None:
    """A 20,000-character note runs on over the pages, whole; a verdict that looks
    like a template is printed as written, never run."""
    catalog = load_catalog()
    agenda = draw_agenda(catalog, catalog.tracks[TRACK], 45, SEED)
    with open_store() as store:
        live = LiveSession.start(store, agenda, None, FakeClock().clock(), mode="review")
        current = live.rehearsal.current()
        assert current is not None
        live.act("note", question=current[1].id, text=LONG_LINE)
        live.act("score", question=current[1].id, score=3)
        live.act("verdict", text="{{ 7*7000 }} {% if true %}x{% endif %}")
        live.act("end")
    out = tmp_path / "long.pdf"
    result = run("packet", live.id, "--kind", "scored", "-o", str(out))
    assert result.code == 0, result.err
    reader, text = pdf_text(out)
    assert long_line_in(reader) == LONG_LINE
    assert "{{ 7*7000 }} {% if true %}x{% endif %}" in text and "49000" not in text


def test_scored_packet_default_name(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = record_review(scored=2)
    monkeypatch.chdir(tmp_path)
    result = run("packet", review.session, "--kind", "scored", "--html")
    assert result.code == 0, result.err
    assert result.out.strip() == f"viva-go-raft-kv-{review.session}-scored.html"


def test_the_reviewer_packet_of_a_reviewed_session_still_prints(
    run: Runner, tmp_path: Path
) -> None:
    review = record_review(scored=3)
    for kind in ("reviewer", "candidate"):
        out = tmp_path / f"{kind}.pdf"
        result = run("packet", review.session, "--kind", kind, "-o", str(out))
        assert result.code == 0, (kind, result.err)
        _, text = pdf_text(out)
        assert squash(TYPED) in squash(text), kind


def test_scored_needs_a_reviewed_session(run: Runner, tmp_path: Path) -> None:
    session = record_session(["An answer.", "Another."])
    out = tmp_path / "scored.pdf"
    result = run("packet", session, "--kind", "scored", "-o", str(out))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert f"session {session} is a rehearsal, not a reviewed defense" in lines[0]
    assert "--kind scored" in lines[0] and "Traceback" not in result.err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--track", TRACK, "--kind", "scored"), "a scored packet needs a reviewed SESSION"),
        (("some-session", "--kind", "scored", "--notes", "large"), "the scored packet has none"),
        (
            ("some-session", "--kind", "candidate", "--notes", "large"),
            "the candidate packet has none",
        ),
        (("--track", TRACK, "--notes", "huge"), "Invalid value for '--notes'"),
    ],
)
def test_bad_scored_and_notes_options_are_usage_errors(
    run: Runner, args: tuple[str, ...], message: str
) -> None:
    result = run("packet", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_help_documents_scored_and_notes(run: Runner) -> None:
    out = run("packet", "--help").out
    assert "--kind scored" in out and "--notes" in out and "large" in out
    _, _, examples = out.partition("Examples:\n")
    lines = [ln.strip() for ln in examples.strip().split("\n\n")[0].splitlines()]
    assert any(ln.startswith("viva packet") and "--kind scored" in ln for ln in lines), lines
    assert any(ln.startswith("viva packet") and "--notes large" in ln for ln in lines), lines


# --- the blank reviewer packet: the rubric beside each question, large notes ----

_HEADER = re.compile(r"^Q(\d+) .*· \d+ MIN$", re.MULTILINE)


def questions_per_page(reader: pypdf.PdfReader) -> list[list[int]]:
    """The question numbers whose header is on each page (a question is headed once)."""
    return [[int(n) for n in _HEADER.findall(page.extract_text())] for page in reader.pages]


def note_box_heights(reader: pypdf.PdfReader) -> list[float]:
    """The height of every note box (the packet's only dashed boxes), as a share of
    its page's height: read from the PDF's drawing operations, each box's left
    and right sides being a vertical dashed line."""
    heights: list[float] = []
    for page in reader.pages:
        ops = ContentStream(page.get_contents(), reader).operations
        scale, dashed = 1.0, False
        saved: list[tuple[float, bool]] = []
        sides: list[float] = []
        for i, (args, op) in enumerate(ops):
            if op == b"q":
                saved.append((scale, dashed))
            elif op == b"Q":
                scale, dashed = saved.pop()
            elif op == b"cm":
                scale *= abs(float(args[3]))
            elif op == b"d":
                dashed = bool(args[0])
            elif op == b"m" and dashed and i + 1 < len(ops) and ops[i + 1][1] == b"l":
                (x1, y1), (x2, y2) = args, ops[i + 1][0]
                if abs(float(x1) - float(x2)) < 0.01:
                    sides.append(abs(float(y2) - float(y1)) * scale)
        height = float(page.mediabox.height)
        heights += [side / height for side in sides[::2]]
    return heights


def test_the_rubric_of_its_category_is_printed_beside_each_question(
    run: Runner, tmp_path: Path
) -> None:
    out = tmp_path / "blank.pdf"
    result = run("packet", "--track", TRACK, "--seed", str(SEED), "-o", str(out))
    assert result.code == 0, result.err
    reader, _ = pdf_text(out)
    catalog = load_catalog()
    agenda = draw_agenda(catalog, catalog.tracks[TRACK], 45, SEED)
    per_page = questions_per_page(reader)
    assert sorted(n for page in per_page for n in page) == list(range(1, len(agenda.questions) + 1))
    # The question pages' text, from each question's header to the next one's.
    first = next(i for i, page in enumerate(per_page) if page)
    body = "\n".join(p.extract_text() for p in reader.pages[first:]).split("Scoring summary")[0]
    heads = list(_HEADER.finditer(body))
    for i, (head, q) in enumerate(zip(heads, agenda.questions, strict=True)):
        block = squash(body[head.start() : heads[i + 1].start() if i + 1 < len(heads) else None])
        category = catalog.categories[q.category]
        assert squash(f"RUBRIC · {category.title.upper()}") in block, q.id
        assert squash(q.prompt) in block
        for level in category.rubric:
            assert squash(f"{level.score} {level.label} — {level.descriptor}") in block, (
                q.id,
                level.score,
            )


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_large_notes_give_each_question_a_third_of_a_page(
    run: Runner, tmp_path: Path, paper: str
) -> None:
    pages: dict[str, int] = {}
    layout: dict[str, list[list[int]]] = {}
    boxes: dict[str, list[float]] = {}
    for notes in ("normal", "large"):
        out = tmp_path / f"{notes}.pdf"
        result = run("packet", "--track", TRACK, "--seed", str(SEED), "--paper", paper,
                     "--notes", notes, "-o", str(out))  # fmt: skip
        assert result.code == 0, result.err
        reader, text = pdf_text(out)
        pages[notes] = len(reader.pages)
        layout[notes] = questions_per_page(reader)
        boxes[notes] = note_box_heights(reader)
        flat = squash(text)
        for prompt in planned_prompts(SEED):
            assert squash(prompt) in flat
    count = len(planned_prompts(SEED))
    for notes in ("normal", "large"):
        assert sorted(n for page in layout[notes] for n in page) == list(range(1, count + 1))
    assert pages["large"] > pages["normal"]
    assert max(len(page) for page in layout["normal"]) >= 2  # the count tells layouts apart
    assert max(len(page) for page in layout["large"]) <= 3, layout["large"]
    # Measured in the PDF: each question's note box is at least a third of the
    # page high (the normal ones far less; the summary's box is not a question's).
    assert len(boxes["large"]) == len(boxes["normal"]) == count + 1
    assert sum(h >= 1 / 3 for h in boxes["large"]) == count, boxes["large"]
    assert max(boxes["normal"]) < 1 / 3, boxes["normal"]
