"""The drill screen: one Textual app over a ``DrillSession``.

It follows drill plain mode (``viva.drill.plain``): the card's prompt, an
answer area (type, or leave it empty and answer aloud), then ``ctrl+n``
shows the key points and follow-ups, then ``1``-``4`` (or F1-F4, alt+1-4,
as in the rehearsal screen) rates the card. ``DrillSession.rate`` commits
the rating before it returns, and only then does the screen say so and move
on. When the queue or ``--limit`` runs out, or on ``ctrl+q``, the app exits
and ``run_drill_tui`` prints the summary on the terminal.

With a voice, each answer is recorded from the card's prompt to ``ctrl+n``
(a level meter shows it runs), then transcribed in a child process while the
key points are read; the transcript and its figures join them when ready. A
rating given before that waits for the transcript, so the review keeps it,
and nothing the candidate pressed is dropped.
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
from viva.drill.text import (
    TRANSCRIBING,
    after_rating,
    card_heading,
    header_lines,
    nothing_due,
    spoken_lines,
    stopped_line,
    summary_lines,
)
from viva.drill.voice import SpokenAnswer, Voice
from viva.errors import VivaError
from viva.tui.widgets.meter import recording_meter

__all__ = ["DrillApp", "build_drill_app", "run_drill_tui"]

_RATE_GROUP = Binding.Group("rate", compact=True)

TICK_SECONDS = 0.25
"""How often the meter moves and a finished transcript is picked up."""


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

    def __init__(self, session: DrillSession, voice: Voice | None = None) -> None:
        super().__init__()
        self.session = session
        self.voice = voice
        self.card: DrillCard | None = None
        self.number = 0
        self.phase = "answer"  # answer | rate | saving (a rating waits for its transcript) | done
        self.spoken: SpokenAnswer | None = None
        self.wanted: int | None = None
        """The rating given while the transcript was still being made."""
        self.voice_line = Static(id="voice") if voice is not None else None

    def compose(self) -> ComposeResult:
        yield Static(Text("\n".join(header_lines(self.session))), id="drill-head")
        yield Static(id="card-meta")
        yield Static(id="prompt")
        if self.voice_line is not None:
            yield self.voice_line
        yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
        with VerticalScroll(id="back"):
            yield Static(id="back-text")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.voice is not None:
            self.set_interval(TICK_SECONDS, self._on_tick)
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
        self.spoken = None
        self.wanted = None
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
        self._listen(card)

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
        text.append(self._spoken_text())
        text.append("\nRate: 1 again · 2 hard · 3 good · 4 easy", style="bold")
        return text

    def _spoken_text(self) -> Text:
        """The transcript part of the back: pending, or what was heard."""
        if self.spoken is not None:
            return Text("\n" + "\n".join(spoken_lines(self.spoken)) + "\n")
        if self.voice is not None and self.voice.transcribing:
            return Text(f"\n{TRANSCRIBING}\n", style="italic")
        return Text()

    # --- voice ------------------------------------------------------------

    def _voice_line(self, text: str) -> None:
        if self.voice_line is not None:
            self.voice_line.update(Text(text))

    def _voice_lost(self, err: VivaError) -> None:
        """The device went away mid-drill: say so once and go on typed."""
        self._voice_line(f"⚠ {err}; answers are typed")
        if self.voice is not None:
            self.voice.close()
        self.voice = None

    def _listen(self, card: DrillCard) -> None:
        if self.voice is None:
            return
        try:
            name = self.voice.start(card)
        except VivaError as err:
            self._voice_lost(err)
            return
        self._voice_line(f"● recording {name}")

    def _hush(self, card: DrillCard, typed: str) -> None:
        """End the answer's recording and start its transcript."""
        voice = self.voice
        if voice is None or not voice.recording:
            return
        try:
            done = voice.stop()
        except VivaError as err:
            self._voice_lost(err)
            return
        if done is not None:
            self._voice_line(stopped_line(*done))
            voice.transcribe(card, typed)

    def _on_tick(self) -> None:
        voice = self.voice
        if voice is None:
            return
        if voice.recording:
            self._voice_line(recording_meter(voice.seconds, voice.level))
        elif voice.transcribing:
            self._picked(voice.heard())

    def _picked(self, spoken: SpokenAnswer | None) -> None:
        """Show a finished transcript; a rating that waited for it is saved now."""
        if spoken is None or self.card is None:
            return
        self.spoken = spoken
        self.query_one("#back-text", Static).update(self.back_text(self.card))
        if self.phase == "saving" and self.wanted is not None:
            self._commit(self.wanted)
            self.next_card()

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
        area = self.query_one("#answer", TextArea)
        self._hush(self.card, area.text.strip("\n"))
        self.query_one("#back-text", Static).update(self.back_text(self.card))
        area.read_only = True
        self.set_focus(None)
        self.refresh_bindings()

    def action_rate(self, rating: int) -> None:
        if self.card is None or self.phase != "rate":
            return
        if self.voice is not None and self.voice.transcribing:
            self.phase, self.wanted = "saving", rating
            self.query_one("#status", Static).update(
                Text(f"rating {rating} ({RATING_NAMES[rating]}) is saved with the transcript")
            )
            self.refresh_bindings()
            return
        self._commit(rating)
        self.next_card()

    def _commit(self, rating: int) -> None:
        if self.card is None:
            return
        answer = self.query_one("#answer", TextArea).text
        self.session.rate(self.card, rating, answer.strip("\n"), self.spoken)  # committed here
        self.query_one("#status", Static).update(
            Text(after_rating(self.session, self.card, rating))
        )

    def action_save_quit(self) -> None:
        if self.phase == "saving" and self.wanted is not None:
            # The rating given is not lost: it is saved with the transcript, waited for.
            self.spoken = self.voice.heard(wait=True) if self.voice else None
            self._commit(self.wanted)
        self.phase = "done"
        self.exit(self.session.rated)


def build_drill_app(session: DrillSession, voice: Voice | None = None) -> DrillApp:
    """The one factory for the CLI and the tests."""
    return DrillApp(session, voice)


def run_drill_tui(session: DrillSession, voice: Voice | None = None) -> int:
    """Run the screen on the terminal, then print the summary; return cards rated.
    With ``voice``, answers are recorded too; the recording is closed however the
    screen ends."""
    try:
        if session.planned() == 0:
            for line in [*header_lines(session), nothing_due(session)]:
                sys.stdout.write(line + "\n")
            return 0
        build_drill_app(session, voice).run()
    finally:
        if voice is not None:
            voice.close()
    for line in summary_lines(session, session.summary()):
        sys.stdout.write(line + "\n")
    return session.rated
