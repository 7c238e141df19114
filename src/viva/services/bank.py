"""``viva bank lint`` and ``viva bank import`` as functions.

``lint``: the schema and cross-file checks of the catalog, then whether every
named track's must questions can be planned; ``lint_schema``: the named bank
files against the published JSON Schema (``viva bank lint --schema``);
``import_bank``: a CSV, TSV or Markdown file checked exactly as a bank file
would be, then written as a user bank.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viva.catalog.index import DataFile, discover
from viva.catalog.lint import LintResult, expand_targets, lint_paths
from viva.catalog.loader import Catalog, load_files, resolve_track_id
from viva.catalog.yamlsafe import LineMap, loc_to_field
from viva.errors import DataError, DataErrors, UsageProblem, VivaError
from viva.locations import user_bank_dir, user_catalog_dir
from viva.rehearsal.planner import must_fit_problems

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError

__all__ = ["BankImport", "SchemaLint", "default_import_path", "import_bank", "lint", "lint_schema"]


def lint(paths: Sequence[Path]) -> LintResult:
    """Every problem of the named files; a track whose must questions cannot be
    placed in a 45- or 60-minute defense (for any scope choice) is one of them,
    located at its first must question."""
    result = lint_paths(paths)
    if result.errors or result.catalog is None:
        return result
    installed, clashes = _installed_with(paths)
    if clashes and _in_data_folders(paths):
        # every command loads these files with the installed ones: what clashes
        # there (an id a packaged bank has too) is a problem of the named files
        return replace(result, errors=clashes)
    errors: list[DataError] = []
    for catalog in (result.catalog, installed):
        if catalog is None:
            continue
        for tid in result.tracks:
            track = catalog.tracks[tid]
            problems = must_fit_problems(catalog, track)
            if problems:
                file, line = result.catalog.tracks[tid].must_origin or (track.bank_files[0], 1)
                errors.append(DataError(file, line, "must", problems[0]))
                break
        if errors:
            break
    return replace(result, errors=errors) if errors else result


def _installed_with(paths: Sequence[Path]) -> tuple[Catalog | None, list[DataError]]:
    """The catalog every command would load with the named files in place of
    the installed files they are (a user bank adds its must questions to the
    packaged ones), or the problems of that merge (for files outside the data
    folders, a copy meant to replace an installed bank, they are not reported)."""
    named = {p.resolve() for p in expand_targets(paths)}
    catalogs, banks = discover()
    files = [f for f in (*catalogs, *banks) if f.path.resolve() not in named]
    files += [DataFile(p, str(p)) for p in expand_targets(paths)]
    catalog, errors = load_files(files)
    return (None, errors) if errors else (catalog, [])


def _in_data_folders(paths: Sequence[Path]) -> bool:
    folders = [d.resolve() for d in (user_bank_dir(), user_catalog_dir())]
    return any(p.resolve().is_relative_to(d) for p in expand_targets(paths) for d in folders)


# --- viva bank lint --schema ---------------------------------------------------


@dataclass(frozen=True)
class SchemaLint:
    files: int
    errors: list[DataError]


def lint_schema(paths: Sequence[Path]) -> SchemaLint:
    """Check the named bank files against the published ``bank.schema.json``
    (what an editor's YAML language server checks), every problem located."""
    from jsonschema import Draft202012Validator

    from viva.catalog.loader import classify
    from viva.catalog.models import BankFile
    from viva.catalog.yamlsafe import load_yaml
    from viva.schemas import load_schema

    validator = Draft202012Validator(load_schema("bank"))
    files = expand_targets(paths)
    errors: list[DataError] = []
    for path in files:
        display = str(path)
        try:
            data, lines = load_yaml(path, display)
        except DataErrors as exc:
            errors += exc.errors
            continue
        if classify(data) is not BankFile:
            errors.append(
                DataError(
                    display,
                    1,
                    "(document)",
                    "not a question bank (top-level 'track' and 'questions'): --schema "
                    "checks bank files",
                )
            )
            continue
        for err in validator.iter_errors(data):
            errors += _schema_problems(err, display, lines)
    return SchemaLint(len(files), sorted(set(errors)))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _schema_problems(err: SchemaError, display: str, lines: LineMap) -> list[DataError]:
    """One JSON Schema error as located problems, worded as the loader words them."""
    from jsonschema.exceptions import best_match

    if err.validator in ("anyOf", "oneOf") and err.context:
        # `x | None` in the models: the branch that is not null says what is wrong
        inner = [e for e in err.context if e.validator != "type" or e.validator_value != "null"]
        picked = best_match(inner or err.context)
        if picked is not None:
            return _schema_problems(picked, display, lines)
    loc = tuple(err.absolute_path)
    value: Any = err.instance
    rule: Any = err.validator_value

    def at(where: tuple[Any, ...], message: str) -> DataError:
        return DataError(display, lines.line(where), loc_to_field(where), message)

    if err.validator == "required":
        present = value if isinstance(value, dict) else {}
        return [at((*loc, k), "required field is missing") for k in rule if k not in present]
    if err.validator == "additionalProperties" and isinstance(value, dict):
        known = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
        return [at((*loc, k), "unknown field") for k in value if k not in known]
    messages = {
        "minItems": lambda: (
            f"needs at least {rule} item{'s' if rule != 1 else ''}, has {len(value)}"
        ),
        "maxItems": lambda: f"has {len(value)} items; at most {rule} allowed",
        "minLength": lambda: (
            "must not be empty"
            if rule == 1
            else f"text is {len(value)} characters; at least {rule}"
        ),
        "maxLength": lambda: f"text is {len(value)} characters; at most {rule}",
        "pattern": lambda: f"{value!r} does not match {rule}",
        "enum": lambda: f"{value!r} is not one of: {', '.join(map(str, rule))}",
        "const": lambda: f"expected {rule!r}, got {_kind(value)}",
        "type": lambda: f"expected {rule}, got {_kind(value)}",
        "minimum": lambda: f"{value} is less than the minimum {rule}",
        "maximum": lambda: f"{value} is more than the maximum {rule}",
    }
    make = messages.get(str(err.validator))
    return [at(loc, make() if make else str(err.message)[:200])]


# --- viva bank import --------------------------------------------------------------


@dataclass(frozen=True)
class BankImport:
    """What ``viva bank import`` wrote."""

    path: Path
    track: str
    questions: int
    replaced: bool
    """An earlier import of the file was replaced."""
    loaded: bool
    """The file is in ``$VIVA_HOME/question_banks``, where every command loads it."""


def default_import_path(source: Path) -> Path:
    """``$VIVA_HOME/question_banks/imported-<stem>.yaml`` for a source file."""
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-") or "bank"
    return user_bank_dir() / f"imported-{stem}.yaml"


def _track_ids(catalogs: Sequence[DataFile]) -> list[str]:
    catalog, errors = load_files(catalogs)
    if errors or catalog is None:
        raise DataErrors(errors)
    return list(catalog.tracks)


def _check_target(target: Path, source: Path, explicit: bool) -> bool:
    """Whether ``target`` is an earlier import (replaced); refuse any other file,
    and, at the default path, the import of another source file of that name."""
    from viva.catalog.importing import MARKER, header_name
    from viva.files import output_target

    real = output_target(target)
    if not real.exists():
        return False
    try:
        with real.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
    except OSError as exc:
        raise VivaError(f"cannot read {target}: {exc.strerror or exc}") from exc
    if not first.startswith(MARKER):
        raise VivaError(
            f"{target} exists and was not written by `viva bank import`: give -o another "
            "file, or move that one away first"
        )
    earlier = first.removeprefix(f"{MARKER} from ").rstrip().removesuffix(".")
    if not explicit and earlier != header_name(source.name):
        raise VivaError(
            f"{target} holds the import of {earlier}, not of {source.name}: give -o another "
            "file to keep both, or -o that file to replace it"
        )
    return True


def import_bank(source: Path, track: str | None = None, output: Path | None = None) -> BankImport:
    """Read ``source`` (CSV, TSV or hashcards-style Markdown), check its questions
    as the loader checks a bank beside every installed file (a clash with an
    existing question id too), and write them as one track's bank YAML.

    Every problem is raised as ``DataErrors`` located in the source file (its
    row or line), and then nothing is written. The target, by default
    :func:`default_import_path`, is replaced whole, and only when it is an
    earlier import: re-importing a file keeps its ids and replaces its bank.
    """
    from viva.catalog.importing import bank_yaml, first_must_line, read_source, relocate
    from viva.files import write_text

    target = output if output is not None else default_import_path(source)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UsageProblem(f"-o {target}: a bank file ends in .yaml (only those are loaded)")
    catalogs, banks = discover()
    ids = _track_ids(catalogs)
    chosen = resolve_track_id(track, ids) if track is not None else None
    display = str(source)
    imported = read_source(source, display, ids, chosen)
    if imported.track is None or not imported.questions:
        raise DataErrors(imported.errors)
    replaced = _check_target(target, source, output is not None)

    text = bank_yaml(imported.data(), source.name)
    shown = f"{display} (as a bank)"
    errors = list(imported.errors)
    with tempfile.TemporaryDirectory(prefix="viva-import-") as tmp:
        draft = Path(tmp) / target.name
        draft.write_text(text, encoding="utf-8")
        here = target.resolve()
        others = [b for b in banks if b.path.resolve() != here]
        catalog, problems = load_files([*catalogs, *others, DataFile(draft, shown)])
    must_line = first_must_line(imported)
    said = {(e.line, e.field) for e in imported.errors}
    for err in relocate(problems, shown, text, imported):
        if err.field == "must" and err.file != display and must_line is not None:
            # the track's must questions no longer fit: the ones added here did it
            err = DataError(display, must_line, "must", err.message)
        if err.file == display and (err.line, err.field) in said:
            continue  # reading the file already said what is wrong there
        errors.append(err)
    if not errors and catalog is not None and must_line is not None:
        fit = must_fit_problems(catalog, catalog.tracks[imported.track])
        if fit:
            errors.append(DataError(display, must_line, "must", fit[0]))
    if errors:
        raise DataErrors(errors)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VivaError(f"cannot write {target}: {exc.strerror or exc}") from exc
    write_text(target, text)
    bank_dir = user_bank_dir().resolve()
    return BankImport(
        path=target,
        track=imported.track,
        questions=len(imported.questions),
        replaced=replaced,
        loaded=target.resolve().is_relative_to(bank_dir),
    )
