"""``viva doctor``, ``viva backup`` and ``viva restore``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("backup")(backup)
    app.command("restore")(restore)


def doctor() -> None:
    """Check this machine: Python, WeasyPrint, Pango, HarfBuzz subsetting, fonts, the
    catalog and the store (location, size, schema version, integrity). Exit 1 with advice
    when something needed is missing."""
    from rich.table import Table

    from viva.admin.doctor import run_checks
    from viva.cli.output import console

    checks = run_checks()
    table = Table(title="viva doctor", title_justify="left")
    for col in ("check", "", "found", "advice"):
        table.add_column(col, overflow="fold")
    for c in checks:
        mark = "[green]ok[/]" if c.ok else ("[red]missing[/]" if c.required else "[yellow]--[/]")
        table.add_row(c.name, mark, c.detail, c.advice)
    console().print(table)
    if any(not c.ok and c.required for c in checks):
        raise typer.Exit(1)


def backup(
    out: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Backup file (default: beside the store, dated)."),
    ] = None,
) -> None:
    """Copy the store (sessions, events, drill state) to a file, consistently, while viva
    may be running."""
    from viva.admin.backup import backup_store

    typer.echo(f"backup written: {backup_store(out)}")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `viva backup`.")],
) -> None:
    """Replace the store with a backup, after checking that the file is a sound viva
    store; the current store is copied aside first."""
    from viva.admin.backup import restore_store

    target, safety = restore_store(file)
    if safety:
        typer.echo(f"previous store saved as {safety}")
    typer.echo(f"restored {file} into {target}")
