"""Faithfulness of the drawn agendas, over every track, both lengths and seeds 1-20.

For each track and length it counts, over the seeds: agendas missing a must
question; sections of 4 minutes or more without a bank question; review
categories of the format never asked; the number of items asked; agendas over
the session; and whether the same seed gives the same agenda after rehearsals
(history given to the planner is ignored when a seed is named: checked here
through the application layer with a store holding rehearsals).

    .venv/bin/python benchmarks/agendas.py [--seeds 20]

It exits 1 when any agenda misses a must question, a section lacks a bank
question, or a seed does not repeat.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ["VIVA_HOME"] = tempfile.mkdtemp(prefix="viva-agendas-")

    from viva.catalog.loader import load_catalog
    from viva.rehearsal.planner import MIN_BANK_SECTION_MINUTES, draw_agenda, eligible_questions
    from viva.rehearsal.session import LiveSession
    from viva.services.rehearsal import plan
    from viva.store.database import open_store

    catalog = load_catalog()
    seeds = range(1, args.seeds + 1)
    bad = 0
    print(
        f"{'track':28} {'min':>3} {'must':>4} {'miss':>4} {'bare':>4} {'cats':>9} "
        f"{'items':>7} {'over':>4} {'same':>4}"
    )
    totals = {"agendas": 0, "missing_must": 0, "bare": 0, "uncovered_60": 0, "repeat_fail": 0}
    for track in catalog.tracks.values():
        musts = {q.id for q in eligible_questions(track, ()) if q.must}
        for minutes in (45, 60):
            miss = bare = over = 0
            uncovered: list[int] = []
            items: list[int] = []
            for seed in seeds:
                agenda = draw_agenda(catalog, track, minutes, seed)
                ids = {q.id for q in agenda.questions}
                miss += bool(musts - ids)
                for s in agenda.sections:
                    if s.budget_seconds >= MIN_BANK_SECTION_MINUTES * 60 and len(s.questions) < 2:
                        bare += 1
                named = {c for s in agenda.sections for c in s.categories} & {
                    q.category for q in eligible_questions(track, ())
                }
                asked = {q.category for q in agenda.questions if not q.opening}
                uncovered.append(len(named - asked))
                items.append(len(agenda.questions))
                over += agenda.planned_minutes > minutes
            # the same seed after rehearsals: store two sessions, then plan again
            first = [plan(track.id, minutes, s).to_json()["sections"] for s in (1, 2)]
            with open_store() as store:
                for s in (1, 2):
                    live = LiveSession.start(store, draw_agenda(catalog, track, minutes, s))
                    live.act("rate", rating=1)
                    live.act("skip")
                    live.act("end")
            again = [plan(track.id, minutes, s).to_json()["sections"] for s in (1, 2)]
            same = first == again
            cats = f"{sum(1 for u in uncovered if u)}/{len(uncovered)}"
            print(
                f"{track.id:28} {minutes:>3} {len(musts):>4} {miss:>4} {bare:>4} {cats:>9} "
                f"{min(items):>3}-{max(items):<3} {over:>4} {'yes' if same else 'NO':>4}"
            )
            totals["agendas"] += len(seeds)
            totals["missing_must"] += miss
            totals["bare"] += bare
            totals["repeat_fail"] += not same
            if minutes == 60:
                totals["uncovered_60"] += sum(1 for u in uncovered if u)
            bad += miss + bare + (not same)
    print()
    print(
        f"{totals['agendas']} agendas: {totals['missing_must']} missing a must question, "
        f"{totals['bare']} sections of >= {MIN_BANK_SECTION_MINUTES} min without a bank "
        f"question, {totals['uncovered_60']} 60-minute agendas leaving a category unasked, "
        f"{totals['repeat_fail']} track/lengths where a seed did not repeat after rehearsals"
    )
    print("columns: must = must questions; miss/bare/over = agendas (sections) failing;")
    print("cats = agendas leaving some named category unasked; items = prompts asked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
