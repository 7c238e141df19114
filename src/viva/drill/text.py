"""Short texts shared by the drill's plain mode and its Textual screen."""

from __future__ import annotations

from datetime import datetime
from textwrap import shorten

from viva.clock import local_day
from viva.drill.cards import DrillCard
from viva.drill.scheduler import RATING_NAMES, TARGET_RECALL
from viva.drill.session import DrillSession, DrillSummary
from viva.drill.voice import SpokenAnswer
from viva.rehearsal.engine import clock_text
from viva.rehearsal.events import RATING_HELP
from viva.speech.figures import SpeechFigures

__all__ = [
    "RATING_HELP",
    "TRANSCRIBING",
    "after_rating",
    "card_heading",
    "describe_due",
    "header_lines",
    "nothing_due",
    "recording_line",
    "spoken_lines",
    "stopped_line",
    "summary_lines",
]


def describe_due(due: datetime, now: datetime) -> str:
    """``in 10 min``, ``in 3 h``, ``in 4 days (2026-12-02)``."""
    seconds = (due - now).total_seconds()
    if seconds <= 30:
        return "now"
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"in {round(seconds / 3600)} h"
    days = round(seconds / 86400)
    return f"in {days} day{'s' if days != 1 else ''} ({local_day(due).isoformat()})"


TARGET_TEXT = f"{TARGET_RECALL:.0%} recall"


def header_lines(session: DrillSession) -> list[str]:
    """What a drill says first: its tracks, the cards and the defense-date outlook."""
    tracks = ", ".join(session.tracks)
    what = (
        f"category {session.category}"
        if session.category
        else "failure scenarios and must questions"
    )
    every = ", every card (--all)" if session.include_all else ""
    lines = [
        f"drill: {tracks} · {what} · {len(session.cards)} cards, "
        f"{session.scheduled_due()} due now ({session.new_cards} new){every}"
    ]
    below = session.below_target()
    if below is not None:
        lines.append(
            f"defense {session.defense_date}: {below} of {len(session.cards)} cards "
            f"predicted below {TARGET_TEXT}"
        )
    if session.retired:
        n = len(session.retired)
        lines.append(f"({n} card{'s' if n != 1 else ''} of removed questions kept, not drilled)")
    return lines


def card_heading(session: DrillSession, card: DrillCard, number: int) -> str:
    state = session.state(card)
    q = card.question
    total = number + session.planned()
    return f"-- Card {number}/{total} · {card.id} · {q.category} · {state.stage}"


def after_rating(session: DrillSession, card: DrillCard, rating: int) -> str:
    state = session.state(card)
    now = session.clock.wall()
    line = f"rated {rating} ({RATING_NAMES[rating]}) · next due {describe_due(state.due, now)}"
    if session.target is not None:
        line += f" · recall on {session.defense_date}: {session.queue.recall_at(card):.0%}"
    return line


def summary_lines(session: DrillSession, summary: DrillSummary) -> list[str]:
    n = summary.rated
    counts = ", ".join(f"{c} {RATING_NAMES[r]}" for r, c in summary.ratings.items())
    lines = [f"drill saved: {n} card{'s' if n != 1 else ''} rated" + (f" ({counts})" if n else "")]
    if summary.due_left:
        lines.append(f"{summary.due_left} still due now")
    if summary.below_target is not None:
        lines.append(
            f"{summary.below_target} of {len(session.cards)} cards still predicted below "
            f"{TARGET_TEXT} by {summary.defense_date}"
        )
    return lines


def nothing_due(session: DrillSession) -> str:
    """Why a drill showed no card."""
    if not session.cards:
        what = f"category {session.category!r}" if session.category else "failure-scenario"
        return f"no cards: {', '.join(session.tracks)} has no {what} questions"
    upcoming = min(s.due for s in session.queue.states.values())
    when = describe_due(upcoming, session.clock.wall())
    return f"nothing due now; the next card is due {when} (--all drills anyway)"


TRANSCRIBING = "transcribing the answer..."

MISSED_WIDTH = 80
"""A missed key point is named, not repeated: the full text is just above."""


def recording_line(name: str) -> str:
    return f'recording: answer aloud, then a line holding only "." ({name})'


def stopped_line(name: str, seconds: float) -> str:
    return f"recording stopped: {clock_text(seconds)} ({name})"


def _figures_line(f: SpeechFigures) -> str:
    """``14 words · 120 per minute · 1 filler (um 1) · longest pause 0.8 s``."""
    n = f.filler_count
    fillers = f"{n} filler{'s' if n != 1 else ''}"
    if n:
        fillers += f" ({', '.join(f'{word} {count}' for word, count in f.fillers.items())})"
    return (
        f"{f.words} words · {f.words_per_minute:.0f} per minute · {fillers} · "
        f"longest pause {f.longest_pause_seconds:.1f} s"
    )


def spoken_lines(spoken: SpokenAnswer) -> list[str]:
    """What a spoken answer sounded like, shown before it is rated: the transcript,
    its figures and the key points it seems to miss (or why there is no transcript)."""
    f = spoken.figures
    if f is None:
        return [f"! transcription failed: {spoken.failure}; rate the answer as you recall it"]
    lines = [
        f"transcript: {f.text}" if f.text.strip() else "transcript: (no words heard)",
        f"speech: {_figures_line(f)}",
    ]
    if spoken.covered:
        missed = [point for point, covered in spoken.covered if not covered]
        total = len(spoken.covered)
        lines.append(
            f"key points heard: {total - len(missed)} of {total} (a keyword hint, not a grade)"
        )
        if len(missed) < total:  # when none was heard, the list above is the one to read
            lines.extend(f"  not heard: {shorten(point, MISSED_WIDTH)}" for point in missed)
    return lines
