"""Questions from a spreadsheet or from flash-card notes, as one track's bank.

``viva bank import`` reads a CSV or TSV table or a hashcards-style Markdown
file and turns it into the bank YAML that the loader reads. This module only
reads: every value keeps the line it came from (a table's row, a Markdown
line) in a :class:`LineMap`, so that the loader's checks, which run on the
generated YAML, are reported located in the *source* file
(:func:`relocate`).

CSV and TSV (by suffix, else sniffed): a header row, then one question a row.
Columns (names are case-insensitive; spaces and ``-`` count as ``_``):

- ``id`` (optional): the question's slug; empty: derived from the prompt
  (:func:`derive_id`), the same on every import of the same prompt;
- ``track`` (or ``--track``): one track per import;
- ``category``, ``kind``, ``prompt``, ``source``: required;
- ``key_points``: at least two, separated by ``|`` or by line breaks inside
  a quoted cell (``\\|`` is a literal bar; a leading ``-`` is dropped);
- ``follow_ups`` (optional): the same separators; an item starting with
  ``-`` is a key point of the follow-up before it, any other item starts a
  follow-up question (each needs at least one key point);
- ``minutes`` (default 3), ``difficulty`` (default 2), ``must``
  (true/false, yes/no, 1/0), ``scopes`` (ids separated by ``|``, ``,`` or
  spaces), ``verified`` (``YYYY-MM``): optional.

Markdown (``.md``), the hashcards notation: a card starts at a line
``Q: question`` (the question may run on over several lines) and its answer
at ``A:``; each bullet of the answer is a key point (plain paragraphs count
as one point each); the card ends at the next ``Q:``/``C:``, a heading, a
``---`` line or the end. ``C: text with [deletions]`` is a cloze card: the
prompt is the text with each deletion blanked, the deletions are its key
points. viva adds ``F: follow-up question`` (after the answer, its bullets
are that follow-up's key points). Fields come from TOML front matter (as
hashcards has it, between ``---`` lines at the top; ``key: value`` lines
work too), for the whole file; from a heading made of ``key: value`` pairs
separated by ``;``, for the cards under it (any other heading is a title and
ends that); and from a comment line ``<!-- id: x; must: true -->``, for the
next card. Keys: track, category, kind, source, minutes, difficulty, must,
scopes, verified, and (only in a card's comment) id.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from viva.catalog import OPENING_PREFIX
from viva.catalog.loader import resolve_track_id
from viva.catalog.yamlsafe import MAX_BYTES, LineMap, Loc
from viva.errors import DataError, DataErrors, UsageProblem

__all__ = [
    "DEFAULT_DIFFICULTY",
    "DEFAULT_MINUTES",
    "MARKER",
    "Imported",
    "SourceFormat",
    "bank_yaml",
    "derive_id",
    "first_must_line",
    "header_name",
    "read_source",
    "relocate",
    "source_format",
]

SourceFormat = Literal["csv", "tsv", "markdown"]

DEFAULT_MINUTES = 3
DEFAULT_DIFFICULTY = 2
MARKER = "# Imported by `viva bank import`"
"""The first line of every bank the import writes: only such a file is replaced."""

_ORDER = (
    "id",
    "category",
    "kind",
    "prompt",
    "key_points",
    "follow_ups",
    "minutes",
    "difficulty",
    "source",
    "must",
    "scopes",
    "verified",
)
COLUMNS = ("track", *_ORDER)
_REQUIRED_COLUMNS = ("category", "kind", "prompt", "key_points", "source")
_ALIASES = {
    "question": "prompt",
    "answer": "key_points",
    "points": "key_points",
    "followups": "follow_ups",
    "follow_up": "follow_ups",
}
_FIELD_KEYS = (
    "track",
    "category",
    "kind",
    "source",
    "minutes",
    "difficulty",
    "must",
    "scopes",
    "verified",
)
_CARD_KEYS = ("id", *_FIELD_KEYS)

_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_PIPE = re.compile(r"(?<!\\)\|")
_CLOZE = re.compile(r"(?<!!)\[([^\[\]\n]+)\](?!\()")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_COMMENT = re.compile(r"^\s*<!--(.*)-->\s*$")
_TAG = re.compile(r"^([QACF]):(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Imported:
    """What a source file holds: the track, the questions as the bank YAML will
    hold them, where each value came from, and what could not be read."""

    display: str
    format: SourceFormat
    track: str | None = None
    questions: list[dict[str, Any]] = field(default_factory=list)
    lines: LineMap = field(default_factory=LineMap)
    errors: list[DataError] = field(default_factory=list)

    def error(self, line: int, name: str, message: str) -> None:
        self.errors.append(DataError(self.display, line, name, message))

    def data(self) -> dict[str, Any]:
        return {"track": self.track, "questions": self.questions}


# --- reading ---------------------------------------------------------------


def _read_text(path: Path, display: str) -> str:
    def fail(line: int, message: str) -> DataErrors:
        return DataErrors([DataError(display, line, "(file)", message)])

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise fail(1, "not a regular file (a device, FIFO or folder)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise fail(1, exc.strerror or str(exc)) from None
    if len(raw) > MAX_BYTES:
        raise fail(1, f"file is over {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}")
    if b"\x00" in raw:
        raise fail(raw.count(b"\n", 0, raw.index(b"\x00")) + 1, "binary content (NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise fail(line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    if not text.strip():
        raise fail(1, "file is empty")
    return text


def source_format(path: Path, text: str) -> SourceFormat | None:
    """By the suffix (``.csv``, ``.tsv``, ``.md``), else by the content."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix in (".md", ".markdown"):
        return "markdown"
    lines = text.splitlines()
    if any(re.match(r"^[QC]:", ln) for ln in lines):
        return "markdown"
    first = next((ln for ln in lines if ln.strip()), "")
    if "\t" in first and first.count("\t") >= first.count(","):
        return "tsv"
    if "," in first:
        return "csv"
    return None


def read_source(
    path: Path, display: str, track_ids: Sequence[str], track: str | None = None
) -> Imported:
    """The questions of a CSV, TSV or Markdown file; ``track`` (a full id, from
    ``--track``) is the track of rows and cards that name none."""
    text = _read_text(path, display)
    fmt = source_format(path, text)
    if fmt is None:
        raise DataErrors(
            [
                DataError(
                    display,
                    1,
                    "(file)",
                    "cannot tell the format: name the file .csv, .tsv or .md (a table with a "
                    "header row, or Q:/A: cards)",
                )
            ]
        )
    out = Imported(display, fmt, track)
    if fmt == "markdown":
        _read_markdown(text, out, track_ids)
    else:
        _read_table(text, "," if fmt == "csv" else "\t", out, track_ids)
    if not out.questions and not out.errors:
        hint = (
            "no Q:/A: or C: cards found" if fmt == "markdown" else "no rows found below the header"
        )
        out.error(1, "questions", hint)
    if out.track is None and out.questions:
        out.error(
            1,
            "track",
            "no track: give --track TRACK"
            + (
                ' or a front matter line track = "path/track"'
                if fmt == "markdown"
                else " or a track column"
            ),
        )
    out.lines.set(("track",), out.lines.line(("questions", 0)) if out.questions else 1)
    return out


def _set_track(out: Imported, name: Any, line: int, track_ids: Sequence[str]) -> None:
    """A row's or card's track: resolved, and the same for the whole import."""
    if not isinstance(name, str) or not name.strip():
        if name is not None and name != "":
            out.error(line, "track", "expected a track id such as 'go/raft-kv'")
        return
    try:
        tid = resolve_track_id(name, track_ids)
    except UsageProblem as exc:
        out.error(line, "track", str(exc))
        return
    if out.track is None:
        out.track = tid
    elif tid != out.track:
        out.error(
            line,
            "track",
            f"{tid} here, but this import is for {out.track} (from --track or an earlier "
            "row): one import makes one track's bank; split the file",
        )


def _number(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,9}\s*", value):
        return int(value)
    return value


_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0"}


def _flag(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value


def _scopes(value: Any) -> Any:
    if isinstance(value, str):
        return [s for s in re.split(r"[|,\s]+", value.strip()) if s]
    return value


def _typed(key: str, value: Any) -> Any:
    """A field's value from text: numbers, flags and scope lists converted;
    anything that does not convert is left for the schema to report."""
    if key in ("minutes", "difficulty"):
        return _number(value)
    if key == "must":
        return _flag(value)
    if key == "scopes":
        return _scopes(value)
    if key in ("category", "kind") and isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, str):
        return value.strip()
    return value


def _pieces(cell: str) -> list[str]:
    """A cell's items: split at line breaks and at ``|`` (``\\|`` is a bar)."""
    out = []
    for line in cell.splitlines():
        for part in _PIPE.split(line):
            text = part.replace("\\|", "|").strip()
            if text:
                out.append(text)
    return out


def split_points(cell: str) -> list[str]:
    """Key points of a cell, a leading bullet marker dropped."""
    out = []
    for piece in _pieces(cell):
        m = _BULLET.match(piece)
        out.append(m.group(1).strip() if m else piece)
    return [p for p in out if p]


def _follow_ups(cell: str) -> tuple[list[dict[str, Any]], str | None]:
    """Follow-ups of a cell: a plain item asks, the ``-`` items after it are its points."""
    out: list[dict[str, Any]] = []
    for piece in _pieces(cell):
        m = _BULLET.match(piece)
        if m:
            if not out:
                return out, (
                    f"the key point {m.group(1)[:40]!r} comes before any follow-up "
                    "question: write the question first, then its '- ' points"
                )
            out[-1]["key_points"].append(m.group(1).strip())
        else:
            out.append({"prompt": piece, "key_points": []})
    return out, None


def derive_id(prompt: str) -> str:
    """A slug for a question without an id: the prompt's first words and a short
    hash of its text (spacing ignored), so that the same prompt always gets the
    same id and two prompts that start alike do not collide."""
    ascii_text = unicodedata.normalize("NFKD", prompt).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"(?<=\w)'(?=\w)", "", ascii_text)  # "leader's" -> "leaders"
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > 40:
            break
        slug = longer
    if not slug:
        slug = words[0][:40] if words else "question"
    if slug.startswith(OPENING_PREFIX.rstrip("-")):
        slug = f"q-{slug}"[:42]
    digest = hashlib.sha256(" ".join(prompt.split()).encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}"


def _assemble(values: Mapping[str, Any]) -> dict[str, Any]:
    """A question's keys in the order the packaged banks write them."""
    out = {key: values[key] for key in _ORDER if key in values}
    if out.get("must") is False:
        del out["must"]  # the default, left out as the packaged banks leave it
    return out


# --- tables ------------------------------------------------------------------


def _column(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    return _ALIASES.get(key, key)


def _read_table(text: str, delimiter: str, out: Imported, track_ids: Sequence[str]) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for row in reader:
            rows.append((previous + 1, row))
            previous = reader.line_num
    except csv.Error as exc:
        out.error(reader.line_num or 1, "(file)", f"not a valid table: {exc}")
        return
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    header_line, header = rows[0]
    columns = [_column(c) for c in header]
    for i, name in enumerate(columns):
        if not name:
            out.error(header_line, "(header)", f"column {i + 1} has no name")
        elif name not in COLUMNS:
            out.error(
                header_line,
                "(header)",
                f"unknown column {header[i].strip()!r}; the columns are: {', '.join(COLUMNS)}",
            )
        elif columns.index(name) != i:
            out.error(header_line, "(header)", f"column {name!r} appears twice")
    for name in _REQUIRED_COLUMNS:
        if name not in columns:
            out.error(header_line, "(header)", f"the {name!r} column is missing")
    if out.track is None and "track" not in columns:
        out.error(header_line, "(header)", "no track: give --track TRACK or a track column")
    if out.errors:
        return
    for line, row in rows[1:]:
        if len(row) > len(columns) and any(c.strip() for c in row[len(columns) :]):
            out.error(
                line, "(row)", f"{len(row)} cells, but the header names {len(columns)} columns"
            )
            continue
        cells = {name: (row[i] if i < len(row) else "") for i, name in enumerate(columns)}
        _table_row(cells, line, out, track_ids)


def _table_row(
    cells: Mapping[str, str], line: int, out: Imported, track_ids: Sequence[str]
) -> None:
    i = len(out.questions)
    out.lines.set(("questions", i), line)
    _set_track(out, cells.get("track", "").strip(), line, track_ids)
    values: dict[str, Any] = {}
    for key in ("category", "kind", "prompt", "source", "minutes", "difficulty", "must"):
        cell = cells.get(key, "").strip()
        if cell:
            values[key] = _typed(key, cell)
    for key in ("scopes", "verified"):
        cell = cells.get(key, "").strip()
        if cell:
            values[key] = _typed(key, cell)
    values.setdefault("minutes", DEFAULT_MINUTES)
    values.setdefault("difficulty", DEFAULT_DIFFICULTY)
    points = split_points(cells.get("key_points", ""))
    if points:
        values["key_points"] = points
    follow_text = cells.get("follow_ups", "")
    if follow_text.strip():
        follow_ups, problem = _follow_ups(follow_text)
        if problem:
            out.error(line, "follow_ups", problem)
        if follow_ups or not problem:
            values["follow_ups"] = follow_ups
    given_id = cells.get("id", "").strip()
    if given_id:
        values["id"] = given_id
    elif isinstance(values.get("prompt"), str):
        values["id"] = derive_id(values["prompt"])
    out.questions.append(_assemble(values))


# --- Markdown ----------------------------------------------------------------


@dataclass
class _Part:
    """The question, answer or a follow-up of a card: its lines, numbered."""

    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Card:
    line: int
    cloze: bool
    question: _Part
    answer: _Part | None = None
    follow_ups: list[_Part] = field(default_factory=list)
    attrs: dict[str, tuple[Any, int]] = field(default_factory=dict)

    def current(self) -> _Part:
        if self.follow_ups:
            return self.follow_ups[-1]
        return self.answer or self.question


def _pairs(text: str, keys: Sequence[str]) -> list[tuple[str, str]] | None:
    """``key: value; key: value`` when the first key is one of ``keys``, else None."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    found = []
    for part in parts:
        m = re.match(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$", part)
        found.append((_column(m.group(1)), m.group(2).strip()) if m else ("", part))
    if not found or found[0][0] not in keys:
        return None
    return found


def _front_matter(lines: list[str], out: Imported) -> tuple[dict[str, tuple[Any, int]], int]:
    """The file's fields from TOML (or ``key: value``) front matter, and the
    index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        out.error(1, "(front matter)", "front matter opened with '---' is never closed")
        return {}, len(lines)
    body = lines[1:end]

    def line_of(key: str) -> int:
        for i, text in enumerate(body):
            if re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=:]", text, re.IGNORECASE):
                return i + 2
        return 1

    values: dict[str, Any]
    try:
        values = tomllib.loads("\n".join(body))
    except tomllib.TOMLDecodeError as exc:
        simple = [re.match(r"^\s*([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$", t) for t in body if t.strip()]
        if all(simple):
            values = {m.group(1): m.group(2).strip("\"'") for m in simple if m}
        else:
            m = re.search(r"line (\d+)", str(exc))
            where = int(m.group(1)) + 1 if m else 1
            out.error(where, "(front matter)", f"not valid TOML: {exc}")
            return {}, end + 1
    found: dict[str, tuple[Any, int]] = {}
    for raw_key, value in values.items():
        key = _column(raw_key)
        if key == "name":
            continue  # hashcards' deck name
        if key not in _FIELD_KEYS:
            out.error(
                line_of(raw_key),
                raw_key,
                f"unknown field; front matter sets: {', '.join(_FIELD_KEYS)}",
            )
            continue
        found[key] = (value, line_of(raw_key))
    return found, end + 1


def _paragraphs(lines: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Blank-line separated paragraphs, each joined into one line."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for n, text in [*lines, (0, "")]:
        if text.strip():
            if not current:
                start = n
            current.append(text.strip())
        elif current:
            out.append((start, " ".join(current)))
            current = []
    return out


def _points(lines: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Key points of an answer: each bullet (continuation lines joined), and each
    plain paragraph."""
    out: list[tuple[int, list[str]]] = []
    open_item = False
    for n, text in lines:
        m = _BULLET.match(text)
        if m:
            out.append((n, [m.group(1).strip()]))
            open_item = True
        elif not text.strip():
            open_item = False
        elif open_item:
            out[-1][1].append(text.strip())
        else:
            out.append((n, [text.strip()]))
            open_item = True
    return [(n, " ".join(words)) for n, words in out if " ".join(words).strip()]


def _read_markdown(text: str, out: Imported, track_ids: Sequence[str]) -> None:
    lines = text.splitlines()
    file_fields, start = _front_matter(lines, out)
    section: dict[str, tuple[Any, int]] = {}
    pending: dict[str, tuple[Any, int]] = {}
    cards: list[tuple[_Card, dict[str, tuple[Any, int]]]] = []
    card: _Card | None = None
    fenced = False

    def finish() -> None:
        nonlocal card
        if card is not None:
            cards.append((card, {**file_fields, **section, **card.attrs}))
        card = None

    def attrs(
        pairs: list[tuple[str, str]], n: int, keys: Sequence[str]
    ) -> dict[str, tuple[Any, int]]:
        found: dict[str, tuple[Any, int]] = {}
        for key, value in pairs:
            if not key:
                out.error(n, "(attributes)", f"{value[:40]!r} is not 'key: value'")
            elif key not in keys:
                out.error(n, key, f"unknown field; use: {', '.join(keys)}")
            else:
                found[key] = (value, n)
        return found

    for index in range(start, len(lines)):
        n, raw = index + 1, lines[index]
        if _FENCE.match(raw):
            fenced = not fenced
        tag = None if fenced or _FENCE.match(raw) else _TAG.match(raw)
        heading = None if fenced else _HEADING.match(raw)
        comment = None if fenced else _COMMENT.match(raw)
        if tag:
            kind, rest = tag.group(1), tag.group(2).strip()
            if kind in ("Q", "C"):
                finish()
                card = _Card(n, kind == "C", _Part(n, [(n, rest)] if rest else []))
                card.attrs, pending = pending, {}
            elif card is None:
                out.error(n, "(card)", f"{kind}: without a Q: question before it")
            elif kind == "A":
                if card.cloze or card.answer is not None or card.follow_ups:
                    out.error(n, "(card)", "a second A: in one card (or an A: in a C: card)")
                else:
                    card.answer = _Part(n, [(n, rest)] if rest else [])
            else:  # F:
                if card.answer is None and not card.cloze:
                    out.error(n, "(card)", "F: before the card's A: answer")
                else:
                    card.follow_ups.append(_Part(n, [(n, rest)] if rest else []))
            continue
        if heading:
            finish()
            pairs = _pairs(heading.group(1), _FIELD_KEYS)
            section = attrs(pairs, n, _FIELD_KEYS) if pairs else {}
            continue
        if comment:
            pairs = _pairs(comment.group(1), _CARD_KEYS)
            if pairs:
                finish()
                pending = attrs(pairs, n, _CARD_KEYS)
            continue
        if raw.strip() == "---" and not fenced:
            finish()
            continue
        if card is not None:
            card.current().lines.append((n, raw))
    finish()
    for c, fields in cards:
        _markdown_card(c, fields, out, track_ids)


def _markdown_card(
    card: _Card, fields: Mapping[str, tuple[Any, int]], out: Imported, track_ids: Sequence[str]
) -> None:
    i = len(out.questions)
    loc: Loc = ("questions", i)
    out.lines.set(loc, card.line)
    values: dict[str, Any] = {}
    for key, (value, line) in fields.items():
        if key == "track":
            _set_track(out, value, line, track_ids)
            continue
        values[key] = _typed(key, value)
        out.lines.set((*loc, key), line)
    values.setdefault("minutes", DEFAULT_MINUTES)
    values.setdefault("difficulty", DEFAULT_DIFFICULTY)
    out.lines.set((*loc, "prompt"), card.line)
    if card.cloze:
        text = "\n".join(t for _, t in _paragraphs(card.question.lines))
        deletions = [(n, d.strip()) for n, t in card.question.lines for d in _CLOZE.findall(t)]
        if text:
            values["prompt"] = "Fill in the blanks: " + _CLOZE.sub("[...]", text)
            clean = _CLOZE.sub(lambda m: m.group(1), text)
            values.setdefault("id", derive_id(clean))
        if not deletions:
            out.error(card.line, "key_points", "a C: card needs [brackets] around what to recall")
        points = deletions
        out.lines.set((*loc, "key_points"), card.line)
    else:
        prompt = "\n".join(t for _, t in _paragraphs(card.question.lines))
        if prompt:
            values["prompt"] = prompt
            values.setdefault("id", derive_id(prompt))
        points = _points(card.answer.lines) if card.answer else []
        if card.answer is not None:
            out.lines.set((*loc, "key_points"), card.answer.line)
    if points:
        values["key_points"] = [p for _, p in points]
        for k, (n, _) in enumerate(points):
            out.lines.set((*loc, "key_points", k), n)
    follow_ups = []
    for j, part in enumerate(card.follow_ups):
        body = list(part.lines)
        bullets_at = next((k for k, (_, t) in enumerate(body) if _BULLET.match(t)), len(body))
        question = " ".join(t.strip() for _, t in body[:bullets_at] if t.strip())
        out.lines.set((*loc, "follow_ups", j), part.line)
        out.lines.set((*loc, "follow_ups", j, "prompt"), part.line)
        fpoints = _points(body[bullets_at:])
        out.lines.set((*loc, "follow_ups", j, "key_points"), part.line)
        for k, (n, _) in enumerate(fpoints):
            out.lines.set((*loc, "follow_ups", j, "key_points", k), n)
        entry: dict[str, Any] = {"key_points": [p for _, p in fpoints]}
        if question:
            entry = {"prompt": question, **entry}
        follow_ups.append(entry)
    if follow_ups:
        values["follow_ups"] = follow_ups
    if "id" in values:
        out.lines.set((*loc, "id"), fields["id"][1] if "id" in fields else card.line)
    out.questions.append(_assemble(values))


# --- writing and locating ----------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style like the packaged banks: lists indented under their key,
    text with line breaks as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def header_name(source_name: str) -> str:
    """A source file's name as the header comment holds it (one line, printable)."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", source_name)


def bank_yaml(data: Mapping[str, Any], source_name: str) -> str:
    """The bank file for ``data``, with a header naming where it came from."""
    body = yaml.dump(
        dict(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    # a blank line between questions, as the packaged banks have it
    body = body.replace("\n  - id: ", "\n\n  - id: ").replace("questions:\n\n", "questions:\n")
    header = (
        f"{MARKER} from {header_name(source_name)}.\n"
        "# Importing that file again replaces this one whole: edit the source, not this copy.\n"
    )
    return header + body


def _yaml_locations(text: str) -> list[tuple[int, Loc]]:
    """Every mapping key and list item of a YAML text with its line, in order."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: list[tuple[int, Loc]] = []

    def walk(node: Node, loc: Loc) -> None:
        found.append((node.start_mark.line + 1, loc))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                found.append((key.start_mark.line + 1, (*loc, str(key.value))))
                walk(value, (*loc, str(key.value)))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*loc, i))

    if root is not None:
        walk(root, ())
    return found


def relocate(
    errors: Iterable[DataError], bank_display: str, yaml_text: str, imported: Imported
) -> list[DataError]:
    """The loader's errors about the generated bank (shown as ``bank_display``),
    each moved to the source line its value came from; ``questions[i].`` is
    dropped from the field (the line names the row or card)."""
    where = _yaml_locations(yaml_text)

    def source_line(yaml_line: int) -> int:
        best: Loc = ()
        best_line = 0
        for line, loc in where:
            if line > yaml_line:
                break
            if line > best_line or len(loc) >= len(best):
                best, best_line = loc, line  # the deepest value on the nearest line
        return imported.lines.line(best)

    mention = re.compile(rf"{re.escape(bank_display)}:(\d+)")
    out = []
    for err in errors:
        if err.file != bank_display:
            out.append(err)
            continue
        name = re.sub(r"^questions\[\d+\]\.?", "", err.field) or "(question)"
        message = mention.sub(
            lambda m: f"{imported.display}:{source_line(int(m.group(1)))}", err.message
        )
        out.append(DataError(imported.display, source_line(err.line), name, message))
    return out


def first_must_line(imported: Imported) -> int | None:
    """The source line of the first question the import marks must."""
    for i, q in enumerate(imported.questions):
        if q.get("must") is True:
            return imported.lines.line(("questions", i))
    return None
