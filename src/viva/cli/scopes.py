"""Asking, in a terminal, which of a track's alternative scopes the candidate built."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from viva.catalog.loader import Track
from viva.services.scopes import NO_SCOPE, ScopeAsker

__all__ = ["terminal_asker"]


def _ask(track: Track) -> Sequence[str] | None:
    err = Console(stderr=True, highlight=False)
    scopes = track.spec.scopes
    err.print(Text(f"{track.id} lets you choose what to build; which did you build?", "bold"))
    for i, scope in enumerate(scopes, 1):
        err.print(Text(f"  {i}. {scope.id} ({scope.kind}): {scope.title}"))
    err.print(Text("Numbers or ids, separated by spaces or commas; Enter or none for none.", "dim"))
    while True:
        err.print("> ", end="")
        reply = sys.stdin.readline()
        if reply == "":  # end of input: no answer, nothing remembered
            err.print()
            return None
        words = reply.replace(",", " ").split()
        if not words or words == [NO_SCOPE]:
            return [NO_SCOPE]
        chosen: list[str] = []
        for word in words:
            if word.isdigit() and 1 <= int(word) <= len(scopes):
                chosen.append(scopes[int(word) - 1].id)
            elif any(s.id == word for s in scopes):
                chosen.append(word)
            else:
                err.print(Text(f"! no scope {word!r}; choose from the list above"))
                break
        else:
            return chosen


def terminal_asker(plain: bool = False) -> ScopeAsker | None:
    """The question in a terminal, or nothing when input is not a terminal (then the
    candidate gets scope-neutral questions unless --scope names some)."""
    if plain or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    return _ask
