"""The catalog: tracks, categories, defense formats and question banks.

Packaged data and the user's ``$VIVA_HOME/catalog`` and
``$VIVA_HOME/question_banks`` are merged; every problem in any file is
collected and reported at once as ``file:line: field: message``. A validated
load is cached (keyed by the files' sizes and mtimes) so that later commands
start fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from viva.catalog import OPENING_PREFIX
from viva.catalog.index import DataFile, discover, fingerprint, read_cache, write_cache
from viva.catalog.models import (
    CATEGORY_IDS,
    BankFile,
    CategoriesFile,
    Category,
    DefenseFormat,
    FormatsFile,
    PathSpec,
    Question,
    TrackSpec,
)
from viva.catalog.yamlsafe import LineMap, load_yaml, loc_to_field
from viva.errors import DataError, DataErrors, UsageProblem

__all__ = [
    "Catalog",
    "DataFile",
    "Track",
    "classify",
    "discover",
    "load_catalog",
    "load_files",
    "resolve_track_id",
    "track_index",
]

_NUMERIC = re.compile(
    r"[<>≤≥]\s*\d|\d[\d,.]*\s*(%|×|x\b|ms\b|s\b|µs|ns\b|K\b|M\b|GB|MB|minutes|hours|GPUs)"
)


@dataclass(frozen=True)
class Track:
    """A track with its path, seed spec and loaded questions."""

    id: str
    path: PathSpec
    spec: TrackSpec
    questions: tuple[Question, ...] = ()
    bank_files: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    """Ids of bank questions left out by :meth:`scoped` (still in the bank)."""
    must_origin: tuple[str, int] | None = None
    """File and line of the first must question, for messages about the must set."""

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def defense_minutes(self) -> int:
        return self.path.defense_minutes

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def eligible(self, scopes: Iterable[str]) -> tuple[Question, ...]:
        """The questions a candidate who built ``scopes`` can be asked: every
        scope-neutral question and those naming one of the scopes."""
        chosen = set(scopes)
        return tuple(q for q in self.questions if not q.scopes or chosen & set(q.scopes))

    def scoped(self, scopes: Iterable[str]) -> Track:
        """This track with only the questions :meth:`eligible` keeps."""
        kept = self.eligible(scopes)
        ids = {q.id for q in kept}
        hidden = tuple(q.id for q in self.questions if q.id not in ids)
        return replace(self, questions=kept, hidden=self.hidden + hidden)

    def follow_up_prompts(self, qid: str) -> tuple[str, ...]:
        """The follow-up questions of a bank question, in order (none for an opening)."""
        q = self.question(qid)
        return tuple(f.prompt for f in q.follow_ups) if q else ()

    def acceptance_checklist(self) -> tuple[str, ...]:
        """What the reviewer ticks off: the track's acceptance criteria, else the
        path's checklist (Java), else what every track must exhibit (Python)."""
        if self.spec.acceptance_criteria:
            return self.spec.acceptance_criteria
        for section in self.path.other_sections:
            if "checklist" in section.title.lower():
                return section.items
        return self.path.cross_track_requirements

    def numeric_targets(self) -> list[str]:
        """What a reviewer probes with numbers: the non-functional spec, then
        any other spec or acceptance item that states a measurable figure."""
        targets = list(self.spec.non_functional_spec)
        for item in (*self.spec.functional_spec, *self.spec.acceptance_criteria):
            if _NUMERIC.search(item) and item not in targets:
                targets.append(item)
        return targets


@dataclass(frozen=True)
class Catalog:
    """Everything loaded and cross-checked."""

    paths: tuple[PathSpec, ...]
    categories: dict[str, Category]
    formats: tuple[DefenseFormat, ...]
    tracks: dict[str, Track] = field(default_factory=dict)

    def resolve(self, name: str) -> Track:
        return self.tracks[resolve_track_id(name, list(self.tracks))]

    def format_for(self, path_id: str) -> DefenseFormat:
        for fmt in self.formats:
            if path_id in fmt.paths:
                return fmt
        return next(f for f in self.formats if not f.paths)


def resolve_track_id(name: str, ids: Sequence[str]) -> str:
    """A full id, or a unique prefix or suffix of one (or of its track slug)."""
    wanted = name.strip().lower().strip("/")
    if wanted in ids:
        return wanted
    hits = [
        i
        for i in ids
        if wanted
        and (i.startswith(wanted) or i.endswith(wanted) or i.split("/", 1)[1].startswith(wanted))
    ]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageProblem(f"{name!r} is ambiguous; it matches: {', '.join(hits)}")
    import difflib

    close = [i for i in ids if wanted and wanted in i] or difflib.get_close_matches(
        wanted, ids, n=5, cutoff=0.4
    )
    shown = close or list(ids)
    label = "did you mean" if close else "known tracks"
    raise UsageProblem(f"unknown track {name!r}; {label}: {', '.join(shown)}")


# --- validation ------------------------------------------------------------


def _data_loc(data: Any, loc: Iterable[str | int]) -> tuple[str | int, ...]:
    """Keep only the parts of a pydantic error location that index the data."""
    kept: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            kept.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            kept.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif node is None and isinstance(part, str) and kept[-1:] != [part]:
            # a missing key's own name, once
            kept.append(part)
            break
    return tuple(kept)


def _validate(
    model: type[BaseModel], data: Any, lines: LineMap, display: str
) -> tuple[Any | None, list[DataError]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        raw = exc.errors(include_url=False)
        locs = [_data_loc(data, e["loc"]) for e in raw]
        errors = []
        for err, loc in zip(raw, locs, strict=True):
            if err["type"] == "too_short" and any(
                other != loc and other[: len(loc)] == loc for other in locs
            ):
                continue  # pydantic's count of the items that survived: noise
            errors.append(DataError(display, lines.line(loc), loc_to_field(loc), _message(err)))
        return None, errors


def _yaml_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = _yaml_type(err.get("input"))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping, got {got}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {got}"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"needs at least {n} item{'s' if n != 1 else ''}, has {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} allowed"
    if kind == "string_too_long":
        return f"text is {len(err.get('input') or '')} characters; at most {ctx.get('max_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "string_pattern_mismatch":
        return (
            f"{err['input']!r} is not a valid id: use lowercase letters, digits and '-', "
            "2 to 63 characters, starting with a letter or digit"
            + (" (a track is 'path/track')" if "/" in err["ctx"]["pattern"] else "")
        )
    return str(err["msg"]).removeprefix("Value error, ")


_KINDS: dict[str, type[BaseModel]] = {
    "questions": BankFile,
    "tracks": PathSpec,
    "categories": CategoriesFile,
    "formats": FormatsFile,
}


def classify(data: Any) -> type[BaseModel] | None:
    """Which kind of viva file a parsed document is, by its top-level keys."""
    if isinstance(data, dict):
        for key, model in _KINDS.items():
            if key in data:
                return model
    return None


@dataclass
class _Parsed:
    file: DataFile
    model: Any
    lines: LineMap


_parse_memo: dict[tuple[str, str, int, int], tuple[_Parsed | None, list[DataError]]] = {}


def _parse(files: Iterable[DataFile], errors: list[DataError]) -> list[_Parsed]:
    """Parse and validate each file; unchanged files are not parsed twice in a process."""
    out = []
    for f in files:
        try:
            st = f.path.stat()
            key = (str(f.path), f.display, st.st_size, st.st_mtime_ns)
        except OSError:
            key = None
        if key is not None and key in _parse_memo:
            parsed, problems = _parse_memo[key]
        else:
            parsed, problems = _parse_one(f)
            if key is not None:
                _parse_memo[key] = (parsed, problems)
        errors.extend(problems)
        if parsed is not None:
            out.append(parsed)
    return out


def _parse_one(f: DataFile) -> tuple[_Parsed | None, list[DataError]]:
    try:
        data, lines = load_yaml(f.path, f.display)
    except DataErrors as exc:
        return None, exc.errors
    model = classify(data)
    if model is None:
        message = (
            "not a viva file: expected a top-level 'questions', 'tracks', "
            "'categories' or 'formats' key"
        )
        return None, [DataError(f.display, 1, "(document)", message)]
    parsed, problems = _validate(model, data, lines, f.display)
    return (_Parsed(f, parsed, lines) if parsed is not None else None), problems


def load_files(files: Sequence[DataFile]) -> tuple[Catalog | None, list[DataError]]:
    """Parse, validate and cross-check catalog and bank files (told apart by
    their top-level keys); return the catalog, if sound, and every error."""
    errors: list[DataError] = []
    parsed = _parse(files, errors)

    paths: dict[str, tuple[PathSpec, _Parsed, tuple[str | int, ...]]] = {}
    categories: dict[str, tuple[Category, _Parsed, tuple[str | int, ...]]] = {}
    formats: dict[str, tuple[DefenseFormat, _Parsed, tuple[str | int, ...]]] = {}
    banks: list[_Parsed] = []
    for p in parsed:
        m = p.model
        if isinstance(m, PathSpec):
            _claim(paths, m.id, m, p, ("id",), "path id", errors)
        elif isinstance(m, CategoriesFile):
            for i, cat in enumerate(m.categories):
                _claim(categories, cat.id, cat, p, ("categories", i, "id"), "category", errors)
        elif isinstance(m, FormatsFile):
            for i, fmt in enumerate(m.formats):
                _claim(formats, fmt.id, fmt, p, ("formats", i, "id"), "format id", errors)
        else:
            banks.append(p)

    track_specs: dict[str, tuple[PathSpec, TrackSpec]] = {}
    for path_spec, _, _ in paths.values():
        for spec in path_spec.tracks:
            track_specs[f"{path_spec.id}/{spec.id}"] = (path_spec, spec)

    questions: dict[str, list[Question]] = {tid: [] for tid in track_specs}
    bank_names: dict[str, list[str]] = {tid: [] for tid in track_specs}
    origin: dict[tuple[str, str], tuple[str, int]] = {}
    for p in banks:
        bank: BankFile = p.model
        if bank.track not in track_specs:
            errors.append(
                DataError(
                    p.file.display,
                    p.lines.line(("track",)),
                    "track",
                    f"unknown track {bank.track!r}; known: {', '.join(sorted(track_specs))}",
                )
            )
            continue
        path_spec, spec = track_specs[bank.track]
        bank_names[bank.track].append(p.file.display)
        for i, q in enumerate(bank.questions):
            line = p.lines.line(("questions", i, "id"))
            first = origin.get((bank.track, q.id))
            if first:
                errors.append(
                    DataError(
                        p.file.display,
                        line,
                        f"questions[{i}].id",
                        f"duplicate question id {q.id!r} (first at {first[0]}:{first[1]})",
                    )
                )
                continue
            origin[(bank.track, q.id)] = (p.file.display, line)
            if q.id.startswith(OPENING_PREFIX):
                errors.append(
                    DataError(
                        p.file.display,
                        line,
                        f"questions[{i}].id",
                        f"{q.id!r}: ids starting with {OPENING_PREFIX!r} name the sections' "
                        "opening prompts; choose another id",
                    )
                )
            problem = _source_problem(q.source, path_spec, spec)
            if problem:
                errors.append(
                    DataError(
                        p.file.display,
                        p.lines.line(("questions", i, "source")),
                        f"questions[{i}].source",
                        problem,
                    )
                )
            offered = {sc.id for sc in spec.scopes}
            for j, name in enumerate(q.scopes):
                if name not in offered:
                    known = ", ".join(sorted(offered)) or "none"
                    errors.append(
                        DataError(
                            p.file.display,
                            p.lines.line(("questions", i, "scopes", j)),
                            f"questions[{i}].scopes[{j}]",
                            f"track {bank.track} offers no scope {name!r} (offers: {known})",
                        )
                    )
            questions[bank.track].append(q)

    loaded_any_catalog = any(
        isinstance(p.model, (CategoriesFile, FormatsFile)) for p in parsed
    ) or bool(paths)
    if loaded_any_catalog:
        _check_catalog(paths, categories, formats, files, errors)
        if not errors:
            _check_must_fit(track_specs, questions, formats, origin, errors)
    if errors:
        return None, errors
    tracks = {
        tid: Track(
            tid,
            ps,
            spec,
            tuple(questions[tid]),
            tuple(bank_names[tid]),
            must_origin=next(
                (origin[(tid, q.id)] for q in questions[tid] if q.must and (tid, q.id) in origin),
                None,
            ),
        )
        for tid, (ps, spec) in track_specs.items()
    }
    catalog = Catalog(
        paths=tuple(ps for ps, _, _ in paths.values()),
        categories={cid: categories[cid][0] for cid in CATEGORY_IDS if cid in categories},
        formats=tuple(f for f, _, _ in formats.values()),
        tracks=tracks,
    )
    return catalog, []


def _claim(
    table: dict[str, tuple[Any, _Parsed, tuple[str | int, ...]]],
    key: str,
    value: Any,
    p: _Parsed,
    loc: tuple[str | int, ...],
    what: str,
    errors: list[DataError],
) -> None:
    if key in table:
        _, first, first_loc = table[key]
        errors.append(
            DataError(
                p.file.display,
                p.lines.line(loc),
                loc_to_field(loc),
                f"{what} {key!r} is already defined in "
                f"{first.file.display}:{first.lines.line(first_loc)}",
            )
        )
        return
    table[key] = (value, p, loc)


def _source_problem(source: str, path_spec: PathSpec, spec: TrackSpec) -> str | None:
    parts = [s.strip() for s in source.split("/")]
    if len(parts) < 2 or parts[0] != path_spec.title:
        return (
            f"source must start with the path title {path_spec.title!r} "
            f"(e.g. '{path_spec.title} / Track {spec.number} / Functional spec')"
        )
    m = re.fullmatch(r"Track (\d+)", parts[1])
    if m and int(m.group(1)) != spec.number:
        return f"source names Track {m.group(1)}, but this bank's track is Track {spec.number}"
    if m and len(parts) < 3:
        return "source must name the section after the track, e.g. 'Track 1 / Test rigor'"
    return None


def _check_must_fit(
    track_specs: Mapping[str, tuple[PathSpec, TrackSpec]],
    questions: Mapping[str, Sequence[Question]],
    formats: Mapping[str, tuple[DefenseFormat, _Parsed, tuple[str | int, ...]]],
    origin: Mapping[tuple[str, str], tuple[str, int]],
    errors: list[DataError],
) -> None:
    """A track's scope-neutral must questions, with every section's opening at
    its shortest (1 minute), must fit the shortest defense."""
    fmts = [f for f, _, _ in formats.values()]
    for tid, (path_spec, _spec) in track_specs.items():
        musts = [q for q in questions[tid] if q.must and not q.scopes]
        if not musts:
            continue
        fmt = next((f for f in fmts if path_spec.id in f.paths), None)
        fmt = fmt or next((f for f in fmts if not f.paths), None)
        if fmt is None:
            continue
        shortest = min(fmt.variants, key=lambda v: v.minutes)
        need = sum(q.minutes for q in musts) + len(shortest.sections)
        if need > shortest.minutes:
            file, line = origin[(tid, musts[0].id)]
            errors.append(
                DataError(
                    file,
                    line,
                    "must",
                    f"track {tid}: its {len(musts)} must questions take "
                    f"{sum(q.minutes for q in musts)} min, which with "
                    f"{len(shortest.sections)} one-minute openings does not fit the "
                    f"{shortest.minutes}-minute defense; mark fewer questions must",
                )
            )


def _check_catalog(
    paths: dict[str, tuple[PathSpec, _Parsed, tuple[str | int, ...]]],
    categories: dict[str, tuple[Category, _Parsed, tuple[str | int, ...]]],
    formats: dict[str, tuple[DefenseFormat, _Parsed, tuple[str | int, ...]]],
    catalog_files: Sequence[DataFile],
    errors: list[DataError],
) -> None:
    where = catalog_files[0].display if catalog_files else "catalog"
    missing = [c for c in CATEGORY_IDS if c not in categories]
    if missing:
        errors.append(
            DataError(
                where, 1, "categories", f"review categories not defined: {', '.join(missing)}"
            )
        )
    defaults = [(f, p) for f, p, _ in formats.values() if not f.paths]
    if not defaults:
        errors.append(
            DataError(where, 1, "formats", "no default defense format (one with no 'paths')")
        )
    for fmt, p in defaults[1:]:
        errors.append(
            DataError(
                p.file.display,
                p.lines.line(("formats",)),
                "formats",
                f"format {fmt.id!r} is a second default (no 'paths'; {defaults[0][0].id!r} "
                f"in {defaults[0][1].file.display} is the first): name the paths it is for",
            )
        )
    seen_paths: dict[str, str] = {}
    for fmt, p, _ in formats.values():
        for path_id in fmt.paths:
            if path_id in seen_paths:
                errors.append(
                    DataError(
                        p.file.display,
                        p.lines.line(("formats",)),
                        "formats.paths",
                        f"path {path_id!r} has two formats: {seen_paths[path_id]!r} and {fmt.id!r}",
                    )
                )
            seen_paths[path_id] = fmt.id
    for fmt, p, _ in formats.values():
        for path_id in fmt.paths:
            if path_id not in paths:
                errors.append(
                    DataError(
                        p.file.display,
                        p.lines.line(("formats",)),
                        "formats.paths",
                        f"format {fmt.id!r} names unknown path {path_id!r}",
                    )
                )


# --- cached loading --------------------------------------------------------


def _to_cache(catalog: Catalog, stamp: list[Any]) -> dict[str, Any]:
    return {
        "fingerprint": stamp,
        "paths": [p.model_dump(mode="json") for p in catalog.paths],
        "categories": [c.model_dump(mode="json") for c in catalog.categories.values()],
        "formats": [f.model_dump(mode="json") for f in catalog.formats],
        "tracks": {
            tid: {
                "questions": [
                    q.model_dump(mode="json", exclude_defaults=True) for q in t.questions
                ],
                "bank_files": list(t.bank_files),
            }
            for tid, t in catalog.tracks.items()
        },
        "index": track_index(catalog),
    }


def track_index(catalog: Catalog) -> list[dict[str, Any]]:
    """The track list of `viva tracks --json`: id, path, title, minutes, question count."""
    return [
        {
            "id": tid,
            "path": t.path.id,
            "title": t.title,
            "defense_minutes": t.defense_minutes,
            "question_count": len(t.questions),
        }
        for tid, t in catalog.tracks.items()
    ]


def _from_cache(raw: dict[str, Any]) -> Catalog | None:
    """The catalog a cache file holds, or None when the file is damaged (then the
    data files are simply read again)."""
    try:
        return _catalog_from_cache(raw)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _catalog_from_cache(raw: dict[str, Any]) -> Catalog:
    paths = tuple(PathSpec.model_validate(p) for p in raw["paths"])
    by_id = {f"{p.id}/{t.id}": (p, t) for p in paths for t in p.tracks}
    tracks = {
        tid: Track(
            tid,
            by_id[tid][0],
            by_id[tid][1],
            tuple(Question.model_validate(q) for q in entry["questions"]),
            tuple(entry["bank_files"]),
        )
        for tid, entry in raw["tracks"].items()
    }
    return Catalog(
        paths=paths,
        categories={c["id"]: Category.model_validate(c) for c in raw["categories"]},
        formats=tuple(DefenseFormat.model_validate(f) for f in raw["formats"]),
        tracks=tracks,
    )


_memo: dict[str, Catalog] = {}


def load_catalog() -> Catalog:
    """The merged, validated catalog; raises ``DataErrors`` listing every problem."""
    catalogs, banks = discover()
    stamp = fingerprint([*catalogs, *banks])
    key = json.dumps(stamp)
    if key in _memo:
        return _memo[key]
    raw = read_cache(stamp)
    cached = _from_cache(raw) if raw is not None else None
    if cached is not None:
        _memo[key] = cached
        return cached
    catalog, errors = load_files([*catalogs, *banks])
    if errors or catalog is None:
        raise DataErrors(errors)
    _memo[key] = catalog
    payload = _to_cache(catalog, stamp)
    write_cache({"fingerprint": stamp, "index": payload.pop("index")}, "index")
    write_cache(payload)
    return catalog
