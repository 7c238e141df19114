"""Plain line mode: the rehearsal as lines of text, for scripts and screen readers.

The protocol is DESIGN.md's: ``session: <id>`` first; each section header and
question with the time left in the section and overall; answer lines until a
line holding only ``.``; commands alone on a line (``:skip``, ``:flag``,
``:rate N``, ``:pause``, ``:resume``, ``:next-section``, ``:end``, ``:quit``,
and ``:follow`` to reveal the next follow-up question). Every line is
journaled as it arrives; end of input acts as ``:quit``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TextIO

from viva.catalog.loader import Track
from viva.catalog.models import Category
from viva.errors import VivaError
from viva.rehearsal.engine import (
    RATING_NAMES,
    SECTION_WARN_SECONDS,
    URGENT_SECONDS,
    WARN_SECONDS,
    QuestionState,
    clock_text,
    pace_text,
)
from viva.rehearsal.events import RATING_HELP
from viva.rehearsal.session import LiveSession
from viva.text import from_terminal, printable

__all__ = ["PlainRunner", "Voice", "clock_text", "run_plain"]


class Voice(Protocol):
    """What plain mode needs of a spoken rehearsal (viva.services.voice.VoiceSession)."""

    @property
    def recording(self) -> bool: ...

    @property
    def level(self) -> float: ...

    @property
    def seconds(self) -> float: ...

    def start(self, question: str) -> str: ...

    def stop(self) -> tuple[str, float] | None: ...

    def transcribe(self, question: str) -> None: ...

    def collect(self, wait: bool = False) -> list[str]: ...

    def recover(self) -> list[str]: ...

    def close(self) -> list[str]: ...


class PlainRunner:
    def __init__(
        self, live: LiveSession, track: Track | None, out: TextIO, voice: Voice | None = None
    ) -> None:
        self.live = live
        self.voice = voice
        self.track = track
        self.out = out
        self.lines: list[str] = []
        self._shown: tuple[int, int] | None = None
        self._section_shown = -1
        self._section_warned: tuple[int, str] | None = None
        self.rate_target: str | None = None
        """The question just answered: a ``:rate N`` typed next rates it."""
        self.closing = False
        """The last question was answered: one more line may rate it, then the end."""
        self.reviewing = False
        """The clock is stopped while the candidate reads what the answer should have
        covered; the next line (other than a rating) restarts it."""

    def say(self, text: str = "") -> None:
        # Bank text, answers and names are data: nothing in them acts on the terminal.
        self.out.write(printable(text) + "\n")
        self.out.flush()

    # --- voice ----------------------------------------------------------

    def listen(self) -> None:
        """Record the current question's answer, unless the clock is stopped."""
        voice, r = self.voice, self.live.rehearsal
        cur = r.current()
        if voice is None or voice.recording or r.paused or self.closing or cur is None:
            return
        try:
            name = voice.start(cur[1].id)
        except VivaError as err:  # the device went away mid-rehearsal
            self.say(f"! {err}; the rest of this rehearsal is typed")
            self.voice = None
            return
        self.say(f'recording: answer aloud, then a line holding only "." ({name})')

    def hush(self) -> None:
        """Close the running recording, if any."""
        if self.voice is None or not self.voice.recording:
            return
        done = self.voice.stop()
        if done is not None:
            self.say(f"recording stopped: {clock_text(done[1])} ({done[0]})")

    def collect(self) -> None:
        if self.voice is not None:
            for line in self.voice.collect():
                self.say(line)

    # --- display --------------------------------------------------------

    def show_current(self) -> None:
        r = self.live.rehearsal
        cur = r.current()
        if cur is None:
            return
        section, question = cur
        pos = (r.section_index, r.question_index)
        if pos == self._shown:
            return
        self._shown = pos
        now = self.live.now()
        if r.section_index != self._section_shown:
            self._section_shown = r.section_index
            self.say(
                f"== Section {r.section_index + 1}/{len(r.sections)}: {section.title} "
                f"· budget {clock_text(section.budget_seconds)} =="
            )
        must = " · must" if question.planned.must else ""
        self.say(
            f"-- Question {r.question_index + 1}/{len(section.questions)}{must} "
            f"· section {clock_text(r.section_remaining(now))} left "
            f"· overall {clock_text(r.remaining(now))} left "
            f"· pace {pace_text(r.pace(now), r.cut_questions())}"
        )
        self.say(question.prompt)
        self.show_aids(question)
        self.lines = question.draft.split("\n") if question.draft else []
        if self.lines:
            self.say("draft restored:")
            for line in self.lines:
                self.say(f"| {line}")
        self.say(self.answer_hint)

    answer_hint = '(answer; end with a line holding only ".")'

    def show_aids(self, question: QuestionState) -> None:
        """What comes with a question: for a candidate, how many follow-ups wait
        (and those already revealed)."""
        follow = self._follow_ups(question)
        if follow:
            self.say(f"({len(follow)} follow-up{'s' if len(follow) > 1 else ''}: :follow reveals)")
        for text in follow[: question.revealed]:
            self.say(f"follow-up: {text}")

    def _follow_ups(self, q: QuestionState) -> tuple[str, ...]:
        if q.planned.follow_ups:
            return q.planned.follow_ups
        return self.track.follow_up_prompts(q.id) if self.track else ()

    def reveal_answered(self, q: QuestionState) -> None:
        """After an answer: what it should have covered, what a reviewer would push
        with, and how to rate it (an opening prompt has no key points to show)."""
        bank = self.track.question(q.id) if self.track else None
        if q.short:
            self.say(f"short: {clock_text(q.seconds)} of {clock_text(q.planned_seconds)} planned")
        if bank is not None:
            self.say("key points:")
            for point in bank.key_points:
                self.say(f"  - {point}")
        follow = self._follow_ups(q)
        if follow:
            self.say("follow-ups a reviewer may push with:")
            for i, text in enumerate(follow, 1):
                asked = " (asked)" if i <= q.revealed else ""
                self.say(f"  {i}. {text}{asked}")
        self.say(f"rate that answer: :rate N ({RATING_HELP})")
        if self.voice is not None:
            self.say("(the clock stops while you read this; an empty line starts the next answer)")
        else:
            self.say("(the clock stops while you read this; your next line restarts it)")
        self.rate_target = q.id

    def warn_time(self) -> None:
        r = self.live.rehearsal
        now = self.live.now()
        left = r.remaining(now)
        if left < 0:
            self.say(f"! overtime {clock_text(left)}")
        elif left <= URGENT_SECONDS:
            self.say(f"! {clock_text(left)} left")
        elif left <= WARN_SECONDS:
            self.say(f"! under {WARN_SECONDS // 60} minutes left ({clock_text(left)})")
        self.warn_section()

    def warn_section(self) -> None:
        """Once per section and level: a minute left, then over budget."""
        r = self.live.rehearsal
        now = self.live.now()
        level = r.section_warning(now)
        if level is None or self._section_warned == (r.section_index, level):
            return
        self._section_warned = (r.section_index, level)
        left = r.section_remaining(now)
        if level == "over":
            self.say(f"! section over its budget by {clock_text(-left)}")
        else:
            self.say(
                f"! section: under {SECTION_WARN_SECONDS // 60} minute left ({clock_text(left)})"
            )

    def start(self) -> bool:
        """True when the session is over before anything is asked (its agenda ran
        out before the last stop)."""
        return self.live.finish_if_done()

    def end_of_input(self) -> None:
        """The input ran out: after the last answer the session ends, else it is
        saved and resumable."""
        if self.closing:
            self.live.finish_if_done()
        else:
            self.live.act("quit")

    def summary(self) -> None:
        report = self.live.report()
        self.say(f"session {report.id} ended")
        for s in report.sections:
            over = s.spent_seconds - s.budget_seconds
            mark = f" (over by {clock_text(over)})" if over > 0 else ""
            self.say(
                f"  {s.title}: {clock_text(s.spent_seconds)} of "
                f"{clock_text(s.budget_seconds)}{mark}"
            )
        self.say(
            f"active {clock_text(report.active_seconds)}, "
            f"paused {clock_text(report.paused_seconds)}"
        )
        self.say(f"report: viva report {report.id}")

    # --- input ----------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Handle one input line; return False when the session is over for this run."""
        live = self.live
        r = live.rehearsal
        stripped = line.strip()
        if self.closing:
            return self._close(stripped)
        self.collect()
        if self.reviewing and not stripped.lower().startswith(":rate"):
            self.reviewing = False
            if r.paused and stripped.lower() not in (":pause", ":quit", ":end"):
                live.act("resume")
                self.listen()
            if not stripped:
                return True  # an empty line only restarts the clock (and the recording)
        if stripped == ".":
            self.hush()
            live.act("answer", text="\n".join(self.lines))
            self.lines = []
            answered = r.last_done
            if answered is not None and self.voice is not None:
                self.voice.transcribe(answered.id)
            if answered is not None:
                self.reveal_answered(answered)
                if r.agenda_done and not r.finished:
                    self.closing = True
                    self.say("(that was the last question: :rate N, or an empty line to finish)")
                    return True
            moved = self._after_move()
            if moved and not r.paused:
                live.act("pause")  # reading the key points is not answering time
                self.reviewing = True
            return moved
        if stripped[:1] == ":" and (stripped[1:2].isalpha() or stripped == ":?"):
            return self._command(stripped)
        if r.paused:
            live.act("resume")
            self.listen()
        self.rate_target = None
        self.warn_section()
        self.lines.append(line)
        live.act("draft_line", text=line)
        return True

    def _close(self, text: str) -> bool:
        """The line after the last answer: a rating of it, then the end either way."""
        word, _, arg = text.partition(" ")
        if (
            word.lower() == ":rate"
            and self.rate_target is not None
            and not self._rate(arg, "; try again, or an empty line")
        ):
            return True
        self.live.finish_if_done()
        return False

    def _rate(self, arg: str, retry: str = "") -> bool:
        """Rate the question just answered (else the current one); False for a bad rating."""
        try:
            rating = int(arg.strip())
        except ValueError:
            rating = 0
        if rating not in RATING_NAMES:
            self.say(f"! :rate takes 1-4 ({RATING_HELP}){retry}")
            return False
        target = self.rate_target
        if target is not None:
            self.live.act("rate", rating=rating, question=target)
            self.say(f"rated {rating} ({RATING_NAMES[rating]}): {target}")
        else:
            self.live.act("rate", rating=rating)
            self.say(f"rated {rating} ({RATING_NAMES[rating]})")
        return True

    def _command(self, text: str) -> bool:
        live = self.live
        r = live.rehearsal
        word, _, arg = text[1:].partition(" ")
        word = word.lower()
        if word not in ("rate", "flag", "help", "?", "pause", "resume"):
            self.rate_target = None
        if word in ("skip", "next-section", "end", "quit", "pause"):
            self.hush()
        if word == "skip":
            live.act("skip")
            self.lines = []
            return self._after_move(listen=True)
        if word == "flag":
            live.act("flag")
            cur = r.current()
            self.say("flagged" if cur and cur[1].flagged else "unflagged")
            return True
        if word == "rate":
            self._rate(arg)
            return True
        if word == "pause":
            if not r.paused:
                live.act("pause")
            self.say("paused: the clock is stopped; :resume continues")
            return True
        if word == "resume":
            if r.paused:
                live.act("resume")
            self.say("resumed")
            self.listen()
            return True
        if word == "follow":
            cur = r.current()
            follow = self._follow_ups(cur[1]) if cur else ()
            if cur and cur[1].revealed < len(follow):
                live.act("reveal")
                self.say(f"follow-up: {follow[cur[1].revealed - 1]}")
            else:
                self.say("! no more follow-ups")
            return True
        if word == "next-section":
            live.act("next_section")
            self.lines = []
            return self._after_move(listen=True)
        if word == "end":
            live.act("end")
            return False
        if word == "quit":
            live.act("quit")
            return False
        if word in ("help", "?"):
            self.say(
                "commands: :skip :flag :rate N :pause :resume :follow :next-section :end :quit"
            )
            return True
        self.say(f"! unknown command :{word} (not recorded); :help lists the commands")
        return True

    def _after_move(self, listen: bool = False) -> bool:
        if self.live.finish_if_done():
            return False
        self.warn_time()
        self.show_current()
        if listen:
            self.listen()
        return True


def run_plain(
    live: LiveSession,
    track: Track | None,
    readline: Callable[[], str],
    out: TextIO,
    voice: Voice | None = None,
    rubrics: Mapping[str, Category] | None = None,
) -> str:
    """Drive a session from lines of input; return its final status. With ``voice``,
    each answer is also recorded and transcribed. A reviewed session runs with
    the reviewer's commands and ``rubrics`` (the catalog's categories)."""
    runner: PlainRunner
    if live.reviewed:
        from viva.rehearsal.plain_review import ReviewRunner

        runner = ReviewRunner(live, track, out, voice, rubrics)
    else:
        runner = PlainRunner(live, track, out, voice)
    try:
        return _drive(runner, readline)
    finally:
        runner.hush()
        if voice is not None:
            for line in voice.close():
                runner.say(line)


def _drive(runner: PlainRunner, readline: Callable[[], str]) -> str:
    live = runner.live
    runner.say(f"session: {live.id}")
    row = live.row
    agenda = live.rehearsal.agenda
    scopes = f" · scopes {', '.join(agenda.scopes)}" if agenda.scopes else ""
    repeat = (
        f"repeat the draw with {agenda.repeat_args()}"
        if agenda.repeatable
        else "drawn with your history; a --seed draw ignores it"
    )
    runner.say(f"track: {row.track} · {row.minutes} min · seed {row.seed}{scopes} ({repeat})")
    if runner.voice is not None:
        for line in runner.voice.recover():
            runner.say(line)
    if runner.start():
        runner.summary()
        return "ended"
    runner.show_current()
    runner.listen()
    while True:
        try:
            line = readline()
        except KeyboardInterrupt:
            runner.hush()
            if live.rehearsal.paused:
                live.act("quit")
                runner.say(f"saved; continue with: viva resume {live.id}")
                raise
            live.act("pause")
            runner.say("\npaused (Ctrl-C again saves and quits; :resume continues)")
            continue
        if line == "":  # end of input
            runner.hush()
            runner.end_of_input()
            break
        if not runner.handle(from_terminal(line).rstrip("\r\n")):
            break
    if live.rehearsal.finished:
        runner.summary()
        return "ended"
    runner.say(f"saved; continue with: viva resume {live.id}")
    return "paused"
