"""``viva play``: play a session's recorded answers back."""

from __future__ import annotations

from typing import Annotated

import typer

from viva.cli.options import SESSION_ARG


def register(app: typer.Typer) -> None:
    app.command("play")(play)


def play(
    session: Annotated[str, SESSION_ARG],
    question: Annotated[
        str | None,
        typer.Argument(
            help="A question id, or its number in the agenda (default: every recorded answer)."
        ),
    ] = None,
    output_device: Annotated[
        str | None,
        typer.Option(
            "--output-device",
            help="Output device name or number (default: the system's default output).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Play the recorded answers of a spoken rehearsal, in agenda order (or one
    question's), naming each before it plays. Ctrl-C stops.

    Examples:

    \b
      viva play 20261203-072020-145ecb
      viva play 20261203-0720 2
      viva play 20261203-0720 leader-election-safety
    """
    from viva.cli.output import console
    from viva.rehearsal.engine import clock_text
    from viva.services.playback import play_answers, recorded_answers
    from viva.text import printable

    out = console()
    session_id, answers = recorded_answers(session, question)
    out.print(f"session {session_id}", markup=False, highlight=False)
    seconds = play_answers(
        answers,
        lambda line: out.print(printable(line), markup=False, highlight=False),
        output_device,
    )
    out.print(f"played {clock_text(seconds)}", markup=False, highlight=False)
