"""The terminal rendering of ``viva sessions``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["render_sessions"]


def render_sessions(rows: list[dict[str, Any]], out: Console) -> None:
    """One row per session, oldest first; a hint when there are none."""
    table = Table(title="Sessions", title_justify="left")
    for col in ("id", "track", "min", "seed", "status", "started (UTC)"):
        table.add_column(col, no_wrap=True)
    for r in rows:
        table.add_row(
            r["id"],
            r["track"],
            str(r["minutes"]),
            str(r["seed"]),
            r["status"],
            r["started_at"][:16].replace("T", " "),
        )
    out.print(table if rows else "no sessions yet: start one with `viva rehearse TRACK`")
