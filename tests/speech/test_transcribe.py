"""``viva transcribe`` on real (synthesized) speech, offline, with the bundled engine."""

from __future__ import annotations

import json
import wave
from pathlib import Path

from tests.conftest import Runner
from tests.speech.conftest import SENTENCES, Speak, recall


def _join_with_silence(first: Path, second: Path, out: Path, gap_seconds: float) -> None:
    with wave.open(str(first)) as a, wave.open(str(second)) as b:
        params = a.getparams()
        frames = a.readframes(a.getnframes())
        silence = b"\0\0" * int(params.framerate * gap_seconds)
        frames += silence + b.readframes(b.getnframes())
    with wave.open(str(out), "wb") as w:
        w.setparams(params)
        w.writeframes(frames)


def test_transcribe_json_hears_the_words_and_measures_the_pause(
    run: Runner, speech: Speak, tmp_path: Path
) -> None:
    clip = tmp_path / "answer.wav"
    _join_with_silence(speech(SENTENCES[0]), speech(SENTENCES[1]), clip, 2.0)
    result = run("transcribe", str(clip), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {
        "engine",
        "text",
        "seconds",
        "speaking_seconds",
        "words",
        "words_per_minute",
        "fillers",
        "longest_pause_seconds",
    }
    assert data["engine"] == "pocketsphinx"
    assert recall(data["text"], " ".join(SENTENCES)) >= 0.6, data["text"]
    assert 1.6 <= data["longest_pause_seconds"] <= 2.4
    assert data["speaking_seconds"] < data["seconds"] - 1.5
    assert data["words"] == len(data["text"].split())
    assert abs(data["words_per_minute"] - data["words"] * 60 / data["seconds"]) < 0.2


def test_transcribe_flac_gives_the_same_words_as_the_wav(
    run: Runner, speech: Speak, tmp_path: Path
) -> None:
    from viva.speech.audio import read_pcm, write_flac

    wav = speech(SENTENCES[1])
    flac = tmp_path / "answer.flac"
    write_flac(flac, read_pcm(wav).samples)
    a = json.loads(run("transcribe", str(wav), "--json").out)
    b = json.loads(run("transcribe", str(flac), "--json").out)
    assert a["text"] == b["text"] and a["text"]


def test_plain_output_names_the_figures(run: Runner, speech: Speak) -> None:
    result = run("transcribe", str(speech(SENTENCES[1])))
    assert result.code == 0
    assert "words ·" in result.out and "per minute" in result.out
    assert "engine pocketsphinx" in result.out


def test_a_file_that_is_not_audio_is_one_message(run: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    result = run("transcribe", str(bad))
    assert result.code == 1
    assert "notes.wav: not a WAV or FLAC file" in result.err
    assert "Traceback" not in result.err
    missing = run("transcribe", str(tmp_path / "gone.flac"))
    assert missing.code == 1 and "no such audio file" in missing.err


def test_unknown_engine_and_whisper_without_a_model_are_refused(
    run: Runner, speech: Speak, tmp_path: Path
) -> None:
    clip = str(speech(SENTENCES[1]))
    unknown = run("transcribe", clip, "--engine", "vosk")
    assert unknown.code == 2 and "unknown engine 'vosk'" in unknown.err
    whisper = run("transcribe", clip, "--engine", "whisper", "--model", str(tmp_path))
    assert whisper.code == 1
    assert "faster-whisper" in whisper.err or "model.bin" in whisper.err
