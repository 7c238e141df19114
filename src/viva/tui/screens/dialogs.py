"""Small modal screens that return a result: a yes/no question and a rating.

Widgets only *show* a ``Rehearsal``; none of them records anything. Text from
the catalog or the candidate is passed as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from viva.rehearsal.engine import RATING_NAMES as RATINGS

__all__ = ["ConfirmScreen", "RateScreen"]


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
