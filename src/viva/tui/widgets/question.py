"""The current question: prompt, category, kind, planned time and revealed follow-ups.

Widgets only *show* a ``Rehearsal``; none of them records anything. Text from
the catalog or the candidate is passed as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from viva.rehearsal.engine import RATING_NAMES as RATINGS
from viva.rehearsal.engine import Rehearsal
from viva.text import printable

__all__ = ["QuestionView"]


def _meta(r: Rehearsal) -> Text:
    """Where the current question stands: section, number, category, kind, minutes."""
    cur = r.current()
    assert cur is not None
    section, q = cur
    return Text.assemble(
        (f"Section {r.section_index + 1}/{len(r.sections)}: {printable(section.title)}", "bold"),
        f" · question {r.question_index + 1}/{len(section.questions)}",
        f" · {q.category} · {q.kind} · ~{q.minutes} min",
    )


class QuestionView(VerticalScroll):
    """The current question, with the follow-ups revealed so far."""

    def compose(self) -> ComposeResult:
        yield Static(id="q-meta")
        yield Static(id="q-prompt")
        yield Static(id="q-follow")

    def show(self, r: Rehearsal, follow_ups: Sequence[str]) -> None:
        cur = r.current()
        if cur is None:
            return
        q = cur[1]
        meta = _meta(r)
        if q.flagged:
            meta.append("  ⚑ flagged", "bold yellow")
        if q.rating is not None:
            meta.append(f"  rated {q.rating} ({RATINGS[q.rating]})", "bold cyan")
        self.query_one("#q-meta", Static).update(meta)
        self.query_one("#q-prompt", Static).update(Text(printable(q.prompt)))
        follow = Text()
        for n, prompt in enumerate(follow_ups[: q.revealed], 1):
            follow.append(f"Follow-up {n}: ", "bold")
            follow.append(printable(prompt) + "\n")
        left = len(follow_ups) - q.revealed
        if not follow_ups:
            follow.append("no follow-ups for this question", "dim")
        elif left:
            nxt = q.revealed + 1
            follow.append(f"ctrl+o reveals follow-up {nxt} of {len(follow_ups)}", "dim")
        else:
            follow.append("all follow-ups revealed", "dim")
        self.query_one("#q-follow", Static).update(follow)

    def show_review(self, r: Rehearsal, key_points: Sequence[str], rubric: Text) -> None:
        """The reviewer's view: the question with its key points, every follow-up
        (those asked marked) and the category's rubric."""
        cur = r.current()
        if cur is None:
            return
        q = cur[1]
        meta = _meta(r)
        if q.planned.must:
            meta.append("  must", "bold magenta")
        if q.flagged:
            meta.append("  ⚑ flagged", "bold yellow")
        if q.score is not None:
            meta.append(f"  scored {q.score}", "bold cyan")
        if q.notes:
            meta.append(f"  {len(q.notes)} note{'s' if len(q.notes) != 1 else ''}", "cyan")
        self.query_one("#q-meta", Static).update(meta)
        self.query_one("#q-prompt", Static).update(Text(printable(q.prompt)))
        body = Text()
        if key_points:
            body.append("Key points\n", "bold")
            for point in key_points:
                body.append(f" • {printable(point)}\n")
        follow = q.planned.follow_ups
        if follow:
            body.append("Follow-ups (ctrl+o marks the next one asked)\n", "bold")
            for n, prompt in enumerate(follow, 1):
                body.append(f" {n}. {printable(prompt)}")
                body.append("  ✓ asked\n" if n in q.asked else "\n", "green")
        body.append_text(rubric)
        self.query_one("#q-follow", Static).update(body)
