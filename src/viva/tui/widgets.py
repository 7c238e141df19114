"""The pieces of the rehearsal screen: agenda, clocks, question, and the small
screens (confirm, rate, summary).

Every widget here only *shows* a ``Rehearsal``; none of them records anything.
Text that comes from the catalog or the candidate is passed as ``rich.text.Text``,
never as markup, so brackets in a prompt are shown as typed. What the clock
refresh redraws (agenda rows, clock cells) compares its text with what it drew
last and skips the redraw when nothing changed, which keeps the refresh cheap.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from viva.engine import RATING_NAMES as RATINGS
from viva.engine import Rehearsal, clock_text

__all__ = [
    "URGENT_SECONDS",
    "WARN_SECONDS",
    "AgendaRow",
    "AgendaView",
    "ClockBar",
    "ConfirmScreen",
    "QuestionView",
    "RateScreen",
    "SummaryScreen",
    "pace_text",
    "summary_table",
]

WARN_SECONDS = 300
URGENT_SECONDS = 120


def signed_clock(seconds: float) -> str:
    """``+1:05`` or ``-2:10``."""
    return ("+" if seconds >= 0 else "") + clock_text(seconds)


def pace_text(pace: float) -> str:
    """The pace indicator: ahead of plan, behind it, or on it."""
    if abs(pace) < 0.5:
        return "on plan"
    return f"{signed_clock(pace)} {'ahead' if pace > 0 else 'behind'}"


def section_state(r: Rehearsal, index: int) -> str:
    """``done``, ``now``, ``next``, ``cut`` (left with questions open) or ``missed``."""
    section = r.sections[index]
    if not r.finished and index == r.section_index:
        return "paused" if r.paused else "now"
    if r.finished or index < r.section_index:
        if all(q.answered or q.skipped for q in section.questions):
            return "done"
        return "cut" if any(q.reached for q in section.questions) else "missed"
    return "next"


class AgendaRow(Horizontal):
    """One line of the agenda: title, spent/budget, state; each part redrawn alone."""

    STATES = ("now", "paused", "next", "done", "cut", "missed")

    def __init__(self) -> None:
        super().__init__()
        self.title = Static(classes="agenda-title")
        self.times = Static(classes="agenda-times")
        self.state = Static(classes="agenda-state")
        self.drawn = ("", "", "")

    def compose(self) -> ComposeResult:
        yield from (self.title, self.times, self.state)

    def show(self, title: str, times: str, state: str, over: bool = False) -> None:
        old_title, old_times, old_state = self.drawn
        if title != old_title:
            self.title.update(Text(title), layout=False)
        if times != old_times:
            self.times.update(Text(times), layout=False)
        if state != old_state:
            self.state.update(Text(state), layout=False)
            for name in self.STATES:
                self.set_class(name == state, f"-{name}")
        self.set_class(over, "-over")
        self.drawn = (title, times, state)


class AgendaView(Vertical):
    """The sidebar: each section's budget, time spent and state.

    Rows are separate widgets so that, once a second, only the current
    section's time and the total are redrawn.
    """

    def __init__(self, sections: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Agenda"
        self.rows = [AgendaRow() for _ in range(sections)]
        self.total = AgendaRow()
        self.total.add_class("-total")

    def compose(self) -> ComposeResult:
        yield from self.rows
        yield self.total

    def show(self, r: Rehearsal, now: float) -> None:
        for i, (row, s) in enumerate(zip(self.rows, r.sections, strict=True)):
            live = not r.finished and i == r.section_index
            spent = r.section_spent(now) if live else s.spent_seconds
            state = section_state(r, i)
            mark = {"now": "▶", "paused": "⏸", "done": "✓", "cut": "✂"}.get(state, "·")
            times = f"{clock_text(spent)}/{clock_text(s.budget_seconds)}"
            row.show(f"{mark} {i + 1}. {s.title}", times, state, spent > s.budget_seconds)
        total = r.elapsed(now)
        planned = r.budget_seconds
        self.total.show("total", f"{clock_text(total)}/{clock_text(planned)}", "", total > planned)

    def lines(self) -> list[str]:
        """What the agenda shows, one string per row (for tests and screen readers)."""
        return [" ".join(part for part in row.drawn if part) for row in (*self.rows, self.total)]


class ClockCell(Static):
    """One boxed figure of the clock bar; redrawn only when its text changes."""

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._text = ""

    def set(self, text: str, **flags: bool) -> None:
        for name, on in flags.items():
            self.set_class(on, f"-{name}")
        if text != self._text:
            self._text = text
            self.update(Text(text), layout=False)

    @property
    def text(self) -> str:
        return self._text


class ClockBar(Horizontal):
    """Section clock, overall clock, pace and paused time, all from ``now``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.section = ClockCell("section left", id="section-clock")
        self.overall = ClockCell("overall left", id="overall-clock")
        self.pace = ClockCell("pace vs plan", id="pace")
        self.paused = ClockCell("paused time", id="paused")

    def compose(self) -> ComposeResult:
        yield from (self.section, self.overall, self.pace, self.paused)

    def show(self, r: Rehearsal, now: float) -> None:
        if r.current() is None:
            self.section.set("—", over=False)
        else:
            left = r.section_remaining(now)
            self.section.set(clock_text(left), over=left < 0)
        over_all = r.remaining(now)
        self.overall.set(
            clock_text(over_all),
            warn=0 <= over_all <= WARN_SECONDS,
            urgent=0 <= over_all <= URGENT_SECONDS,
            over=over_all < 0,
        )
        pace = r.pace(now)
        self.pace.set(pace_text(pace), ahead=pace >= 0.5, behind=pace <= -0.5)
        paused = r.paused_total(now)
        text = f"⏸ {clock_text(paused)}" if r.paused else clock_text(paused)
        self.paused.set(text, active=r.paused)


class QuestionView(VerticalScroll):
    """The current question, with the follow-ups revealed so far."""

    def compose(self) -> ComposeResult:
        yield Static(id="q-meta")
        yield Static(id="q-prompt")
        yield Static(id="q-follow")

    def show(self, r: Rehearsal, follow_ups: list[str]) -> None:
        cur = r.current()
        if cur is None:
            return
        section, q = cur
        meta = Text.assemble(
            (f"Section {r.section_index + 1}/{len(r.sections)}: {section.title}", "bold"),
            f" · question {r.question_index + 1}/{len(section.questions)}",
            f" · {q.category} · {q.kind} · ~{q.minutes} min",
        )
        if q.flagged:
            meta.append("  ⚑ flagged", "bold yellow")
        if q.rating is not None:
            meta.append(f"  rated {q.rating} ({RATINGS[q.rating]})", "bold cyan")
        self.query_one("#q-meta", Static).update(meta)
        self.query_one("#q-prompt", Static).update(Text(q.prompt))
        follow = Text()
        for n, prompt in enumerate(follow_ups[: q.revealed], 1):
            follow.append(f"Follow-up {n}: ", "bold")
            follow.append(prompt + "\n")
        left = len(follow_ups) - q.revealed
        if not follow_ups:
            follow.append("no follow-ups for this question", "dim")
        elif left:
            nxt = q.revealed + 1
            follow.append(f"ctrl+o reveals follow-up {nxt} of {len(follow_ups)}", "dim")
        else:
            follow.append("all follow-ups revealed", "dim")
        self.query_one("#q-follow", Static).update(follow)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; dismisses with the answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "choose(True)", "yes"),
        Binding("n,escape", "choose(False)", "no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.question), id="dialog-question")
            yield Static(Text("y or enter: yes    n or escape: no", "dim"))

    def action_choose(self, answer: bool) -> None:
        self.dismiss(answer)


class RateScreen(ModalScreen[int | None]):
    """Ask for a rating with plain digit keys (the answer area would take them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"choose({n})", RATINGS[n]) for n in RATINGS),
        Binding("escape", "choose(None)", "cancel"),
    ]

    def compose(self) -> ComposeResult:
        choices = "   ".join(f"{n} {word}" for n, word in RATINGS.items())
        with Vertical(id="dialog"):
            yield Static(Text(f"Rate this answer:   {choices}"), id="dialog-question")
            yield Static(Text("escape: cancel    F1–F4 rate without this box", "dim"))

    def action_choose(self, rating: int | None) -> None:
        self.dismiss(rating)


def summary_table(r: Rehearsal, title: str) -> Table:
    """Time per section against budget (used on screen and in the terminal)."""
    table = Table(title=title, title_justify="left")
    table.add_column("section")
    table.add_column("spent", justify="right")
    table.add_column("budget", justify="right")
    table.add_column("vs budget", justify="right")
    table.add_column("answered", justify="right")
    for s in r.sections:
        diff = s.spent_seconds - s.budget_seconds
        label = Text(
            f"{signed_clock(diff)} {'over' if diff > 0 else 'under'}",
            "red" if diff > 0 else "green",
        )
        answered = sum(1 for q in s.questions if q.answered)
        table.add_row(
            Text(s.title),
            clock_text(s.spent_seconds),
            clock_text(s.budget_seconds),
            label,
            f"{answered}/{len(s.questions)}",
        )
    table.add_section()
    table.add_row(
        Text("total", "bold"), clock_text(r.active_seconds), clock_text(r.budget_seconds), "", ""
    )
    table.caption = (
        f"active {clock_text(r.active_seconds)} · "
        f"paused {clock_text(r.paused_seconds)} (not counted)"
    )
    return table


class SummaryScreen(Screen[None]):
    """Shown when the rehearsal ends: time per section against budget."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,escape,q", "close", "close")]

    def __init__(self, rehearsal: Rehearsal, session_id: str, track: str) -> None:
        super().__init__()
        self.rehearsal = rehearsal
        self.session_id = session_id
        self.track = track

    def compose(self) -> ComposeResult:
        title = f"Rehearsal ended · session {self.session_id} · {self.track}"
        with Vertical(id="summary"):
            yield Static(summary_table(self.rehearsal, title), id="summary-table")
            yield Static(
                Text(f"enter, q or escape closes · full report: viva report {self.session_id}")
            )

    def action_close(self) -> None:
        self.app.exit("ended")
