"""Many packets at once, one per worker process, on all the cores there are.

A failed packet is an :class:`Outcome` with its error, reported through the
callback like a success; it never stops the others. Workers import
WeasyPrint and load the catalog once, when they start, so each job pays only
for its own layout. The caller (the CLI) draws the progress bar.
"""

from __future__ import annotations

import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from types import FrameType

from viva.errors import VivaError
from viva.packet.job import BlankJob, Outcome, SessionJob, run_job
from viva.packet.render import available_cores

__all__ = ["available_cores", "run_batch"]

Job = BlankJob | SessionJob

STOP_SECONDS = 0.5
"""After Ctrl-C, how long terminated workers get to unwind before they are killed."""


def _name(job: Job) -> str:
    return job.track if isinstance(job, BlankJob) else job.session


def _leave(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the job, removing its temporary file


def _quiet_exit(unraisable: sys.UnraisableHookArgs) -> None:
    # The SystemExit of a terminated worker can surface in a finalizer
    # (FontConfiguration.__del__): it is the exit asked for, not an error.
    if not isinstance(unraisable.exc_value, SystemExit):
        sys.__unraisablehook__(unraisable)


def _warm() -> None:
    """Worker start-up: leave Ctrl-C to the parent, clean up when terminated,
    and pay the imports and the catalog load once per process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    sys.unraisablehook = _quiet_exit
    import weasyprint  # noqa: F401

    from viva.catalog.loader import load_catalog
    from viva.packet.templating import environment

    load_catalog()
    environment()


def run_one(job: Job) -> Outcome:
    """Run a job and turn any failure into a failed outcome."""
    try:
        return run_job(job)
    except VivaError as exc:
        return Outcome(_name(job), job.out, error=str(exc))
    except Exception as exc:  # a bug: keep the traceback for the report
        detail = "".join(traceback.format_exception_only(exc)).strip()
        return Outcome(_name(job), job.out, error=f"internal error: {detail}")


def run_batch(
    jobs: Sequence[Job],
    workers: int | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Run every job; return the outcomes in the order of ``jobs``."""
    count = min(len(jobs), workers or available_cores())
    outcomes: dict[int, Outcome] = {}

    def done(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if on_done is not None:
            on_done(outcome)

    if count <= 1:
        for index, job in enumerate(jobs):
            done(index, run_one(job))
        return [outcomes[i] for i in range(len(jobs))]

    pool = ProcessPoolExecutor(max_workers=count, initializer=_warm)
    try:
        futures: dict[Future[Outcome], int] = {
            pool.submit(run_one, job): i for i, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            index = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # the worker died (killed, out of memory)
                outcome = Outcome(
                    _name(jobs[index]), jobs[index].out, error=f"worker failed: {exc}"
                )
            done(index, outcome)
    except BaseException:  # Ctrl-C: stop the workers now, not after their jobs
        # A second Ctrl-C must not cut this cleanup short and leave workers behind.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            _stop(pool)
            _remove_partial(jobs)
        finally:
            signal.signal(signal.SIGINT, previous)
        raise
    pool.shutdown()
    return [outcomes[i] for i in range(len(jobs))]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started, terminate the workers, kill what lingers."""
    running = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in running:
        process.terminate()  # SIGTERM: each unwinds its job, removing its temp file
    deadline = time.monotonic() + STOP_SECONDS
    for process in running:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in running:
        if process.is_alive():  # stuck in native code: no orphan survives
            process.kill()
            process.join(1.0)


def _remove_partial(jobs: Sequence[Job]) -> None:
    """The temporary files of jobs a killed worker could not unwind (see files.atomic_path)."""
    for job in jobs:
        if job.out is not None:
            for part in job.out.parent.glob(f".{job.out.name}.*.part"):
                part.unlink(missing_ok=True)
