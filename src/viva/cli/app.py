"""The ``viva`` command: the typer app, global options and the one error handler.

Only typer is imported at start-up; each command imports what it needs when
it runs, so ``viva --help`` and ``viva tracks`` stay fast.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import typer
from typer.core import TyperGroup

from viva import __version__

if TYPE_CHECKING:
    import sqlite3

# name -> (module in viva.cli, one-line help shown by `viva --help`).
# Modules are imported only when their command runs, so `viva --help` and
# `viva tracks` pay for one small module, not for all of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "tracks": ("catalog", "List the capstone tracks with their defense minutes."),
    "show": ("catalog", "Print a track's brief: outcome, targets, acceptance, format."),
    "plan": ("plan", "Draw a seeded defense agenda: sections, budgets, questions."),
    "rehearse": ("rehearse", "Run a timed mock defense (screen, or plain line mode)."),
    "review": ("review", "Score a live defense as a reviewer: rubric, notes, verdict."),
    "resume": ("rehearse", "Continue an unfinished session where it stopped."),
    "sessions": ("rehearse", "List recorded sessions."),
    "report": ("rehearse", "Time per section against budget, flags, skips, ratings."),
    "packet": ("packet", "Print a reviewer or candidate packet as PDF (or HTML)."),
    "drill": ("drill", "Drill failure-scenario questions with spaced repetition."),
    "stats": ("stats", "Rehearsal history and drill figures toward the defense."),
    "export": ("export", "Export questions to Anki, Markdown or JSON."),
    "import": ("importing", "Restore drill state from a viva JSON export."),
    "transcribe": ("speech", "Transcribe a spoken answer offline: words, pace, fillers, pauses."),
    "play": ("play", "Play a spoken rehearsal's recorded answers back."),
    "speech": ("speech", "Fetch the whisper transcription model once: viva speech setup."),
    "bank": ("bank", "Validate, show and count question banks."),
    "doctor": ("admin", "Check Python, WeasyPrint, fonts, the catalog and the store."),
    "backup": ("admin", "Copy the store (sessions, events, drill state) to a file."),
    "restore": ("admin", "Replace the store with a checked backup."),
}


class LazyGroup(TyperGroup):
    """The top-level group: commands are built from their module on first use."""

    _built: ClassVar[dict[str, Any]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        module_name = COMMANDS[cmd_name][0]
        if module_name not in self._built:
            module = importlib.import_module(f"viva.cli.{module_name}")
            sub = typer.Typer(rich_markup_mode=None, add_completion=False)
            module.register(sub)
            self._built[module_name] = typer.main.get_command(sub)
        built = self._built[module_name]
        commands = getattr(built, "commands", None)
        return commands.get(cmd_name) if commands is not None else built

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            sys.stderr.write("\ninterrupted\n")
            raise  # typer exits 130

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


app = typer.Typer(
    name="viva",
    cls=LazyGroup,
    help="Rehearse and review capstone defenses: timed mock defenses, reviewer "
    "packets and failure-scenario drills.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"viva {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Data folder for sessions, drill state and your own tracks "
            "(default: $VIVA_HOME or the platform's user data folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Rehearse and review capstone defenses."""
    from viva.locations import set_home_override

    set_home_override(home.expanduser() if home else None)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one message and exit 1, never a traceback.

    typer runs standalone: it shows usage errors itself (exit 2) and turns
    Ctrl-C into exit 130; a reader that closes the pipe early (``| head``) ends
    the command quietly with exit 0; viva's own errors pass through it and are
    rendered here.
    """
    from viva.errors import DataErrors, VivaError, report_lines

    _tolerate_any_encoding()
    command = typer.main.get_command(app)
    try:
        try:
            command.main(args=argv, prog_name="viva", standalone_mode=True)
        except SystemExit as done:
            if _pipe_closed():
                raise SystemExit(0) from None  # `viva ... | head`: the reader had enough
            raise done
        finally:
            _warn_skipped()
    except DataErrors as exc:
        for line in report_lines(exc.errors):
            sys.stderr.write(f"{line}\n")
        n = len(exc.errors)
        sys.stderr.write(f"error: {n} problem{'s' if n != 1 else ''} in the data files\n")
        sys.exit(1)
    except VivaError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"error: {where}{exc.strerror or exc}\n")
        sys.exit(1)
    except Exception as exc:
        # The store refused a read or a write (a full disk, a read-only file, a
        # damaged page): what was committed before is kept. (sqlite3 is looked
        # up, not imported: a command that never opened the store never raises it.)
        sqlite = sys.modules.get("sqlite3")
        if sqlite is None or not isinstance(exc, sqlite.Error):
            raise
        sys.stderr.write(f"error: {_store_problem(exc)}\n")
        sys.exit(1)


def _tolerate_any_encoding() -> None:
    """Characters the terminal's encoding cannot show (``PYTHONIOENCODING=latin-1``,
    ``LANG=C``) are replaced, never a ``UnicodeEncodeError``; bytes typed that it
    cannot read (``café`` under ``PYTHONIOENCODING=ascii``) come in as U+FFFD,
    never a ``UnicodeDecodeError`` mid-rehearsal."""
    import io

    for stream in (sys.stdout, sys.stderr, sys.stdin):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _pipe_closed() -> bool:
    """True once typer has met a broken pipe: it swaps in (its vendored) click's
    flush-pacifying wrapper then, and only then, before exiting 1."""
    return type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper"


def _warn_skipped() -> None:
    """Entries of the data folders that were not read, each named once."""
    from viva.catalog.index import skipped

    for line in skipped():
        sys.stderr.write(f"warning: {line}\n")


def _store_problem(exc: sqlite3.Error) -> str:
    from viva.store.database import default_store_path

    path = default_store_path()
    text = str(exc)
    advice = {
        "database or disk is full": "free some disk space and run the command again",
        "attempt to write a readonly database": f"make {path} writable (or set VIVA_HOME)",
        "unable to open database file": f"check that {path.parent} is a folder you can write",
        "database disk image is malformed": "run `viva doctor`, then `viva restore` a backup",
    }
    hint = next((a for key, a in advice.items() if key in text), "run `viva doctor`")
    return (
        f"the store {path} could not be used ({text}): {hint}; everything recorded before is kept"
    )
