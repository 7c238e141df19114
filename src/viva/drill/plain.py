"""Drill plain mode: the drill as lines of text, for scripts and screen readers.

DESIGN.md's protocol: each card's prompt, answer lines until a line holding
only ``.`` (just ``.`` answers aloud), then the key points and follow-ups,
then one line ``1``-``4`` rates the card. When the queue or ``--limit`` runs
out, or at end of input (or ``:quit``), the drill saves and exits. Each
rating is committed before ``rated`` is printed.

With a voice (``--voice``), each answer is also recorded from the prompt to
the ``.`` line and transcribed while the key points are printed; the
transcript, its figures and the key points it seems to miss come before the
rating line. Lines typed meanwhile wait in the input, so none is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from viva.drill.cards import DrillCard
from viva.drill.scheduler import RATING_NAMES
from viva.drill.session import DrillSession
from viva.drill.text import (
    RATING_HELP,
    TRANSCRIBING,
    after_rating,
    card_heading,
    header_lines,
    nothing_due,
    recording_line,
    spoken_lines,
    stopped_line,
    summary_lines,
)
from viva.drill.voice import SpokenAnswer, Voice
from viva.errors import VivaError
from viva.text import from_terminal, printable

__all__ = ["run_drill_plain"]

_WORDS = {name: n for n, name in RATING_NAMES.items()}


class _EndOfInput(Exception):
    """End of input or ``:quit``: save and leave."""


def parse_rating(text: str) -> int | None:
    word = text.strip().lower()
    if word.isdigit() and int(word) in RATING_NAMES:
        return int(word)
    return _WORDS.get(word)


class DrillPlainRunner:
    def __init__(
        self,
        session: DrillSession,
        readline: Callable[[], str],
        out: TextIO,
        voice: Voice | None = None,
    ) -> None:
        self.session = session
        self.readline = readline
        self.out = out
        self.voice = voice

    def say(self, text: str = "") -> None:
        # Bank text, answers and names are data: nothing in them acts on the terminal.
        self.out.write(printable(text) + "\n")
        self.out.flush()

    def line(self) -> str:
        raw = self.readline()
        if raw == "":
            raise _EndOfInput
        text = from_terminal(raw).rstrip("\r\n")
        if text.strip() == ":quit":
            raise _EndOfInput
        return text

    def show_back(self, card: DrillCard) -> None:
        q = card.question
        self.say("key points:")
        for point in q.key_points:
            self.say(f"  - {point}")
        for i, follow in enumerate(q.follow_ups, 1):
            self.say(f"follow-up {i}: {follow.prompt}")
            for point in follow.key_points:
                self.say(f"  - {point}")

    # --- voice ----------------------------------------------------------

    def _voice_lost(self, err: VivaError) -> None:
        """The device went away mid-drill: say so once and go on typed."""
        self.say(f"! {err}; the rest of this drill is typed")
        if self.voice is not None:
            self.voice.close()
        self.voice = None

    def listen(self, card: DrillCard) -> None:
        """Record the card's answer, from its prompt on."""
        if self.voice is None:
            return
        try:
            name = self.voice.start(card)
        except VivaError as err:
            self._voice_lost(err)
            return
        self.say(recording_line(name))

    def hush(self) -> None:
        """Close the running recording, if any: the file is complete from here."""
        if self.voice is None or not self.voice.recording:
            return
        try:
            done = self.voice.stop()
        except VivaError as err:
            self._voice_lost(err)
            return
        if done is not None:
            self.say(stopped_line(*done))

    def hear(self) -> SpokenAnswer | None:
        """Wait for the transcript started at the ``.`` line and show it."""
        if self.voice is None or not self.voice.transcribing:
            return None
        self.say(TRANSCRIBING)
        spoken = self.voice.heard(wait=True)
        for text in spoken_lines(spoken) if spoken else ():
            self.say(text)
        return spoken

    # --- cards ----------------------------------------------------------

    def drill_card(self, card: DrillCard, number: int) -> None:
        self.say(card_heading(self.session, card, number))
        self.say(card.prompt)
        self.say('(answer; end with a line holding only "." -- or just "." to answer aloud)')
        self.listen(card)
        lines: list[str] = []
        while (text := self.line()).strip() != ".":
            lines.append(text)
        typed = "\n".join(lines)
        self.hush()
        if self.voice is not None:
            self.voice.transcribe(card, typed)  # runs while the key points are read
        self.show_back(card)
        spoken = self.hear()
        self.say(f"rate 1-4 ({RATING_HELP}):")
        while (rating := parse_rating(self.line())) is None:
            self.say(f"! rate with one line 1-4 ({RATING_HELP})")
        self.session.rate(card, rating, typed, spoken)
        self.say(after_rating(self.session, card, rating))

    def run(self) -> int:
        for text in header_lines(self.session):
            self.say(text)
        number = 0
        try:
            while (card := self.session.next_card()) is not None:
                number += 1
                self.drill_card(card, number)
        except _EndOfInput:
            self.hush()
        finally:
            if self.voice is not None:
                self.voice.close()  # Ctrl-C too: the recording is closed, no child is left
        if number == 0 and self.session.rated == 0:
            self.say(nothing_due(self.session))
        for text in summary_lines(self.session, self.session.summary()):
            self.say(text)
        return self.session.rated


def run_drill_plain(
    session: DrillSession,
    readline: Callable[[], str],
    out: TextIO,
    voice: Voice | None = None,
) -> int:
    """Drive a drill from lines of input; return how many cards were rated. With
    ``voice``, each answer is also recorded and transcribed."""
    return DrillPlainRunner(session, readline, out, voice).run()
