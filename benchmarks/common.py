"""Shared by the benchmark scripts: hand the rows to ``make bench``'s one table.

Each script prints its own table; when ``VIVA_BENCH_OUT`` names a file, it
also appends its rows there as JSON lines, which ``benchmarks/suite.py``
collects into one table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def emit(script: str, rows: list[tuple[str, str, str, bool | None]]) -> None:
    """Rows are (metric, measured ratio or figure, goal, passed or None)."""
    out = os.environ.get("VIVA_BENCH_OUT")
    if not out:
        return
    with Path(out).open("a", encoding="utf-8") as fh:
        for metric, figure, goal, ok in rows:
            fh.write(
                json.dumps(
                    {"script": script, "metric": metric, "figure": figure, "goal": goal, "ok": ok}
                )
                + "\n"
            )
