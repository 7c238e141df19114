"""Terminal output helpers shared by the commands (rich is imported lazily)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console
    from rich.table import Table

__all__ = ["console", "fitting", "print_json", "print_rows", "shorten", "stdout_is_terminal"]


def stdout_is_terminal() -> bool:
    """Whether stdout takes a terminal's output, as rich decides it (TTY_COMPATIBLE,
    then FORCE_COLOR, then isatty), without importing rich: ``viva tracks | ...``
    answers from the cache in a few milliseconds."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return sys.stdout.isatty()
    except ValueError:  # closed
        return False


PIPE_WIDTH = 4000
"""The width piped output is laid out at: wide enough that no cell wraps or is cut."""


def console(stderr: bool = False) -> Console:
    """A rich console for one command's output (stdout, or stderr for status).

    On a terminal (or with ``FORCE_COLOR``/``TTY_COMPATIBLE``) tables are boxed
    and fit the window. Piped, output is plain text for scripts: no colour, no
    box or panel frame, nothing wrapped or cut, no trailing spaces. ``NO_COLOR``
    drops colour on a terminal too (rich reads it).
    """
    return _console_class()(stderr=stderr)


@cache
def _console_class() -> type[Console]:
    from rich.console import Console, ConsoleRenderable, RenderHook
    from rich.panel import Panel
    from rich.table import Table

    class _Plain(RenderHook):
        """Frames are decoration: piped, a table is its rows, a panel its content."""

        def process_renderables(
            self, renderables: list[ConsoleRenderable]
        ) -> list[ConsoleRenderable]:
            return [_unframed(r) for r in renderables]

    def _unframed(renderable: ConsoleRenderable) -> ConsoleRenderable:
        if isinstance(renderable, Panel) and isinstance(renderable.renderable, ConsoleRenderable):
            return _unframed(renderable.renderable)
        if isinstance(renderable, Table):
            renderable.box = None
            renderable.expand = False
            renderable.pad_edge = False
            renderable.padding = (0, 2, 0, 0)
            for row in renderable.columns:
                row.overflow = "ignore"
                row.no_wrap = True
        return renderable

    class _Console(Console):
        def __init__(self, stderr: bool = False) -> None:
            super().__init__(stderr=stderr, highlight=False, soft_wrap=False)
            if not self.is_terminal:
                self.width = PIPE_WIDTH
                self.soft_wrap = True
                self.push_render_hook(_Plain())

        def _render_buffer(self, buffer: Any) -> str:
            text = super()._render_buffer(buffer)
            if self.is_terminal:
                return text
            return "\n".join(line.rstrip() for line in text.split("\n"))

        def on_broken_pipe(self) -> None:
            # `viva ... | head`: the reader had enough; say nothing, exit 0
            # (rich's own default exits 1).
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(0)

    return _Console


def fitting(
    out: Console, build: Callable[[frozenset[str]], Table], optional: Sequence[str]
) -> Table:
    """The table ``build`` makes, less as many ``optional`` columns (dropped in
    that order: decoration first) as it takes for every row to fit the terminal
    unwrapped, so ids and statuses are never cut. Piped output is wide enough
    for all of them."""
    from rich.measure import Measurement

    dropped: list[str] = []
    table = build(frozenset())
    unbounded = out.options.update_width(PIPE_WIDTH)  # the natural width, not clamped
    for name in optional:
        if Measurement.get(out, unbounded, table).maximum <= out.width:
            break
        dropped.append(name)
        table = build(frozenset(dropped))
    return table


def shorten(text: str, out: Console, limit: int = 90) -> str:
    """``text`` cut at a word before ``limit`` characters with an ellipsis on a
    terminal (a list of reminders stays short); whole when piped."""
    if not out.is_terminal or len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut}…"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table for pipes and scripts: a header line, then one tab-separated line per
    row; no colour, no box, nothing cut (tabs and newlines inside a cell become
    spaces, so each row stays one line of the same number of fields)."""

    def cell(value: str) -> str:
        return " ".join(value.split())

    for row in (header, *rows):
        sys.stdout.write("\t".join(cell(v) for v in row) + "\n")
