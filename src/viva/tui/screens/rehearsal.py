"""The rehearsal screen: one Textual app over a ``LiveSession``.

``build_app`` is the one factory the CLI and the tests use; ``run_tui`` runs it
on the terminal and, after the screen closes, prints the summary or the
resume hint. The screen mirrors plain mode (``viva.rehearsal.plain``): each key records
one event through ``LiveSession.act``, which commits it before returning, and
only then does the screen say so. Clocks are recomputed from the session's
monotonic clock a few times a second (the engine derives them from the
deadline; nothing here counts down). Drafts are saved on a timer while the
text changes and before every move, so a crash loses at most two seconds of
typing.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import signal
import sqlite3
import sys
from collections.abc import Callable
from typing import ClassVar, TypeVar

from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static, TextArea

from viva.catalog.loader import Track
from viva.errors import VivaError
from viva.rehearsal.engine import RATING_NAMES as RATINGS
from viva.rehearsal.engine import (
    SECTION_WARN_SECONDS,
    URGENT_SECONDS,
    WARN_SECONDS,
    QuestionState,
    clock_text,
)
from viva.rehearsal.events import EventValue
from viva.rehearsal.plain import Voice
from viva.rehearsal.session import LiveSession
from viva.speech.recorder import VoiceUnavailable
from viva.text import printable
from viva.tui.screens.dialogs import AnsweredScreen, ConfirmScreen, RateScreen
from viva.tui.screens.summary import SummaryScreen, summary_table
from viva.tui.widgets.agenda import AgendaView
from viva.tui.widgets.clocks import ClockBar
from viva.tui.widgets.meter import recording_meter
from viva.tui.widgets.question import QuestionView

__all__ = ["RehearsalApp", "build_app", "run_tui"]

T = TypeVar("T")

TICK_SECONDS = 0.25
# A draft is saved at most this often while the text keeps changing; with the
# tick on top, no keystroke waits more than 2 s to reach the disk.
DRAFT_EVERY_SECONDS = 1.5

# The keys every live session's screen shares (the candidate's and the reviewer's).
# One key, two labels: the footer says what ctrl+p does now (check_action shows
# the one that applies), "resume" while paused.
SESSION_KEYS: tuple[Binding, ...] = (
    Binding("ctrl+p", "pause", "pause", priority=True),
    Binding("ctrl+p", "resume", "resume", priority=True),
    Binding("ctrl+g", "next_section", "section", priority=True),
    Binding("ctrl+t", "end", "end", priority=True),
    Binding("ctrl+l", "voice", "voice", priority=True),
    Binding("ctrl+q", "quit", "quit", priority=True),
    Binding("ctrl+c", "interrupt", "pause", show=False, priority=True),
)

# Actions that record an event; disabled behind a dialog and once the session ended.
_SESSION_ACTIONS = frozenset(
    {
        "answer",
        "skip",
        "flag",
        "rate",
        "rate_prompt",
        "reveal",
        "pause",
        "resume",
        "next_section",
        "end",
        "score",
        "score_prompt",
        "asked",
    }
)


class RehearsalApp(App[str], inherit_bindings=False):
    """The timed rehearsal: agenda, clocks, question, answer area, keys."""

    CSS_PATH = "../styles/rehearsal.tcss"
    TITLE = "viva rehearsal"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012 - as App declares it
    # Priority bindings, so the answer area never swallows them; none of them is
    # one of the answer area's own editing keys (ctrl+e end of line, ctrl+x cut),
    # except ctrl+c, which pauses as a terminal user expects. App's own bindings
    # are not inherited: ctrl+q and ctrl+c are redefined here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "answer", "next", priority=True),
        Binding("ctrl+s", "skip", "skip", priority=True),
        Binding("ctrl+f", "flag", "flag", priority=True),
        Binding("ctrl+r", "rate_prompt", "rate", priority=True),
        # Direct ratings; alt+digit is no use here (terminals send it as text).
        *(Binding(f"f{n}", f"rate({n})", RATINGS[n], show=False, priority=True) for n in RATINGS),
        Binding("ctrl+o", "reveal", "follow-up", priority=True),
        *SESSION_KEYS,
    ]

    def __init__(self, live: LiveSession, track: Track | None, voice: Voice | None = None) -> None:
        super().__init__()
        self.live = live
        self.voice = voice
        self.voice_on = voice is not None
        self.track = track
        self.failure: VivaError | None = None
        self.handle_signals = False  # run_tui turns this on; tests keep pytest's handlers
        self.status_text = ""
        self.warnings: list[str] = []
        self.section_warnings: set[tuple[int, str]] = set()
        self._saved_text = ""
        self._last_draft_at = -math.inf
        self._screen_done = False
        self._quit_recorded = False
        self._interrupted = False
        # Kept at hand: the clock refresh touches them four times a second.
        self.agenda_view = AgendaView(len(live.rehearsal.sections), id="agenda")
        self.clock_bar = ClockBar(id="clocks")
        self.status_line = Static(id="status")
        self.question_view = QuestionView(id="question")
        self.answer_area = TextArea(
            id="answer", soft_wrap=True, tab_behavior="indent", placeholder=self.PLACEHOLDER
        )

    LABEL = "viva rehearsal"
    """The top bar's name for what this screen runs."""
    SESSION_WORD = "session"
    """The word before the session id in the top bar (kept at any width)."""
    PLACEHOLDER = "Type the answer or notes on it; ctrl+n records it and moves on."

    # --- layout ---------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._title_text(), id="topbar")
        with Horizontal(id="body"):
            yield self.agenda_view
            with Vertical(id="main"):
                yield self.clock_bar
                yield self.status_line
                yield self.question_view
                yield self.answer_area
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        # Tighter key labels on a narrow terminal, so "quit" stays on screen.
        for footer in self.query(Footer):
            footer.compact = event.size.width < 120
        for bar in self.query("#topbar").results(Static):
            bar.update(self._title_text(event.size.width - 2))
        self.refresh_bindings()  # the voice key leaves a narrow footer

    def _title_text(self, width: int = 200) -> Text:
        """The session id and the track whole; what does not fit in ``width`` goes,
        least needed first: the "viva rehearsal" label, the track's title, the
        candidate."""
        row = self.live.row
        parts = {
            "label": self.LABEL,
            "session": f"{self.SESSION_WORD} {row.id}",
            "track": f"{row.track} · {row.minutes} min",
            "who": printable(row.candidate) if row.candidate else "",
            "title": printable(self.track.title) if self.track else "",
        }
        for drop in ("", "label", "title", "who"):
            parts.pop(drop, None)
            text = " · ".join(p for p in parts.values() if p)
            if len(text) <= width:
                break
        return Text(printable(text), no_wrap=True, overflow="ellipsis")

    def on_mount(self) -> None:
        if self.handle_signals:
            self._install_signal_handlers()
        if self._agenda_over():
            return
        if self.voice is not None:
            for line in self._safely(self.voice.recover) or []:
                self._say(line)
        self._load_question()
        if self.live.rehearsal.paused:
            self._say("paused: ctrl+p (or typing) resumes the clock")
        elif self._saved_text:
            self._say("draft restored")
        self._listen()
        self.answer_area.focus()
        self.set_interval(TICK_SECONDS, self._on_tick)

    def _install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        handlers: list[tuple[int, Callable[[], object]]] = [
            (signal.SIGINT, self.action_interrupt),
            (signal.SIGTERM, self._quit_interrupted),
        ]
        if hasattr(signal, "SIGHUP"):
            handlers.append((signal.SIGHUP, self._quit_interrupted))
        for signum, action in handlers:
            # Not every platform or thread can take loop signal handlers; then the
            # terminal's own Ctrl-C key (raw mode) still pauses.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, self.call_later, action)

    # --- recording ------------------------------------------------------

    def _safely(self, record: Callable[[], T]) -> T | None:
        """Run one recording step; a failure closes the screen with the message."""
        try:
            return record()
        except VivaError as exc:
            self.failure = exc
        except sqlite3.Error as exc:
            self.failure = VivaError(
                f"could not save to the store: {exc}; everything recorded before is kept, "
                f"continue with: viva resume {self.live.id}"
            )
        self._screen_done = True
        self.exit("failed", return_code=1)
        return None

    def _act(self, kind: str, **data: EventValue) -> bool:
        return self._safely(lambda: self.live.act(kind, **data)) is not None

    def _answer_text(self) -> str:
        return self.answer_area.text

    def _flush_draft(self) -> bool:
        """Record the answer area as a draft if it changed since the last save."""
        text = self._answer_text()
        if text == self._saved_text or self.live.rehearsal.current() is None:
            return True
        if not self._act("draft", text=text):
            return False
        self._saved_text = text
        self._last_draft_at = self.live.now()
        return True

    def _say(self, text: str) -> None:
        self.status_text = text
        self.status_line.update(Text(text), layout=False)

    # --- display --------------------------------------------------------

    def _follow_ups(self, q: QuestionState | None = None) -> tuple[str, ...]:
        if q is None:
            cur = self.live.rehearsal.current()
            q = cur[1] if cur is not None else None
        if q is None:
            return ()
        if q.planned.follow_ups:
            return q.planned.follow_ups
        return self.track.follow_up_prompts(q.id) if self.track else ()

    def _load_question(self) -> None:
        cur = self.live.rehearsal.current()
        if cur is None:
            return
        draft = cur[1].draft
        self._saved_text = draft
        self._last_draft_at = -math.inf
        area = self.answer_area
        area.load_text(draft)
        area.move_cursor(area.document.end)
        self.question_view.scroll_home(animate=False)
        self._show_question()
        self._refresh_clocks()

    # --- voice ----------------------------------------------------------

    def _listen(self) -> None:
        """Record the current answer while the clock runs and voice is on."""
        voice, r = self.voice, self.live.rehearsal
        cur = r.current()
        if voice is None or not self.voice_on or voice.recording or r.paused or cur is None:
            return
        if self._screen_done or r.finished:
            return
        try:
            name = voice.start(cur[1].id)
        except VoiceUnavailable as err:  # the device went away: go on typed
            self.voice_on = False
            self._say(f"⚠ {err}; answers are typed")
            return
        self._say(f"● recording {name}")

    def _hush(self) -> None:
        if self.voice is not None and self.voice.recording:
            self._safely(self.voice.stop)

    def _collect(self) -> None:
        if self.voice is not None:
            for line in self._safely(self.voice.collect) or []:
                self._say(line)

    def _meter(self) -> str:
        """``● rec 0:42 ▮▮▮▯▯▯▯▯`` while recording."""
        voice = self.voice
        if voice is None or not voice.recording:
            return ""
        return recording_meter(voice.seconds, voice.level)

    def action_voice(self) -> None:
        if self.voice is None:
            self._say("voice is off: start with --voice (viva doctor lists input devices)")
            return
        self.voice_on = not self.voice_on
        if self.voice_on:
            self._listen()
        else:
            self._hush()
            self._say("voice off: answers are typed")

    def _show_question(self) -> None:
        self.question_view.show(self.live.rehearsal, self._follow_ups())

    def _refresh_clocks(self) -> None:
        now = self.live.now()
        r = self.live.rehearsal
        self.clock_bar.show(r, now)
        self.agenda_view.show(r, now)
        if r.paused != self.has_class("-paused"):
            self.set_class(r.paused, "-paused")
            self.refresh_bindings()  # the footer's ctrl+p: pause or resume
        # The section's warning first: when both cross, the overall one is shown.
        self._warn_section(r.section_warning(now), r.section_index)
        self._warn(r.remaining(now))

    def _warn_section(self, level: str | None, section: int) -> None:
        """Once per section: a minute of its budget left, then over budget."""
        if level is None:
            return
        if (section, level) in self.section_warnings:
            return
        self.section_warnings.add((section, level))
        message = (
            "this section is over its budget"
            if level == "over"
            else f"under {SECTION_WARN_SECONDS // 60} minute left in this section"
        )
        self._say(f"⚠ {message}")
        self.notify(message, severity="warning", timeout=5)

    def _warn(self, left: float) -> None:
        """Warn once as the overall clock passes 5 and 2 minutes left, and at zero."""
        levels = [
            (left <= WARN_SECONDS, f"{WARN_SECONDS // 60} minutes left", "warning"),
            (left <= URGENT_SECONDS, f"{URGENT_SECONDS // 60} minutes left", "warning"),
            (left < 0, "overtime: the planned time is up", "error"),
        ]
        crossed = [(msg, sev) for hit, msg, sev in levels if hit]
        if not crossed or crossed[-1][0] in self.warnings:
            return
        message, severity = crossed[-1]
        self.warnings.extend(msg for msg, _ in crossed if msg not in self.warnings)
        self._say(f"⚠ {message}")
        self.notify(message, severity="error" if severity == "error" else "warning", timeout=8)

    def _on_tick(self) -> None:
        # is_running turns false as shutdown starts, before the widgets go.
        if not self.is_running or self._screen_done or self.live.rehearsal.finished:
            return
        now = self.live.now()
        # While paused, typing resumes the clock first (on_text_area_changed);
        # a tick that ran in between must not record the draft ahead of that.
        if (
            not self.live.rehearsal.paused
            and self._answer_text() != self._saved_text
            and now - self._last_draft_at >= DRAFT_EVERY_SECONDS
            and not self._flush_draft()
        ):
            return
        self._collect()
        if self.voice is not None and self.voice.recording:
            self.status_line.update(self._meter())
        self._refresh_clocks()

    def _agenda_over(self) -> bool:
        """When the agenda has run out: end the session and show the summary."""
        done = self._safely(self.live.finish_if_done)
        if done:
            self._show_summary()
        return done is not False

    def _after_move(self, ack: str) -> None:
        if self._agenda_over():
            return
        self._load_question()
        self._say(ack)
        self._listen()

    def _show_summary(self) -> None:
        self._screen_done = True
        row = self.live.row
        self.push_screen(SummaryScreen(self.live.rehearsal, row.id, row.track))

    # --- events from widgets -------------------------------------------

    def on_key(self, event: events.Key) -> None:
        # Escape moves the focus off the answer area (to the question, which
        # scrolls); a character typed then goes to the answer area, never lost.
        area = self.answer_area
        if (
            event.is_printable
            and event.character
            and len(self.screen_stack) == 1
            and self.screen.focused is not area
        ):
            event.stop()
            area.focus()
            area.insert(event.character)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Typing while paused resumes the clock, as an answer line does in plain mode.
        r = self.live.rehearsal
        if (
            r.paused
            and self.is_running
            and not self._screen_done
            and not r.finished
            and event.text_area.text != self._saved_text
            and self._act("resume")
        ):
            self._say("resumed (typing restarts the clock)")
            self._refresh_clocks()

    # --- actions --------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pause", "resume") and (action == "resume") != self.live.rehearsal.paused:
            return False  # the other label of ctrl+p is the one that applies
        if action == "voice" and self.voice is None and self.size.width < 120:
            return False  # a typed rehearsal on a narrow terminal: room for "quit"
        if action in _SESSION_ACTIONS:
            return len(self.screen_stack) == 1 and not self.live.rehearsal.finished
        return True

    def action_answer(self) -> None:
        self._hush()
        if not self._act("answer", text=self._answer_text()):
            return
        r = self.live.rehearsal
        answered = r.last_done
        if answered is not None and self.voice is not None:
            self._safely(lambda: self.voice.transcribe(answered.id) if self.voice else None)
        if answered is None:
            self._after_move("answer saved")
        elif r.agenda_done:
            # The last question: its key points and a rating before the summary.
            self._review(answered, then=lambda: self._after_move("answer saved"))
        else:
            self._after_move("answer saved")
            self._review(answered)

    def _review(self, q: QuestionState, then: Callable[[], None] | None = None) -> None:
        """Reveal what the answer should have covered, then rate that answer."""
        bank = self.track.question(q.id) if self.track else None
        note = (
            f"short: {clock_text(q.seconds)} of {clock_text(q.planned_seconds)} planned"
            if q.short
            else ""
        )

        # Reading the key points is not answering time: the clock stops meanwhile.
        stopped = not self.live.rehearsal.paused and self._act("pause")

        def rated(rating: int | None) -> None:
            if self.live.rehearsal.finished:
                return
            if rating is not None:
                if not self._act("rate", rating=rating, question=q.id):
                    return
                self._say(f"rated {rating} ({RATINGS[rating]}): {q.id}")
            if stopped and not self._act("resume"):
                return
            if then is not None:
                then()
            else:
                self._listen()
                self._refresh_clocks()

        self.push_screen(
            AnsweredScreen(
                q.prompt,
                bank.key_points if bank else (),
                self._follow_ups(q),
                q.revealed,
                note,
            ),
            rated,
        )

    def action_skip(self) -> None:
        self._hush()
        if self._flush_draft() and self._act("skip"):
            self._after_move("skipped")

    def action_flag(self) -> None:
        if self._act("flag"):
            cur = self.live.rehearsal.current()
            self._show_question()
            self._say("flagged" if cur and cur[1].flagged else "unflagged")

    def action_rate_prompt(self) -> None:
        self.push_screen(RateScreen(), self._rated)

    def _rated(self, rating: int | None) -> None:
        if rating is not None and not self.live.rehearsal.finished:
            self.action_rate(rating)

    def action_rate(self, rating: int) -> None:
        if rating in RATINGS and self._act("rate", rating=rating):
            self._show_question()
            self._say(f"rated {rating} ({RATINGS[rating]})")

    def action_reveal(self) -> None:
        cur = self.live.rehearsal.current()
        follow = self._follow_ups()
        if cur is None or cur[1].revealed >= len(follow):
            self._say("no more follow-ups")
            return
        if self._act("reveal"):
            self._show_question()
            self._say(f"follow-up {cur[1].revealed} of {len(follow)} revealed")

    def action_resume(self) -> None:
        self.action_pause()  # ctrl+p toggles; this is its label while paused

    def action_pause(self) -> None:
        if self.live.rehearsal.paused:
            if self._act("resume"):
                self._say("resumed")
                self._listen()
        else:
            self._hush()
            if self._flush_draft() and self._act("pause"):
                self._say(
                    "paused: the clock is stopped and paused time is shown apart; ctrl+p resumes"
                )
        self._refresh_clocks()

    def action_next_section(self) -> None:
        self._hush()
        if self._flush_draft() and self._act("next_section"):
            self._after_move("moved to the next section")

    def action_end(self) -> None:
        self.push_screen(
            ConfirmScreen("End the rehearsal now? An ended session cannot be resumed."),
            self._end_confirmed,
        )

    def _end_confirmed(self, yes: bool | None) -> None:
        if not yes:
            self._say("not ended")
            return
        self._hush()
        if self._flush_draft() and self._act("end"):
            self._show_summary()

    def action_interrupt(self) -> None:
        """Ctrl-C: pause and save; a second Ctrl-C while paused saves and quits."""
        r = self.live.rehearsal
        if r.finished or self._screen_done:
            self.exit("ended" if r.finished else "quit")
        elif r.paused:
            self.call_later(self._quit_interrupted)
        else:
            self._hush()
            if self._flush_draft() and self._act("pause"):
                self._say("paused and saved: ctrl+c again saves and quits; ctrl+p resumes")
                self._refresh_clocks()

    async def action_quit(self) -> None:
        """Save the draft, record ``quit`` (the session stays resumable) and leave."""
        r = self.live.rehearsal
        self._hush()
        if not r.finished and not self._quit_recorded:
            if not (self._flush_draft() and self._act("quit")):
                return
            self._quit_recorded = True
        self._screen_done = True
        if r.finished:
            self.exit("ended")
        else:
            self.exit("interrupted" if self._interrupted else "quit")

    async def _quit_interrupted(self) -> None:
        """A signal, or Ctrl-C twice: save and quit; the command then exits 130."""
        self._interrupted = True
        await self.action_quit()

    def save_on_exit(self) -> None:
        """After the app stopped for any reason: leave the session saved and resumable."""
        if self.voice is not None:
            with contextlib.suppress(Exception):
                for line in self.voice.close():
                    sys.stdout.write(f"{printable(line)}\n")
        if self.failure is not None or self._quit_recorded or self.live.rehearsal.finished:
            return
        # The widget may be gone after a crash; then the last saved draft stands.
        with contextlib.suppress(Exception):
            text = self._answer_text()
            if text != self._saved_text and self.live.rehearsal.current() is not None:
                self.live.act("draft", text=text)
        with contextlib.suppress(VivaError, sqlite3.Error):
            self.live.act("quit")
            self._quit_recorded = True


def build_app(live: LiveSession, track: Track | None, voice: Voice | None = None) -> RehearsalApp:
    """The app for one live session (the CLI and the tests both use this): the
    reviewer's screen for a reviewed session, else the candidate's."""
    if live.reviewed:
        from viva.tui.screens.review import ReviewApp

        return ReviewApp(live, track, voice)
    return RehearsalApp(live, track, voice)


def run_tui(live: LiveSession, track: Track | None, voice: Voice | None = None) -> None:
    """Run the screen on the terminal, then print the summary or how to resume.

    Leaving by a signal or by Ctrl-C twice raises ``KeyboardInterrupt`` once the
    session is saved, so the command exits 130 as plain mode does.
    """
    app = build_app(live, track, voice)
    app.handle_signals = True
    hint = f"saved; continue with: viva resume {live.id}\n"
    try:
        app.run()
    except BaseException:
        app.save_on_exit()
        sys.stdout.write(hint)
        raise
    app.save_on_exit()
    if app.failure is not None:
        raise app.failure
    if live.rehearsal.finished:
        row = live.row
        console = Console()
        title = f"Rehearsal ended · session {row.id} · {row.track}"
        console.print(summary_table(live.rehearsal, title))
        console.print(f"report: viva report {row.id}")
        if live.reviewed:
            console.print(f"scored packet: viva packet {row.id} --kind scored")
    else:
        sys.stdout.write(hint)
    if app.return_value == "interrupted":
        raise KeyboardInterrupt
    if app.return_code:
        sys.exit(app.return_code)
