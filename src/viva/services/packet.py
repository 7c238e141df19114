"""``viva packet`` as functions: one packet, or one blank packet per track on all cores.

Imports stay inside the functions: for a single PDF the render helper
process starts before the catalog (and pydantic) are even imported, so
WeasyPrint's import there overlaps all the work of building the HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from viva.packet.options import PacketKind, PacketOptions

if TYPE_CHECKING:
    from viva.packet.job import BlankJob, Outcome, SessionJob
    from viva.services.scopes import ScopeAsker

__all__ = ["print_all_tracks", "print_packet"]


def print_packet(job: BlankJob | SessionJob, ask: ScopeAsker | None = None) -> Outcome:
    """Render one packet to its file (PDF in a helper process, or HTML); a blank
    packet plans for the scopes the job names, else the remembered ones (or
    those ``ask`` gets)."""
    from viva.packet.job import BlankJob, run_job
    from viva.packet.render import RenderHelper

    helper = None if job.html else RenderHelper.start()
    if isinstance(job, BlankJob):
        job = _with_scopes(job, ask)
    return run_job(job, helper=helper)


def _with_scopes(job: BlankJob, ask: ScopeAsker | None) -> BlankJob:
    from dataclasses import replace

    from viva.catalog.loader import load_catalog
    from viva.services.scopes import remembered_scopes

    track = load_catalog().resolve(job.track)
    return replace(job, scopes=remembered_scopes(track, job.scopes, ask))


def print_all_tracks(
    out_dir: Path,
    options: PacketOptions,
    *,
    minutes: int | None = None,
    seed: int | None = None,
    candidate: str | None = None,
    start: str | None = None,
    html: bool = False,
    on_start: Callable[[int], object] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """One blank reviewer packet per track in ``out_dir``, on every core; the
    outcomes in catalog order. ``on_start`` is told how many packets there are
    once the folder is checked, ``on_done`` of each outcome as it finishes."""
    from viva.catalog.loader import load_catalog
    from viva.files import make_folder
    from viva.packet.batch import run_batch
    from viva.packet.job import BlankJob, default_name
    from viva.packet.render import available_cores

    make_folder(out_dir, f"--out-dir {out_dir}")
    from viva.services.scopes import remembered_scopes

    jobs = [
        BlankJob(
            t.id,
            out_dir / default_name(t.id, PacketKind.reviewer, html),
            minutes,
            seed,
            candidate,
            start,
            options,
            html,
            remembered_scopes(t),
        )
        for t in load_catalog().tracks.values()
    ]
    if on_start is not None:
        on_start(len(jobs))
    return run_batch(jobs, available_cores(), on_done)
