"""``viva packet``: the PDFs a reviewer prints and a candidate reads, read back with pypdf.

Every test here fails when the ``weasyprint`` logger records a warning (a
missing asset or a bad CSS rule is a log line, not an exception), and
hostile user text must come out printed literally, fetching nothing.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.conftest import Runner, env_with, viva_exe
from tests.helpers import FakeClock
from viva.catalog.loader import load_catalog
from viva.errors import VivaError
from viva.rehearsal.agenda import Agenda
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession, session_report
from viva.store.database import open_store

TRACK = "go/raft-kv"
ZWSP = "\u200b"
LONG_LINE = "0123456789" * 2000  # 20,000 characters, no break opportunity


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail the test on any warning or error WeasyPrint logs about the document.

    Notices about the machine (fonts subset with fontTools where
    libharfbuzz-subset0 is missing) are not failures: viva reports them apart.
    """
    from viva.packet.render import ENVIRONMENT_NOTICES

    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    problems = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("weasyprint")
        and r.levelno >= logging.WARNING
        and not any(n in r.getMessage() for n in ENVIRONMENT_NOTICES)
    ]
    assert problems == [], f"WeasyPrint logged: {problems}"


class Listener:
    """A loopback TCP listener that records every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def pdf_text(path: Path | bytes) -> tuple[pypdf.PdfReader, str]:
    import io

    reader = pypdf.PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def body_chunks(reader: pypdf.PdfReader) -> list[str]:
    """The pages' text pieces, without the running header and the footer (the
    page margins), in the order they are drawn."""
    mm = 72 / 25.4
    chunks: list[str] = []
    for page in reader.pages:
        height = float(page.mediabox.height)

        def keep(text: str, cm: Any, tm: Any, font: Any, size: Any, height: float = height) -> None:
            y = tm[5] * cm[3] + cm[5]
            if 16 * mm < y < height - 17 * mm:
                chunks.append(text)

        page.extract_text(visitor_text=keep)
    return chunks


def long_line_in(reader: pypdf.PdfReader) -> str:
    """The digits-only lines of the PDF, joined: the 20,000-character line,
    whichever pages and columns it ran over."""
    return "".join(
        c.replace(ZWSP, "").strip()
        for c in body_chunks(reader)
        if re.fullmatch(r"[0-9\u200b\s]+", c) and len(c.strip()) >= 10
    )


def squash(text: str) -> str:
    """Text without whitespace or zero-width spaces: robust to line wrapping."""
    return re.sub(r"\s+", "", text.replace(ZWSP, ""))


def record_session(answers: list[str], candidate: str = "Ada Lovelace", seed: int = 7) -> str:
    """Rehearse the go/raft-kv agenda of ``seed``: answer in turn, flag the second
    question, skip the fourth, rate the third hard; end after the answers run out."""
    catalog = load_catalog()
    agenda = draw_agenda(catalog, catalog.tracks[TRACK], 45, seed)
    clock = FakeClock()
    with open_store() as store:
        live = LiveSession.start(store, agenda, candidate, clock.clock())
        for i, answer in enumerate(answers):
            if live.rehearsal.finished or live.rehearsal.agenda_done:
                break
            clock.advance(90 + 30 * i)
            if i == 1:
                live.act("flag")
                live.act("reveal")  # the first follow-up is asked
            if i == 2:
                live.act("rate", rating=2)
            if i == 3:
                live.act("skip")
                continue
            live.act("answer", text=answer)
        live.act("end")
        return live.id


def planned_prompts(seed: int = 7, minutes: int = 45) -> list[str]:
    catalog = load_catalog()
    agenda = draw_agenda(catalog, catalog.tracks[TRACK], minutes, seed)
    return [q.prompt for q in agenda.questions]


# --- blank reviewer packet ----------------------------------------------------


def test_blank_reviewer_packet_holds_every_prompt_the_candidate_and_page_numbers(
    run: Runner, tmp_path: Path
) -> None:
    out = tmp_path / "blank.pdf"
    result = run("packet", "--track", TRACK, "--seed", "7", "--candidate", "Ada Lovelace",
                 "-o", str(out))  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    assert out.read_bytes().startswith(b"%PDF")
    reader, text = pdf_text(out)
    pages = len(reader.pages)
    assert 6 <= pages <= 20
    flat = squash(text)
    for prompt in planned_prompts():
        assert squash(prompt) in flat, prompt
    assert "Ada Lovelace" in text
    assert "Agenda" in text and "Track brief" in text and "Scoring summary" in text
    for n in range(1, pages + 1):
        assert f"{n} / {pages}" in reader.pages[n - 1].extract_text()
    # Running header from page 2: track and candidate.
    second = reader.pages[1].extract_text()
    assert TRACK in second and "Ada Lovelace" in second
    # Key points of a drawn bank question are printed; the rubric too.
    track = load_catalog().tracks[TRACK]
    qid = next(q.id for q in draw_agenda(load_catalog(), track, 45, 7).questions if not q.opening)
    question = track.question(qid)
    assert question is not None
    assert squash(question.key_points[0]) in flat
    assert "Hand-waving" in text and "Senior" in text
    assert not list(tmp_path.glob(".*.part")), "no temporary file is left behind"


def test_no_key_points_leaves_every_key_point_out(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "blind.pdf"
    result = run("packet", "--track", TRACK, "--seed", "7", "--no-key-points", "-o", str(out))
    assert result.code == 0, result.err
    _, text = pdf_text(out)
    flat = squash(text)
    track = load_catalog().tracks[TRACK]
    for q in draw_agenda(load_catalog(), track, 45, 7).questions:
        bank = track.question(q.id)
        for point in bank.key_points if bank else ():
            assert squash(point) not in flat
    assert "KEY POINTS" not in text
    assert squash(planned_prompts()[1]) in flat


def test_default_file_name_in_the_current_folder(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("packet", "--track", TRACK, "--seed", "1")
    assert result.code == 0, result.err
    assert result.out.strip() == "viva-go-raft-kv-reviewer.pdf"
    assert (tmp_path / "viva-go-raft-kv-reviewer.pdf").read_bytes()[:4] == b"%PDF"


def test_paper_size(run: Runner, tmp_path: Path) -> None:
    sizes = {}
    for paper in ("a4", "letter"):
        out = tmp_path / f"{paper}.pdf"
        assert run("packet", "--track", TRACK, "--seed", "2", "--paper", paper,
                   "-o", str(out)).code == 0  # fmt: skip
        box = pypdf.PdfReader(out).pages[0].mediabox
        sizes[paper] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {"a4": (595, 842), "letter": (612, 792)}


def test_start_time_puts_clock_times_on_the_agenda(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "clock.pdf"
    assert run("packet", "--track", TRACK, "--seed", "2", "--start", "14:00",
               "-o", str(out)).code == 0  # fmt: skip
    _, text = pdf_text(out)
    agenda = draw_agenda(load_catalog(), TRACK, seed=2)
    first = agenda.sections[0].budget_seconds // 60
    last = agenda.sections[-1].budget_seconds // 60
    assert f"14:00–14:{first:02d}" in text and f"14:{45 - last:02d}–14:45" in text


def test_html_is_one_self_contained_document(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "packet.html"
    result = run("packet", "--track", TRACK, "--seed", "7", "--html", "--candidate",
                 "<b>Eve</b> & {{ 7*7000 }}", "-o", str(out))  # fmt: skip
    assert result.code == 0, result.err
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "@page" in html and ".question" in html, "the stylesheet is inlined"
    assert "<link" not in html and "src=" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; {{ 7*7000 }}" in html
    assert "<b>Eve</b>" not in html and "49000" not in html


# --- after a rehearsal -------------------------------------------------------------

ANSWERS = [
    "The gRPC front end hands each request to the raft node; the leader appends to the WAL, "
    "replicates to a quorum and applies to the state machine.",
    "I picked Pebble: an LSM with a WAL plus memtable and group commit across concurrent "
    "synced batches; compactions can stall writes when L0 fills.",
    "Snapshot every 10K entries.\nSecond line of the answer.",
    "skipped anyway",
    "Fourth answer: I measured p99 with a load generator at 50K writes/sec.",
]


def test_reviewer_packet_after_a_rehearsal_prints_the_answers(run: Runner, tmp_path: Path) -> None:
    session = record_session(ANSWERS)
    out = tmp_path / "reviewer.pdf"
    result = run("packet", session, "-o", str(out))
    assert result.code == 0, result.err
    _, text = pdf_text(out)
    flat = squash(text)
    for answer in (ANSWERS[0], ANSWERS[1], ANSWERS[4], "Second line of the answer."):
        assert squash(answer) in flat, answer
    for prompt in planned_prompts():
        assert squash(prompt) in flat
    assert "Ada Lovelace" in text
    assert session in text
    assert "flagged" in text and "skipped" in text and "rated hard" in text
    asked = _asked_follow_up(session)
    assert squash(f"{asked} · asked") in flat
    assert "not asked" in text  # the other questions' follow-ups


def test_candidate_packet_shows_coverage_timing_lists_and_drill(
    run: Runner, tmp_path: Path
) -> None:
    session = record_session(ANSWERS)
    out = tmp_path / "candidate.pdf"
    result = run("packet", session, "--kind", "candidate", "-o", str(out))
    assert result.code == 0, result.err
    reader, text = pdf_text(out)
    flat = squash(text)
    assert "Time against budget" in text
    assert "Drill next" in text
    assert "keyword hint" in text
    assert "Flagged" in text and "Skipped" in text
    assert squash(ANSWERS[1]) in flat and "Ada Lovelace" in text
    # The second answer names Pebble's WAL, memtable, group commit: covered.
    assert "✓" in text and "✗" in text
    prompts = planned_prompts()
    assert squash(prompts[1]) in flat and squash(prompts[3]) in flat
    assert len(reader.pages) >= 3
    assert squash(f"Follow-ups asked: {_asked_follow_up(session)}") in flat


def _asked_follow_up(session: str) -> str:
    with open_store() as store:
        (asked,) = [f for q in session_report(store, session).questions for f in q.follow_ups_asked]
    return asked


def test_candidate_packet_default_name(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = record_session(ANSWERS[:2])
    monkeypatch.chdir(tmp_path)
    result = run("packet", session, "--kind", "candidate", "--html")
    assert result.code == 0, result.err
    assert result.out.strip() == f"viva-go-raft-kv-{session}-candidate.html"
    other = record_session(ANSWERS[:1])  # a second rehearsal's packet is a second file
    assert run("packet", other, "--kind", "candidate", "--html").code == 0
    assert sorted(p.name for p in tmp_path.glob("viva-*.html")) == sorted(
        f"viva-go-raft-kv-{s}-candidate.html" for s in (session, other)
    )


# --- hostile input -----------------------------------------------------------------


def hostile_answers(port: int) -> list[str]:
    base = f"127.0.0.1:{port}"
    return [
        f"<img src=file:///etc/passwd> <img src='http://{base}/img.png'>",
        f"<style>@import url(http://{base}/a.css); @import 'https://{base}/b.css';"
        f'</style><div style="background: url(http://{base}/bg.png)">x</div>',
        '<link rel=attachment href="file:///etc/passwd"><a rel=attachment '
        f'href="http://{base}/f">f</a> {{{{ 7*7 }}}} {{% for x in range(3) %}}{{{{ x }}}}'
        "{% endfor %} {# c #}",
        "skip me",
        LONG_LINE,
    ]


def test_hostile_answers_are_printed_literally_and_fetch_nothing(
    run: Runner, tmp_path: Path, listener: Listener
) -> None:
    answers = hostile_answers(listener.port)
    name = "<script>alert(1)</script>{{ config }}"
    session = record_session(answers, candidate=name)
    for kind in ("reviewer", "candidate"):
        out = tmp_path / f"{kind}.pdf"
        result = run("packet", session, "--kind", kind, "-o", str(out))
        assert result.code == 0, result.err
        assert "warning" not in result.err
        reader, text = pdf_text(out)
        flat = squash(text)
        for answer in answers[:3]:
            assert squash(answer) in flat, (kind, answer[:60])
        assert long_line_in(reader) == LONG_LINE, kind
        assert squash(name) in flat
        assert "root:x:0:0" not in text
        assert not reader.attachments
        root = reader.trailer["/Root"].get_object()
        assert isinstance(root, pypdf.generic.DictionaryObject)
        assert "/EmbeddedFiles" not in str(root.get("/Names", {}))
        html_out = tmp_path / f"{kind}.html"
        assert run("packet", session, "--kind", kind, "--html", "-o", str(html_out)).code == 0
        html = html_out.read_text(encoding="utf-8")
        assert (
            "<img" not in html
            and "<script>" not in html
            and "@import" not in html.split("</style>")[0]
        )
        assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert listener.hits == 0, "rendering must not open any connection"


@pytest.mark.parametrize(
    "payload",
    [
        '{{ cycler.__init__.__globals__.os.popen("touch MARK").read() }}',
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        '{{ lipsum.__globals__["os"].system("touch MARK") }}',
        "{{ track.title.__class__.__base__.__subclasses__() }}",
    ],
)
def test_a_user_template_cannot_run_code(
    run: Runner, viva_home: Path, tmp_path: Path, payload: str
) -> None:
    """A template in $VIVA_HOME/templates renders in Jinja2's sandbox: reaching
    Python internals is refused with one message, and nothing runs."""
    mark = tmp_path / "ran"
    user = viva_home / "templates"
    user.mkdir()
    packaged = (Path(__file__).resolve().parents[2] / "templates" / "packet.html.j2").read_text()
    (user / "packet.html.j2").write_text(payload.replace("MARK", str(mark)) + packaged)
    out = tmp_path / "evil.pdf"
    result = run("packet", "--track", TRACK, "--seed", "1", "-o", str(out))
    assert result.code == 1
    assert "packet.html.j2: the template tried an operation templates may not do" in result.err
    assert result.err.count("error:") == 1 and "Traceback" not in result.err
    assert not mark.exists() and not out.exists()


@pytest.mark.parametrize(
    ("payload", "says"),
    [("{{ no_such_variable }}", "'no_such_variable' is undefined"), ("{% if %}", ":1: ")],
)
def test_a_mistake_in_a_user_template_is_one_message(
    run: Runner, viva_home: Path, tmp_path: Path, payload: str, says: str
) -> None:
    user = viva_home / "templates"
    user.mkdir()
    (user / "packet.html.j2").write_text(payload)
    result = run("packet", "--track", TRACK, "--seed", "1", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.count("error:") == 1 and "packet.html.j2" in result.err
    assert says in result.err


def test_a_user_template_that_keeps_to_the_rules_still_renders(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    user = viva_home / "templates"
    user.mkdir()
    packaged = (Path(__file__).resolve().parents[2] / "templates" / "packet.html.j2").read_text()
    marker = "<p>{{ track.title|upper }} · {{ sections|length }} sections</p>"
    (user / "packet.html.j2").write_text(packaged.replace("</body>", marker + "</body>", 1))
    out = tmp_path / "mine.html"
    result = run("packet", "--track", TRACK, "--seed", "1", "--html", "-o", str(out))
    assert result.code == 0, result.err
    assert "sections</p>" in out.read_text(encoding="utf-8")


def test_hostile_html_in_a_restyled_template_fetches_nothing_and_attaches_nothing(
    tmp_path: Path, listener: Listener, caplog: pytest.LogCaptureFixture
) -> None:
    """A user's own template or stylesheet is code, but the fetcher still refuses."""
    from viva.packet.render import write_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-FILE-CONTENT")
    p = listener.port
    html = f"""<!DOCTYPE html><html><head>
    <link rel="stylesheet" href="http://127.0.0.1:{p}/style.css">
    <link rel="attachment" href="file://{secret}">
    <link rel="attachment" href="data:text/plain,ATTACHED-DATA">
    <style>@import url(https://127.0.0.1:{p}/imp.css);
    body {{ background: url(http://127.0.0.1:{p}/bg.png) }}
    @font-face {{ font-family: X; src: url(http://127.0.0.1:{p}/f.woff) }}</style>
    </head><body><p>visible</p>
    <img src="file://{secret}"><img src="http://127.0.0.1:{p}/i.png">
    <img src="https://127.0.0.1:{p}/j.png"><img src="ftp://127.0.0.1:{p}/k.png">
    <img src="relative.png"><img src="viva-asset:../packet.css">
    <a rel="attachment" href="data:text/plain,LINKED-DATA">attached</a>
    <object data="file://{secret}"></object>
    </body></html>"""
    data, stats = write_pdf(html, None)
    assert data is not None
    caplog.clear()  # these refusals are the point of this test
    reader, text = pdf_text(data)
    assert "visible" in text and "TOPSECRET" not in text
    assert not reader.attachments
    assert b"ATTACHED-DATA" not in data and b"LINKED-DATA" not in data
    assert b"EmbeddedFile" not in data
    assert listener.hits == 0
    refused = "\n".join(stats.warnings)
    assert "refused" in refused and "http://127.0.0.1" in refused and "file://" in refused


def test_packaged_assets_and_data_uris_are_served(tmp_path: Path, viva_home: Path) -> None:
    from viva.packet.render import write_pdf

    assets = viva_home / "templates" / "assets"
    assets.mkdir(parents=True)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10"/></svg>'
    )
    (assets / "logo.svg").write_text(svg)
    pixel = (
        "data:image/svg+xml;base64,"
        "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4="
    )
    html = f'<p>logo</p><img src="viva-asset:logo.svg"><img src="{pixel}">'
    data, stats = write_pdf(html, None)
    assert stats.warnings == []
    assert data is not None and data.startswith(b"%PDF")


def test_jinja_in_a_bank_prompt_is_data(tmp_path: Path) -> None:
    """User banks are data: a prompt that looks like a template is printed as text."""
    from viva.packet.model import blank_packet
    from viva.packet.templating import render_html

    catalog = load_catalog()
    track = catalog.tracks[TRACK]
    plan = draw_agenda(catalog, track, 45, 7).to_json()
    plan["sections"][0]["questions"][0]["prompt"] = "{{ 123*1000 }} {% if true %}x{% endif %} <i>"
    html = render_html(blank_packet(catalog, track, Agenda.from_json(plan)))
    assert "{{ 123*1000 }} {% if true %}x{% endif %} &lt;i&gt;" in html
    assert "123000" not in html


# --- failures ----------------------------------------------------------------------


def test_render_timeout_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    from viva.packet.job import BlankJob, run_job

    out = tmp_path / "packet.pdf"
    out.write_bytes(b"old packet")
    with pytest.raises(VivaError, match="longer than"):
        run_job(BlankJob(TRACK, out, seed=1), timeout=0.01)
    assert out.read_bytes() == b"old packet"
    assert [p.name for p in tmp_path.iterdir()] == ["packet.pdf"]


def test_a_failed_write_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viva.packet import render

    out = tmp_path / "packet.pdf"

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(VivaError, match="No space left"):
        render.write_html("<p>x</p>", out)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give one of SESSION, --track TRACK or --all-tracks"),
        (("--track", TRACK, "--all-tracks", "--out-dir", "."), "got --track and --all-tracks"),
        (("--track", TRACK, "--kind", "candidate"), "needs a recorded SESSION"),
        (("--all-tracks",), "--all-tracks needs --out-dir DIR"),
        (("--all-tracks", "--out-dir", ".", "-o", "x.pdf"), "use --out-dir DIR, not -o"),
        (("--track", TRACK, "--out-dir", "."), "--out-dir goes with --all-tracks"),
        (("some-session", "--seed", "3"), "--seed is for a blank packet"),
        (("some-session", "--kind", "candidate", "--no-key-points"), "blind reviewer"),
        (("--track", TRACK, "--start", "25:00"), "HH:MM"),
        (("--track", TRACK, "--paper", "a3"), "Invalid value for '--paper'"),
    ],
)
def test_bad_combinations_are_usage_errors(
    run: Runner, args: tuple[str, ...], message: str
) -> None:
    result = run("packet", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_unknown_session_and_unwritable_path_are_one_clear_message(
    run: Runner, tmp_path: Path
) -> None:
    result = run("packet", "no-such-session")
    assert (result.code, result.err.strip()) == (
        2,
        "error: unknown session 'no-such-session': see `viva sessions`",
    )
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = run("packet", "--track", TRACK, "-o", str(blocked / "x.pdf"))
    assert result.code == 1
    assert result.err.strip() == (
        f"error: cannot write {blocked / 'x.pdf'}: {blocked} is not a folder"
    )
    result = run("packet", "--track", "raft")
    assert result.code == 2 and "ambiguous" in result.err


# --- batch -------------------------------------------------------------------------


@pytest.mark.slow
def test_all_tracks_writes_one_packet_each_and_reports_a_failure(
    run: Runner, tmp_path: Path
) -> None:
    # A folder where one packet should go makes that packet fail, and only it.
    blocked = tmp_path / "viva-rust-matching-engine-reviewer.pdf"
    blocked.mkdir()
    result = run("packet", "--all-tracks", "--out-dir", str(tmp_path), "--seed", "5")
    assert result.code == 1
    assert "error: rust/matching-engine: cannot write" in result.err
    assert "1 of 24 packets failed: rust/matching-engine" in result.err
    notices = [line for line in result.err.splitlines() if line.startswith("notice:")]
    assert len(notices) == len(set(notices)) <= 1, notices  # once per command, not per packet
    written = sorted(p for p in tmp_path.glob("*.pdf") if p.is_file())
    assert len(written) == 23
    assert len(result.out.split()) == 23
    for path in written:
        assert path.read_bytes()[:5] == b"%PDF-"
    _, text = pdf_text(tmp_path / "viva-python-rag-service-reviewer.pdf")
    assert "python/rag-service" in text


def test_run_batch_reports_each_outcome_in_order(tmp_path: Path) -> None:
    from viva.packet.batch import run_batch
    from viva.packet.job import BlankJob

    jobs = [
        BlankJob(TRACK, tmp_path / "a.html", seed=1, html=True),
        BlankJob("no-such-track", tmp_path / "b.html", seed=1, html=True),
        BlankJob("rust/kernel-chardev", tmp_path / "c.pdf", seed=1),
    ]
    seen: list[str] = []
    outcomes = run_batch(jobs, workers=2, on_done=lambda o: seen.append(o.track))
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "unknown track" in (outcomes[1].error or "")
    assert sorted(seen) == sorted(["go/raft-kv", "no-such-track", "rust/kernel-chardev"])
    assert outcomes[2].pages > 3 and outcomes[2].warnings == []
    assert (tmp_path / "c.pdf").read_bytes()[:4] == b"%PDF"


def test_a_machine_notice_is_one_line_once_per_command(tmp_path: Path) -> None:
    """The real command, whose helper process renders: stderr holds at most one
    line per notice, naming the package and `viva doctor`, and nothing raw."""
    out = tmp_path / "p.pdf"
    proc = subprocess.run(
        [viva_exe(), "packet", "--track", TRACK, "--seed", "3", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=env_with(),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    lines = proc.stderr.splitlines()
    assert all(line.startswith("notice: ") for line in lines), lines
    assert len(lines) == len(set(lines)) <= 1, lines
    for line in lines:
        assert "libharfbuzz-subset0" in line and "viva doctor" in line


def test_environment_notices_are_told_apart_from_document_warnings() -> None:
    from viva.packet.render import split_messages

    font = (
        'Using fontTools instead of HarfBuzz-Subset for font "DejaVu Sans". This will be '
        "unsupported in future versions of WeasyPrint."
    )
    warnings, notices = split_messages([font, "Ignored `colr: red`", font.replace("Sans", "Mono")])
    assert warnings == ["Ignored `colr: red`"]
    assert len(notices) == 1 and "libharfbuzz-subset0" in notices[0]


# --- start-up and hints ------------------------------------------------------------


def test_packet_help_does_not_import_weasyprint() -> None:
    code = (
        "import sys\nfrom viva.cli.app import main\n"
        "try:\n    main(['packet', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ},
    )  # fmt: skip
    assert proc.stdout.strip().splitlines()[-1] == "False"


def test_keyword_hint_marks_covered_and_missed_points() -> None:
    from viva.packet.coverage import hint_key_points

    points = [
        "Pebble: LSM with WAL plus memtable, group commit across concurrent synced batches",
        "bbolt: B+tree with copy-on-write pages, single writer, two fsyncs per transaction",
    ]
    hints = hint_key_points("We chose Pebble; its memtable and group commit batch fsyncs.", points)
    assert [h.covered for h in hints] == [True, False]
    assert hint_key_points("", points)[0].covered is False


def test_the_helper_process_renders_returns_warnings_and_is_killed_on_timeout(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from viva.packet.render import RenderHelper, write_pdf

    out = tmp_path / "helper.pdf"
    html = '<p>from the helper</p><img src="http://127.0.0.1:9/x.png">'
    _, stats = write_pdf(html, out, 60, RenderHelper.start(force=True))
    assert stats.pages == 1
    _, text = pdf_text(out)
    assert "from the helper" in text
    assert any("refused" in m for m in stats.warnings), stats.warnings
    assert "refused" not in capfd.readouterr().err  # returned, never printed behind our back

    out.write_bytes(b"old")
    slow = "<p>" + "word " * 200_000 + "</p>"
    with pytest.raises(VivaError, match=r"longer than 0\.05 s"):
        write_pdf(slow, out, 0.05, RenderHelper.start(force=True))
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["helper.pdf"]
