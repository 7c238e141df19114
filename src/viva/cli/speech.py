"""``viva transcribe``: transcribe a spoken answer offline and measure how it was said;
``viva speech setup``: fetch the whisper engine's model once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe)
    group = typer.Typer(
        rich_markup_mode=None,
        add_completion=False,
        no_args_is_help=True,
        help="Speech tools: `viva speech setup` fetches the whisper engine's model once.",
    )
    group.command("setup")(setup)
    app.add_typer(group, name="speech")


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
            "(faster-whisper with the model `viva speech setup` fetched, or --model DIR).",
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

    \b
      viva transcribe answer.flac
      viva transcribe answer.wav --json
      viva transcribe answer.flac --engine whisper
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
        f"{result.words} word{'s' if result.words != 1 else ''} · "
        f"{result.words_per_minute:.0f} per minute",
        f"fillers: {fillers} ({result.fillers_per_minute:.1f} per minute)",
        f"longest pause {result.longest_pause_seconds:.1f} s",
        f"engine {result.engine}",
    ):
        out.print(line, markup=False, highlight=False)


def setup(
    size: Annotated[
        str,
        typer.Option(
            "--size",
            metavar="SIZE",
            help="The faster-whisper model: tiny.en, base.en, small.en, medium.en (English "
            "only, a little better for English), tiny, base, small, medium, large-v1, "
            "large-v2 or large-v3.",
        ),
    ] = "base.en",
    force: Annotated[
        bool, typer.Option("--force", help="Fetch it again even if it is already there.")
    ] = False,
) -> None:
    """Fetch the whisper engine's model once, for more accurate transcripts.

    The model is Systran/faster-whisper-SIZE from the Hugging Face Hub; it goes
    into $VIVA_HOME/models/faster-whisper-SIZE/, and afterwards `--engine whisper`
    needs no --model and never touches the network. Needs faster-whisper:
    pip install 'viva-defense[whisper]'.

    A fetch that fails or is interrupted keeps nothing; without a network, copy a
    model folder from another machine and pass --model DIR or set VIVA_WHISPER_MODEL.

    Examples:

    \b
      viva speech setup
      viva speech setup --size small.en
      viva speech setup --force
    """
    from viva.speech.models import fetch_model, is_model, require_faster_whisper, size_named

    model = size_named(size)
    require_faster_whisper()
    if is_model(model.folder) and not force:
        typer.echo(
            f"the whisper model {model.name} is already in {model.folder}: nothing to fetch "
            "(--force fetches it again)",
            err=True,
        )
        return
    typer.echo(
        f"fetching {model.repo} (about {model.megabytes:,} MB) into {model.folder}", err=True
    )
    folder = fetch_model(model)
    typer.echo(f"the whisper model {model.name} is ready in {folder}", err=True)
    typer.echo("transcribe with it: viva transcribe FILE --engine whisper", err=True)
