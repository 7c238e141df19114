"""``viva bank``: lint, show and count question banks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Validate, show and count question banks.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="bank")


@app.command("lint")
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Bank or catalog files, or folders to search for .yaml files."),
    ],
) -> None:
    """Validate bank and catalog files; print every problem as file:line: field: message."""
    import sys

    from viva.lint import lint_paths

    result = lint_paths(paths)
    for err in result.errors:
        sys.stdout.write(f"{err}\n")
    if result.errors:
        n = len(result.errors)
        sys.stderr.write(f"{n} problem{'s' if n != 1 else ''} in {result.files} files\n")
        raise typer.Exit(1)
    sys.stdout.write(f"ok: {result.files} files, {result.questions} questions\n")


@app.command("show")
def show(
    track: Annotated[str, typer.Argument(help="Track id, or a unique prefix or suffix of one.")],
    json: Annotated[bool, typer.Option("--json", help="Print the questions as JSON.")] = False,
) -> None:
    """Print a track's questions as loaded (key points, follow-ups, minutes, source)."""
    from viva.catalog import load_catalog
    from viva.cli.output import console, print_json

    t = load_catalog().resolve(track)
    if json:
        print_json([q.model_dump(mode="json") for q in t.questions])
        return
    from rich.text import Text

    out = console()
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


@app.command("stats")
def stats(
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Count every track's questions per category and kind, key points, follow-ups and
    minutes available against a 60-minute session, and check the minimums."""
    from rich.table import Table

    from viva.bankstats import MINIMUMS, bank_stats
    from viva.catalog import load_catalog
    from viva.cli.output import console, print_json
    from viva.models import CATEGORY_IDS

    all_stats = [bank_stats(t) for t in load_catalog().tracks.values()]
    if json:
        print_json([s.as_json() for s in all_stats])
        return
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
        "×60 that many 60-minute sessions",
        caption_justify="left",
        pad_edge=False,
    )
    by_cat.add_column("track", no_wrap=True)
    by_cat.add_column("Qs", justify="right")
    for head in short:
        by_cat.add_column(head, justify="right")
    by_kind.add_column("track", no_wrap=True)
    for head in ("def", "f-s", "rev", "deep", "KP/Q", "FU%", "min", "×60"):
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
            "[green]ok[/]" if not s.shortfalls else "[red]" + "; ".join(s.shortfalls) + "[/]",
        )
    out = console()
    out.print(by_cat)
    out.print()
    out.print(by_kind)
    out.print(
        f"minimums: {MINIMUMS['questions']} questions, {MINIMUMS['categories']} categories, "
        f"{MINIMUMS['failure_scenario']} failure-scenario, {MINIMUMS['defensible']} defensible, "
        f"{MINIMUMS['key_points_avg']} key points per question, follow-ups on "
        f"{MINIMUMS['follow_up_share']:.0%}; ×60 = minutes of questions per 60-minute session"
    )
