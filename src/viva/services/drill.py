"""``viva drill`` and ``viva stats`` as functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from viva.catalog.loader import Catalog, Track, load_catalog
from viva.clock import local_day, utc_now
from viva.drill.cards import check_category
from viva.drill.dates import parse_until
from viva.drill.session import DrillSession, choose_defense_date
from viva.drill.stats import Stats, collect_stats, stats_tracks
from viva.errors import UsageProblem
from viva.services.scopes import ScopeAsker, choose_scopes
from viva.store.database import Store, open_store

__all__ = ["DrillFrontEnd", "drill", "stats"]

DrillFrontEnd = Callable[[DrillSession], object]
"""Runs a drill until the queue or the limit runs out, or the candidate leaves."""


def _tracks(
    store: Store,
    catalog: Catalog,
    track: str | None,
    scopes: Sequence[str] = (),
    ask: ScopeAsker | None = None,
) -> list[Track]:
    """The named track, or every track with history (rehearsals or drill cards),
    each with only the questions of the scopes its candidate built."""
    if track:
        named = catalog.resolve(track)
        return [named.scoped(choose_scopes(store, named, scopes, ask))]
    if scopes:
        raise UsageProblem("--scope names what one track's candidate built: name the track too")
    return [
        catalog.tracks[t].scoped(choose_scopes(store, catalog.tracks[t]))
        for t in stats_tracks(store, catalog)
    ]


def drill(
    track: str | None,
    front_end: DrillFrontEnd,
    *,
    category: str | None = None,
    until: str | None = None,
    include_all: bool = False,
    limit: int | None = None,
    now: datetime | None = None,
    scopes: Sequence[str] = (),
    ask: ScopeAsker | None = None,
) -> None:
    """Drill the cards of a track (or of every track with history) toward the defense date.

    ``until`` (YYYY-MM-DD, today or later) is remembered per track; without it the
    earliest remembered date still ahead is used.
    """
    now = now or utc_now()
    day = parse_until(until, local_day(now)) if until is not None else None
    wanted = check_category(category)
    catalog = load_catalog()
    with open_store() as store:
        tracks = _tracks(store, catalog, track, scopes, ask)
        if not tracks:
            raise UsageProblem(
                "no drill or rehearsal history yet: name a track, e.g. `viva drill go/raft-kv` "
                "(`viva tracks` lists them)"
            )
        defense = choose_defense_date(store, [t.id for t in tracks], day, now)
        session = DrillSession(
            store,
            tracks,
            category=wanted,
            defense_date=defense,
            include_all=include_all,
            limit=limit,
        )
        front_end(session)


def stats(track: str | None, until: str | None = None, now: datetime | None = None) -> Stats:
    """Every figure of ``viva stats`` (DESIGN.md's JSON document) for a track or all."""
    now = now or utc_now()
    day = parse_until(until, local_day(now)) if until is not None else None
    catalog = load_catalog()
    with open_store() as store:
        return collect_stats(store, _tracks(store, catalog, track), now, day)
