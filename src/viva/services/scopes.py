"""Which scopes the candidate built: named on the command line, remembered per
track in the store, or asked in a terminal when the track offers alternatives.

A track's seed may offer alternative scopes (runtime-fork: runc-trace,
runc-autoseccomp or runc-cap) or stretch items (multi-broker, speculative
decoding); questions about one of them are drawn only for a candidate who
built it. ``--scope none`` says "none of them" and is remembered too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from viva.catalog.loader import Track
from viva.clock import utc_now
from viva.errors import UsageProblem
from viva.rehearsal.planner import check_scopes
from viva.store.database import Store, default_store_path, open_store

__all__ = ["NO_SCOPE", "ScopeAsker", "choose_scopes", "remembered_scopes"]

NO_SCOPE = "none"
"""``--scope none``: scope-neutral questions only."""

ScopeAsker = Callable[[Track], Sequence[str] | None]
"""Asks the candidate, in a terminal, which of a track's scopes they built
(None when no answer came: nothing is remembered then)."""


def _given(track: Track, given: Sequence[str]) -> tuple[str, ...]:
    if NO_SCOPE in given:
        if len(set(given)) > 1:
            others = ", ".join(sorted(set(given) - {NO_SCOPE}))
            raise UsageProblem(f"--scope none means no scope: it does not go with {others}")
        return ()
    return check_scopes(track, given)


def choose_scopes(
    store: Store,
    track: Track,
    given: Sequence[str] = (),
    ask: ScopeAsker | None = None,
    now: datetime | None = None,
) -> tuple[str, ...]:
    """The scopes to plan for: ``given`` (then remembered), else the remembered
    ones, else the answer of ``ask`` when the track offers alternatives (then
    remembered), else none."""
    if given:
        chosen = _given(track, given)
        store.set_scopes(track.id, chosen, now or utc_now())
        return chosen
    remembered = store.scopes(track.id)
    if remembered is not None:
        return check_scopes(track, [s for s in remembered if track_offers(track, s)])
    if ask is not None and any(s.kind == "alternative" for s in track.spec.scopes):
        reply = ask(track)
        if reply is None:  # no answer (end of input): scope-neutral, and ask next time
            return ()
        chosen = _given(track, reply)
        store.set_scopes(track.id, chosen, now or utc_now())
        return chosen
    return ()


def remembered_scopes(
    track: Track, given: Sequence[str] = (), ask: ScopeAsker | None = None
) -> tuple[str, ...]:
    """:func:`choose_scopes` for a command that may run before any store exists:
    a store is created only to remember a choice."""
    asks = ask is not None and any(s.kind == "alternative" for s in track.spec.scopes)
    if not (given or asks or default_store_path().exists()):
        return ()  # nothing to remember and nothing remembered
    with open_store() as store:
        return choose_scopes(store, track, given, ask)


def track_offers(track: Track, scope: str) -> bool:
    return any(s.id == scope for s in track.spec.scopes)
