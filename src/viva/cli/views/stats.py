"""The terminal rendering of ``viva stats`` (rich bars and sparklines).

It only draws the :class:`viva.drill.stats.Stats` that ``--json`` prints, so
the two never disagree. Reviewed sessions add a ``score`` column to the
rehearsals (the mean of the reviewer's category scores, 1-5), a table of
reviewer scores beside self-ratings per category, and the categories that
stay weak (:func:`viva.drill.stats.weak_rule_text` says the rule).
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Console
from rich.table import Table
from rich.text import Text

from viva.cli.output import fitting
from viva.cli.views.report import time_bar
from viva.clock import local_day
from viva.drill.stats import WEAK_SCORE, Stats, weak_rule_text
from viva.rehearsal.engine import clock_text
from viva.text import printable

__all__ = ["bar", "render_stats", "sparkline"]

_SPARKS = "▁▂▃▄▅▆▇█"
SPARK_DAYS = 30


def sparkline(values: list[float], low: float | None = None, high: float | None = None) -> str:
    """One character per value, ``▁`` (low) to ``█`` (high); a gap for a zero count."""
    if not values:
        return ""
    lo = min(values) if low is None else low
    hi = max(values) if high is None else high
    span = (hi - lo) or 1.0
    top = len(_SPARKS) - 1
    return "".join(_SPARKS[max(0, min(top, round((v - lo) / span * top)))] for v in values)


def bar(share: float, width: int = 20, good: str = "green", rest: str = "dim") -> Text:
    share = max(0.0, min(1.0, share))
    full = round(share * width)
    return Text.assemble(("█" * full, good), ("░" * (width - full), rest))


def _daily_counts(data: Stats, today: date) -> list[float]:
    counts = {d.date: d.count for d in data.reviews_by_day}
    days = [today - timedelta(days=i) for i in range(SPARK_DAYS - 1, -1, -1)]
    return [float(counts.get(d, 0)) for d in days]


def _cards(data: Stats, out: Console) -> None:
    cards = data.cards
    dates = data.dated
    when = (
        f"defense {', '.join(d.isoformat() for d in dates)}"
        if dates
        else "now (no defense date; --until)"
    )
    table = Table(title="Drill cards", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("n", justify="right")
    table.add_column("")
    total = cards.total or 1
    table.add_row("cards", str(cards.total), "")
    table.add_row("new (never rated)", str(cards.new), bar(cards.new / total, good="blue"))
    table.add_row("reviewed", str(cards.reviewed), bar(cards.reviewed / total))
    table.add_row("due now", str(cards.due_now), bar(cards.due_now / total, good="yellow"))
    if cards.due_before_defense is not None:
        table.add_row(
            "due before the defense",
            str(cards.due_before_defense),
            bar(cards.due_before_defense / total, good="yellow"),
        )
    recall = cards.predicted_recall
    if recall is not None:
        table.add_row(f"mean predicted recall, {when}", f"{recall:.0%}", bar(recall))
    table.add_row(
        f"below {data.target_recall:.0%} recall, {when}",
        str(cards.below_target),
        bar(cards.below_target / total, good="red"),
    )
    table.add_row("reviews logged", str(cards.reviews), "")
    if cards.retired:
        table.add_row("kept from removed questions", str(cards.retired), "")
    out.print(table)


def _rehearsals(data: Stats, out: Console) -> None:
    rows = data.rehearsals
    if not rows:
        out.print(Text("No rehearsals yet: viva rehearse TRACK", style="dim"))
        return
    spoken = [r.speech for r in rows if r.speech is not None]
    reviewed = bool(data.reviewed)

    def build(dropped: frozenset[str]) -> Table:
        table = Table(title="Rehearsals", title_justify="left")
        columns = ["started (UTC)", "track", "status", "time / budget", "", "sections", "rating"]
        if reviewed:
            columns.append("score")
        if spoken:
            columns += ["words/min", "fillers/min"]
        keep = [c for c in columns if c not in dropped]
        for col in keep:
            if col == "track":  # below 80 columns a long id folds rather than cut
                table.add_column(col, overflow="fold")
            else:
                table.add_column(col, no_wrap=True, justify="right" if "/min" in col else "left")
        for r in rows:
            mean = r.mean_rating
            score = r.review.mean_score if r.review is not None else None
            sp = r.speech
            cells: dict[str, str | Text] = {
                "started (UTC)": r.started_at.strftime(
                    "%m-%d %H:%M" if "year" in dropped else "%Y-%m-%d %H:%M"
                ),
                "track": r.track,
                "status": r.status,
                "time / budget": f"{clock_text(r.active_seconds)} / {clock_text(r.budget_seconds)}",
                "": time_bar(r.active_seconds, r.budget_seconds),
                "sections": "".join("▲" if s.over_budget else "·" for s in r.sections),
                "rating": f"{mean:.1f}" if mean is not None else "-",
                "score": f"{score:.1f}" if score is not None else "-",
                "words/min": f"{sp.words_per_minute:.0f}" if sp else "typed",
                "fillers/min": f"{sp.fillers_per_minute:.1f}" if sp else "-",
            }
            table.add_row(*(cells[c] for c in keep))
        return table

    # Narrow: the bar goes first, then the per-section marks, the speech figures,
    # the rating, the reviewer's score and the year; the start, track, status and
    # time always stay.
    optional = ["", "sections", "fillers/min", "words/min", "rating", "score", "year"]
    out.print(fitting(out, build, optional))
    legend = "sections: ▲ over budget, · within"
    if reviewed:
        legend += "; score: a reviewer's mean category score (1-5), - for a rehearsal"
    out.print(Text(legend, style="dim"))
    use = [r.active_seconds / max(1, r.budget_seconds) for r in rows]
    out.print(f"time used / budget, oldest to newest: {sparkline(use, 0.0, 1.5)}")
    if spoken:
        wpm = [s.words_per_minute for s in spoken]
        fpm = [s.fillers_per_minute for s in spoken]
        out.print(
            f"spoken rehearsals, oldest to newest: words/min {sparkline(wpm, 0.0, 200.0)} "
            f"(last {wpm[-1]:.0f}), fillers/min {sparkline(fpm, 0.0, 10.0)} "
            f"(last {fpm[-1]:.1f})"
        )
    if data.categories:
        cats = Table(title="Rehearsal ratings per category", title_justify="left")
        cats.add_column("category")
        cats.add_column("rated", justify="right")
        cats.add_column("mean", justify="right")
        cats.add_column("")
        for name, c in data.categories.items():
            value = c.mean_rating or 0.0
            cats.add_row(name, str(c.rated), f"{value:.1f}", bar((value - 1) / 3, width=12))
        out.print(cats)


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _reviews(data: Stats, out: Console) -> None:
    """Reviewer scores (1-5) beside self-ratings (1-4) per category, then the
    categories that stay weak."""
    if not data.review_categories:
        return

    def build(dropped: frozenset[str]) -> Table:
        table = Table(
            title="Reviewer scores (1-5) beside self-ratings (1-4), per category",
            title_justify="left",
        )
        columns = ["category", "self", "rated", "score", "last", "reviews", "", "weak"]
        keep = [c for c in columns if c not in dropped]
        for col in keep:
            table.add_column(
                col, no_wrap=True, justify="left" if col in ("category", "") else "right"
            )
        for name, c in data.review_categories.items():
            own = data.categories.get(name)
            cells: dict[str, str | Text] = {
                "category": name,
                "self": _score(own.mean_rating if own else None),
                "rated": str(own.rated if own else 0),
                "score": _score(c.mean_score),
                "last": _score(c.last_score),
                "reviews": str(c.sessions),
                "": bar(
                    ((c.mean_score or 1.0) - 1) / 4, width=10, good="red" if c.weak else "green"
                ),
                "weak": "weak" if c.weak else "",
            }
            table.add_row(*(cells[col] for col in keep))
        return table

    out.print(fitting(out, build, ["", "rated", "last"]))
    out.print(
        Text(
            "self: mean self-rating over every session; score: mean reviewer summary score "
            "over the reviewed sessions; reviews: reviewed sessions that scored it",
            style="dim",
        )
    )
    if not data.weak_categories:
        out.print(Text(f"No category stays weak ({weak_rule_text()}).", style="dim"))
        return
    out.print(Text(f"Categories that stay weak ({weak_rule_text()})", style="bold"))
    candidates = {w.candidate for w in data.weak_categories}
    for w in data.weak_categories:
        who = f" ({printable(w.candidate or 'no candidate named')})" if len(candidates) > 1 else ""
        scores = " · ".join(f"{s:g}" for s in w.scores)
        out.print(
            Text(
                f"  - {w.category}{who}: {w.below} of the last {len(w.scores)} below "
                f"{WEAK_SCORE:g} (scores {scores}, oldest first)"
            )
        )


def _weakest(data: Stats, out: Console) -> None:
    if not data.weakest:
        return

    def build(dropped: frozenset[str]) -> Table:
        table = Table(title="Weakest questions (lowest predicted recall)", title_justify="left")
        columns = [
            c
            for c in ("question", "category", "recall", "", "lapses", "last", "due")
            if c not in dropped
        ]
        for col in columns:
            table.add_column(col, no_wrap=col != "question", overflow="fold")
        for w in data.weakest:
            good = "green" if w.recall >= data.target_recall else "red"
            cells: dict[str, str | Text] = {
                "question": w.id,
                "category": w.category,
                "recall": f"{w.recall:.0%}",
                "": bar(w.recall, width=10, good=good),
                "lapses": str(w.lapses),
                "last": str(w.last_rating or "-"),
                "due": local_day(w.due).isoformat(),
            }
            table.add_row(*(cells[c] for c in columns))
        return table

    # The bar goes first, then the tallies: the question id stays whole.
    out.print(fitting(out, build, ["", "last", "lapses", "category"]))


def render_stats(data: Stats, out: Console) -> None:
    tracks = data.tracks
    if not tracks:
        out.print(
            "no rehearsals or drills yet: start with `viva rehearse TRACK` or `viva drill TRACK`"
        )
        return
    out.print(Text(f"Stats · {', '.join(tracks)}", style="bold"))
    _cards(data, out)
    today = local_day(data.generated_at)
    daily = _daily_counts(data, today)
    out.print(
        f"drill reviews, last {SPARK_DAYS} days: {sparkline(daily, 0.0)}  "
        f"({int(sum(daily))} reviews)"
    )
    _rehearsals(data, out)
    _reviews(data, out)
    _weakest(data, out)
