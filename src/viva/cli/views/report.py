"""The terminal rendering of a session report (``viva report``).

A reviewed session (``viva review``) adds the reviewer's side: a table of each
question's self-rating beside the reviewer's score (with its rubric label
from the catalog's categories) and its notes, the reviewer's notes, the
summary score of each category and the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from viva.cli.output import fitting, shorten
from viva.rehearsal.engine import RATING_NAMES as RATINGS
from viva.rehearsal.engine import clock_text, signed_clock_text
from viva.rehearsal.report import Report
from viva.text import printable

if TYPE_CHECKING:
    from viva.catalog.models import Category

__all__ = ["render_report", "render_review", "time_bar"]


def time_bar(spent: float, budget: float, width: int = 24) -> Text:
    """Spent time against budget: green within it, red over it, dim for what is left."""
    scale = max(spent, budget, 1.0)
    used = round(width * min(spent, budget) / scale)
    over = round(width * max(0.0, spent - budget) / scale)
    rest = max(0, round(width * budget / scale) - used)
    return Text.assemble(("█" * used, "green"), ("█" * over, "red"), ("░" * rest, "dim"))


def render_report(
    report: Report,
    previous: Report | None,
    out: Console,
    rubrics: Mapping[str, Category] | None = None,
) -> None:
    """The report; ``rubrics`` (the catalog's categories, loaded when not given)
    label a reviewed session's scores."""
    who = f" · {printable(report.candidate)}" if report.candidate else ""
    out.print(
        Text.assemble(
            (f"Session {report.id}", "bold"),
            f"  {report.track} · {report.minutes} min · seed {report.seed} · {report.status}{who}",
        )
    )
    out.print(
        f"active {clock_text(report.active_seconds)} · paused {clock_text(report.paused_seconds)}"
    )

    def build(dropped: frozenset[str]) -> Table:
        table = Table(title="Time per section", title_justify="left")
        table.add_column("section", min_width=12)
        table.add_column("spent / budget", justify="right", no_wrap=True)
        if "bar" not in dropped:
            table.add_column("", no_wrap=True)
        if previous is not None:
            table.add_column("vs previous", justify="right", no_wrap=True)
        for s in report.sections:
            cells: list[str | Text] = [
                printable(s.title),
                f"{clock_text(s.spent_seconds)} / {clock_text(s.budget_seconds)}",
            ]
            if "bar" not in dropped:
                cells.append(time_bar(s.spent_seconds, s.budget_seconds))
            if previous is not None:
                before = previous.section(s.id)
                cells.append(
                    signed_clock_text(s.spent_seconds - before.spent_seconds) if before else ""
                )
            table.add_row(*cells)
        return table

    out.print(fitting(out, build, ["bar"]))
    if previous:
        out.print(f"previous rehearsal of this track: {previous.id}")
    qs = report.questions
    for title, picked in (
        ("Flagged", [q for q in qs if q.flagged]),
        ("Skipped", [q for q in qs if q.skipped]),
    ):
        if picked:
            out.print(Text(title, style="bold"))
            for q in picked:
                out.print(Text(printable(f"  - {q.question_id}: {shorten(q.prompt, out)}")))
    # A defense scored on paper (`viva review import`) has no clock: no answer is short.
    short = [q for q in qs if q.short] if report.active_seconds > 0 else []
    if short:
        out.print(Text("Short answers (under a quarter of the planned time)", style="bold"))
        for q in short:
            out.print(
                Text(
                    f"  - {q.question_id}: {clock_text(q.seconds)} of "
                    f"{clock_text(q.planned_seconds)}"
                )
            )
    unasked = [q for q in qs if q.must and not q.answered]
    if unasked:
        out.print(Text("Must questions not answered", style="bold red"))
        for q in unasked:
            out.print(Text(printable(f"  - {q.question_id}: {shorten(q.prompt, out)}")))
    followed = [q for q in qs if q.follow_ups_asked]
    if followed:
        out.print(Text("Follow-ups asked", style="bold"))
        for q in followed:
            for prompt in q.follow_ups_asked:
                out.print(Text(printable(f"  - {q.question_id}: {shorten(prompt, out)}")))
    spoken = [q for q in qs if q.speech is not None]
    if spoken:
        speech = Table(title="Spoken answers", title_justify="left")
        speech.add_column("question")
        speech.add_column("speaking / planned", justify="right", no_wrap=True)
        speech.add_column("words", justify="right")
        speech.add_column("per min", justify="right")
        speech.add_column("fillers", justify="right")
        speech.add_column("longest pause", justify="right")
        for q in spoken:
            fig = q.speech
            assert fig is not None
            speech.add_row(
                printable(q.question_id),
                f"{clock_text(fig.speaking_seconds)} / {clock_text(q.planned_seconds)}",
                str(fig.words),
                f"{fig.words_per_minute:.0f}",
                f"{fig.filler_count} ({fig.fillers_per_minute:.1f}/min)",
                f"{fig.longest_pause_seconds:.1f} s",
            )
        out.print(speech)
        for q in spoken:
            assert q.speech is not None
            out.print(Text(printable(f"  {q.question_id}: {q.speech.text or '(no words heard)'}")))
    if report.reviewed:
        if rubrics is None:
            from viva.catalog.loader import load_catalog

            rubrics = load_catalog().categories
        render_review(report, out, rubrics)
        return
    rated = [q for q in qs if q.rating]
    if rated:
        out.print(Text("Ratings", style="bold"))
        for q in rated:
            out.print(f"  {q.rating} ({RATINGS[q.rating or 0]})  {q.question_id}")


def _level(rubrics: Mapping[str, Category], category: str, score: float | None) -> str:
    """``4 Strong`` for a whole score, ``3.5`` for a mean, ``-`` for none."""
    if score is None:
        return "-"
    shown = f"{score:g}"
    entry = rubrics.get(category)
    if entry is None or not float(score).is_integer():
        return shown
    label = next((r.label for r in entry.rubric if r.score == int(score)), None)
    return f"{shown} {printable(label)}" if label else shown


def render_review(report: Report, out: Console, rubrics: Mapping[str, Category]) -> None:
    """A reviewed session's scores: per question the self-rating beside the
    reviewer's score (and rubric label) and how many notes; the notes; the
    summary score of each category; the verdict."""
    numbered = list(enumerate(report.questions, start=1))
    shown = [(n, q) for n, q in numbered if q.reached or q.score is not None or q.notes]

    def build(dropped: frozenset[str]) -> Table:
        table = Table(title="Reviewer scores beside self-ratings", title_justify="left")
        columns = ["Q", "question", "category", "self", "reviewer", "notes"]
        for col in columns:
            if col in dropped:
                continue
            if col == "question":  # a long id folds rather than being cut
                table.add_column(col, overflow="fold", min_width=12)
            else:
                right = col in ("Q", "notes")
                table.add_column(col, no_wrap=True, justify="right" if right else "left")
        for n, q in shown:
            rating = "-"
            if q.rating:
                rating = str(q.rating) if "label" in dropped else f"{q.rating} {RATINGS[q.rating]}"
            score = (
                (str(q.score) if q.score is not None else "-")
                if "label" in dropped
                else _level(rubrics, q.category, q.score)
            )
            cells = {
                "Q": str(n),
                "question": printable(q.question_id),
                "category": printable(q.category),
                "self": rating,
                "reviewer": score,
                "notes": str(len(q.notes)) if q.notes else "",
            }
            table.add_row(*(cells[c] for c in columns if c not in dropped))
        return table

    # Narrow: the rubric and rating words go first, then the packet numbers.
    out.print(fitting(out, build, ["label", "Q"]))
    out.print(
        Text(
            "Q: the packet's number; self: the candidate's rating (1 again-4 easy); "
            "reviewer: the reviewer's score (1-5) and its rubric label",
            style="dim",
        )
    )
    noted = [(n, q) for n, q in numbered if q.notes]
    if noted:
        out.print(Text("Reviewer's notes", style="bold"))
        for n, q in noted:
            for note in q.notes:
                out.print(Text(printable(f"  - Q{n} {q.question_id}: {note}")))

    def categories(dropped: frozenset[str]) -> Table:
        table = Table(title="Category scores", title_justify="left")
        columns = ["category", "score", "mean", "scored", "from"]
        for col in columns:
            if col not in dropped:
                right = col in ("mean", "scored")
                table.add_column(col, no_wrap=True, justify="right" if right else "left")
        for c in report.category_scores:
            source = "reviewer" if c.given else "mean" if c.score is not None else "-"
            score = f"{c.score:g}" if c.score is not None else "-"
            cells = {
                "category": printable(c.category),
                "score": score if "label" in dropped else _level(rubrics, c.category, c.score),
                "mean": f"{c.mean:.2f}" if c.mean is not None else "-",
                "scored": str(c.questions_scored),
                "from": source,
            }
            table.add_row(*(cells[col] for col in columns if col not in dropped))
        return table

    if report.category_scores:
        out.print(fitting(out, categories, ["from", "label"]))
        out.print(
            Text(
                "score: the reviewer's summary score, else the mean of the question scores",
                style="dim",
            )
        )
    verdict = report.verdict.strip()
    out.print(Text.assemble(("Verdict: ", "bold"), printable(verdict) if verdict else "none yet"))
