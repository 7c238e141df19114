"""``viva doctor``: what viva needs from this machine, and whether it has it."""

from __future__ import annotations

import platform
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from viva import __version__
from viva.errors import VivaError
from viva.store.database import default_store_path

__all__ = ["Check", "run_checks"]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""
    required: bool = True


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("Python", ok, platform.python_version(), "" if ok else "viva needs Python 3.11+")


def _weasyprint() -> list[Check]:
    try:
        import weasyprint
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset, pango
    except (ImportError, OSError) as exc:
        return [
            Check(
                "WeasyPrint",
                False,
                f"cannot load: {exc}",
                "install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
            )
        ]
    v = pango.pango_version()
    checks = [
        Check("WeasyPrint", True, str(weasyprint.__version__)),
        Check(
            "Pango",
            v >= 14400,
            f"{v // 10000}.{v // 100 % 100}.{v % 100}",
            "" if v >= 14400 else "WeasyPrint needs Pango 1.44 or newer",
        ),
    ]
    subset = harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    hb = _harfbuzz_version() if subset else "not found"
    checks.append(
        Check(
            "HarfBuzz subsetting",
            subset,
            f"libharfbuzz-subset {hb}" if subset else "not available: fontTools subsets fonts",
            "" if subset else "faster PDF writing: apt-get install libharfbuzz-subset0 (Debian)",
            required=False,
        )
    )
    return checks


def _harfbuzz_version() -> str:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0"
    try:
        fn = ctypes.CDLL(name).hb_version_string
    except (OSError, AttributeError):
        return ">= 4.1"
    fn.restype = ctypes.c_char_p
    return str(fn().decode())


def _fonts() -> Check:
    if shutil.which("fc-list") is None:
        return Check("Fonts", False, "fc-list not found", "apt-get install fontconfig")
    out = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False, timeout=20
    ).stdout
    families = sorted({f.split(",")[0].strip() for f in out.splitlines() if f.strip()})
    dejavu = [f for f in families if f.startswith("DejaVu")]
    return Check(
        "Fonts",
        bool(dejavu),
        f"{len(families)} families; " + (", ".join(dejavu[:4]) or "no DejaVu"),
        "" if dejavu else "apt-get install fonts-dejavu-core (packets are set in DejaVu)",
    )


def _store(path: Path) -> Check:
    if not path.exists():
        return Check("Store", True, f"{path} (not created yet: nothing recorded)")
    from viva.rehearsal.session import readable
    from viva.store.database import open_store

    try:
        with open_store(path) as store:
            ok = store.integrity_ok()
            version = store.schema_version()
            rows = store.sessions()
            sessions = len(rows)
            unreadable = [r.id for r in rows if readable(store, r, drafts=True) is None]
    except (VivaError, sqlite3.DatabaseError, OSError) as exc:
        text = str(exc)
        if "newer than this viva" in text:
            advice = "the store is fine, this viva is older than it: upgrade viva"
        elif "not a folder" in text or isinstance(exc, OSError):
            advice = "set VIVA_HOME (or --home) to a folder you can write"
        else:
            advice = "restore a backup: viva restore FILE"
        return Check("Store", False, text if str(path) in text else f"{path}: {text}", advice)
    size = path.stat().st_size
    detail = (
        f"{path} · {size / 1024:.0f} KiB · schema v{version} · {sessions} sessions · "
        f"integrity {'ok' if ok else 'FAILED'}"
    )
    if unreadable:
        shown = ", ".join(unreadable[:3]) + (" ..." if len(unreadable) > 3 else "")
        detail += f" · {len(unreadable)} sessions cannot be read ({shown})"
    advice = ""
    if not ok:
        advice = "the store is damaged: restore a backup with `viva restore FILE`"
    elif unreadable:
        advice = (
            "those sessions are left out of history and stats; `viva restore` a backup "
            "from before the damage to get them back"
        )
    return Check("Store", ok and not unreadable, detail, advice)


def _catalog() -> Check:
    from viva.catalog.loader import load_catalog
    from viva.errors import DataErrors

    try:
        catalog = load_catalog()
    except DataErrors as exc:
        return Check(
            "Catalog", False, f"{len(exc.errors)} problems", "run `viva tracks` to see them"
        )
    questions = sum(len(t.questions) for t in catalog.tracks.values())
    return Check("Catalog", True, f"{len(catalog.tracks)} tracks, {questions} questions")


def _audio_input() -> Check:
    """Spoken rehearsals: PortAudio and the devices that can record (optional)."""
    from viva.speech.recorder import VoiceUnavailable, input_devices

    try:
        devices = input_devices()
    except VoiceUnavailable as err:
        return Check("Audio input", False, str(err), "rehearsals stay typed", required=False)
    if not devices:
        return Check(
            "Audio input",
            False,
            "PortAudio finds no input device",
            "connect a microphone; rehearsals stay typed until then",
            required=False,
        )
    listed = "; ".join(f"{d.index}: {d.name}{' (default)' if d.default else ''}" for d in devices)
    return Check("Audio input", True, f"{listed} (pick one with --input-device)", required=False)


def _transcriber() -> Check:
    """The bundled engine's model, and whether the whisper engine can load and which
    model it would use without --model."""
    try:
        import pocketsphinx
    except ImportError as err:
        return Check("Transcription", False, str(err), "pip install pocketsphinx")
    model = Path(pocketsphinx.get_model_path()) / "en-us"
    ok = model.is_dir()
    whisper, advice = _whisper()
    detail = f"pocketsphinx {model if ok else 'model missing'}; {whisper}"
    return Check("Transcription", ok, detail, advice if ok else "reinstall pocketsphinx")


def _whisper() -> tuple[str, str]:
    """What the whisper engine has here, and the one step that would make it usable
    (nothing is required: pocketsphinx transcribes without it)."""
    import importlib.util

    from viva.speech.models import INSTALL_WHISPER, env_model, fetched_models, setup_model

    if importlib.util.find_spec("faster_whisper") is None:
        return (
            "whisper engine not installed",
            f"for more accurate transcripts: {INSTALL_WHISPER}, then viva speech setup",
        )
    chosen = env_model()
    if chosen is not None:
        return f"whisper engine installed, model {chosen} (VIVA_WHISPER_MODEL)", ""
    chosen = setup_model()
    if chosen is not None:
        return f"whisper engine installed, model {chosen}", ""
    fetched = fetched_models()
    if fetched:
        names = ", ".join(p.name for p in fetched)
        return f"whisper engine installed, models {names}", "pick one: VIVA_WHISPER_MODEL=DIR"
    return "whisper engine installed, no model", "fetch the whisper model once: viva speech setup"


def run_checks(store_path: Path | None = None) -> list[Check]:
    return [
        Check("viva", True, __version__),
        _python(),
        *_weasyprint(),
        _fonts(),
        _catalog(),
        _audio_input(),
        _transcriber(),
        _store(store_path or default_store_path()),
    ]
