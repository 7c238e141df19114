"""Shell completion of the names viva's commands take: tracks, sessions,
categories and scopes.

typer calls these while the shell waits for a TAB, so each one is quick (the
track index comes from the cache), reads without creating anything (no store
is made where there is none) and never raises: a completion that cannot be
worked out is simply empty.
"""

from __future__ import annotations

import os
from collections import Counter

__all__ = ["complete_category", "complete_scope", "complete_session", "complete_track"]


def _track_ids() -> list[str]:
    from viva.catalog.index import cached_index

    index = cached_index()
    if index is None:
        from viva.catalog.loader import load_catalog, track_index

        index = track_index(load_catalog())
    return [str(row["id"]) for row in index]


def complete_track(incomplete: str) -> list[str]:
    """Track ids starting with what is typed, and the track slugs that name one
    track alone (``match`` offers ``matching-engine``; ``raft-kv`` is in two paths,
    so ``raf`` is left to the full ids). typer keeps only values starting with
    what is typed, so a slug is offered as itself, not as its full id."""
    try:
        ids = _track_ids()
    except Exception:  # a completion never breaks the shell
        return []
    typed = incomplete.lower()
    slugs = Counter(tid.split("/", 1)[-1] for tid in ids)
    offered = [tid for tid in ids if tid.startswith(typed)]
    offered += sorted(s for s, n in slugs.items() if n == 1 and s.startswith(typed))
    return offered


def complete_session(incomplete: str) -> list[tuple[str, str]]:
    """Recorded session ids (newest first) with their track and status."""
    try:
        from viva.store.database import default_store_path, open_store

        if not default_store_path().exists():
            return []
        with open_store() as store:
            sessions = store.sessions()
    except Exception:  # a completion never breaks the shell
        return []
    return [(s.id, f"{s.track} {s.status}") for s in sessions if s.id.startswith(incomplete)]


def complete_category(incomplete: str) -> list[str]:
    from viva.catalog.models import CATEGORY_IDS

    return [c for c in CATEGORY_IDS if c.startswith(incomplete)]


def complete_scope(incomplete: str) -> list[tuple[str, str]]:
    """The scopes of the track already on the command line (and ``none``).

    The track is looked for among the words of the line being completed, which
    typer's scripts pass in ``COMP_WORDS`` (bash) or ``_TYPER_COMPLETE_ARGS``
    (zsh, fish): while an option's value is completed, click has not parsed
    the arguments before it, and typer hands the callback no words.
    """
    found: list[tuple[str, str]] = [("none", "no scope or stretch item built")]
    try:
        from viva.catalog.loader import load_catalog

        catalog = load_catalog()
        line = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or ""
        words = [w for w in line.split()[1:] if not w.startswith("-")]
        for word in words:
            if word in catalog.tracks or any(t.endswith(word) for t in catalog.tracks):
                try:
                    track = catalog.resolve(word)
                except Exception:  # ambiguous: try the next word
                    continue
                found += [(sc.id, sc.kind) for sc in track.spec.scopes]
                break
    except Exception:  # a completion never breaks the shell
        pass
    return [(value, help) for value, help in found if value.startswith(incomplete)]
