"""Drive both Textual screens once, headless: a smoke run for the lowest-versions check.

``python -m tests.smoke_screens`` (VIVA_HOME names the store) opens the
rehearsal screen on go/raft-kv, types and records an answer, rates it and
quits; then opens the drill screen, reveals and rates one card. It prints
``screens ok`` and exits 0, or fails with the traceback of what broke.
"""

from __future__ import annotations

import asyncio

from viva.catalog.loader import load_catalog
from viva.drill.session import DrillSession
from viva.rehearsal.planner import draw_agenda
from viva.rehearsal.session import LiveSession
from viva.store.database import open_store
from viva.tui.screens.drill import build_drill_app
from viva.tui.screens.rehearsal import build_app

SIZE = (120, 40)


async def rehearsal() -> None:
    catalog = load_catalog()
    track = catalog.tracks["go/raft-kv"]
    with open_store() as store:
        live = LiveSession.start(store, draw_agenda(catalog, track, 45, 1))
        app = build_app(live, track)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*"it works", "ctrl+n", "f3", "ctrl+o", "ctrl+p", "ctrl+p")
            await pilot.press("ctrl+q")
        answered = live.rehearsal.sections[0].questions[0]
        if answered.answer != "it works" or live.row.id is None:
            raise SystemExit(f"rehearsal screen recorded {answered.answer!r}")


async def drill() -> None:
    track = load_catalog().tracks["go/raft-kv"]
    with open_store() as store:
        session = DrillSession(store, [track], limit=1)
        app = build_drill_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*"leader steps down", "ctrl+n")
            await pilot.pause()
            await pilot.press("3")
            await pilot.pause()
        if session.rated != 1:
            raise SystemExit(f"drill screen rated {session.rated} cards, not 1")


def main() -> None:
    asyncio.run(rehearsal())
    asyncio.run(drill())
    print("screens ok")


if __name__ == "__main__":
    main()
