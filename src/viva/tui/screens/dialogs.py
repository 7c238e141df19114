"""Small modal screens that return a result: a yes/no question and a rating.

Widgets only *show* a ``Rehearsal``; none of them records anything. Text from
the catalog or the candidate is passed as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from viva.rehearsal.engine import RATING_NAMES as RATINGS
from viva.text import printable

__all__ = ["AnsweredScreen", "ConfirmScreen", "RateScreen"]


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


class AnsweredScreen(ModalScreen[int | None]):
    """After an answer: the key points it should have covered and the follow-ups a
    reviewer may push with (those asked marked), then a rating of *that* answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"choose({n})", RATINGS[n]) for n in RATINGS),
        Binding("escape,enter", "choose(None)", "no rating"),
    ]

    def __init__(
        self,
        prompt: str,
        key_points: Sequence[str],
        follow_ups: Sequence[str],
        asked: int,
        note: str = "",
    ) -> None:
        super().__init__()
        self.prompt = printable(prompt)
        self.key_points = tuple(printable(k) for k in key_points)
        self.follow_ups = tuple(printable(f) for f in follow_ups)
        self.asked = asked
        self.note = note

    def compose(self) -> ComposeResult:
        body = Text()
        body.append("You answered: ", "bold")
        body.append(self.prompt + "\n")
        if self.note:
            body.append(self.note + "\n", "yellow")
        if self.key_points:
            body.append("\nKey points\n", "bold")
            for point in self.key_points:
                body.append(f" • {point}\n")
        if self.follow_ups:
            body.append("\nFollow-ups a reviewer may push with\n", "bold")
            for n, prompt in enumerate(self.follow_ups, 1):
                body.append(f" {n}. {prompt}")
                body.append(" (asked)\n" if n <= self.asked else "\n", "dim")
        choices = "   ".join(f"{n} {word}" for n, word in RATINGS.items())
        with Vertical(id="answered"):
            with VerticalScroll(id="answered-body"):
                yield Static(body, id="answered-text")
            yield Static(Text(f"Rate that answer:   {choices}"), id="dialog-question")
            yield Static(Text("enter or escape: go on without a rating", "dim"))

    def action_choose(self, rating: int | None) -> None:
        self.dismiss(rating)
