"""``viva transcribe``: transcribe a spoken answer offline and measure how it was said."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe)


def transcribe(
    audio: Annotated[
        Path, typer.Argument(help="A WAV or FLAC file (any rate; stereo is down-mixed).")
    ],
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            "-e",
            help="pocketsphinx (bundled model, no download) or whisper "
            "(faster-whisper with --model DIR).",
        ),
    ] = "pocketsphinx",
    model: Annotated[
        Path | None,
        typer.Option("--model", help="The whisper engine's model folder (or VIVA_WHISPER_MODEL)."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Transcribe AUDIO offline and print its speech figures: speaking time, words,
    words per minute, filler words and the longest pause.

    Examples:

      viva transcribe answer.flac

      viva transcribe answer.wav --json

      viva transcribe answer.flac --engine whisper --model ~/models/faster-whisper-base.en
    """
    from viva.cli.output import console, print_json
    from viva.speech.engines import engine_named, transcribe_file
    from viva.text import printable

    result = transcribe_file(audio, engine_named(engine, model))
    if json:
        print_json(result.to_json())
        return
    out = console()
    fillers = ", ".join(f"{w} {n}" for w, n in result.fillers.items()) or "none"
    out.print(printable(result.text) or "(no words heard)", markup=False, highlight=False)
    for line in (
        f"length {result.seconds:.1f} s · speaking {result.speaking_seconds:.1f} s",
        f"{result.words} words · {result.words_per_minute:.0f} per minute",
        f"fillers: {fillers} ({result.fillers_per_minute:.1f} per minute)",
        f"longest pause {result.longest_pause_seconds:.1f} s",
        f"engine {result.engine}",
    ):
        out.print(line, markup=False, highlight=False)
