"""Terminal output helpers shared by the commands (rich is imported lazily)."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "print_json"]


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
