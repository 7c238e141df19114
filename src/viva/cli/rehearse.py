"""``viva rehearse``, ``viva resume``, ``viva sessions`` and ``viva report``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from viva.cli.options import (
    CANDIDATE_OPT,
    LATEST_SESSION_ARG,
    MINUTES_OPT,
    SCOPE_OPT,
    SEED_OPT,
    SESSION_ARG,
    TRACK_NAME_ARG,
)

if TYPE_CHECKING:
    from viva.catalog.loader import Track
    from viva.rehearsal.session import LiveSession
    from viva.services.rehearsal import FrontEnd
    from viva.services.voice import VoiceSession

PLAIN_OPT = typer.Option(
    "--plain",
    help="Plain line mode (automatic when stdin or stdout is not a terminal): answer lines "
    "end with a line holding only '.'; commands :skip :flag :rate N :pause :resume "
    ":follow :next-section :end :quit, alone on a line; end of input saves and quits.",
)


def register(app: typer.Typer) -> None:
    app.command("rehearse")(rehearse)
    app.command("resume")(resume)
    group = typer.Typer(
        rich_markup_mode=None,
        add_completion=False,
        invoke_without_command=True,
    )
    group.callback()(sessions)
    group.command("delete")(delete)
    app.add_typer(group, name="sessions")
    app.command("report")(report)


def _interactive(plain: bool) -> bool:
    return not plain and sys.stdin.isatty() and sys.stdout.isatty()


VOICE_OPT = typer.Option(
    "--voice",
    help="Record each answer aloud (FLAC under $VIVA_HOME/audio/<session>/), transcribe it "
    "offline in the background and measure pace, fillers and pauses. Without a usable "
    "input device the rehearsal says why and stays typed.",
)
DEVICE_OPT = typer.Option(
    "--input-device",
    help="The input device, by index or name (`viva doctor` lists them); default: the "
    "system's default input.",
)
ENGINE_OPT = typer.Option(
    "--engine", help="Transcription engine: pocketsphinx (bundled) or whisper (needs a model)."
)


def _voice(live: LiveSession, device: str | None, engine: str) -> VoiceSession | None:
    """A voice session, or None (with the reason on stderr) when nothing can record."""
    from viva.services.voice import VoiceSession
    from viva.speech.recorder import VoiceUnavailable

    try:
        return VoiceSession(live, device, engine)
    except VoiceUnavailable as err:
        sys.stderr.write(f"viva: {err}; this rehearsal continues typed\n")
        sys.stderr.flush()
        return None


def _check_engine(engine: str) -> None:
    """An unknown engine, or whisper without its package or model, is one error
    before a session starts, not one failed transcript per answer."""
    from viva.speech.engines import worker_model

    worker_model(engine)


def _front_end(
    plain: bool, voice: bool = False, device: str | None = None, engine: str = "pocketsphinx"
) -> FrontEnd:
    """The screen on a terminal, plain line mode otherwise (or with --plain)."""

    def run(live: LiveSession, track: Track | None) -> None:
        spoken = voice or device is not None or live.rehearsal.voiced
        session = _voice(live, device, engine) if spoken else None
        if _interactive(plain):
            from viva.tui.screens.rehearsal import run_tui

            run_tui(live, track, session)
            return
        from viva.rehearsal.plain import run_plain

        rubrics = None
        if live.reviewed:  # the reviewer scores against the categories' rubrics
            from viva.catalog.loader import load_catalog

            rubrics = load_catalog().categories
        run_plain(live, track, sys.stdin.readline, sys.stdout, session, rubrics)

    return run


def rehearse(
    track: Annotated[str, TRACK_NAME_ARG],
    minutes: Annotated[int | None, MINUTES_OPT] = None,
    seed: Annotated[int | None, SEED_OPT] = None,
    candidate: Annotated[str | None, CANDIDATE_OPT] = None,
    scope: Annotated[list[str] | None, SCOPE_OPT] = None,
    plain: Annotated[bool, PLAIN_OPT] = False,
    voice: Annotated[bool, VOICE_OPT] = False,
    input_device: Annotated[str | None, DEVICE_OPT] = None,
    engine: Annotated[str, ENGINE_OPT] = "pocketsphinx",
) -> None:
    """Run a timed mock defense: an agenda of sections with budgets, a live clock, and
    every answer, time and rating recorded (resumable after a crash with `viva resume`).

    The agenda is `viva plan`'s: the same --seed, --minutes and --scope give the same
    draw whatever your history. Without --seed, questions not asked in the track's
    last three sessions and questions last rated again or hard are drawn more often.

    Examples:

    \b
      viva rehearse go/raft-kv
      viva rehearse runtime-fork --scope runc-autoseccomp --seed 7 --plain
      viva rehearse go/raft-kv --voice
    """
    from viva.cli.scopes import terminal_asker
    from viva.services.rehearsal import rehearse as run_rehearsal

    if voice or input_device is not None:
        _check_engine(engine)
    run_rehearsal(
        track,
        _front_end(plain, voice, input_device, engine),
        minutes,
        seed,
        candidate,
        scope or (),
        terminal_asker(not _interactive(plain)),
    )


def resume(
    session: Annotated[str | None, LATEST_SESSION_ARG] = None,
    plain: Annotated[bool, PLAIN_OPT] = False,
    voice: Annotated[bool, VOICE_OPT] = False,
    input_device: Annotated[str | None, DEVICE_OPT] = None,
    engine: Annotated[str, ENGINE_OPT] = "pocketsphinx",
) -> None:
    """Continue an unfinished session where it stopped, with the draft restored; a
    recording cut short by a crash is kept up to its last second, and a spoken
    session goes on recording.

    Examples:

    \b
      viva resume
      viva resume 20261202-0425 --plain
    """
    from viva.services.rehearsal import resume as run_resume

    if voice or input_device is not None or engine != "pocketsphinx":
        _check_engine(engine)
    run_resume(session, _front_end(plain, voice, input_device, engine))


def sessions(
    ctx: typer.Context,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List recorded sessions: id, track, minutes, seed, status, start and end;
    `viva sessions delete ID` removes one with its audio. Piped, the table is
    tab-separated text with a header line.

    Examples:

    \b
      viva sessions
      viva sessions --json
      viva sessions delete 20261203-072020-145ecb
    """
    if ctx.invoked_subcommand is not None:
        return
    from viva.cli.output import console, print_json
    from viva.cli.views.sessions import render_sessions
    from viva.services.rehearsal import list_sessions

    rows = [r.to_json() for r in list_sessions()]
    if json:
        print_json(rows)
        return
    render_sessions(rows, console())


def delete(
    session: Annotated[str, SESSION_ARG],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete a session for good: its events, answers and transcripts, and its audio
    folder ($VIVA_HOME/audio/<session>/). Asks first, showing what goes, unless --yes.
    Drill cards keep the ratings the rehearsal gave (a rating holds no answer text).

    Examples:

    \b
      viva sessions delete 20261202-0425
      viva sessions delete 20261202-0425 --yes
    """
    from viva.services.rehearsal import delete_session, session_footprint

    found = session_footprint(session)
    row = found.session
    audio = (
        f"{found.audio_files} audio file{'s' if found.audio_files != 1 else ''} "
        f"({found.audio_bytes / 1e6:.1f} MB) in {found.audio_folder}"
        if found.audio_files
        else "no audio"
    )
    typer.echo(
        f"session {row.id}: {row.track}, {row.minutes} min, {row.status}, started "
        f"{row.started_at:%Y-%m-%d %H:%M} UTC; {found.events} event"
        f"{'s' if found.events != 1 else ''}, {audio}",
        err=True,
    )
    if row.status != "ended":
        typer.echo("it is not ended: if a rehearsal of it is running, quit that first", err=True)
    if not yes and not _confirmed("delete it, with its audio? [y/N] "):
        typer.echo("nothing deleted", err=True)
        raise typer.Exit(1)
    delete_session(row.id)
    typer.echo(
        f"deleted session {row.id}" + (" and its audio" if found.audio_files else ""), err=True
    )


def _confirmed(question: str) -> bool:
    """One line from stdin; only y or yes confirms (end of input does not). The
    question goes to stderr with the other status lines, as ``rm -i`` asks."""
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not sys.stdin.isatty():  # nothing echoed the answer: show what was read
        from viva.text import printable

        sys.stderr.write(printable(answer.strip()) + "\n")
    return answer.strip().lower() in {"y", "yes"}


def report(
    session: Annotated[str | None, LATEST_SESSION_ARG] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Time per section against budget, answers, flags, skips and ratings of a session,
    compared with the previous rehearsal of the same track.

    Examples:

    \b
      viva report
      viva report 20261202-0425 --json
    """
    from viva.cli.output import console, print_json
    from viva.cli.views.report import render_report
    from viva.services.rehearsal import report as session_report

    pair = session_report(session)
    if json:
        print_json(pair.report.to_json())
        return
    render_report(pair.report, pair.previous, console())
