"""The terminal rendering of a session report (``viva report``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from viva.cli.output import fitting, shorten
from viva.rehearsal.engine import RATING_NAMES as RATINGS
from viva.rehearsal.engine import clock_text, signed_clock_text
from viva.rehearsal.report import Report
from viva.text import printable

__all__ = ["render_report", "time_bar"]


def time_bar(spent: float, budget: float, width: int = 24) -> Text:
    """Spent time against budget: green within it, red over it, dim for what is left."""
    scale = max(spent, budget, 1.0)
    used = round(width * min(spent, budget) / scale)
    over = round(width * max(0.0, spent - budget) / scale)
    rest = max(0, round(width * budget / scale) - used)
    return Text.assemble(("█" * used, "green"), ("█" * over, "red"), ("░" * rest, "dim"))


def render_report(report: Report, previous: Report | None, out: Console) -> None:
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
    short = [q for q in qs if q.short]
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
    rated = [q for q in qs if q.rating]
    if rated:
        out.print(Text("Ratings", style="bold"))
        for q in rated:
            out.print(f"  {q.rating} ({RATINGS[q.rating or 0]})  {q.question_id}")
