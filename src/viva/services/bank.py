"""``viva bank lint`` as a function: the schema and cross-file checks of the
catalog, then whether every named track's must questions can be planned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from viva.catalog.index import DataFile, discover
from viva.catalog.lint import LintResult, expand_targets, lint_paths
from viva.catalog.loader import Catalog, load_files
from viva.errors import DataError
from viva.locations import user_bank_dir, user_catalog_dir
from viva.rehearsal.planner import must_fit_problems

__all__ = ["lint"]


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
