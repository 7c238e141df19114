"""Plain line mode for a reviewer scoring a live defense (``viva review --plain``).

The rehearsal protocol (DESIGN.md), seen from the reviewer's chair: each
question comes with its key points, its numbered follow-ups and the 1-5
rubric of its category, so the reviewer scores against the descriptors at the
moment of scoring. Lines typed are the reviewer's record of the answer (until
a line holding only ``.``, which moves on); alone on a line:

- ``:score N``: 1-5 for the current question (``:score N ID`` for another one
  already asked, such as the one just finished: its id, or its number in the
  packet, ``Q3`` or ``3``);
- ``:note TEXT``: a note on the current question;
- ``:asked K``: its follow-up K (from 1) was put to the candidate;
- ``:category CAT N``: a category's summary score, rather than the mean;
- ``:verdict TEXT``: the verdict on the whole defense;

and the rehearsal's ``:skip :flag :pause :resume :next-section :end :quit``.
When the agenda runs out, the category summary is shown and the session stays
open for the summary scores and the verdict until ``:end`` (or the end of
input); ``:quit`` keeps it resumable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from viva.catalog.loader import Track
from viva.catalog.models import Category
from viva.rehearsal.engine import QuestionState
from viva.rehearsal.plain import PlainRunner, Voice
from viva.rehearsal.session import LiveSession

__all__ = ["ReviewRunner", "rubric_lines"]


def rubric_lines(category: Category | None) -> list[str]:
    """``1 Missing: ...`` through ``5 ...``: the descriptors a score is given against."""
    if category is None:
        return []
    return [f"  {r.score} {r.label}: {r.descriptor}" for r in category.rubric]


class ReviewRunner(PlainRunner):
    """Plain mode with a reviewer's commands; see the module docstring."""

    def __init__(
        self,
        live: LiveSession,
        track: Track | None,
        out: TextIO,
        voice: Voice | None = None,
        rubrics: Mapping[str, Category] | None = None,
    ) -> None:
        super().__init__(live, track, out, voice)
        self.rubrics = dict(rubrics or {})
        self.wrapping_up = False
        """The agenda has run out: summary scores and the verdict, then :end."""

    # --- display --------------------------------------------------------

    answer_hint = '(:score N, :note TEXT, :asked K, :flag; your record of the answer ends with ".")'

    def show_aids(self, q: QuestionState) -> None:
        """For the reviewer: the key points, the numbered follow-ups and the rubric."""
        bank = self.track.question(q.id) if self.track else None
        if bank is not None:
            self.say("key points:")
            for point in bank.key_points:
                self.say(f"  - {point}")
        follow = q.planned.follow_ups
        if follow:
            self.say("follow-ups (:asked K when you ask one):")
            for i, text in enumerate(follow, 1):
                mark = " (asked)" if i in q.asked else ""
                self.say(f"  {i}. {text}{mark}")
        category = self.rubrics.get(q.category)
        if category is not None:
            self.say(f"rubric, {category.title} (:score N):")
            for line in rubric_lines(category):
                self.say(line)

    def reveal_answered(self, q: QuestionState) -> None:
        """After a question's ``.``: whether it was scored (and how to score it still)."""
        if q.score is not None:
            self.say(f"{q.id}: scored {q.score}")
        else:
            self.say(f"{q.id}: not scored; :score N {q.id} scores it")

    def wrap_up(self) -> None:
        """The agenda has run out: the category summary and what is left to give."""
        self.wrapping_up = True
        self.say("the agenda is done. Category scores (mean of the question scores):")
        for c in self.live.rehearsal.category_scores():
            mean = f"{c.mean:.1f}" if c.mean is not None else "-"
            given = f", given {c.score:.0f}" if c.given and c.score is not None else ""
            self.say(f"  {c.category}: {mean} over {c.questions_scored} scored{given}")
        verdict = self.live.rehearsal.verdict
        self.say(f"verdict: {verdict}" if verdict else "verdict: none yet")
        self.say("(:category CAT N, :verdict TEXT, :score N, :note TEXT; :end finishes)")

    # --- input ----------------------------------------------------------

    def handle(self, line: str) -> bool:
        stripped = line.strip()
        if self.wrapping_up:
            if stripped[:1] == ":":
                return self._command(stripped)
            if stripped:
                self.say("! the agenda is done: :verdict TEXT, :category CAT N, or :end")
            return True
        if stripped == ".":
            self.collect()
            self.hush()
            self.live.act("answer", text="\n".join(self.lines))
            self.lines = []
            answered = self.live.rehearsal.last_done
            if answered is not None and self.voice is not None:
                self.voice.transcribe(answered.id)
            if answered is not None:
                self.reveal_answered(answered)
            return self._after_move(listen=True)
        return super().handle(line)

    def _target(self, named: str = "") -> QuestionState | None:
        """What a score, note or asked follow-up is for: the question named (one
        already asked), else the current one (after the agenda: the last)."""
        r = self.live.rehearsal
        if named:
            number = named.lstrip("Qq#")
            if number.isdigit():  # the question's number in the packet (Q3 or 3)
                order = [q for s in r.sections for q in s.questions]
                index = int(number) - 1
                named = order[index].id if 0 <= index < len(order) else named
            q = r.find(named)
            if q is None or not q.reached:
                self.say(f"! no question {named!r} has been asked yet")
                return None
            return q
        cur = r.current()
        return cur[1] if cur is not None else r.last_done

    def _command(self, text: str) -> bool:
        word, _, arg = text[1:].partition(" ")
        word = word.lower()
        handler = {
            "score": self._score,
            "note": self._note,
            "asked": self._asked,
            "verdict": self._verdict,
            "category": self._category,
        }.get(word)
        if handler is not None:
            handler(arg.strip())
            return True
        if word in ("help", "?"):
            self.say(
                "commands: :score N [ID] :note TEXT :asked K :category CAT N :verdict TEXT "
                ":skip :flag :pause :resume :next-section :end :quit"
            )
            return True
        if word == "rate":
            self.say("! a reviewer scores 1-5 with :score N (:rate is the candidate's own)")
            return True
        if word == "follow":
            self.say("! mark a follow-up you asked with :asked K")
            return True
        if self.wrapping_up and word not in ("end", "quit", "pause", "resume"):
            self.say("! the agenda is done: :verdict TEXT, :category CAT N, or :end")
            return True
        return super()._command(text)

    def _score(self, arg: str) -> None:
        value, _, named = arg.partition(" ")
        try:
            score = int(value)
        except ValueError:
            score = 0
        if not 1 <= score <= 5:
            self.say("! :score takes 1-5 (the rubric shown with the question)")
            return
        q = self._target(named.strip())
        if q is None:
            return
        self.live.act("score", question=q.id, score=score)
        category = self.rubrics.get(q.category)
        label = next((r.label for r in category.rubric if r.score == score), "") if category else ""
        self.say(f"scored {score}{f' ({label})' if label else ''}: {q.id}")

    def _note(self, arg: str) -> None:
        q = self._target()
        if q is None or not arg:
            self.say("! :note TEXT notes the question (the text on the same line)")
            return
        self.live.act("note", question=q.id, text=arg)
        self.say(f"noted: {q.id}")

    def _asked(self, arg: str) -> None:
        q = self._target()
        if q is None:
            return
        follow = q.planned.follow_ups
        try:
            k = int(arg)
        except ValueError:
            k = 0
        if not follow:
            self.say(f"! {q.id} has no follow-ups")
            return
        if not 1 <= k <= len(follow):
            self.say(f"! :asked K takes a follow-up number, 1 to {len(follow)}")
            return
        self.live.act("asked", question=q.id, follow_up=k)
        self.say(f"asked follow-up {k}: {follow[k - 1]}")

    def _verdict(self, arg: str) -> None:
        if not arg:
            self.say("! :verdict TEXT (the verdict on the same line)")
            return
        self.live.act("verdict", text=arg)
        self.say("verdict recorded")

    def _category(self, arg: str) -> None:
        name, _, value = arg.partition(" ")
        name = name.lower()
        known = [c.category for c in self.live.rehearsal.category_scores()]
        try:
            score = int(value.strip())
        except ValueError:
            score = 0
        if name not in known or not 1 <= score <= 5:
            self.say(f"! :category CAT N, N 1-5, CAT one of: {', '.join(known)}")
            return
        self.live.act("category_score", category=name, score=score)
        self.say(f"{name}: summary score {score}")

    def _after_move(self, listen: bool = False) -> bool:
        r = self.live.rehearsal
        if r.agenda_done and not r.finished:
            self.hush()
            self.wrap_up()
            return True
        return super()._after_move(listen)

    def start(self) -> bool:
        """A session reopened with its agenda done goes on to the wrap-up."""
        if self.live.rehearsal.agenda_done and not self.live.rehearsal.finished:
            self.wrap_up()
            return False
        return super().start()

    def end_of_input(self) -> None:
        """In the wrap-up, the end of input ends the session; before, it quits."""
        if self.wrapping_up:
            self.live.act("end")
        else:
            self.live.act("quit")

    def summary(self) -> None:
        report = self.live.report()
        self.say(f"reviewed session {report.id} ended")
        for c in report.category_scores:
            score = f"{c.score:.1f}" if c.score is not None else "-"
            self.say(f"  {c.category}: {score} ({c.questions_scored} scored)")
        if report.verdict:
            self.say(f"verdict: {report.verdict}")
        self.say(
            f"report: viva report {report.id}; scored packet: viva packet {report.id} --kind scored"
        )
