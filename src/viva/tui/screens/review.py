"""The reviewer's screen (``viva review``): the rehearsal's agenda and clocks,
with each question's key points, numbered follow-ups and its category's 1-5
rubric in view, a score, a note and the follow-ups asked recorded per question,
and at the end a category summary and a verdict.

It is the rehearsal screen with a reviewer's keys: every action is an event of
the same session, saved before the screen acknowledges it, so a reviewed
session resumes after a crash exactly as a rehearsal does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from viva.catalog.loader import load_catalog
from viva.catalog.models import Category
from viva.rehearsal.engine import QuestionState, Rehearsal
from viva.text import printable
from viva.tui.screens.rehearsal import SESSION_KEYS, RehearsalApp

__all__ = ["ReviewApp", "ScoreScreen", "VerdictScreen"]


def rubric_text(category: Category | None, chosen: int | None = None) -> Text:
    """The category's five levels, the one given in bold."""
    text = Text()
    if category is None:
        return text
    text.append(f"Rubric · {printable(category.title)}\n", "bold")
    for level in category.rubric:
        style = "bold green" if level.score == chosen else ""
        text.append(f" {level.score} {printable(level.label)}: ", style or "bold")
        text.append(printable(level.descriptor) + "\n", style)
    return text


class ScoreScreen(ModalScreen[int | None]):
    """Score an answer 1-5 with the category's descriptors in front of the reviewer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"choose({n})", str(n)) for n in range(1, 6)),
        Binding("escape", "choose(None)", "cancel"),
    ]

    def __init__(self, question_id: str, category: Category | None, current: int | None) -> None:
        super().__init__()
        self.question_id = question_id
        self.category = category
        self.current = current

    def compose(self) -> ComposeResult:
        head = Text(f"Score {printable(self.question_id)}: press 1-5", "bold")
        if self.current is not None:
            head.append(f"  (now {self.current})", "dim")
        with Vertical(id="answered"):
            yield Static(head, id="dialog-question")
            with VerticalScroll(id="answered-body"):
                yield Static(rubric_text(self.category, self.current), id="answered-text")
            yield Static(Text("escape: cancel    F1-F5 score without this box", "dim"))

    def action_choose(self, score: int | None) -> None:
        self.dismiss(score)


class VerdictScreen(ModalScreen[tuple[str, dict[str, int]] | None]):
    """The end of a reviewed defense: the category summary, where a category's
    summary score can be given instead of the mean (tab to the list, arrows to a
    category, 1-5), and the verdict to write. Dismisses with the verdict and the
    scores given."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "done", "record and end", priority=True),
        Binding("escape", "back", "back", priority=True),
        *(Binding(str(n), f"give({n})", str(n), show=False) for n in range(1, 6)),
    ]

    def __init__(self, rehearsal: Rehearsal, verdict: str) -> None:
        super().__init__()
        self.rehearsal = rehearsal
        self.verdict = verdict
        self.given: dict[str, int] = {}
        self.categories = [c.category for c in rehearsal.category_scores()]

    def _line(self, index: int) -> Text:
        c = self.rehearsal.category_scores()[index]
        given = self.given.get(c.category)
        mean = f"{c.mean:.1f}" if c.mean is not None else "-"
        line = Text(f"{c.category}: mean {mean} over {c.questions_scored} scored")
        if given is not None:
            line.append(f", summary {given} (given)", "bold green")
        elif c.given and c.score is not None:
            line.append(f", summary {c.score:.0f} (given)", "green")
        return line

    def compose(self) -> ComposeResult:
        with Vertical(id="answered"):
            yield Static(Text("Category scores: tab here, arrows, 1-5 gives a summary", "bold"))
            yield OptionList(
                *(Option(self._line(i)) for i in range(len(self.categories))), id="categories"
            )
            yield Static(Text("Verdict", "bold"))
            yield TextArea(self.verdict, id="verdict", soft_wrap=True)
            yield Static(Text("ctrl+n: record and end    escape: back", "dim"))

    def on_mount(self) -> None:
        self.query_one("#verdict", TextArea).focus()

    def action_give(self, score: int) -> None:
        options = self.query_one("#categories", OptionList)
        index = options.highlighted
        if not options.has_focus or index is None:
            return
        self.given[self.categories[index]] = score
        options.replace_option_prompt_at_index(index, self._line(index))

    def action_done(self) -> None:
        self.dismiss((self.query_one("#verdict", TextArea).text, dict(self.given)))

    def action_back(self) -> None:
        self.dismiss(None)


class ReviewApp(RehearsalApp, inherit_bindings=False):
    """The rehearsal screen from the reviewer's chair (see the module docstring)."""

    # The reviewer reads more than they type: the question, its key points,
    # follow-ups and rubric get most of the height, the note area the rest.
    CSS = "QuestionView { max-height: 75%; }"
    LABEL = "viva review"
    SESSION_WORD = "review"
    PLACEHOLDER = "Notes on this answer; ctrl+n records them and moves on."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "answer", "next", priority=True),
        Binding("ctrl+r", "score_prompt", "score", priority=True),
        *(Binding(f"f{n}", f"score({n})", str(n), show=False, priority=True) for n in range(1, 6)),
        Binding("ctrl+o", "asked", "asked", priority=True),
        Binding("ctrl+f", "flag", "flag", priority=True),
        Binding("ctrl+s", "skip", "skip", priority=True),
        *SESSION_KEYS,
    ]

    @property
    def rubrics(self) -> Mapping[str, Category]:
        return load_catalog().categories

    def _current(self) -> QuestionState | None:
        cur = self.live.rehearsal.current()
        return cur[1] if cur is not None else None

    def _show_question(self) -> None:
        q = self._current()
        bank = self.track.question(q.id) if self.track and q else None
        self.question_view.show_review(
            self.live.rehearsal,
            bank.key_points if bank else (),
            rubric_text(self.rubrics.get(q.category) if q else None, q.score if q else None),
        )

    # --- the reviewer's record ------------------------------------------

    def action_answer(self) -> None:
        """The note typed (if any) is recorded on the question, then the next one."""
        self._hush()
        q = self._current()
        note = self._answer_text().strip()
        if q is not None and note and not self._act("note", question=q.id, text=note):
            return
        if not self._act("answer", text=""):
            return
        answered = self.live.rehearsal.last_done
        if answered is not None and self.voice is not None:
            self._safely(lambda: self.voice.transcribe(answered.id) if self.voice else None)
        scored = f"scored {answered.score}" if answered and answered.score else "not scored"
        self._after_move(f"{answered.id if answered else 'question'}: {scored}")

    def action_score_prompt(self) -> None:
        q = self._current()
        if q is None:
            return
        self.push_screen(
            ScoreScreen(q.id, self.rubrics.get(q.category), q.score),
            lambda n: self.action_score(n) if n is not None else self._say("not scored"),
        )

    def action_score(self, score: int) -> None:
        q = self._current()
        if q is None or self.live.rehearsal.finished:
            return
        if self._act("score", question=q.id, score=score):
            category = self.rubrics.get(q.category)
            label = (
                next((r.label for r in category.rubric if r.score == score), "") if category else ""
            )
            self._show_question()
            self._say(f"scored {score} ({label}): {q.id}" if label else f"scored {score}: {q.id}")

    def action_asked(self) -> None:
        """Mark the next follow-up not yet marked as asked."""
        q = self._current()
        if q is None:
            return
        follow = q.planned.follow_ups
        left = [k for k in range(1, len(follow) + 1) if k not in q.asked]
        if not left:
            self._say("no follow-ups left to mark" if follow else "no follow-ups for this question")
            return
        if self._act("asked", question=q.id, follow_up=left[0]):
            self._show_question()
            self._say(f"asked follow-up {left[0]} of {len(follow)}")

    # --- the end: summary scores and the verdict -----------------------

    def _agenda_over(self) -> bool:
        r = self.live.rehearsal
        if r.finished:
            self._show_summary()
            return True
        if not r.agenda_done:
            return False
        self._ask_verdict()
        return True

    def _ask_verdict(self) -> None:
        self._hush()
        self.push_screen(
            VerdictScreen(self.live.rehearsal, self.live.rehearsal.verdict), self._verdict
        )

    def _verdict(self, result: tuple[str, dict[str, int]] | None) -> None:
        r = self.live.rehearsal
        if result is None:
            if r.agenda_done:  # nothing left to ask: the verdict is what remains
                self._say("the agenda is done: ctrl+t gives the verdict and ends")
            return
        text, given = result
        for category, score in given.items():
            if not self._act("category_score", category=category, score=score):
                return
        if text.strip() and text != r.verdict and not self._act("verdict", text=text.strip()):
            return
        if self._act("end"):
            self._show_summary()

    def _end_confirmed(self, yes: bool | None) -> None:
        if not yes:
            self._say("not ended")
            return
        if self._flush_draft():
            self._ask_verdict()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        r = self.live.rehearsal
        if action == "end" and r.agenda_done and not r.finished:
            return len(self.screen_stack) == 1
        return super().check_action(action, parameters)
