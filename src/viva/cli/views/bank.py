"""The terminal renderings of ``viva bank show`` and ``viva bank stats``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from viva.catalog.bankstats import MINIMUMS, BankStats
from viva.catalog.loader import Track
from viva.catalog.models import CATEGORY_IDS
from viva.cli.output import fitting

__all__ = ["render_bank", "render_bank_stats"]


def render_bank(t: Track, out: Console) -> None:
    """Every question with its key points, follow-ups, minutes and source."""
    out.print(Text(f"{t.id}: {len(t.questions)} questions", style="bold"))
    for i, q in enumerate(t.questions, 1):
        out.print()
        out.print(
            Text.assemble(
                (f"{i}. {q.id}", "bold"),
                f"  [{q.category} · {q.kind} · {q.minutes} min · difficulty {q.difficulty}]",
            )
        )
        out.print(Text(q.prompt))
        for kp in q.key_points:
            out.print(Text(f"  • {kp}", style="green"))
        for fu in q.follow_ups:
            out.print(Text(f"  ↳ {fu.prompt}", style="cyan"))
            for kp in fu.key_points:
                out.print(Text(f"      • {kp}", style="green"))
        out.print(Text(f"  source: {q.source}", style="dim"))


def render_bank_stats(all_stats: list[BankStats], out: Console) -> None:
    """Two tables: questions per category, and kinds, depth and time. Below 80
    columns they lose their frames, and the second drops its derived figures
    (sessions of 60, minutes, key points, follow-up share) until the counts and
    the check fit whole."""
    short = ("arch", "perf", "corr", "fail", "sec", "ops", "cost", "dec")
    narrow = out.width < 80

    def frame(table: Table) -> Table:
        if narrow:  # no frame, one space between columns
            table.box = None
            table.padding = (0, 0, 0, 1)
        return table

    by_cat = frame(
        Table(
            title="Questions per review category",
            title_justify="left",
            caption="arch architecture · perf performance · corr correctness · fail "
            "failure-modes · sec security · ops operations · dec decisions",
            caption_justify="left",
            pad_edge=False,
        )
    )
    by_cat.add_column("track", no_wrap=True)
    by_cat.add_column("Qs", justify="right", no_wrap=True)
    for head in short:
        by_cat.add_column(head, justify="right", no_wrap=True)
    previous_path = None
    for s in all_stats:
        path, slug = s.track.split("/", 1)
        if path != previous_path:
            by_cat.add_row(f"[bold]{path}/[/]")
            previous_path = path
        by_cat.add_row(
            f"  {slug}", str(s.questions), *(str(s.by_category[c]) or "" for c in CATEGORY_IDS)
        )

    def kinds(dropped: frozenset[str]) -> Table:
        heads = [
            h
            for h in ("def", "f-s", "rev", "deep", "KP/Q", "FU%", "min", "×60", "stale")
            if h not in dropped
        ]
        table = frame(
            Table(
                title="Kinds, depth and time",
                title_justify="left",
                caption="def defensible · f-s failure-scenario · rev review · deep deep-dive · "
                "KP/Q key points per question · FU% questions with follow-ups · min minutes of "
                "questions · ×60 that many 60-minute sessions · stale questions not verified "
                "in the last 12 months (`viva bank stats --json` lists them)",
                caption_justify="left",
                pad_edge=False,
            )
        )
        table.add_column("track", no_wrap=True)
        for head in heads:
            table.add_column(head, justify="right", no_wrap=True)
        table.add_column("check", min_width=5)
        previous = None
        for s in all_stats:
            path, slug = s.track.split("/", 1)
            if path != previous:
                table.add_row(f"[bold]{path}/[/]")
                previous = path
            figures = {
                "def": str(s.by_kind["defensible"]),
                "f-s": str(s.by_kind["failure-scenario"]),
                "rev": str(s.by_kind["review"]),
                "deep": str(s.by_kind["deep-dive"]),
                "KP/Q": f"{s.key_points_avg:.1f}",
                "FU%": f"{s.follow_up_share:.0%}",
                "min": str(s.minutes),
                "×60": f"{s.sessions_of_60:.1f}",
                "stale": str(len(s.unverified)),
            }
            check = (
                "[green]ok[/]" if not s.shortfalls else "[red]" + "; ".join(s.shortfalls) + "[/]"
            )
            table.add_row(f"  {slug}", *(figures[h] for h in heads), check)
        return table

    by_kind = fitting(out, kinds, ["×60", "min", "KP/Q", "FU%"])
    out.print(by_cat)
    out.print()
    out.print(by_kind)
    out.print(
        f"minimums: {MINIMUMS['questions']} questions, {MINIMUMS['categories']} categories, "
        f"{MINIMUMS['failure_scenario']} failure-scenario, {MINIMUMS['defensible']} defensible, "
        f"{MINIMUMS['cost']} cost, {MINIMUMS['key_points_avg']} key points per question, "
        f"follow-ups on {MINIMUMS['follow_up_share']:.0%}, "
        f"{MINIMUMS['per_alternative_scope']} per alternative scope; "
        "×60 = minutes of questions per 60-minute session"
    )
