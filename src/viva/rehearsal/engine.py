"""The rehearsal engine: a pure state machine over a session's events.

Nothing here reads a clock, a file or a terminal. State is rebuilt by
replaying events; live figures take ``now`` (monotonic seconds) as an
argument. Active time between two events of one *run* (one process's stretch
of the session) goes to the question that was current; paused time is
counted apart; the gap between a crash or quit and the next ``reopen`` counts
as paused (by wall clock), never as answering time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from viva.rehearsal.agenda import Agenda, PlannedQuestion
from viva.rehearsal.events import (
    RATING_NAMES,
    REVIEW_KINDS,
    Event,
    EventData,
    EventKind,
    InvalidEvent,
    SessionStatus,
    check_data,
)
from viva.rehearsal.report import CategoryScore, QuestionReport, Report, SectionReport
from viva.speech.figures import SpeechFigures

__all__ = [
    "AFTER_END",
    "ON_PLAN_SECONDS",
    "RATING_NAMES",
    "SECTION_WARN_SECONDS",
    "SHORT_ANSWER_SHARE",
    "STATUS_AFTER",
    "URGENT_SECONDS",
    "WARN_SECONDS",
    "QuestionState",
    "Rehearsal",
    "SectionState",
    "clock_text",
    "pace_text",
    "signed_clock_text",
]

# The session's listed status after an event of each kind (other kinds leave it).
STATUS_AFTER: dict[EventKind, SessionStatus] = {
    "pause": "paused",
    "resume": "active",
    "reopen": "active",
    "quit": "paused",
    "end": "ended",
}

AFTER_END: frozenset[str] = frozenset({"quit", "audio", "transcript", *REVIEW_KINDS})
"""What may still be recorded once a session has ended: a quit, a recording
closed and transcribed late, and a reviewer's scoring."""

# Warnings as the clocks run down: the screen and plain mode both use these.
WARN_SECONDS = 300
"""The overall clock warns with this much left..."""
URGENT_SECONDS = 120
"""...and turns urgent with this much left."""
SECTION_WARN_SECONDS = 60
"""A section warns with this much of its budget left (and again when it runs over)."""
SHORT_ANSWER_SHARE = 0.25
"""An answer that took less than this share of its planned time is marked short."""
ON_PLAN_SECONDS = 30
"""A pace within this many seconds of the plan shows as on plan."""


def clock_text(seconds: float) -> str:
    """``7:05``, or ``-1:20`` in overtime."""
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds) + 0.5)
    return f"{sign}{s // 60}:{s % 60:02d}"


def signed_clock_text(seconds: float) -> str:
    """``+1:05`` or ``-2:10``: a difference, such as the pace or time against budget."""
    return ("+" if seconds >= 0 else "") + clock_text(seconds)


def pace_text(pace: float, cut: int = 0) -> str:
    """The pace as the screen and plain mode show it: on plan (within
    ``ON_PLAN_SECONDS``), ahead or behind; questions skipped or cut are named,
    since they still count."""
    note = f" ({cut} cut)" if cut else ""
    if abs(pace) <= ON_PLAN_SECONDS:
        return "on plan" + note
    return f"{signed_clock_text(pace)} {'ahead' if pace > 0 else 'behind'}{note}"


@dataclass
class QuestionState:
    """One agenda item during replay; ``planned`` is what the agenda asked for."""

    planned: PlannedQuestion
    seconds: float = 0.0
    answer: str = ""
    draft: str = ""
    answered: bool = False
    skipped: bool = False
    flagged: bool = False
    rating: int | None = None
    revealed: int = 0
    reached: bool = False
    planned_seconds: float = 0.0
    """Its share of the section's budget (set by the section)."""
    drafted: bool = False
    """A draft was journaled (even an empty first line), so lines append to it."""
    audio_files: list[str] = field(default_factory=list)
    """The closed recordings of its answer, in order (more than one after a resume)."""
    recording: str | None = None
    """A recording started and not yet closed (open when the process died)."""
    speech: SpeechFigures | None = None
    """What its transcript says about how it was said."""
    score: int | None = None
    """A reviewer's score, 1-5 against the category's rubric (the last one given)."""
    notes: list[str] = field(default_factory=list)
    """A reviewer's notes on it, in the order written."""
    asked: set[int] = field(default_factory=set)
    """The follow-ups (numbered from 1) a reviewer marked as asked."""

    @property
    def follow_ups_asked(self) -> tuple[str, ...]:
        """The follow-up prompts put to the candidate: revealed on the candidate's
        screen, or marked asked by a reviewer."""
        shown = set(range(self.revealed)) | {k - 1 for k in self.asked}
        follow = self.planned.follow_ups
        return tuple(follow[i] for i in sorted(shown) if i < len(follow))

    @property
    def done(self) -> bool:
        return self.answered or self.skipped

    @property
    def short(self) -> bool:
        """Answered in far less time than planned (a hint that it was hurried)."""
        return self.answered and self.seconds < SHORT_ANSWER_SHARE * self.planned_seconds

    @property
    def id(self) -> str:
        return self.planned.id

    @property
    def prompt(self) -> str:
        return self.planned.prompt

    @property
    def category(self) -> str:
        return self.planned.category

    @property
    def kind(self) -> str:
        return self.planned.kind

    @property
    def minutes(self) -> int:
        return self.planned.minutes

    @property
    def opening(self) -> bool:
        return self.planned.opening

    def report(self) -> QuestionReport:
        p = self.planned
        return QuestionReport(
            question_id=p.id,
            prompt=p.prompt,
            category=p.category,
            kind=p.kind,
            minutes=p.minutes,
            opening=p.opening,
            answer=self.answer if self.answered else self.draft,
            answered=self.answered,
            seconds=self.seconds,
            skipped=self.skipped,
            flagged=self.flagged,
            rating=self.rating,
            follow_ups_revealed=self.revealed,
            reached=self.reached,
            planned_seconds=self.planned_seconds,
            short=self.short,
            must=p.must,
            follow_ups_asked=self.follow_ups_asked,
            speech=self.speech,
            audio_files=tuple(self.audio_files),
            score=self.score,
            notes=tuple(self.notes),
        )


@dataclass
class SectionState:
    id: str
    title: str
    budget_seconds: int
    categories: tuple[str, ...]
    questions: list[QuestionState] = field(default_factory=list)

    @property
    def spent_seconds(self) -> float:
        return sum(q.seconds for q in self.questions)

    def __post_init__(self) -> None:
        # Each question's share of the section budget, by its expected minutes.
        total = sum(q.minutes for q in self.questions) or 1
        for q in self.questions:
            q.planned_seconds = self.budget_seconds * q.minutes / total


class Rehearsal:
    """The state of one rehearsal, rebuilt from its agenda and events."""

    def __init__(self, agenda: Agenda, events: Iterable[Event] = ()) -> None:
        self.agenda = agenda
        self.sections = [
            SectionState(
                s.id,
                s.title,
                s.budget_seconds,
                s.categories,
                [QuestionState(q) for q in s.questions],
            )
            for s in agenda.sections
        ]
        self.section_index = 0
        self.question_index = 0
        self.status = "new"  # new, active, paused, ended
        self.paused = False
        self.active_seconds = 0.0
        self.paused_seconds = 0.0
        self.interruptions = 0
        self._last: Event | None = None
        self._last_done: QuestionState | None = None
        self.verdict = ""
        """A reviewer's verdict on the whole defense (the last one written)."""
        self.category_given: dict[str, int] = {}
        """Summary scores a reviewer gave per category, rather than the mean."""
        self._skip_empty_sections()
        for event in events:
            self.apply(event)

    # --- derived figures ------------------------------------------------

    @property
    def budget_seconds(self) -> int:
        return sum(s.budget_seconds for s in self.sections)

    @property
    def finished(self) -> bool:
        return self.status == "ended"

    def current(self) -> tuple[SectionState, QuestionState] | None:
        if self.finished or self.section_index >= len(self.sections):
            return None
        section = self.sections[self.section_index]
        return section, section.questions[self.question_index]

    def running(self) -> bool:
        return self.status == "active" and not self.paused

    def _live(self, now: float) -> float:
        """Active seconds since the last event, if the clock is running."""
        if self._last is None or not self.running() or self.agenda_done:
            return 0.0
        return max(0.0, now - self._last.mono)

    def elapsed(self, now: float) -> float:
        return self.active_seconds + self._live(now)

    def paused_total(self, now: float) -> float:
        extra = 0.0
        if self._last is not None and self.status == "active" and self.paused:
            extra = max(0.0, now - self._last.mono)
        return self.paused_seconds + extra

    def remaining(self, now: float) -> float:
        """Overall time left (negative in overtime): the deadline minus now."""
        return self.budget_seconds - self.elapsed(now)

    def section_spent(self, now: float) -> float:
        cur = self.current()
        if cur is None:
            return 0.0
        return cur[0].spent_seconds + self._live(now)

    def section_remaining(self, now: float) -> float:
        cur = self.current()
        return 0.0 if cur is None else cur[0].budget_seconds - self.section_spent(now)

    def question_seconds(self, now: float) -> float:
        cur = self.current()
        return 0.0 if cur is None else cur[1].seconds + self._live(now)

    def left_to_ask(self, now: float) -> float:
        """Planned seconds of everything not yet answered: the rest of the current
        question, every later one, and every question skipped or cut (a reviewer
        would still ask it), so skipping or cutting never makes time."""
        cur = self.current()
        left = 0.0
        for section in self.sections:
            for q in section.questions:
                if q.answered:
                    continue
                if cur is not None and q is cur[1]:
                    left += max(0.0, q.planned_seconds - self.question_seconds(now))
                else:
                    left += q.planned_seconds
        return left

    def pace(self, now: float) -> float:
        """Seconds ahead of plan (positive) or behind (negative): the time left
        minus the planned time of what is left to ask. Time saved by an answer
        marked short is not counted as ahead."""
        if self.current() is None:
            return 0.0
        pace = self.remaining(now) - self.left_to_ask(now)
        hurried = sum(
            q.planned_seconds - q.seconds for s in self.sections for q in s.questions if q.short
        )
        return min(pace, max(0.0, pace - hurried)) if pace > 0 else pace

    def cut_questions(self) -> int:
        """Questions the candidate skipped or left behind with next-section."""
        cur = self.current()
        order = [q for s in self.sections for q in s.questions]
        here = order.index(cur[1]) if cur is not None else len(order)
        return sum(1 for i, q in enumerate(order) if q.skipped or (i < here and not q.done))

    def section_warning(self, now: float) -> str | None:
        """``"warn"`` with under a minute of the section left, ``"over"`` past its budget."""
        if self.current() is None:
            return None
        left = self.section_remaining(now)
        if left < 0:
            return "over"
        if left <= SECTION_WARN_SECONDS:
            return "warn"
        return None

    # --- events ---------------------------------------------------------

    def check(self, kind: str, data: EventData) -> EventKind:
        """The kind, if an event of it with this data may be recorded now.

        Called before the event is written: an unknown kind, data that does not
        fit the kind, or anything but ``quit`` once the session has ended
        raises :class:`InvalidEvent`, and nothing reaches the log.
        """
        checked = check_data(kind, data)
        if self.finished and checked not in AFTER_END:
            raise InvalidEvent("the session has ended")
        named = data.get("question")
        if checked in ("rate", "score", "note", "asked") and isinstance(named, str):
            q = self.find(named)
            if q is None or not q.reached:
                raise InvalidEvent(f"no question {named!r} has been asked in this session")
            follow_up = data.get("follow_up")
            if checked == "asked" and isinstance(follow_up, int):
                count = len(q.planned.follow_ups)
                if follow_up > count:
                    raise InvalidEvent(
                        f"{q.id} has {count} follow-up{'s' if count != 1 else ''}, not {follow_up}"
                    )
        if checked == "category_score":
            category = data.get("category")
            if category not in {q.category for s in self.sections for q in s.questions}:
                raise InvalidEvent(f"this agenda asks no {category!r} questions")
        return checked

    @staticmethod
    def status_after(kind: EventKind) -> SessionStatus | None:
        """The session's listed status after an event of this kind, if it changes."""
        return STATUS_AFTER.get(kind)

    def apply(self, event: Event) -> None:
        """Fold one event into the state (the only way state changes)."""
        last = self._last
        if last is not None and event.kind != "reopen":
            span = max(0.0, event.mono - last.mono)
            cur = self.current()
            # Once the agenda has run out (the last answer given, a rating of it
            # still to come) nothing is being answered: the clock has stopped.
            if self.running() and cur is not None:
                self.active_seconds += span
                cur[1].seconds += span
            elif self.status == "active" and self.paused:
                self.paused_seconds += span
        handler = getattr(self, f"_on_{event.kind}")
        handler(event)
        self._last = event
        cur = self.current()
        if cur is not None:
            cur[1].reached = True

    def _on_start(self, event: Event) -> None:
        self.status = "active"

    def _on_reopen(self, event: Event) -> None:
        # A new process continues the session: the gap since the last event
        # (a crash, or a quit) is paused time measured by the wall clock.
        if self._last is not None:
            gap = (event.wall - self._last.wall).total_seconds()
            self.paused_seconds += max(0.0, gap)
            self.interruptions += 1
        if self.status != "ended":
            self.status = "active"

    def _on_draft(self, event: Event) -> None:
        cur = self.current()
        if cur is not None:
            cur[1].draft = event.text
            cur[1].drafted = True

    def _on_draft_line(self, event: Event) -> None:
        # Plain mode journals each answer line as it comes: storage grows with
        # what was typed, not with its square.
        cur = self.current()
        if cur is not None:
            q = cur[1]
            q.draft = f"{q.draft}\n{event.text}" if q.drafted else event.text
            q.drafted = True

    def _on_answer(self, event: Event) -> None:
        cur = self.current()
        if cur is None:
            return
        q = cur[1]
        q.answer = event.text
        q.draft = q.answer
        q.answered = True
        self._last_done = q
        self._advance()

    def _on_skip(self, event: Event) -> None:
        cur = self.current()
        if cur is None:
            return
        cur[1].skipped = True
        self._last_done = cur[1]
        self._advance()

    def _on_flag(self, event: Event) -> None:
        cur = self.current()
        if cur is not None:
            cur[1].flagged = not cur[1].flagged

    def find(self, question_id: str) -> QuestionState | None:
        return next((q for s in self.sections for q in s.questions if q.id == question_id), None)

    @property
    def last_done(self) -> QuestionState | None:
        """The question answered or skipped most recently."""
        return self._last_done

    def _voiced(self, event: Event) -> QuestionState | None:
        named = event.data.get("question")
        return self.find(named) if isinstance(named, str) else None

    def _on_record(self, event: Event) -> None:
        q = self._voiced(event)
        if q is not None:
            q.recording = str(event.data.get("file"))

    def _on_audio(self, event: Event) -> None:
        q = self._voiced(event)
        if q is not None:
            name = str(event.data.get("file"))
            if name not in q.audio_files:
                q.audio_files.append(name)
            if q.recording == name:
                q.recording = None

    def _on_transcript(self, event: Event) -> None:
        q = self._voiced(event)
        if q is not None:
            q.speech = SpeechFigures.from_event_data(event.data)

    @property
    def voiced(self) -> bool:
        """Some answer of this session was recorded."""
        return any(q.audio_files or q.recording for s in self.sections for q in s.questions)

    def open_recordings(self) -> list[tuple[str, str]]:
        """(question, file) of every recording started and never closed."""
        return [
            (q.id, q.recording)
            for s in self.sections
            for q in s.questions
            if q.recording is not None
        ]

    def _on_rate(self, event: Event) -> None:
        target = self.find(event.question) if event.question else None
        if target is None:
            cur = self.current()
            target = cur[1] if cur is not None else None
        if target is not None and event.rating in RATING_NAMES:
            target.rating = event.rating

    def _on_score(self, event: Event) -> None:
        q = self._voiced(event)
        value = event.data.get("score")
        if q is not None and isinstance(value, int):
            q.score = value

    def _on_note(self, event: Event) -> None:
        q = self._voiced(event)
        if q is not None and event.text.strip():
            q.notes.append(event.text)

    def _on_asked(self, event: Event) -> None:
        q = self._voiced(event)
        k = event.data.get("follow_up")
        if q is not None and isinstance(k, int):
            q.asked.add(k)

    def _on_verdict(self, event: Event) -> None:
        self.verdict = event.text

    def _on_category_score(self, event: Event) -> None:
        category, value = event.data.get("category"), event.data.get("score")
        if isinstance(category, str) and isinstance(value, int):
            self.category_given[category] = value

    def category_scores(self) -> tuple[CategoryScore, ...]:
        """Per review category of the agenda, in agenda order: the mean of the
        reviewer's question scores and the summary score (the one the reviewer
        gave, else that mean)."""
        order: dict[str, list[int]] = {}
        for s in self.sections:
            for q in s.questions:
                if q.opening and q.score is None:
                    continue
                order.setdefault(q.category, [])
                if q.score is not None:
                    order[q.category].append(q.score)
        out = []
        for category, scores in order.items():
            mean = round(sum(scores) / len(scores), 2) if scores else None
            given = self.category_given.get(category)
            out.append(
                CategoryScore(
                    category=category,
                    questions_scored=len(scores),
                    mean=mean,
                    score=float(given) if given is not None else mean,
                    given=given is not None,
                )
            )
        return tuple(out)

    def _on_reveal(self, event: Event) -> None:
        cur = self.current()
        if cur is not None:
            cur[1].revealed += 1

    def _on_pause(self, event: Event) -> None:
        self.paused = True

    def _on_resume(self, event: Event) -> None:
        self.paused = False

    def _on_next_section(self, event: Event) -> None:
        if self.current() is None:
            return
        self.section_index += 1
        self.question_index = 0
        self._skip_empty_sections()

    def _on_end(self, event: Event) -> None:
        self.status = "ended"

    def _on_quit(self, event: Event) -> None:
        if self.status != "ended":
            self.status = "paused"

    def _advance(self) -> None:
        section = self.sections[self.section_index]
        self.question_index += 1
        if self.question_index >= len(section.questions):
            self.section_index += 1
            self.question_index = 0
            self._skip_empty_sections()

    def _skip_empty_sections(self) -> None:
        while (
            self.section_index < len(self.sections)
            and not self.sections[self.section_index].questions
        ):
            self.section_index += 1

    @property
    def agenda_done(self) -> bool:
        return self.section_index >= len(self.sections)

    # --- report ---------------------------------------------------------

    def report(
        self, session_id: str, status: str, candidate: str | None, mode: str = "rehearsal"
    ) -> Report:
        """The session's report; the store supplies what the events do not hold."""
        return Report(
            mode=mode,
            verdict=self.verdict,
            category_scores=self.category_scores() if mode == "review" else (),
            id=session_id,
            track=self.agenda.track,
            minutes=self.agenda.minutes,
            seed=self.agenda.seed,
            status=status,
            candidate=candidate,
            active_seconds=self.active_seconds,
            paused_seconds=self.paused_seconds,
            sections=tuple(
                SectionReport(
                    id=s.id,
                    title=s.title,
                    budget_seconds=s.budget_seconds,
                    spent_seconds=s.spent_seconds,
                    questions=tuple(q.report() for q in s.questions),
                )
                for s in self.sections
            ),
        )
