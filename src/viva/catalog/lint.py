"""``viva bank lint``: validate bank and catalog files, every problem at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from viva.catalog.loader import Catalog, DataFile, discover, load_files
from viva.errors import DataError, VivaError

__all__ = ["LintResult", "expand_targets", "lint_paths"]


@dataclass(frozen=True)
class LintResult:
    files: int
    questions: int
    errors: list[DataError]
    catalog: Catalog | None = None
    """The catalog the named files make with the packaged catalog files, when valid."""
    tracks: tuple[str, ...] = ()
    """The tracks the named bank files add questions to."""


def expand_targets(targets: Sequence[Path]) -> list[Path]:
    """The named files, and the .yaml files of the named folders, in order."""
    out: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = sorted(
                p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
            if not found:
                raise VivaError(f"{target}: no .yaml files in this folder")
            out += found
        elif target.exists():
            out.append(target)
        else:
            raise VivaError(f"{target}: no such file or folder")
    return out


def lint_paths(targets: Sequence[Path]) -> LintResult:
    """Check the named files against the schema and against the catalog they join."""
    named = expand_targets(targets)
    named_set = {p.resolve() for p in named}
    catalogs, _banks = discover()
    files = [f for f in catalogs if f.path.resolve() not in named_set]
    files += [DataFile(p, str(p)) for p in named]
    catalog, errors = load_files(files)
    questions = 0
    tracks: tuple[str, ...] = ()
    if catalog is not None:
        shown = {str(p) for p in named}
        touched = [t for t in catalog.tracks.values() if set(t.bank_files) & shown]
        questions = sum(len(t.questions) for t in touched)
        tracks = tuple(t.id for t in touched)
    return LintResult(len(named), questions, sorted(set(errors)), catalog, tracks)
