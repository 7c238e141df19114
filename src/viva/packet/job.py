"""A packet job: what to print and where, run from data to a file on disk.

The job types are light (the CLI builds them before anything heavy is
imported); the catalog, the templates and WeasyPrint are imported when a job
runs. Each job runs the four steps whose time the benchmark reports: data (catalog,
agenda, session report, the template context), Jinja (the HTML), layout
(WeasyPrint's render) and writing (the PDF bytes, written atomically). A job
is a small picklable value, so the batch sends jobs to worker processes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viva.errors import UsageProblem, VivaError
from viva.packet.options import PacketKind, PacketOptions

if TYPE_CHECKING:
    from viva.packet import render as render_module

__all__ = [
    "BlankJob",
    "Outcome",
    "SessionJob",
    "default_name",
    "parse_start",
    "run_job",
]


@dataclass(frozen=True)
class BlankJob:
    """A blank reviewer packet for a live defense of one track."""

    track: str
    out: Path | None = None
    minutes: int | None = None
    seed: int | None = None
    candidate: str | None = None
    start: str | None = None
    options: PacketOptions = field(default_factory=PacketOptions)
    html: bool = False
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionJob:
    """A reviewer or candidate packet of a recorded session, or the scored packet
    of a reviewed one."""

    session: str
    out: Path | None = None
    options: PacketOptions = field(default_factory=PacketOptions)
    html: bool = False


@dataclass
class Outcome:
    """What a job produced (or why it failed), with where the time went."""

    track: str
    path: Path | None = None
    pages: int = 0
    bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def default_name(
    track_id: str, kind: PacketKind, html: bool = False, session: str | None = None
) -> str:
    """``viva-go-raft-kv-reviewer.pdf`` for a blank packet and
    ``viva-go-raft-kv-20261202-042535-8f3a2c-candidate.pdf`` (or ``-scored.pdf``)
    for a session's, so the packets of two sessions never overwrite each other."""
    middle = f"{track_id.replace('/', '-')}-{session}" if session else track_id.replace("/", "-")
    return f"viva-{middle}-{kind}.{'html' if html else 'pdf'}"


def parse_start(text: str | None, today: datetime | None = None) -> datetime | None:
    """``14:30`` today, local time; None stays None."""
    if text is None:
        return None
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
        now = (today or datetime.now(UTC)).astimezone()
        return now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    except ValueError:
        raise UsageProblem(f"--start takes a clock time HH:MM, not {text!r}") from None


def _blank_context(job: BlankJob) -> tuple[str, dict[str, Any]]:
    from viva.catalog.loader import load_catalog
    from viva.packet.model import blank_packet
    from viva.rehearsal.planner import draw_agenda

    catalog = load_catalog()
    track = catalog.resolve(job.track)
    agenda = draw_agenda(catalog, track, job.minutes, job.seed, scopes=job.scopes)
    context = blank_packet(
        catalog,
        track,
        agenda,
        candidate=job.candidate,
        start=parse_start(job.start),
        options=job.options,
    )
    return track.id, context


def _session_context(job: SessionJob) -> tuple[str, dict[str, Any]]:
    from viva.catalog.loader import load_catalog
    from viva.packet.model import session_packet
    from viva.rehearsal.session import agenda_of, session_report
    from viva.store.database import open_store

    catalog = load_catalog()
    with open_store() as store:
        row = store.session(job.session)
        report = session_report(store, row.id)
    agenda = agenda_of(row)
    track = catalog.tracks.get(row.track)
    if track is None:
        raise VivaError(
            f"session {row.id} is of track {row.track!r}, which the catalog no longer has"
        )
    context = session_packet(catalog, track, agenda, report, row.started_at, job.options)
    return track.id, context


def run_job(
    job: BlankJob | SessionJob,
    timeout: float | None = None,
    helper: render_module.RenderHelper | None = None,
) -> Outcome:
    """Build the context, render and write; a user error is raised as VivaError.

    With a ``helper`` (started as early as possible), the PDF is laid out in
    that process, which has been importing WeasyPrint meanwhile; the helper
    is closed in any case.
    """
    from viva.packet import render

    try:
        return _run(job, render.RENDER_TIMEOUT if timeout is None else timeout, helper)
    finally:
        if helper is not None:
            helper.close()


def _run(
    job: BlankJob | SessionJob, timeout: float | None, helper: render_module.RenderHelper | None
) -> Outcome:
    from viva.packet import render
    from viva.packet.templating import render_html

    t0 = time.perf_counter()
    if isinstance(job, BlankJob):
        track_id, context = _blank_context(job)
    else:
        track_id, context = _session_context(job)
    session = context["session"]["id"] if context.get("session") else None
    target = job.out or Path(default_name(track_id, context["kind"], job.html, session))
    render.check_writable(target)
    t1 = time.perf_counter()
    html = render_html(context)
    t2 = time.perf_counter()
    outcome = Outcome(track_id, target)
    outcome.seconds = {"data": t1 - t0, "jinja": t2 - t1, "layout": 0.0, "write": 0.0}
    if job.html:
        outcome.bytes = render.write_html(html, target)
        outcome.seconds["write"] = time.perf_counter() - t2
        return outcome
    _, stats = render.write_pdf(html, target, timeout, helper)
    outcome.pages = stats.pages
    outcome.bytes = stats.bytes
    outcome.warnings = stats.warnings
    outcome.notices = stats.notices
    outcome.seconds["layout"] = stats.layout_seconds
    outcome.seconds["write"] = stats.write_seconds
    return outcome
