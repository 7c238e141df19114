"""The ``viva`` command: the typer app, global options and the one error handler.

Only typer is imported at start-up; each command imports what it needs when
it runs, so ``viva --help`` and ``viva tracks`` stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from viva import __version__
from viva.cli import admin as admin_cmd
from viva.cli import bank as bank_cmd
from viva.cli import catalog as catalog_cmd
from viva.cli import drill as drill_cmd
from viva.cli import packet as packet_cmd
from viva.cli import plan as plan_cmd
from viva.cli import rehearse as rehearse_cmd

app = typer.Typer(
    name="viva",
    help="Rehearse and review capstone defenses: timed mock defenses, reviewer "
    "packets and failure-scenario drills.",
    no_args_is_help=True,
    add_completion=False,
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


catalog_cmd.register(app)
plan_cmd.register(app)
rehearse_cmd.register(app)
drill_cmd.register(app)
packet_cmd.register(app)
app.add_typer(bank_cmd.app, name="bank")
admin_cmd.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one message and exit 1, never a traceback."""
    # typer >= 0.29 vendors click; its exception classes live here.
    from typer._click.exceptions import ClickException

    from viva.errors import DataErrors, VivaError

    command = typer.main.get_command(app)
    try:
        rc = command.main(args=argv, prog_name="viva", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("\ninterrupted\n")
        sys.exit(130)
    except DataErrors as exc:
        for err in exc.errors:
            sys.stderr.write(f"{err}\n")
        n = len(exc.errors)
        sys.stderr.write(f"error: {n} problem{'s' if n != 1 else ''} in the data files\n")
        sys.exit(1)
    except VivaError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    sys.exit(rc if isinstance(rc, int) else 0)
