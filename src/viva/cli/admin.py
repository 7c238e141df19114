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
    catalog, the store (location, size, schema version, integrity), the audio input
    devices and the transcription engines. Exit 1 with advice
    when something needed is missing.

    Examples:

    \b
      viva doctor
      viva doctor 2>&1 | tee doctor.txt
    """
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
    with_audio: Annotated[
        bool,
        typer.Option(
            "--with-audio",
            help="Also copy the recordings ($VIVA_HOME/audio/) to a folder beside the "
            "backup, named after it with .audio added.",
        ),
    ] = False,
) -> None:
    """Copy the store (sessions, events, drill state) to a file, consistently, while viva
    may be running. Recordings are files beside the store, not in it: --with-audio copies
    them too; without it the output says where they are and how big.

    Examples:

    \b
      viva backup
      viva backup -o ~/viva-2026-12-03.db --with-audio
    """
    from viva.admin.backup import audio_summary, backup_audio, backup_store, check_audio_target

    if with_audio:
        check_audio_target(out)
    written = backup_store(out)
    typer.echo(f"backup written: {written}", err=True)
    if with_audio:
        copied = backup_audio(written)
        typer.echo(f"audio copied: {_files(copied.files, copied.bytes)} in {copied.path}", err=True)
        return
    audio = audio_summary()
    if audio.files:
        typer.echo(
            f"audio not included: {_files(audio.files, audio.bytes)} in {audio.path} "
            "(--with-audio copies them beside the backup)",
            err=True,
        )


def _files(n: int, size: int) -> str:
    return f"{n} file{'s' if n != 1 else ''} ({size / 1e6:.1f} MB)"


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `viva backup`.")],
) -> None:
    """Replace the store with a backup, after checking that the file is a sound viva
    store; the current store is copied aside first. Recordings saved beside the backup
    (--with-audio) are copied back where missing; none is overwritten.

    Examples:

    \b
      viva restore viva-2026-12-03.db
      viva restore ~/backups/viva.db
    """
    from viva.admin.backup import restore_audio, restore_store

    target, safety = restore_store(file)
    if safety:
        typer.echo(f"previous store saved as {safety}", err=True)
    typer.echo(f"restored {file} into {target}", err=True)
    copied = restore_audio(file)
    if copied:
        typer.echo(f"restored {copied} audio file{'s' if copied != 1 else ''}", err=True)
