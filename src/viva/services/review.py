"""A reviewed defense in and out: ``viva review export`` and ``viva review import``.

:func:`export_review` gives a session a reviewer scored as one JSON document,
``viva-review/1`` (:class:`ReviewDocument`; its JSON Schema is
``viva/schemas/review.schema.json``): per question the score with its rubric
label, the notes, the follow-ups asked, the answer and transcript; per
category the summary score; the verdict.

:func:`import_scores` reads a CSV typed from a printed reviewer packet
(:data:`CSV_HELP` lists the columns) onto a reviewed session, or, for a
defense scored on a blank packet, onto a new reviewed session of that
packet's agenda (the same track, seed, length and scopes give the same
questions and numbers). Every problem is located ``file.csv:LINE: column:
message``; nothing is written unless the whole file fits, and everything is
written in one transaction. Importing the same file again writes nothing new.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from viva.catalog.loader import Catalog, Track, load_catalog
from viva.catalog.models import Category
from viva.clock import Clock, utc_now
from viva.drill.hooks import rehearsal_ratings
from viva.errors import DataError, DataErrors, UsageProblem, VivaError
from viva.rehearsal.agenda import SEED_LIMIT, Agenda, PlannedQuestion
from viva.rehearsal.events import SCORES, EventValue, InvalidEvent
from viva.rehearsal.planner import check_scopes, draw_agenda
from viva.rehearsal.session import LiveSession, agenda_of, session_report
from viva.store.database import SessionRecord, Store, open_store
from viva.text import describe, name_characters, unsafe_characters

__all__ = [
    "CSV_COLUMNS",
    "CSV_HELP",
    "FORMAT",
    "ImportResult",
    "ReviewCategory",
    "ReviewDocument",
    "ReviewQuestion",
    "export_review",
    "import_scores",
    "rubric_label",
]

FORMAT = "viva-review/1"


# --- the document ----------------------------------------------------------------


class _Closed(BaseModel):
    """Frozen, and exactly these keys: a viva-review/1 file has no others."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewQuestion(_Closed):
    """One agenda item of the defense as the reviewer scored it."""

    number: int = Field(ge=1, description="Its number in the printed packet (Q1, Q2, ...).")
    id: str = Field(min_length=1, description="The bank question's id (opening-<section>).")
    section: str = Field(description="The id of the agenda section it was asked in.")
    opening: bool = Field(description="The section's opening prompt rather than a bank question.")
    must: bool = Field(description="A question the track marks must.")
    category: str = Field(description="Its review category (catalog/categories.yaml).")
    kind: str = Field(description="Its kind: defensible, review, deep-dive, failure-scenario...")
    prompt: str
    score: int | None = Field(
        ge=1, le=5, description="The reviewer's score against the category's rubric (null: none)."
    )
    rubric_label: str | None = Field(
        description="The rubric's label for that score, such as Adequate (null: no score)."
    )
    notes: list[str] = Field(description="The reviewer's notes, in the order written.")
    follow_ups_asked: list[str] = Field(
        description="The follow-up prompts put to the candidate, in order."
    )
    answer: str = Field(description="What was typed as the answer (or the reviewer's record).")
    transcript: str | None = Field(description="The transcript of a spoken answer (null: none).")
    seconds: float = Field(ge=0, description="Time spent on it; 0 for a defense scored on paper.")
    skipped: bool
    flagged: bool
    rating: int | None = Field(
        ge=1, le=4, description="The candidate's self-rating, 1 again-4 easy."
    )


class ReviewCategory(_Closed):
    """A review category's summary in the defense, in agenda order."""

    category: str
    title: str = Field(description="The category's title in the catalog.")
    score: float | None = Field(
        ge=1,
        le=5,
        description="The summary score: the one the reviewer gave, else the mean of the "
        "question scores (null: nothing scored).",
    )
    rubric_label: str | None = Field(
        description="The rubric's label of a whole summary score (null for a mean between levels)."
    )
    mean: float | None = Field(ge=1, le=5, description="The mean of the question scores.")
    questions_scored: int = Field(ge=0)
    given: bool = Field(description="The reviewer gave the summary score (rather than the mean).")


class ReviewDocument(_Closed):
    """A reviewed defense: who, which agenda, each question's score and notes,
    the category scores and the verdict."""

    format: Literal["viva-review/1"]
    session: str = Field(description="The session id (`viva sessions`).")
    track: str
    candidate: str | None
    reviewer: str | None = Field(default=None, description="The reviewer, when known.")
    started_at: AwareDatetime
    ended_at: AwareDatetime | None
    status: str = Field(description="active, paused or ended.")
    minutes: int = Field(description="The defense length the agenda was drawn for.")
    seed: int = Field(description="The agenda's seed: `viva packet --track T --seed N` repeats it.")
    questions: list[ReviewQuestion]
    categories: list[ReviewCategory]
    verdict: str = Field(description="The reviewer's verdict (empty: none written).")


def rubric_label(category: Category | None, score: float | None) -> str | None:
    """The label the category's rubric gives a whole score (``Adequate`` for 3),
    None for no score, a mean between levels or an unknown category."""
    if category is None or score is None or not float(score).is_integer():
        return None
    return next((r.label for r in category.rubric if r.score == int(score)), None)


def _numbered(agenda: Agenda) -> list[tuple[int, str, PlannedQuestion]]:
    """(packet number, section id, question) in agenda order: the packet numbers
    every item from 1, openings included."""
    out: list[tuple[int, str, PlannedQuestion]] = []
    for section in agenda.sections:
        for q in section.questions:
            out.append((len(out) + 1, section.id, q))
    return out


def export_review(session: str, reviewer: str | None = None) -> dict[str, Any]:
    """The reviewed session SESSION (an id or a unique prefix) as a
    ``viva-review/1`` document (schema: ``viva bank schema review``): per
    question its packet number, score and rubric label, notes, follow-ups
    asked, answer, transcript, time, skipped and flagged; per category its
    summary score; the verdict. A rehearsal no reviewer scored is refused."""
    catalog = load_catalog()
    with open_store() as store:
        record = store.session(session)
        report = session_report(store, record.id)
    if not report.reviewed:
        raise UsageProblem(
            f"session {record.id} is a rehearsal, not a reviewed defense: only a session "
            "`viva review` scored (or `viva review import` brought in) can be exported"
        )
    reports = {(s.id, q.question_id): q for s in report.sections for q in s.questions}
    questions = []
    for number, section, planned in _numbered(agenda_of(record)):
        q = reports[(section, planned.id)]
        category = catalog.categories.get(q.category)
        questions.append(
            ReviewQuestion(
                number=number,
                id=q.question_id,
                section=section,
                opening=q.opening,
                must=q.must,
                category=q.category,
                kind=q.kind,
                prompt=q.prompt,
                score=q.score,
                rubric_label=rubric_label(category, q.score),
                notes=list(q.notes),
                follow_ups_asked=list(q.follow_ups_asked),
                answer=q.answer,
                transcript=q.speech.text if q.speech is not None and q.speech.text else None,
                seconds=round(q.seconds, 3),
                skipped=q.skipped,
                flagged=q.flagged,
                rating=q.rating,
            )
        )
    categories = []
    for c in report.category_scores:
        category = catalog.categories.get(c.category)
        categories.append(
            ReviewCategory(
                category=c.category,
                title=category.title if category else c.category,
                score=c.score,
                rubric_label=rubric_label(category, c.score),
                mean=c.mean,
                questions_scored=c.questions_scored,
                given=c.given,
            )
        )
    document = ReviewDocument(
        format=FORMAT,
        session=record.id,
        track=record.track,
        candidate=record.candidate,
        reviewer=reviewer,
        started_at=record.started_at,
        ended_at=record.ended_at,
        status=record.status,
        minutes=record.minutes,
        seed=record.seed,
        questions=questions,
        categories=categories,
        verdict=report.verdict,
    )
    data = document.model_dump(mode="json")
    if reviewer is None:
        del data["reviewer"]  # optional: the store keeps no reviewer's name
    return data


# --- the CSV ---------------------------------------------------------------------

CSV_COLUMNS = (
    "session",
    "track",
    "seed",
    "minutes",
    "candidate",
    "scopes",
    "started",
    "question",
    "score",
    "note",
    "asked",
)
"""The columns :func:`import_scores` reads (a header row names them, in any order)."""

_DEFENSE_COLUMNS = ("session", "track", "seed", "minutes", "candidate", "scopes", "started")
_BLANK_ONLY = ("scopes", "started")

CSV_HELP = """\
A header row names the columns, in any order (case does not matter; a column
may be left out); one defense per file. Comma-, semicolon- or tab-separated,
UTF-8 (a spreadsheet's byte-order mark is fine).

Which defense (given on any row; blank cells mean the same defense):
  session    the reviewed session's id, or a unique prefix of it (`viva sessions`);
  or, for a defense scored on a blank packet (`viva packet --track T --seed N`):
  track      the track, as `viva packet --track` takes it;
  seed       the seed printed on the packet's cover;
  minutes    45 or 60 (default: the track's defense length);
  candidate  the candidate's name (required: the scores are theirs);
  scopes     what the candidate built, separated by spaces ("none": no scope;
             default: the scopes remembered for the track, as the packet had);
  started    when the defense began, YYYY-MM-DD[ HH:MM] local time (default: now).
  A new reviewed session of that agenda is created and ended, its questions
  without a row recorded as skipped; importing again finds that session.

What was scored, one row each:
  question   a question's id or its number in the packet (3 or Q3);
             category:ID for a category's summary score (category:architecture);
             verdict for the verdict on the whole defense;
  score      1 to 5 against the category's rubric (a question or category:ID row);
  note       a note on the question (or the verdict's text on the verdict row);
  asked      the follow-ups put to the candidate, by number: "1 2" or "1,2".
"""

_NUMBER = re.compile(r"^(?:q|#)?\s*(\d+)$", re.IGNORECASE)
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_scores` wrote; ``str()`` is the status line."""

    session: str
    track: str
    created: bool
    """A new reviewed session was made for a defense scored on a blank packet."""
    scores: int = 0
    notes: int = 0
    asked: int = 0
    categories: int = 0
    verdict: bool = False
    unchanged: int = 0
    """Scores, notes, follow-ups, category scores or verdicts the session already had."""

    @property
    def written(self) -> int:
        return self.scores + self.notes + self.asked + self.categories + int(self.verdict)

    def __str__(self) -> str:
        parts = [
            _count(self.scores, "score"),
            _count(self.notes, "note"),
            _count(self.asked, "follow-up asked", "follow-ups asked"),
            _count(self.categories, "category score"),
            "the verdict" if self.verdict else "",
        ]
        shown = [p for p in parts if p]
        what = (
            ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else "".join(shown)
        ) or "nothing new"
        head = (
            f"session {self.session} ({self.track}): created from the blank packet; "
            if self.created
            else f"session {self.session} ({self.track}): "
        )
        tail = f" ({self.unchanged} already recorded)" if self.unchanged else ""
        verb = "wrote " if shown else ""
        return f"{head}{verb}{what}{tail}"


def _count(n: int, one: str, many: str | None = None) -> str:
    if not n:
        return ""
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass
class _Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class _Defense:
    """Which defense the file scores, and where each cell saying so was."""

    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, column: str, default: int = 1) -> int:
        return self.lines.get(column, default)


@dataclass(frozen=True)
class _Action:
    """One event the file asks for, and the cell it came from."""

    line: int
    column: str
    kind: str
    data: dict[str, EventValue]


class _Reader:
    def __init__(self, display: str) -> None:
        self.display = display
        self.errors: list[DataError] = []

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(DataError(self.display, line, column, message))

    def read(self, path: Path) -> list[_Row]:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise VivaError(f"{self.display}: no such file") from None
        except IsADirectoryError:
            raise VivaError(f"{self.display}: is a folder, not a CSV file") from None
        except OSError as exc:
            raise VivaError(f"cannot read {self.display}: {exc.strerror or exc}") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.error(line, "file", "not UTF-8 text (save the sheet as CSV UTF-8)")
            raise DataErrors(self.errors) from None
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header: list[str] | None = None
        rows: list[_Row] = []
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.error(start, "file", f"not CSV: {exc}")
                raise DataErrors(self.errors) from None
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = self._header(start, cells)
                continue
            if len(cells) > len(header):
                extra = [c for c in cells[len(header) :] if c.strip()]
                if extra:
                    self.error(start, "file", f"{len(cells)} cells, but {len(header)} columns")
            values = {
                name: cells[i].replace("\r\n", "\n").strip()
                for i, name in enumerate(header)
                if i < len(cells) and name
            }
            rows.append(_Row(start, values))
        if header is None:
            self.error(1, "file", "empty: a header row names the columns (" + _known() + ")")
        elif "question" not in header:
            self.error(1, "question", "the column is missing (" + _known() + ")")
        if self.errors:
            raise DataErrors(self.errors)
        return rows

    def _header(self, line: int, cells: list[str]) -> list[str]:
        names = [c.strip().lower() for c in cells]
        seen: set[str] = set()
        for i, name in enumerate(names):
            if not name:
                continue
            if name not in CSV_COLUMNS:
                self.error(line, cells[i].strip(), f"unknown column ({_known()})")
                names[i] = ""
            elif name in seen:
                self.error(line, name, "the column appears twice")
                names[i] = ""
            seen.add(name)
        return names


def _known() -> str:
    return "columns: " + ", ".join(CSV_COLUMNS)


def _defense(reader: _Reader, rows: Sequence[_Row]) -> _Defense:
    """The defense the rows name; a second, different value of a column is an error."""
    found = _Defense()
    for row in rows:
        for column in _DEFENSE_COLUMNS:
            value = row.get(column)
            if not value:
                continue
            if column not in found.values:
                found.values[column] = value
                found.lines[column] = row.line
            elif value != found.values[column]:
                reader.error(
                    row.line,
                    column,
                    f"one defense per file: line {found.lines[column]} says "
                    f"{found.values[column]!r}, this row {value!r}",
                )
    return found


def _int(reader: _Reader, line: int, column: str, text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        reader.error(line, column, f"a whole number, not {text!r}")
        return None


def _started(reader: _Reader, line: int, text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        reader.error(line, "started", f"a date and time YYYY-MM-DD[ HH:MM], not {text!r}")
        return None
    moment = moment.astimezone(UTC)  # a time without a zone is local time
    if moment > utc_now() + timedelta(days=1):
        reader.error(line, "started", f"{text} is in the future: a defense scored is one held")
        return None
    return moment


@dataclass
class _Target:
    """The session the scores go to: an existing one, or one to create."""

    record: SessionRecord | None
    agenda: Agenda
    track: str
    candidate: str | None = None
    started: datetime | None = None


def _resolve(
    reader: _Reader, store: Store, catalog: Catalog, defense: _Defense, first_line: int
) -> _Target | None:
    values = defense.values
    if "session" in values:
        line = defense.line("session")
        try:
            record = store.session(values["session"])
        except VivaError as exc:
            reader.error(line, "session", str(exc))
            return None
        if record.mode != "review":
            reader.error(
                line,
                "session",
                f"session {record.id} is a rehearsal, not a reviewed defense "
                "(`viva review` records one)",
            )
        elif record.status != "ended":
            reader.error(
                line,
                "session",
                f"session {record.id} has not ended: `viva resume {record.id}` and :end it, "
                "then import",
            )
        _check_same(reader, catalog, defense, record)
        return _Target(record, agenda_of(record), record.track)
    if "track" not in values:
        reader.error(
            first_line,
            "session",
            "no defense named: a session column (an id or a prefix), or track, seed and "
            "candidate for a defense scored on a blank packet",
        )
        return None
    return _blank(reader, store, catalog, defense)


def _check_same(
    reader: _Reader, catalog: Catalog, defense: _Defense, record: SessionRecord
) -> None:
    """Track, seed, minutes and candidate beside a session must be that session's."""
    values = defense.values
    given: dict[str, object] = {
        "seed": record.seed,
        "minutes": record.minutes,
        "candidate": record.candidate,
    }
    if "track" in values:
        try:
            track_id = catalog.resolve(values["track"]).id
        except VivaError:
            track_id = values["track"]
        if track_id != record.track:
            reader.error(
                defense.line("track"), "track", f"session {record.id} is of track {record.track}"
            )
    for column, expected in given.items():
        if column in values and values[column] != str(expected):
            reader.error(
                defense.line(column),
                column,
                f"session {record.id} has {column} {expected!r}, not {values[column]!r}",
            )
    for column in _BLANK_ONLY:
        if column in values:
            reader.error(
                defense.line(column),
                column,
                "only for a defense scored on a blank packet (no session column)",
            )


def _blank(reader: _Reader, store: Store, catalog: Catalog, defense: _Defense) -> _Target | None:
    values = defense.values
    track_line = defense.line("track")
    try:
        track = catalog.resolve(values["track"])
    except VivaError as exc:
        reader.error(track_line, "track", str(exc))
        return None
    seed = minutes = None
    if "seed" not in values:
        reader.error(track_line, "seed", "the seed printed on the blank packet is needed")
    else:
        seed = _int(reader, defense.line("seed"), "seed", values["seed"])
        if seed is not None and not 0 <= seed < SEED_LIMIT:
            reader.error(
                defense.line("seed"), "seed", f"a seed is a whole number from 0 to {SEED_LIMIT - 1}"
            )
            seed = None
    if "minutes" in values:
        minutes = _int(reader, defense.line("minutes"), "minutes", values["minutes"])
    candidate = values.get("candidate")
    if not candidate:
        reader.error(
            track_line, "candidate", "a defense scored on a blank packet names its candidate"
        )
    elif name_characters(candidate):
        chars = describe(name_characters(candidate))
        reader.error(defense.line("candidate"), "candidate", f"control characters: {chars}")
    started = None
    if "started" in values:
        started = _started(reader, defense.line("started"), values["started"])
    scopes = _scopes(reader, store, track, defense)
    if seed is None or scopes is None:
        return None
    try:
        agenda = draw_agenda(catalog, track, minutes, seed, scopes=scopes)
    except VivaError as exc:
        where = "minutes" if "minutes" in values and "45 or 60" in str(exc) else "track"
        reader.error(defense.line(where), where, str(exc))
        return None
    record = _earlier_import(store, agenda, candidate)
    return _Target(record, agenda, track.id, candidate, started)


def _scopes(
    reader: _Reader, store: Store, track: Track, defense: _Defense
) -> tuple[str, ...] | None:
    """The scopes named, else those remembered for the track (as the packet had)."""
    text = defense.values.get("scopes")
    if text is None:
        remembered = store.scopes(track.id) or ()
        offered = {s.id for s in track.spec.scopes}
        return check_scopes(track, [s for s in remembered if s in offered])
    names = [n for n in _SPLIT.split(text) if n]
    if [n.lower() for n in names] == ["none"]:
        return ()
    try:
        return check_scopes(track, names)
    except UsageProblem as exc:
        reader.error(defense.line("scopes"), "scopes", str(exc))
        return None


def _earlier_import(store: Store, agenda: Agenda, candidate: str | None) -> SessionRecord | None:
    """The ended reviewed session of this agenda and candidate, if one exists (a
    second import of the same blank packet's scores goes to it)."""
    wanted = agenda.to_json()
    for record in reversed(store.sessions(agenda.track)):
        if (
            record.mode == "review"
            and record.status == "ended"
            and record.seed == agenda.seed
            and record.minutes == agenda.minutes
            and record.candidate == candidate
        ):
            try:
                if json.loads(record.agenda) == wanted:
                    return record
            except ValueError:
                continue
    return None


def _find(
    numbered: Sequence[tuple[int, str, PlannedQuestion]], ref: str, track: str
) -> PlannedQuestion | None:
    match = _NUMBER.match(ref)
    if match:
        n = int(match.group(1))
        return numbered[n - 1][2] if 1 <= n <= len(numbered) else None
    slug = ref[len(track) + 1 :] if ref.startswith(f"{track}/") else ref
    return next((q for _, _, q in numbered if q.id == slug), None)


def _text(reader: _Reader, row: _Row, column: str) -> str:
    text = row.get(column)
    bad = unsafe_characters(text)
    if bad:
        reader.error(row.line, column, f"control characters: {describe(bad)}")
        return ""
    return text


def _score(reader: _Reader, row: _Row) -> int | None:
    text = row.get("score")
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value not in SCORES:
        reader.error(
            row.line,
            "score",
            f"a score is a whole number 1 to 5 (the rubric's levels), not {text!r}",
        )
        return None
    return value


def _actions(
    reader: _Reader, rows: Sequence[_Row], agenda: Agenda
) -> tuple[list[_Action], set[str]]:
    """The events the rows ask for, in file order, and the questions they name."""
    numbered = _numbered(agenda)
    categories = {q.category for _, _, q in numbered}
    actions: list[_Action] = []
    named: set[str] = set()
    scored: dict[str, tuple[int, int]] = {}
    verdict_at: tuple[int, str] | None = None
    for row in rows:
        ref = row.get("question")
        score = _score(reader, row)
        note = _text(reader, row, "note")
        asked = row.get("asked")
        if not ref:
            if score is not None or note or asked:
                reader.error(
                    row.line,
                    "question",
                    "empty: a question's id or packet number, category:ID, or verdict",
                )
            continue
        lowered = ref.lower()
        if lowered == "verdict":
            for column in ("score", "asked"):
                if row.get(column):
                    reader.error(row.line, column, "the verdict row takes its text in note")
            if not note:
                reader.error(row.line, "note", "the verdict's text goes here")
            elif verdict_at is not None and verdict_at[1] != note:
                reader.error(row.line, "note", f"a second verdict (line {verdict_at[0]} has one)")
            else:
                verdict_at = (row.line, note)
                actions.append(_Action(row.line, "note", "verdict", {"text": note}))
            continue
        if lowered.startswith("category:"):
            category = lowered.split(":", 1)[1].strip()
            if category not in categories:
                reader.error(
                    row.line,
                    "question",
                    f"this agenda asks no {category!r} questions "
                    f"(its categories: {', '.join(sorted(categories))})",
                )
            for column in ("note", "asked"):
                if row.get(column):
                    reader.error(row.line, column, "a category row takes only a score")
            if score is None and not row.get("score"):
                reader.error(row.line, "score", "a category row needs its summary score, 1 to 5")
            if score is not None and category in categories:
                key = f"category:{category}"
                if key in scored and scored[key][1] != score:
                    reader.error(
                        row.line,
                        "score",
                        f"{category} is scored {scored[key][1]} on line {scored[key][0]}",
                    )
                scored[key] = (row.line, score)
                data: dict[str, EventValue] = {"category": category, "score": score}
                actions.append(_Action(row.line, "score", "category_score", data))
            continue
        planned = _find(numbered, ref, agenda.track)
        if planned is None:
            reader.error(
                row.line,
                "question",
                f"no question {ref!r} on this defense's agenda (ids, or numbers 1 to "
                f"{len(numbered)} as the packet prints them)",
            )
            continue
        named.add(planned.id)
        if score is not None:
            if planned.id in scored and scored[planned.id][1] != score:
                line, before = scored[planned.id]
                reader.error(row.line, "score", f"{planned.id} is scored {before} on line {line}")
            scored[planned.id] = (row.line, score)
            actions.append(
                _Action(row.line, "score", "score", {"question": planned.id, "score": score})
            )
        if note:
            actions.append(
                _Action(row.line, "note", "note", {"question": planned.id, "text": note})
            )
        for part in (p for p in _SPLIT.split(asked) if p):
            count = len(planned.follow_ups)
            k = int(part) if part.isdigit() else 0
            if k < 1:
                reader.error(row.line, "asked", f"follow-ups are numbered from 1, not {part!r}")
            elif k > count:
                reader.error(
                    row.line,
                    "asked",
                    f"{planned.id} has {count} follow-up{'s' if count != 1 else ''}, not {k}",
                )
            else:
                data = {"question": planned.id, "follow_up": k}
                actions.append(_Action(row.line, "asked", "asked", data))
    return actions, named


def _walk(live: LiveSession, touched: set[str]) -> None:
    """Take a new session through its agenda as the defense went on paper: a
    question with a row was answered (the packet holds no answer text), one
    without was skipped; then end it."""
    while True:
        current = live.rehearsal.current()
        if current is None or live.rehearsal.agenda_done:
            break
        if current[1].id in touched:
            live.act("answer", text="")
        else:
            live.act("skip")
    live.act("end")


def _already(live: LiveSession, action: _Action) -> bool:
    """The session already has what this action would record."""
    r = live.rehearsal
    data = action.data
    if action.kind == "verdict":
        return r.verdict == data["text"]
    if action.kind == "category_score":
        return r.category_given.get(str(data["category"])) == data["score"]
    q = r.find(str(data["question"]))
    if q is None:
        return False
    if action.kind == "score":
        return q.score == data["score"]
    if action.kind == "note":
        return str(data["text"]).strip() in {n.strip() for n in q.notes}
    return action.kind == "asked" and data["follow_up"] in q.asked


def _unreached(live: LiveSession, action: _Action) -> str:
    """Why a question of this action cannot be scored in the session (empty: it can)."""
    named = action.data.get("question")
    q = live.rehearsal.find(named) if isinstance(named, str) else None
    if q is None or q.reached:
        return ""
    return (
        f"{q.id} was never reached in session {live.id} (the defense ended before it), "
        "so it cannot be scored there"
    )


def import_scores(path: Path) -> ImportResult:
    """Bring the scores, notes, asked follow-ups, category scores and verdict of
    the CSV file PATH (typed from a printed reviewer packet) into the store, and
    into the candidate's drill (a score of 1 or 2 weighs like "again").

    The file names a reviewed session (column ``session``), or, for a defense
    scored on a blank packet, its ``track``, ``seed``, ``minutes`` and
    ``candidate``: a new reviewed session of that packet's agenda is then
    created and ended. Rows name a question by id or packet number (3 or Q3),
    ``category:ID`` or ``verdict``, with ``score`` (1-5), ``note`` and ``asked``
    (follow-up numbers, "1 2"). Every problem is reported as
    ``file.csv:LINE: column: message`` and nothing is written unless the whole
    file is right; importing the same file again writes nothing new. See
    :data:`CSV_HELP` for every column."""
    display = str(path)
    reader = _Reader(display)
    rows = reader.read(path)
    defense = _defense(reader, rows)
    catalog = load_catalog()
    with open_store() as store:
        first_line = rows[0].line if rows else 1
        target = _resolve(reader, store, catalog, defense, first_line)
        if target is None:
            for row in rows:  # what can be checked without the agenda, reported too
                _score(reader, row)
                _text(reader, row, "note")
            raise DataErrors(reader.errors)
        actions, named = _actions(reader, rows, target.agenda)
        if reader.errors:
            raise DataErrors(reader.errors)
        counts = dict.fromkeys(("score", "note", "asked", "category_score", "verdict"), 0)
        unchanged = 0
        with store.transaction():  # every write below joins it (a savepoint each)
            record = target.record
            created = record is None
            if record is None:
                moment = target.started or utc_now()
                clock = Clock(mono=lambda: 0.0, wall=lambda: moment)
                live = LiveSession.start(
                    store, target.agenda, target.candidate, clock, mode="review"
                )
                _walk(live, named)
                record = store.session(live.id)
            live = LiveSession(store, record, Clock(), rehearsal_ratings(store))
            for action in actions:
                if _already(live, action):
                    unchanged += 1
                    continue
                unreached = _unreached(live, action)
                if unreached:
                    reader.error(action.line, "question", unreached)
                    continue
                try:
                    live.rehearsal.check(action.kind, action.data)
                except InvalidEvent as exc:
                    reader.error(action.line, action.column, str(exc))
                    continue
                live.act(action.kind, **action.data)
                counts[action.kind] += 1
            if reader.errors:
                raise DataErrors(reader.errors)  # rolls the whole file back
    return ImportResult(
        session=record.id,
        track=record.track,
        created=created,
        scores=counts["score"],
        notes=counts["note"],
        asked=counts["asked"],
        categories=counts["category_score"],
        verdict=bool(counts["verdict"]),
        unchanged=unchanged,
    )
