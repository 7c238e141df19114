"""The drill screen: one Textual app over a ``DrillSession``.

It follows drill plain mode (``viva.drill.plain``): the card's prompt, an
answer area (type, or leave it empty and answer aloud), then ``ctrl+n``
shows the key points and follow-ups, then ``1``-``4`` (or F1-F4, alt+1-4,
as in the rehearsal screen) rates the card. ``DrillSession.rate`` commits
the rating before it returns, and only then does the screen say so and move
on. When the queue or ``--limit`` runs out, or on ``ctrl+q``, the app exits
and ``run_drill_tui`` prints the summary on the terminal.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static, TextArea

from viva.drill.cards import DrillCard
from viva.drill.scheduler import RATING_NAMES
from viva.drill.session import DrillSession
from viva.drill.text import after_rating, card_heading, header_lines, nothing_due, summary_lines

__all__ = ["DrillApp", "build_drill_app", "run_drill_tui"]

_RATE_GROUP = Binding.Group("rate", compact=True)


def _rate_bindings(n: int) -> list[Binding]:
    return [
        Binding(
            f"f{n},alt+{n}",
            f"rate({n})",
            RATING_NAMES[n],
            key_display=str(n),
            priority=True,
            group=_RATE_GROUP,
        ),
        # The digit itself once the answer area is read-only and unfocused.
        Binding(str(n), f"rate({n})", RATING_NAMES[n], show=False),
    ]


class DrillApp(App[int], inherit_bindings=False):
    """Prompt, answer, key points, rating; one card after another."""

    TITLE = "viva drill"
    ENABLE_COMMAND_PALETTE = False
    CSS_PATH = "../styles/drill.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "reveal", "show key points", priority=True),
        *(b for n in range(1, 5) for b in _rate_bindings(n)),
        Binding("ctrl+q", "save_quit", "save & quit", priority=True),
        Binding("ctrl+c", "save_quit", "save & quit", show=False, priority=True),
    ]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        self.card: DrillCard | None = None
        self.number = 0
        self.phase = "answer"  # answer | rate | done

    def compose(self) -> ComposeResult:
        yield Static(Text("\n".join(header_lines(self.session))), id="drill-head")
        yield Static(id="card-meta")
        yield Static(id="prompt")
        yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
        with VerticalScroll(id="back"):
            yield Static(id="back-text")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.next_card()

    # --- the card cycle ---------------------------------------------------

    def next_card(self) -> None:
        card = self.session.next_card()
        if card is None:
            self.phase = "done"
            self.exit(self.session.rated)
            return
        self.card = card
        self.number += 1
        self.phase = "answer"
        self.query_one("#card-meta", Static).update(
            Text(card_heading(self.session, card, self.number))
        )
        self.query_one("#prompt", Static).update(Text(card.prompt))
        self.query_one("#back-text", Static).update(
            Text("ctrl+n shows the key points (leave the answer empty to answer aloud)")
        )
        area = self.query_one("#answer", TextArea)
        area.read_only = False
        area.text = ""
        area.focus()
        self.refresh_bindings()

    def back_text(self, card: DrillCard) -> Text:
        q = card.question
        text = Text()
        text.append("Key points\n", style="bold")
        for point in q.key_points:
            text.append(f"  • {point}\n")
        for i, follow in enumerate(q.follow_ups, 1):
            text.append(f"\nFollow-up {i}: ", style="bold cyan")
            text.append(f"{follow.prompt}\n", style="cyan")
            for point in follow.key_points:
                text.append(f"  • {point}\n")
        text.append("\nRate: 1 again · 2 hard · 3 good · 4 easy", style="bold")
        return text

    # --- actions ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.phase == "answer"
        if action == "rate":
            return self.phase == "rate"
        return True

    def action_reveal(self) -> None:
        if self.card is None or self.phase != "answer":
            return
        self.phase = "rate"
        self.query_one("#back-text", Static).update(self.back_text(self.card))
        area = self.query_one("#answer", TextArea)
        area.read_only = True
        self.set_focus(None)
        self.refresh_bindings()

    def action_rate(self, rating: int) -> None:
        if self.card is None or self.phase != "rate":
            return
        answer = self.query_one("#answer", TextArea).text
        self.session.rate(self.card, rating, answer.strip("\n"))  # committed here
        self.query_one("#status", Static).update(
            Text(after_rating(self.session, self.card, rating))
        )
        self.next_card()

    def action_save_quit(self) -> None:
        self.phase = "done"
        self.exit(self.session.rated)


def build_drill_app(session: DrillSession) -> DrillApp:
    """The one factory for the CLI and the tests."""
    return DrillApp(session)


def run_drill_tui(session: DrillSession) -> int:
    """Run the screen on the terminal, then print the summary; return cards rated."""
    if session.planned() == 0:
        for line in [*header_lines(session), nothing_due(session)]:
            sys.stdout.write(line + "\n")
        return 0
    build_drill_app(session).run()
    for line in summary_lines(session, session.summary()):
        sys.stdout.write(line + "\n")
    return session.rated
