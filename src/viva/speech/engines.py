"""Offline transcription engines, and the one call that turns a file into figures.

``pocketsphinx`` needs no download: its wheel carries an English acoustic
model, dictionary and language model. ``whisper`` (faster-whisper, an
optional extra: ``pip install 'viva-defense[whisper]'``) is more accurate and
needs a CTranslate2 model folder on disk: ``--model``, ``VIVA_WHISPER_MODEL``,
or the one ``viva speech setup`` fetched once into ``$VIVA_HOME/models/``.
Transcribing never touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from viva.errors import UsageProblem, VivaError
from viva.speech.audio import RATE, read_pcm
from viva.speech.figures import SpeechFigures, figures
from viva.speech.models import (
    DEFAULT_SIZE,
    INSTALL_WHISPER,
    env_model,
    fetched_models,
    is_model,
    models_dir,
    setup_model,
)
from viva.speech.vad import speech_spans

__all__ = [
    "ENGINES",
    "Engine",
    "EngineUnavailable",
    "engine_named",
    "transcribe_file",
    "whisper_model_folder",
    "worker_model",
]

ENGINES = ("pocketsphinx", "whisper")
DEFAULT_ENGINE = "pocketsphinx"


class EngineUnavailable(VivaError):
    """The engine asked for cannot run here (missing package or model)."""


class Engine(Protocol):
    name: str

    def transcribe(self, samples: bytes) -> str:
        """The words heard in 16 kHz mono 16-bit ``samples``."""
        ...


class PocketSphinx:
    """CMU pocketsphinx with the US English model its wheel ships."""

    name = "pocketsphinx"

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self._decoder = Decoder(samprate=RATE, loglevel="FATAL")

    def transcribe(self, samples: bytes) -> str:
        dec = self._decoder
        dec.start_utt()
        dec.process_raw(samples, no_search=False, full_utt=True)
        dec.end_utt()
        hyp = dec.hyp()
        return " ".join(hyp.hypstr.split()) if hyp is not None else ""


class Whisper:
    """faster-whisper on the CPU with a model folder already on disk."""

    name = "whisper"

    def __init__(self, model: Path | None) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise EngineUnavailable(
                f"the whisper engine needs faster-whisper: {INSTALL_WHISPER} "
                "(or use --engine pocketsphinx)"
            ) from None
        where = whisper_model_folder(model)
        if not is_model(where):
            raise EngineUnavailable(f"{where}: not a faster-whisper model folder (no model.bin)")
        try:
            self._model = WhisperModel(str(where), device="cpu", compute_type="int8")
        except (RuntimeError, ValueError, OSError) as exc:
            # CTranslate2 says RuntimeError for a damaged or foreign model.bin
            raise EngineUnavailable(
                f"{where}: faster-whisper cannot load this model ({exc})"
            ) from None

    def transcribe(self, samples: bytes) -> str:
        import numpy as np

        audio = np.frombuffer(samples, dtype="<i2").astype("float32") / 32768.0
        segments, _info = self._model.transcribe(audio, language="en", beam_size=1)
        return " ".join(seg.text.strip() for seg in segments).strip()


def worker_model(engine: str, model: Path | None = None) -> str | None:
    """What a transcription worker is told to load, checked before anything is
    recorded: nothing for pocketsphinx; for whisper the model folder, resolved here
    so a worker process (which knows no ``--home``) loads the same one."""
    if engine not in ENGINES:
        raise UsageProblem(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    if engine == "pocketsphinx":
        return None
    import importlib.util

    if importlib.util.find_spec("faster_whisper") is None:
        raise EngineUnavailable(
            f"the whisper engine needs faster-whisper: {INSTALL_WHISPER} "
            "(or use --engine pocketsphinx)"
        )
    where = whisper_model_folder(model)
    if not is_model(where):
        raise EngineUnavailable(f"{where}: not a faster-whisper model folder (no model.bin)")
    return str(where)


def whisper_model_folder(model: Path | None = None) -> Path:
    """The folder the whisper engine loads: ``--model``, else ``VIVA_WHISPER_MODEL``,
    else what ``viva speech setup`` fetched, so that after one setup no flag is needed."""
    where = model or env_model() or setup_model()
    if where is not None:
        return where
    fetched = fetched_models()
    if len(fetched) > 1:
        names = ", ".join(p.name for p in fetched)
        raise EngineUnavailable(
            f"the whisper engine has several models in {models_dir()} ({names}) and none "
            f"is {DEFAULT_SIZE}: pick one with --model DIR or VIVA_WHISPER_MODEL=DIR"
        )
    raise EngineUnavailable(
        "the whisper engine needs a model: run `viva speech setup` once to fetch "
        f"faster-whisper-{DEFAULT_SIZE}, or set VIVA_WHISPER_MODEL=DIR (`viva transcribe` "
        "also takes --model DIR) to a CTranslate2 conversion such as "
        "Systran/faster-whisper-base.en"
    )


@dataclass
class _Cache:
    engines: dict[tuple[str, Path | None], Engine]


_cache = _Cache({})


def engine_named(name: str = DEFAULT_ENGINE, model: Path | None = None) -> Engine:
    """The engine called ``name`` (loaded once per process)."""
    key = (name, model)
    if key in _cache.engines:
        return _cache.engines[key]
    engine: Engine
    if name == "pocketsphinx":
        engine = PocketSphinx()
    elif name == "whisper":
        engine = Whisper(model)
    else:
        raise UsageProblem(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    _cache.engines[key] = engine
    return engine


def transcribe_samples(engine: Engine, samples: bytes) -> SpeechFigures:
    seconds = len(samples) / 2 / RATE
    text = engine.transcribe(samples) if samples else ""
    return figures(engine.name, text, seconds, speech_spans(samples))


def transcribe_file(path: Path, engine: Engine) -> SpeechFigures:
    """Transcribe a WAV or FLAC file and measure how it was said."""
    return transcribe_samples(engine, read_pcm(path).samples)
