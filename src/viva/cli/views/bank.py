"""The terminal renderings of ``viva bank show`` and ``viva bank stats``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from viva.catalog.bankstats import MINIMUMS, BankStats
from viva.catalog.loader import Track
from viva.catalog.models import CATEGORY_IDS

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
    """Two tables that fit 80 columns: questions per category, and kinds, depth and time."""
    short = ("arch", "perf", "corr", "fail", "sec", "ops", "cost", "dec")
    by_cat = Table(
        title="Questions per review category",
        title_justify="left",
        caption="arch architecture · perf performance · corr correctness · fail failure-modes "
        "· sec security · ops operations · dec decisions",
        caption_justify="left",
        pad_edge=False,
    )
    by_kind = Table(
        title="Kinds, depth and time",
        title_justify="left",
        caption="def defensible · f-s failure-scenario · rev review · deep deep-dive · KP/Q key "
        "points per question · FU% questions with follow-ups · min minutes of questions · "
        "×60 that many 60-minute sessions · stale questions not verified in the last 12 "
        "months (`viva bank stats --json` lists them)",
        caption_justify="left",
        pad_edge=False,
    )
    by_cat.add_column("track", no_wrap=True)
    by_cat.add_column("Qs", justify="right")
    for head in short:
        by_cat.add_column(head, justify="right")
    by_kind.add_column("track", no_wrap=True)
    for head in ("def", "f-s", "rev", "deep", "KP/Q", "FU%", "min", "×60", "stale"):
        by_kind.add_column(head, justify="right")
    by_kind.add_column("check")
    previous_path = None
    for s in all_stats:
        path, slug = s.track.split("/", 1)
        if path != previous_path:
            for table in (by_cat, by_kind):
                table.add_row(f"[bold]{path}/[/]")
            previous_path = path
        name = f"  {slug}"
        by_cat.add_row(name, str(s.questions), *(str(s.by_category[c]) or "" for c in CATEGORY_IDS))
        by_kind.add_row(
            name,
            str(s.by_kind["defensible"]),
            str(s.by_kind["failure-scenario"]),
            str(s.by_kind["review"]),
            str(s.by_kind["deep-dive"]),
            f"{s.key_points_avg:.1f}",
            f"{s.follow_up_share:.0%}",
            str(s.minutes),
            f"{s.sessions_of_60:.1f}",
            str(len(s.unverified)),
            "[green]ok[/]" if not s.shortfalls else "[red]" + "; ".join(s.shortfalls) + "[/]",
        )
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
