"""The terminal rendering of a track brief (``viva show``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from viva.catalog.loader import Catalog, Track

__all__ = ["render_brief"]


def _items(title: str, items: Sequence[str], prefix: str = "") -> Group | None:
    if not items:
        return None
    body = "\n".join(f"- {prefix}{item}" for item in items)
    return Group(Text(title, style="bold cyan"), Markdown(body, hyperlinks=False), Text(""))


def _format_table(catalog: Catalog, track: Track, minutes: int) -> Table:
    fmt = catalog.format_for(track.path.id)
    variant = fmt.variant(minutes)
    mark = " (this path's defense length)" if minutes == track.defense_minutes else ""
    table = Table(title=f"{minutes}-minute defense: {fmt.title}{mark}", title_justify="left")
    table.add_column("section")
    table.add_column("budget", justify="right")
    table.add_column("draws from")
    start = 0
    for s in variant.sections:
        table.add_row(
            s.title, f"{s.minutes} min ({start}-{start + s.minutes})", ", ".join(s.categories)
        )
        start += s.minutes
    return table


def render_brief(catalog: Catalog, track: Track, console: Console) -> None:
    spec = track.spec
    header = Text.assemble(
        (f"{track.id}", "bold"),
        f"  {track.path.title} / Track {spec.number}\n",
        (spec.title, "bold magenta"),
        f"\nDefense: {track.defense_minutes} minutes · "
        f"{len(track.questions)} questions in the bank",
    )
    console.print(Panel(header, expand=False))
    parts = [
        Group(Text("Outcome", style="bold cyan"), Markdown(spec.outcome), Text("")),
        _items("Functional spec", spec.functional_spec),
        _items("Numeric targets to probe", track.numeric_targets()),
        _items("Architecture sketch", spec.architecture_sketch),
        _items("Suggested scopes", spec.suggested_scopes),
        _items("Test rigor", spec.test_rigor),
        _items("Hardening pass", spec.hardening_pass),
        _items("Failure scenarios to test", spec.failure_scenarios),
        _items("Acceptance checklist", track.acceptance_checklist(), prefix="☐ "),
        _items("Must-answer questions", [f'"{q}"' for q in spec.defensible_answers]),
        _items(
            "Asked in every defense (must questions)",
            [f"{q.id}: {' '.join(q.prompt.split())}" for q in track.questions if q.must],
        ),
        _items(
            "Scopes you may have built (--scope ID; questions about the others are never drawn)",
            [
                f"`{sc.id}` ({sc.kind}): {sc.title} — "
                f"{sum(sc.id in q.scopes for q in track.questions)} questions"
                for sc in spec.scopes
            ],
        ),
        _items(
            f"{track.path.title}: cross-track requirements", track.path.cross_track_requirements
        ),
    ]
    if track.path.defense_readiness:
        parts.append(
            Group(
                Text("Defense readiness", style="bold cyan"),
                Markdown(track.path.defense_readiness),
                Text(""),
            )
        )
    for section in (*spec.other_sections, *track.path.other_sections):
        parts.append(_items(section.title, section.items))
    for part in parts:
        if part is not None:
            console.print(part)
    for minutes in (45, 60):
        console.print(_format_table(catalog, track, minutes))
        console.print()
