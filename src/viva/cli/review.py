"""``viva review``: a reviewer scores a live (or peer) defense as it happens.

``viva review TRACK --candidate NAME`` runs the session (the screen, or plain
line mode); ``viva review export SESSION`` and ``viva review import FILE.csv``
carry the scores out to a school's records and back in from the printed
packet. ``review`` is a group whose default command is the session itself, so
``viva review go/raft-kv`` needs no ``run``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from viva.cli.options import (
    MINUTES_OPT,
    SCOPE_OPT,
    SEED_OPT,
    SESSION_ARG,
    TRACK_NAME_ARG,
    name_check,
)
from viva.cli.rehearse import DEVICE_OPT, ENGINE_OPT, _check_engine, _front_end, _interactive

DEFAULT = "run"


class DefaultGroup(TyperGroup):
    """A group whose first argument, when it names no subcommand, starts the
    default one: ``viva review go/raft-kv`` is ``viva review run go/raft-kv``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first is not None and first not in self.commands and first not in ("-h", "--help"):
            args = [DEFAULT, *args]
        return list(super().parse_args(ctx, args))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, "TRACK --candidate NAME [OPTIONS] | COMMAND ...")

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The default command's options first: they are what `viva review TRACK` takes."""
        default = self.commands[DEFAULT]
        records = [p.get_help_record(ctx) for p in default.get_params(ctx)]
        with formatter.section("Options of viva review TRACK"):
            formatter.write_dl([r for r in records if r is not None and "--help" not in r[0]])
        super().format_options(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Tracks as well as the subcommands: the first word is usually a track."""
        from typer._click.shell_completion import CompletionItem

        from viva.cli.completion import complete_track

        visible = [c for c in super().shell_complete(ctx, incomplete) if c.value != DEFAULT]
        return [*visible, *(CompletionItem(t) for t in complete_track(incomplete))]


class _DefaultContext(typer.Context):
    """The default command's context: its path is the group's (`viva review`, not
    `viva review run`), so usage lines and "Try ..." hints name what is typed."""

    @property
    def command_path(self) -> str:
        return self.parent.command_path if self.parent is not None else super().command_path


class DefaultCommand(TyperCommand):
    context_class = _DefaultContext


app = typer.Typer(
    cls=DefaultGroup,
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
    help="""Score a live or peer defense as it happens: viva review TRACK --candidate NAME.

The reviewer's screen has the rehearsal's agenda and clocks, and for each question its
key points, its follow-ups (mark those you ask) and its category's 1-5 rubric, with a
note box and a flag; at the end, a summary score per category and a verdict. Every
action is saved as it happens: `viva resume` continues after a crash. `viva packet
SESSION --kind scored` prints the scored packet.

Examples:

\b
  viva review go/raft-kv --candidate "Ada Lovelace"
  viva review matching-engine --candidate "Grace Hopper" --seed 7 --plain
  viva review go/raft-kv --candidate "Ada Lovelace" --voice
""",
)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="review")


REVIEW_PLAIN_OPT = typer.Option(
    "--plain",
    help="Plain line mode (automatic when stdin or stdout is not a terminal): each question "
    "with its key points, numbered follow-ups and rubric; lines typed are your record of "
    "the answer, ended by a line holding only '.'; alone on a line :score N :note TEXT "
    ":asked K :flag :category CAT N :verdict TEXT :skip :pause :resume :next-section "
    ":end :quit; end of input saves and quits.",
)
REVIEW_VOICE_OPT = typer.Option(
    "--voice",
    help="Record the candidate's answers aloud on this machine (a peer rehearsal: the "
    "reviewer scores, the candidate speaks); transcripts go into the scored packet.",
)


@app.command(DEFAULT, hidden=True, cls=DefaultCommand)
def run(
    track: Annotated[str, TRACK_NAME_ARG],
    candidate: Annotated[
        str,
        typer.Option(
            "--candidate",
            callback=name_check,
            help="The candidate being reviewed (required: the scores are theirs).",
            show_default=False,
        ),
    ],
    minutes: Annotated[int | None, MINUTES_OPT] = None,
    seed: Annotated[int | None, SEED_OPT] = None,
    scope: Annotated[list[str] | None, SCOPE_OPT] = None,
    plain: Annotated[bool, REVIEW_PLAIN_OPT] = False,
    voice: Annotated[bool, REVIEW_VOICE_OPT] = False,
    input_device: Annotated[str | None, DEVICE_OPT] = None,
    engine: Annotated[str, ENGINE_OPT] = "pocketsphinx",
) -> None:
    """Score a defense of TRACK by --candidate as it happens (see `viva review --help`).

    Examples:

    \b
      viva review go/raft-kv --candidate "Ada Lovelace"
      viva review runtime-fork --candidate "Linus" --scope runc-trace --plain
    """
    from viva.cli.scopes import terminal_asker
    from viva.services.rehearsal import review

    if voice or input_device is not None:
        _check_engine(engine)
    review(
        track,
        _front_end(plain, voice, input_device, engine),
        candidate,
        minutes,
        seed,
        scope or (),
        terminal_asker(not _interactive(plain)),
    )


@app.command("export")
def export(
    session: Annotated[str | None, SESSION_ARG] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default, or `-`: stdout)."),
    ] = None,
) -> None:
    """Write a reviewed session as JSON (format viva-review/1, schema: `viva bank schema
    review`): per question the score, rubric label, notes, follow-ups asked, answer and
    transcript; the category scores and the verdict (default: the latest session).

    Examples:

    \b
      viva review export 20261204-0930 -o ada-raft.json
      viva review export | jq '.categories'
    """
    import json

    from viva.cli.export import _write_text
    from viva.services.review import export_review
    from viva.store.database import open_store

    if session is None:
        with open_store() as store:
            session = store.latest().id
    document = export_review(session)
    _write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", output)


@app.command("import")
def import_scores(
    file: Annotated[Path, typer.Argument(help="A CSV of scores typed from a printed packet.")],
) -> None:
    """Bring in scores, notes, asked follow-ups, category scores and the verdict typed
    from a printed reviewer packet, onto a reviewed session, or (for a defense scored on
    a blank packet) as a new reviewed session of that packet's seed. Nothing is written
    when any row is wrong; each problem names its line and column. Importing the same
    file again writes nothing new.

    A header row names the columns (any order, any case; comma, semicolon or tab):

    \b
      session    the reviewed session (id or prefix); or, for a blank packet:
      track, seed, minutes, candidate, scopes, started (the packet's cover);
      question   an id or the packet's number (3 or Q3), category:ID, or verdict
      score      1-5 against the category's rubric
      note       a note (on the verdict row: the verdict)
      asked      follow-ups put to the candidate: "1 2"

    Examples:

    \b
      viva review import scores.csv
    """
    from viva.services.review import import_scores as run_import

    result = run_import(file)
    sys.stderr.write(f"{result}\n")
