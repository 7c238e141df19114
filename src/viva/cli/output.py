"""Terminal output helpers shared by the commands (rich is imported lazily)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "print_json", "print_rows"]


def console(stderr: bool = False) -> Console:
    """A rich console for one command's output (stdout, or stderr for status)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # `viva ... | head`: the reader had enough; say nothing, exit 0
            # (rich's own default exits 1).
            self.quiet = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(0)

    return _Console(stderr=stderr, highlight=False, soft_wrap=False)


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
