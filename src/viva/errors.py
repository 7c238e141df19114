"""The one exception family for user-facing failures.

A ``VivaError`` is a user error: one clear message, exit status 1, never a
traceback. ``DataErrors`` carries every located problem found in data files
(``file:line: field: message``) so that all of them are shown at once.
Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataError", "DataErrors", "UsageProblem", "VivaError"]


class VivaError(Exception):
    """A failure the user can act on; rendered as one message, exit 1."""

    exit_code = 1


class UsageProblem(VivaError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class DataError:
    """One located problem in a data file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DataErrors(VivaError):
    """Every problem found in a set of data files, reported together."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


MAX_SHOWN_PER_FILE = 50
"""More problems than this in one file are counted, not listed."""


def report_lines(errors: list[DataError], per_file: int = MAX_SHOWN_PER_FILE) -> list[str]:
    """The lines that report ``errors``: each file's first ``per_file`` problems,
    then one line counting the rest (a bank of 10,000 unknown keys is not
    10,000 lines)."""
    lines: list[str] = []
    counts: dict[str, int] = {}
    for err in sorted(set(errors)):
        counts[err.file] = counts.get(err.file, 0) + 1
        if counts[err.file] <= per_file:
            lines.append(str(err))
    for file, n in counts.items():
        if n > per_file:
            lines.append(f"{file}: {n - per_file:,} more problems not shown ({n:,} in all)")
    return lines
