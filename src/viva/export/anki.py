"""The Anki export: one ``.apkg`` with a deck per track, written with genanki.

Re-exporting must never duplicate notes in a user's collection, so every id
Anki matches on is derived from stable names: the note model's id is a
constant, each deck's id comes from its track id, and each note's GUID from
the full question id ``<track>/<slug>``. Re-importing an export therefore
updates the notes whose text changed (the export is newer) and skips the
rest.

Field text is HTML-escaped, a prompt is text and never markup, but quotes are
left alone: fields are element content, never attribute values, and Anki
searches the stored HTML, so ``node&#x27;s`` would hide a note from a search
for ``node's``. Text in single backticks becomes ``<code>``.

Every tag lives under ``viva::`` (Anki's tag tree then holds them in one
branch that ``tag:viva`` matches as a whole). The card styling follows Anki's
night mode, which marks the card with ``nightMode`` (``night_mode`` on
AnkiDroid and older clients).

With drill states, each drilled card is written where viva's FSRS drill has
it instead of new: Anki's card type and queue, due, interval, reps and lapses,
and the FSRS memory state (stability and difficulty) in the card's ``data``
column, where Anki keeps it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import genanki
from fsrs import State

from viva.catalog.loader import Track
from viva.catalog.models import Question
from viva.drill.cards import DrillCard
from viva.drill.scheduler import CardState, make_scheduler
from viva.errors import VivaError
from viva.files import atomic_path

__all__ = [
    "ANKI_MODEL_ID",
    "AnkiSchedule",
    "anki_deck_id",
    "anki_guid",
    "anki_schedule",
    "build_decks",
    "card_html",
    "write_apkg",
]

# Fixed forever: changing it makes Anki see a new note type and duplicate notes.
ANKI_MODEL_ID = 1_607_392_319
MODEL_NAME = "viva defense question"

_FIELDS = ["Prompt", "KeyPoints", "FollowUps", "Id", "Track", "Category", "Kind", "Source"]

_FRONT = """<div class="meta">{{Track}} · {{Category}} · {{Kind}}</div>
<div class="prompt">{{Prompt}}</div>"""

_BACK = """{{FrontSide}}
<hr id="answer">
<div class="label">Key points</div>
{{KeyPoints}}
{{#FollowUps}}<div class="label">Follow-ups</div>{{FollowUps}}{{/FollowUps}}
<div class="source">{{Source}} · {{Id}}</div>"""

# The colours are variables set on .card, so the night-mode rules (two classes,
# more specific than .card) replace them all at once; nothing below names a colour.
_CSS = """.card { --viva-fg: #222; --viva-bg: #fff; --viva-muted: #666; --viva-code-bg: #f0f0f0;
  font-family: sans-serif; font-size: 18px; text-align: left; color: var(--viva-fg);
  background-color: var(--viva-bg); max-width: 46em; margin: 0 auto; }
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {
  --viva-fg: #e6e6e6; --viva-bg: #1e1e1e; --viva-muted: #a0a0a0; --viva-code-bg: #333; }
.meta, .source { font-size: 13px; color: var(--viva-muted); }
.prompt { font-size: 20px; margin: .6em 0; }
.label { font-weight: bold; margin-top: .8em; }
ol.follow-ups > li { margin-top: .5em; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  background-color: var(--viva-code-bg); padding: 0 .25em; border-radius: 3px; }
"""

_CODE = re.compile(r"`([^`]+)`")

ROLLOVER_HOUR = 4
"""Anki's default start of the day (4 am local): a review is due on a day, not at a time."""

_DAY = timedelta(days=1)
_INITIAL_EASE = 2500
"""Anki's starting ease (2.5, in permille), for a user who schedules with SM-2 instead of FSRS."""


def _stable_int(text: str) -> int:
    # In [2**30, 2**31), the range genanki recommends for deck and model ids.
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def anki_deck_id(track_id: str) -> int:
    return _stable_int(f"viva deck {track_id}")


def anki_guid(full_id: str) -> str:
    return str(genanki.guid_for("viva", full_id))


def _model() -> genanki.Model:
    return genanki.Model(
        ANKI_MODEL_ID,
        MODEL_NAME,
        fields=[{"name": f} for f in _FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def _escape(text: str) -> str:
    return escape(text, quote=False)


def card_html(text: str) -> str:
    """Bank text as field HTML: ``<``, ``>`` and ``&`` escaped, quotes kept, and
    single-backtick spans as ``<code>`` (a backtick without a partner stays text)."""
    parts = _CODE.split(text)  # odd items are the insides of backtick pairs
    return "".join(
        f"<code>{_escape(p)}</code>" if i % 2 else _escape(p) for i, p in enumerate(parts)
    )


def _points(points: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{card_html(p)}</li>" for p in points) + "</ul>"


def _follow_ups(q: Question) -> str:
    if not q.follow_ups:
        return ""
    items = "".join(f"<li>{card_html(f.prompt)}{_points(f.key_points)}</li>" for f in q.follow_ups)
    return f'<ol class="follow-ups">{items}</ol>'


def _tags(card: DrillCard) -> list[str]:
    q = card.question
    path, _, track = card.track.partition("/")
    return [f"viva::{path}::{track}", f"viva::category::{q.category}", f"viva::kind::{q.kind}"]


def _note(model: genanki.Model, card: DrillCard) -> genanki.Note:
    q = card.question
    return genanki.Note(
        model=model,
        fields=[
            card_html(q.prompt),
            _points(q.key_points),
            _follow_ups(q),
            _escape(card.id),
            _escape(card.track),
            _escape(q.category),
            _escape(q.kind),
            _escape(q.source),
        ],
        guid=anki_guid(card.id),
        tags=_tags(card),
    )


def build_decks(tracks: Sequence[Track], cards: Sequence[DrillCard]) -> list[genanki.Deck]:
    """One deck per track (``viva::<path>::<track>``) holding the cards' notes."""
    model = _model()
    decks = []
    for track in tracks:
        deck = genanki.Deck(
            anki_deck_id(track.id),
            f"viva::{track.id.replace('/', '::')}",
            description=_escape(f"{track.title} — defense questions from viva"),
        )
        deck.add_model(model)
        for card in cards:
            if card.track == track.id:
                deck.add_note(_note(model, card))
        if deck.notes:
            decks.append(deck)
    return decks


@dataclass(frozen=True)
class AnkiSchedule:
    """One card's scheduling columns in Anki's ``cards`` table."""

    type: int
    """0 new, 1 learning, 2 review, 3 relearning."""
    queue: int
    """1 (intraday) learning, 2 review; the queue Anki draws the card from."""
    due: int
    """A review: the day number, counted from the collection's creation; a
    (re)learning card: the Unix time of the next step."""
    ivl: int
    """Days: the interval of a review card, or the one a relearning card goes back to."""
    factor: int
    reps: int
    lapses: int
    left: int
    """Learning steps still to go."""
    data: str
    """JSON: FSRS stability ``s`` and difficulty ``d``, last review ``lrt`` (Unix time)."""


def _anki_day(when: datetime) -> date:
    # The local day, which starts at the rollover hour (Anki's `sched_timing_today`).
    return (when.astimezone() - timedelta(hours=ROLLOVER_HOUR)).date()


def anki_schedule(state: CardState, crt: int) -> AnkiSchedule | None:
    """Where a drilled card stands, as Anki keeps it, or None for a card never
    reviewed (it stays new).

    A review is due on a day: Anki counts days from the local date of the
    collection's creation (``crt``, the package's; the importer moves the
    count to the user's collection), and a day starts at the rollover hour.
    A (re)learning step is due at its time."""
    card = state.card
    stability, difficulty = card.stability, card.difficulty
    if state.is_new or stability is None or difficulty is None:
        return None
    memory: dict[str, Any] = {"s": round(stability, 4), "d": round(difficulty, 4)}
    if card.last_review is not None:
        memory["lrt"] = int(card.last_review.timestamp())
    if card.state == State.Review:
        created = datetime.fromtimestamp(crt, UTC).astimezone().date()
        scheduled = card.due - card.last_review if card.last_review else stability * _DAY
        kind, queue, due = 2, 2, (_anki_day(card.due) - created).days
        ivl, factor, left = max(1, round(scheduled / _DAY)), _INITIAL_EASE, 0
    else:
        relearning = card.state == State.Relearning
        scheduler = make_scheduler(fuzzing=False)
        steps = scheduler.relearning_steps if relearning else scheduler.learning_steps
        kind, queue, due = (3 if relearning else 1), 1, int(card.due.timestamp())
        # What a relearning card goes back to: FSRS's interval at 90 % retention
        # is about its stability. A learning card has no interval or ease yet.
        ivl = max(1, round(stability)) if relearning else 0
        factor = _INITIAL_EASE if relearning else 0
        left = max(1, len(steps) - (card.step or 0))
    return AnkiSchedule(
        type=kind,
        queue=queue,
        due=due,
        ivl=ivl,
        factor=factor,
        reps=state.reviews,
        lapses=state.lapses,
        left=left,
        data=json.dumps(memory, separators=(",", ":")),
    )


class _Package(genanki.Package):  # type: ignore[misc]  # genanki ships no types
    """genanki writes every card new; this writes the drill states over the
    cards of the drilled notes, in the package's database before it is zipped."""

    def __init__(self, decks: list[genanki.Deck], states: Mapping[str, CardState]) -> None:
        super().__init__(decks)
        self.states = states

    def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, id_gen: Iterator[int]) -> None:
        super().write_to_db(cursor, timestamp, id_gen)
        (crt,) = cursor.execute("SELECT crt FROM col").fetchone()
        for full_id, state in self.states.items():
            s = anki_schedule(state, int(crt))
            if s is None:
                continue
            cursor.execute(
                "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, "
                "lapses = ?, left = ?, data = ? "
                "WHERE nid IN (SELECT id FROM notes WHERE guid = ?)",
                (
                    s.type,
                    s.queue,
                    s.due,
                    s.ivl,
                    s.factor,
                    s.reps,
                    s.lapses,
                    s.left,
                    s.data,
                    anki_guid(full_id),
                ),
            )


def write_apkg(
    path: Path,
    tracks: Sequence[Track],
    cards: Sequence[DrillCard],
    now: datetime,
    states: Mapping[str, CardState] | None = None,
) -> int:
    """Write the package (atomically) and return the number of notes in it.

    ``now`` stamps the notes' modification time, which is how Anki tells an
    updated note from one it already has. ``states`` (drill state by full
    card id) schedules the cards that have one; without it every card is new.
    """
    decks = build_decks(tracks, cards)
    if not decks:
        raise VivaError("nothing to export: the selected tracks have no such questions")
    chosen = {c.id for c in cards}
    drilled = {i: s for i, s in (states or {}).items() if i in chosen}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VivaError(f"cannot write {path}: {exc.strerror or exc}") from exc
    with atomic_path(path) as tmp:
        _Package(decks, drilled).write_to_file(str(tmp), timestamp=now.timestamp())
    return sum(len(d.notes) for d in decks)
