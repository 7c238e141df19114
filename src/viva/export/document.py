"""The ``viva-export/1`` JSON document as models: read and check an export,
turn its drill state back into card states, and describe it as a JSON Schema.

``viva export json`` (``jsonfile.py``) writes the document; ``viva import
json`` reads it with :func:`read_export`, which checks the format before
anything is used and names the first problem by its JSON path
(``$.tracks[0].questions[3].drill.due``). Keys this viva does not know are
ignored, so an export from a later viva that adds some still reads.

What an older export does not carry is derived: a card's creation time is
its first review in the log (else its last review), and the learning step of
a card in (re)learning is the step whose interval matches its due time.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from fsrs import Card, State
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from viva.catalog.models import Question, TrackId
from viva.drill.scheduler import CardState, fsrs_card_id, make_scheduler
from viva.drill.state import ReviewRow
from viva.errors import VivaError

__all__ = [
    "FORMAT",
    "DrillState",
    "ExportDocument",
    "ExportQuestion",
    "ExportReview",
    "ExportTrack",
    "card_states",
    "read_export",
    "review_rows",
]

FORMAT = "viva-export/1"
MAX_BYTES = 512 * 1024 * 1024

CardId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*/.+$")]
Rating = Annotated[int, Field(strict=True, ge=1, le=4)]


class _Open(BaseModel):
    """Frozen; keys it does not name are ignored (a later export may add some)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class DrillState(_Open):
    """A card's FSRS state and tallies, as ``viva export json`` writes them."""

    stage: Literal["new", "learning", "review", "relearning"]
    due: AwareDatetime
    last_review: AwareDatetime | None = None
    stability: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    """FSRS stability in days: positive."""
    difficulty: float | None = Field(default=None, ge=1, le=10, allow_inf_nan=False)
    """FSRS difficulty: 1 (easiest) to 10."""
    reviews: int = Field(default=0, strict=True, ge=0)
    lapses: int = Field(default=0, strict=True, ge=0)
    last_rating: Rating | None = None
    recall_now: float | None = Field(default=None, ge=0, le=1)
    """Predicted recall when exported; not read back (it is worked out again)."""
    step: int | None = Field(default=None, strict=True, ge=0)
    """The FSRS (re)learning step; older exports lack it (then it is derived)."""
    created_at: AwareDatetime | None = None
    """When the card was first drilled; older exports lack it (then it is derived)."""


class ExportQuestion(Question):
    """A question as ``viva bank show --json`` gives it, with its drill state
    (``null``: never reviewed)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    drill: DrillState | None = None


class ExportTrack(_Open):
    id: TrackId
    title: str
    path: str
    defense_minutes: int
    questions: tuple[ExportQuestion, ...] = ()


class ExportReview(_Open):
    """One entry of the review log."""

    card: CardId
    rating: Rating
    reviewed_at: AwareDatetime
    source: str = Field(min_length=1)
    duration_ms: int | None = Field(default=None, ge=0)
    answer: str | None = None


class ExportDocument(_Open):
    """A ``viva export json`` file: tracks with their questions and drill state,
    the state of cards whose question has left the banks (``retired``, by full
    id), and the review log."""

    format: Literal["viva-export/1"]
    exported_at: AwareDatetime | None = None
    tracks: tuple[ExportTrack, ...]
    retired: dict[CardId, DrillState | None] = Field(default_factory=dict)
    reviews: tuple[ExportReview, ...] = ()


# --- reading -------------------------------------------------------------------


def _json_path(loc: Sequence[int | str]) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_export(path: Path, display: str | None = None) -> ExportDocument:
    """The checked export in ``path``; a ``VivaError`` naming the file and the
    JSON path of the first problem when it is not a ``viva-export/1`` file."""
    name = display or str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise VivaError(f"{name}: not a regular file (a device, FIFO or folder)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise VivaError(f"{name}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise VivaError(f"{name}: over {MAX_BYTES:,} bytes, too large for an export")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise VivaError(f"{name}: not UTF-8 text (byte offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise VivaError(
            f"{name}:{exc.lineno}: not valid JSON: {exc.msg} (line {exc.lineno}, "
            f"column {exc.colno})"
        ) from None
    except RecursionError:
        raise VivaError(f"{name}: not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise VivaError(
            f"{name}: $: expected a JSON object (a {FORMAT} export), got {_shown(data)}"
        )
    if data.get("format") != FORMAT:
        got = f"got {_shown(data['format'])}" if "format" in data else "it has no 'format' key"
        raise VivaError(
            f"{name}: $.format: not a viva export: expected {FORMAT!r}, {got} "
            "(`viva export json` writes one)"
        )
    try:
        return ExportDocument.model_validate(data)
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
        first = problems[0]
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] != "missing":
            message += f", got {_shown(first.get('input'))}"
        raise VivaError(f"{name}: {_json_path(first['loc'])}: {message}{tail}") from None


# --- back to card states -------------------------------------------------------------

_STATES = {"new": 1, "learning": 1, "review": 2, "relearning": 3}


def _step(state: DrillState, steps: Sequence[timedelta]) -> int:
    """The (re)learning step whose interval gives the card's due time (0 if none does)."""
    if state.last_review is None:
        return 0
    interval = state.due - state.last_review
    for i, step in enumerate(steps):
        if abs(interval - step) < timedelta(seconds=1):
            return i
    return 0


def _card_state(
    full_id: str,
    state: DrillState,
    created: datetime | None,
    learning: Sequence[timedelta],
    relearning: Sequence[timedelta],
) -> CardState:
    kind = State(_STATES[state.stage])
    step = None
    if kind == State.Learning:
        step = state.step if state.step is not None else _step(state, learning)
    elif kind == State.Relearning:
        step = state.step if state.step is not None else _step(state, relearning)
    due = state.due.astimezone(UTC)
    last = state.last_review.astimezone(UTC) if state.last_review else None
    card = Card(
        card_id=fsrs_card_id(full_id),
        state=kind,
        step=step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=due,
        last_review=last,
    )
    track = full_id.rpartition("/")[0]
    return CardState(
        id=full_id,
        track=track,
        card=card,
        created_at=(state.created_at or created or last or due).astimezone(UTC),
        reviews=state.reviews,
        lapses=state.lapses,
        last_rating=state.last_rating,
    )


def card_states(doc: ExportDocument, known: Collection[str]) -> tuple[list[CardState], list[str]]:
    """The drill state the export carries for the questions in ``known`` (full
    ids), and the ids of the states it carries for questions not there."""
    scheduler = make_scheduler(fuzzing=False)
    learning = tuple(scheduler.learning_steps)
    relearning = tuple(scheduler.relearning_steps)
    first_review: dict[str, datetime] = {}
    for r in doc.reviews:
        if r.card not in first_review or r.reviewed_at < first_review[r.card]:
            first_review[r.card] = r.reviewed_at
    found: dict[str, DrillState] = {}
    for track in doc.tracks:
        for q in track.questions:
            if q.drill is not None:
                found[f"{track.id}/{q.id}"] = q.drill
    for full_id, state in doc.retired.items():
        if state is not None:
            found.setdefault(full_id, state)
    states, skipped = [], []
    for full_id, state in sorted(found.items()):
        if full_id not in known:
            skipped.append(full_id)
            continue
        states.append(_card_state(full_id, state, first_review.get(full_id), learning, relearning))
    return states, skipped


def review_rows(doc: ExportDocument, known: Collection[str]) -> tuple[list[ReviewRow], int]:
    """The review log entries of the questions in ``known``, oldest first, and
    how many entries were left out (their question is not there)."""
    rows = [
        ReviewRow(
            card_id=r.card,
            track=r.card.rpartition("/")[0],
            rating=r.rating,
            reviewed_at=r.reviewed_at.astimezone(UTC),
            source=r.source,
            duration_ms=r.duration_ms,
            answer=r.answer,
        )
        for r in doc.reviews
        if r.card in known
    ]
    rows.sort(key=lambda r: r.reviewed_at)
    return rows, len(doc.reviews) - len(rows)
