"""``viva drill``: drills of the defense-critical questions with spaced repetition."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from viva.cli.options import CATEGORY_OPT, SCOPE_OPT, TRACK_ARG, UNTIL_OPT
from viva.cli.rehearse import DEVICE_OPT, ENGINE_OPT

if TYPE_CHECKING:
    from viva.drill.session import DrillSession
    from viva.services.drill import DrillFrontEnd
    from viva.services.drill_voice import DrillVoice

VOICE_OPT = typer.Option(
    "--voice",
    help="Record each answer aloud, from the prompt to the end of the answer (FLAC under "
    "$VIVA_HOME/audio/drill-<date>-<time>-<id>/), transcribe it offline and show the "
    "transcript, pace, fillers, longest pause and the key points it seems to miss before "
    "the rating; the review keeps the transcript and the file. Without a usable input "
    "device the drill says why and stays typed.",
)


def register(app: typer.Typer) -> None:
    app.command("drill")(drill)


def drill(
    track: Annotated[str | None, TRACK_ARG] = None,
    category: Annotated[str | None, CATEGORY_OPT] = None,
    until: Annotated[str | None, UNTIL_OPT] = None,
    scope: Annotated[list[str] | None, SCOPE_OPT] = None,
    all_cards: Annotated[
        bool, typer.Option("--all", help="Drill every card, not only those due now.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Stop after this many cards.", show_default=False),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain line mode (automatic when stdin or stdout is not a terminal): the "
            "prompt, answer lines until a line holding only '.', the key points, then one "
            "line 1-4 rates the card; end of input or :quit saves and exits.",
        ),
    ] = False,
    voice: Annotated[bool, VOICE_OPT] = False,
    input_device: Annotated[str | None, DEVICE_OPT] = None,
    engine: Annotated[str, ENGINE_OPT] = "pocketsphinx",
) -> None:
    """Drill the failure scenarios and must questions (and any question you rated again
    or hard in a rehearsal) with their follow-ups, with spaced repetition (FSRS): answer
    (typed, or aloud), compare with the key points, rate 1-4 (again, hard, good, easy).
    Ratings from rehearsals update the same cards; `viva stats` and the exports count
    the same cards.

    Examples:

    \b
      viva drill go/raft-kv --until 2026-12-01
      viva drill go/raft-kv --voice
    """
    from viva.cli.scopes import terminal_asker
    from viva.services.drill import drill as run_drill

    if voice or input_device is not None:
        from viva.speech.engines import worker_model

        worker_model(engine)  # an engine that cannot run is one error before the drill
    run_drill(
        track,
        _front_end(plain, voice or input_device is not None, input_device, engine),
        category=category,
        until=until,
        include_all=all_cards,
        limit=limit,
        scopes=scope or (),
        ask=terminal_asker(plain),
    )


def _voice(session: DrillSession, device: str | None, engine: str) -> DrillVoice | None:
    """A spoken drill, or None (with the reason on stderr) when nothing can record."""
    from viva.services.drill_voice import DrillVoice
    from viva.speech.recorder import VoiceUnavailable

    try:
        return DrillVoice(device, engine, started=session.clock.wall())
    except VoiceUnavailable as err:
        sys.stderr.write(f"viva: {err}; this drill continues typed\n")
        sys.stderr.flush()
        return None


def _front_end(
    plain: bool, voice: bool = False, device: str | None = None, engine: str = "pocketsphinx"
) -> DrillFrontEnd:
    """The drill screen on a terminal, plain line mode otherwise (or with --plain);
    with ``voice``, answers are recorded and transcribed too."""

    def run(session: DrillSession) -> None:
        spoken = _voice(session, device, engine) if voice else None
        if not plain and sys.stdin.isatty() and sys.stdout.isatty():
            from viva.tui.screens.drill import run_drill_tui

            run_drill_tui(session, spoken)
            return
        from viva.drill.plain import run_drill_plain

        run_drill_plain(session, sys.stdin.readline, sys.stdout, spoken)

    return run
