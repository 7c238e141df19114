"""``viva packet``: reviewer, candidate and scored packets as PDF (or self-contained HTML).

Three forms: a recorded SESSION (``--kind scored`` for a reviewed one), a blank
reviewer packet for ``--track``, and ``--all-tracks --out-dir DIR`` (one blank
packet per track on all cores). WeasyPrint is imported only when a packet is
rendered.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from viva.cli.completion import complete_track
from viva.cli.options import (
    CANDIDATE_OPT,
    MINUTES_OPT,
    OUTPUT_RULE,
    SCOPE_OPT,
    SEED_OPT,
    SESSION_ARG,
)
from viva.errors import UsageProblem, VivaError
from viva.packet.options import NoteSize, PacketKind, Paper

if TYPE_CHECKING:
    from viva.packet.job import Outcome
    from viva.packet.options import PacketOptions

PACKET_HELP = """Print a defense packet as PDF (or, with --html, one self-contained HTML file).

\b
  viva packet SESSION [--kind reviewer|candidate]   a recorded rehearsal
  viva packet --track TRACK [--candidate NAME]      a blank reviewer packet for a live defense
  viva packet --all-tracks --out-dir DIR            one blank packet per track, on all cores
  viva packet SESSION --kind scored                 a reviewed defense's scores and verdict

The reviewer packet has a cover, the agenda with clock times, the track brief
(numeric targets, acceptance checklist), every question with its key points,
follow-ups, the 1-5 rubric of its category beside it and a note box (--notes
large: at least a third of a page each), and a scoring summary per review
category; after a rehearsal it adds the candidate's answers. The candidate
packet shows time against budget, flagged and skipped questions, what to drill
next, and each answer beside the key points it seems to cover (a keyword hint).
The scored packet of a reviewed session (one a reviewer scored live) prints
the verdict, the scoring sheet (per category: the summary score, the mean of
its question scores, how many were scored, whether the reviewer gave it) and
each question's score with its rubric label, the reviewer's notes, the
follow-ups asked, the transcript of a recorded answer and any typed answer.

The file is written whole or not at all (missing folders are created); its
path is printed. Default name, in the current folder: viva-<track>-<kind>.pdf
for a blank packet, viva-<track>-<session>-<kind>.pdf for a session's. Restyle
by copying templates/packet.css to $VIVA_HOME/templates/.

Examples:

\b
  viva packet 20261202-042535 --kind candidate
  viva packet 20261202-042535 --kind scored -o scored.pdf
  viva packet --track go/raft-kv --candidate "Ada Lovelace" --start 14:30 -o raft.pdf
  viva packet --track go/raft-kv --notes large
  viva packet --all-tracks --out-dir packets/
"""


def register(app: typer.Typer) -> None:
    app.command("packet", help=PACKET_HELP)(packet)


def _check_form(
    session: str | None,
    track: str | None,
    all_tracks: bool,
    *,
    kind: PacketKind | None,
    out: Path | None,
    out_dir: Path | None,
    minutes: int | None,
    seed: int | None,
    candidate: str | None,
    start: str | None,
    no_key_points: bool,
    scope: list[str] | None = None,
    notes: NoteSize = NoteSize.normal,
) -> None:
    """Refuse a bad combination of options with one message (exit 2)."""
    forms = [name for name, given in (("SESSION", session), ("--track", track)) if given]
    if all_tracks:
        forms.append("--all-tracks")
    if len(forms) != 1:
        raise UsageProblem(
            "give one of SESSION, --track TRACK or --all-tracks"
            + (f" (got {' and '.join(forms)})" if forms else "")
        )
    problems: list[str] = []
    if session is not None:
        for flag, value in (
            ("--minutes", minutes),
            ("--seed", seed),
            ("--candidate", candidate),
            ("--start", start),
            ("--scope", scope),
        ):
            if value is not None:
                problems.append(f"{flag} is for a blank packet; a session has its own")
        if kind is PacketKind.candidate and no_key_points:
            problems.append(
                "--no-key-points is for a blind reviewer; the candidate packet compares "
                "answers with the key points"
            )
    elif kind is PacketKind.candidate:
        problems.append("a candidate packet needs a recorded SESSION (see `viva sessions`)")
    elif kind is PacketKind.scored:
        problems.append("a scored packet needs a reviewed SESSION (see `viva sessions`)")
    if notes is NoteSize.large and kind in (PacketKind.candidate, PacketKind.scored):
        problems.append(
            f"--notes large sizes the note boxes of a reviewer packet; the {kind} packet has none"
        )
    if all_tracks:
        if scope:
            problems.append(
                "--scope names what one track's candidate built; with --all-tracks each "
                "track uses its remembered scopes"
            )
        if out is not None:
            problems.append("--all-tracks writes one file per track: use --out-dir DIR, not -o")
        if out_dir is None:
            problems.append("--all-tracks needs --out-dir DIR")
    elif out_dir is not None:
        problems.append("--out-dir goes with --all-tracks; use -o FILE for one packet")
    if problems:
        raise UsageProblem("; ".join(problems))


def packet(
    session: Annotated[
        str | None,
        SESSION_ARG,
    ] = None,
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            help="Blank reviewer packet for this track.",
            show_default=False,
            autocompletion=complete_track,
        ),
    ] = None,
    all_tracks: Annotated[
        bool, typer.Option("--all-tracks", help="One blank reviewer packet per track.")
    ] = False,
    kind: Annotated[
        PacketKind | None,
        typer.Option(
            "--kind",
            help="Packet of a session: reviewer (default), candidate, or scored (a reviewed "
            "session's scores, notes, follow-ups asked, transcripts and verdict).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="File to write." + OUTPUT_RULE,
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="Folder for --all-tracks; its packets follow the rule of -o.",
            show_default=False,
        ),
    ] = None,
    html: Annotated[
        bool, typer.Option("--html", help="Write self-contained HTML instead of PDF.")
    ] = False,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size.")] = Paper.a4,
    no_key_points: Annotated[
        bool,
        typer.Option("--no-key-points", help="Leave key points out (for a blind reviewer)."),
    ] = False,
    notes: Annotated[
        NoteSize,
        typer.Option(
            "--notes",
            help="Note box of each question in a reviewer packet: normal, or large (at "
            "least a third of a page each).",
        ),
    ] = NoteSize.normal,
    minutes: Annotated[int | None, MINUTES_OPT] = None,
    seed: Annotated[int | None, SEED_OPT] = None,
    scope: Annotated[list[str] | None, SCOPE_OPT] = None,
    candidate: Annotated[str | None, CANDIDATE_OPT] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="Clock time HH:MM the defense starts, for the agenda (default: elapsed times).",
            show_default=False,
        ),
    ] = None,
) -> None:
    _check_form(
        session,
        track,
        all_tracks,
        kind=kind,
        out=out,
        out_dir=out_dir,
        minutes=minutes,
        seed=seed,
        candidate=candidate,
        start=start,
        no_key_points=no_key_points,
        scope=scope,
        notes=notes,
    )
    from viva.cli.scopes import terminal_asker
    from viva.packet.job import BlankJob, SessionJob, parse_start
    from viva.packet.options import PacketOptions
    from viva.services.packet import print_packet

    parse_start(start)  # a bad clock time is a usage error before any work
    options = PacketOptions(
        kind=kind or PacketKind.reviewer,
        paper=paper,
        key_points=not no_key_points,
        notes=notes,
    )
    if all_tracks:
        assert out_dir is not None
        _all_tracks(out_dir, minutes, seed, candidate, start, options, html)
        return
    job: BlankJob | SessionJob
    if session is not None:
        job = SessionJob(session, out, options, html)
    else:
        assert track is not None
        job = BlankJob(
            track, out, minutes, seed, candidate, start, options, html, tuple(scope or ())
        )
    outcome = print_packet(job, terminal_asker())
    for message in outcome.warnings:
        sys.stderr.write(f"warning: {outcome.track}: {message}\n")
    _notify(outcome.notices)
    typer.echo(str(outcome.path))


def _notify(notices: list[str]) -> None:
    """Notices about this machine: one line each, once per command."""
    for notice in dict.fromkeys(notices):
        sys.stderr.write(f"notice: {notice}\n")


def _all_tracks(
    out_dir: Path,
    minutes: int | None,
    seed: int | None,
    candidate: str | None,
    start: str | None,
    options: PacketOptions,
    html: bool,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from viva.cli.output import console
    from viva.services.packet import print_all_tracks

    err = console(stderr=True)
    failed: list[Outcome] = []
    progress = Progress(
        TextColumn("packets"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
    )
    task = progress.add_task("", total=None)

    def begin(total: int) -> None:
        progress.update(task, total=total)
        progress.start()

    def done(outcome: Outcome) -> None:
        if outcome.ok:
            for message in outcome.warnings:
                progress.console.print(f"warning: {outcome.track}: {message}", markup=False)
        else:
            failed.append(outcome)
            progress.console.print(
                f"error: {outcome.track}: {outcome.error}", markup=False, style="red"
            )
        progress.update(task, advance=1, description=outcome.track)

    started = time.time()
    try:
        outcomes = print_all_tracks(
            out_dir,
            options,
            minutes=minutes,
            seed=seed,
            candidate=candidate,
            start=start,
            html=html,
            on_start=begin,
            on_done=done,
        )
    except KeyboardInterrupt:
        progress.stop()
        # what the workers finished, also those whose news the stop cut off
        written = sorted(
            p for p in out_dir.glob("viva-*-reviewer.*") if p.stat().st_mtime >= started
        )
        sys.stderr.write(
            f"\nstopped: {len(written)} packets written, the rest left nothing behind\n"
        )
        for path in written:
            typer.echo(str(path))
        raise
    finally:
        progress.stop()
    _notify([n for o in outcomes for n in o.notices])
    for outcome in outcomes:
        if outcome.ok:
            typer.echo(str(outcome.path))
    if failed:
        raise VivaError(
            f"{len(failed)} of {len(outcomes)} packets failed: {', '.join(o.track for o in failed)}"
        )
