"""Many packets at once, one per worker process, on all the cores there are.

A failed packet is an :class:`Outcome` with its error, reported through the
callback like a success; it never stops the others. Workers import
WeasyPrint and load the catalog once, when they start, so each job pays only
for its own layout. The caller (the CLI) draws the progress bar.
"""

from __future__ import annotations

import signal
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from types import FrameType

from viva.errors import VivaError
from viva.packet.job import BlankJob, Outcome, SessionJob, run_job
from viva.packet.render import available_cores

__all__ = ["available_cores", "run_batch"]

Job = BlankJob | SessionJob


def _name(job: Job) -> str:
    return job.track if isinstance(job, BlankJob) else job.session


def _leave(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds the job, removing its temporary file


def _warm() -> None:
    """Worker start-up: leave Ctrl-C to the parent, clean up when terminated,
    and pay the imports and the catalog load once per process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
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
        running = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in running:
            process.terminate()
        raise
    pool.shutdown()
    return [outcomes[i] for i in range(len(jobs))]
