"""The terminal rendering of ``viva sessions``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["render_sessions"]


def render_sessions(rows: list[dict[str, Any]], out: Console) -> None:
    """One row per session, oldest first; a hint when there are none.

    The id (what the next command needs) and the status are never cut: on a
    narrow terminal the mode column (``review`` for a reviewer's session) goes
    first, then the seed, then the start time, and the track wraps. Piped, the
    rows are tab-separated plain text, the mode always last.
    """
    if not rows:
        out.print("no sessions yet: start one with `viva rehearse TRACK`")
        return
    header = ("id", "track", "min", "seed", "status", "started (UTC)", "mode")
    cells = [
        (
            r["id"],
            r["track"],
            str(r["minutes"]),
            str(r["seed"]),
            r["status"],
            r["started_at"][:16].replace("T", " "),
            r.get("mode", "rehearsal"),
        )
        for r in rows
    ]
    if not out.is_terminal:
        from viva.cli.output import print_rows

        print_rows(header, cells)
        return
    keep = list(range(len(header)))
    if out.width < 100 or all(c[6] == "rehearsal" for c in cells):
        keep.remove(6)  # mode: only worth a column when a reviewer scored a session
    if out.width < 88:
        keep.remove(3)  # seed: decorative here, `viva report` shows it
    if out.width < 70:
        keep.remove(5)  # started: the id begins with the start time anyway
    table = Table(title="Sessions", title_justify="left")
    for i in keep:
        wraps = header[i] == "track"
        table.add_column(header[i], no_wrap=not wraps, overflow="fold" if wraps else "ellipsis")
    for c in cells:
        table.add_row(*(c[i] for i in keep))
    out.print(table)
