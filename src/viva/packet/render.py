"""HTML to PDF (or HTML) on disk: safe fetching, a time limit, an atomic write.

- WeasyPrint gets :class:`~viva.packet.fetcher.SafeFetcher`, so rendering
  fetches nothing from the network or the file system;
- attachments (``<link rel=attachment>``, ``<a rel=attachment>``) are
  dropped before the PDF is written;
- the render runs under a time limit (SIGALRM in the main thread of a
  process, which the CLI, its helper and each batch worker are; a helper
  process stuck past the limit is killed);
- the single-packet command renders in a forked helper process
  (:class:`RenderHelper`) that imports WeasyPrint while the command builds
  the HTML, so the import overlaps the data and Jinja work;
- the output is written to a temporary file beside the target and renamed
  over it, so the target never holds a half-written file;
- what WeasyPrint logs is collected and returned with the timings, never
  printed behind the caller's back: problems of the document (a bad CSS
  rule, a refused URL) as ``warnings``, and notices about this machine
  (fonts subset with fontTools because HarfBuzz-Subset is missing) as
  ``notices``, each once, as one line that names the fix.

WeasyPrint is imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

from viva.errors import VivaError
from viva.files import atomic_path, make_folder, write_text

__all__ = [
    "ENVIRONMENT_NOTICES",
    "RENDER_TIMEOUT",
    "RenderHelper",
    "RenderStats",
    "RenderTimeout",
    "available_cores",
    "check_writable",
    "split_messages",
    "write_html",
    "write_pdf",
]

RENDER_TIMEOUT = float(os.environ.get("VIVA_RENDER_TIMEOUT", "300"))
"""Seconds a single packet may take to lay out and write."""
REARM_SECONDS = 0.5
"""After the time limit, the alarm repeats this often until the render stops."""


# WeasyPrint messages about the machine rather than the document: the same for
# every packet, so each becomes one notice per command, naming the fix.
ENVIRONMENT_NOTICES: dict[str, str] = {
    "instead of HarfBuzz-Subset": (
        "fonts are subset with fontTools because HarfBuzz-Subset is missing: the PDF is "
        "the same but slower to write; install libharfbuzz-subset0 (Debian/Ubuntu; "
        "Fedora and Homebrew: harfbuzz) -- `viva doctor` checks this machine"
    ),
}


def split_messages(messages: list[str]) -> tuple[list[str], list[str]]:
    """WeasyPrint's messages as (document warnings, environment notices), each once."""
    warnings: dict[str, None] = {}
    notices: dict[str, None] = {}
    for message in messages:
        notice = next((n for key, n in ENVIRONMENT_NOTICES.items() if key in message), None)
        if notice is None:
            warnings.setdefault(message, None)
        else:
            notices.setdefault(notice, None)
    return list(warnings), list(notices)


class RenderTimeout(BaseException):
    """Raised by the alarm; a BaseException so WeasyPrint's broad handlers let it through."""


@dataclass
class RenderStats:
    """Where one render spent its time, and what WeasyPrint had to say."""

    pages: int = 0
    bytes: int = 0
    layout_seconds: float = 0.0
    write_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _weasyprint_log() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, _alarm)
    # The alarm fires again every half second until the block is left: library
    # code that catches every exception (a cache filled in a try/except) can
    # swallow one RenderTimeout, never all of them.
    signal.setitimer(signal.ITIMER_REAL, seconds, REARM_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_writable(target: Path) -> None:
    """Fail early, before rendering, when the output cannot be written; a missing
    folder is created (as ``viva export`` does)."""
    parent = target.parent
    if target.is_dir():
        raise VivaError(f"cannot write {target}: it is a directory")
    make_folder(parent, f"cannot write {target}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise VivaError(f"cannot write {target}: folder {parent} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise VivaError(f"cannot write {target}: the file is read-only")


def write_html(html: str, target: Path) -> int:
    """Write the HTML document atomically; return its size in bytes."""
    return write_text(target, html)


def _strip_attachments(document: Any) -> None:
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def _asset_dirs() -> tuple[Path, ...]:
    from viva.packet.templating import search_path

    return tuple(p / "assets" for p in search_path())


def _render(
    html: str, out: Path | None, asset_dirs: tuple[Path, ...], timeout: float | None
) -> tuple[bytes | None, RenderStats]:
    """Lay out and write the PDF to the file ``out`` (or return its bytes).
    Raises RenderTimeout when the time limit strikes."""
    from weasyprint import HTML

    from viva.packet.fetcher import SafeFetcher

    stats = RenderStats()
    with _weasyprint_log() as messages, _time_limit(timeout):
        t0 = time.perf_counter()
        # The base URL is the asset scheme: a relative reference never
        # resolves against the current directory.
        document = HTML(
            string=html, base_url="viva-asset:/", url_fetcher=SafeFetcher(asset_dirs)
        ).render()
        _strip_attachments(document)
        t1 = time.perf_counter()
        data: bytes | None = None
        if out is None:
            data = document.write_pdf()
            stats.bytes = len(data or b"")
        else:
            document.write_pdf(out)
            stats.bytes = out.stat().st_size
        stats.write_seconds = time.perf_counter() - t1
        stats.layout_seconds = t1 - t0
        stats.pages = len(document.pages)
    stats.warnings, stats.notices = split_messages(messages)
    return data, stats


def _timed_out(timeout: float | None, target: Path | None) -> VivaError:
    return VivaError(
        f"rendering took longer than {timeout or 0:g} s and was stopped"
        + (f"; {target} was not written" if target else "")
    )


def write_pdf(
    html: str,
    target: Path | None,
    timeout: float | None = RENDER_TIMEOUT,
    helper: RenderHelper | None = None,
) -> tuple[bytes | None, RenderStats]:
    """Lay out ``html`` and write the PDF to ``target`` atomically, or return
    its bytes when ``target`` is None; in ``helper``'s process when given."""
    if helper is not None:
        return helper.render(html, target, timeout)
    try:
        if target is None:
            return _render(html, None, _asset_dirs(), timeout)
        with atomic_path(target) as tmp:
            return _render(html, tmp, _asset_dirs(), timeout)
    except RenderTimeout:
        raise _timed_out(timeout, target) from None


# --- a helper process that imports WeasyPrint while the caller works ----------


def available_cores() -> int:
    """The cores this process may run on (its affinity), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _serve(conn: Connection) -> None:
    """The helper process: import WeasyPrint, then render the one job it is sent."""
    try:
        import weasyprint  # noqa: F401  - the point: import while the parent prepares

        html, out, asset_dirs, timeout = conn.recv()
        try:
            conn.send(("ok", _render(html, out, asset_dirs, timeout)[1]))
        except RenderTimeout:
            conn.send(("timeout", None))
        except VivaError as exc:
            conn.send(("error", str(exc)))
        except Exception:
            conn.send(("bug", traceback.format_exc()))
    except (EOFError, KeyboardInterrupt):  # the parent gave up or was interrupted
        pass
    finally:
        conn.close()


class RenderHelper:
    """One forked process that imports WeasyPrint at once and renders one PDF.

    The single-packet command starts it first, so the import (about half a
    second) runs on a second core while this process loads the catalog and
    renders the HTML. It also makes the time limit hard: a render stuck in C
    code is killed. WeasyPrint's messages come back in the stats.
    """

    GRACE = 10.0

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True)
        self._process.start()
        child.close()
        self._answered = False

    @classmethod
    def start(cls, force: bool = False) -> RenderHelper | None:
        """A helper when it can help: on Linux (fork), with a spare core, and
        WeasyPrint not yet imported here; None otherwise."""
        if not force and (
            not sys.platform.startswith("linux")
            or available_cores() < 2
            or "weasyprint" in sys.modules
        ):
            return None
        return cls()

    def render(
        self, html: str, target: Path | None, timeout: float | None
    ) -> tuple[bytes | None, RenderStats]:
        try:
            if target is None:
                with tempfile.TemporaryDirectory() as folder:
                    tmp = Path(folder) / "packet.pdf"
                    stats = self._run(html, tmp, timeout, target)
                    data: bytes | None = tmp.read_bytes()
            else:
                data = None
                with atomic_path(target) as tmp:
                    stats = self._run(html, tmp, timeout, target)
        finally:
            self.close()
        return data, stats

    def _run(self, html: str, out: Path, timeout: float | None, target: Path | None) -> RenderStats:
        try:
            return self._exchange(html, out, timeout, target)
        except BaseException:
            self.close()  # before the temporary file goes: nothing may write it after
            raise

    def _exchange(
        self, html: str, out: Path, timeout: float | None, target: Path | None
    ) -> RenderStats:
        self._conn.send((html, out, _asset_dirs(), timeout))
        wait = None if timeout is None else timeout + self.GRACE
        if not self._conn.poll(wait):
            raise _timed_out(timeout, target)
        try:
            kind, payload = self._conn.recv()
        except EOFError:
            self._process.join(2)
            raise VivaError(
                f"the render process died (exit status {self._process.exitcode})"
            ) from None
        if kind == "timeout":
            raise _timed_out(timeout, target)
        if kind == "error":
            raise VivaError(payload)
        if kind == "bug":
            raise RuntimeError(f"rendering failed in the helper process:\n{payload}")
        assert isinstance(payload, RenderStats)
        self._answered = True
        return payload

    def close(self) -> None:
        """Reap the helper: it exits by itself once it has answered; otherwise
        (an error here, a time-out, an interrupt) it is killed at once."""
        self._conn.close()
        if self._answered:
            self._process.join(2)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
