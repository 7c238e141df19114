"""``viva speech setup``: one fetch of the whisper model, refused cleanly without a network,
and the whisper engine, ``viva transcribe`` and ``viva doctor`` finding what it fetched.

The fetches run the real ``viva`` process (huggingface_hub reads ``HF_ENDPOINT`` and
``HF_HUB_OFFLINE`` when it is imported) against a closed port, offline mode, or a
small Hub on 127.0.0.1 that serves a few files in the Hub's own protocol.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import Runner, env_with, viva_exe

REPO = "Systran/faster-whisper-base.en"
SHA = "5" * 40
FILES = {
    "config.json": b'{"alignment_heads": []}',
    "model.bin": bytes(range(256)) * 1200,  # 300 KiB, so the download takes a few reads
    "tokenizer.json": b"{}",
    "vocabulary.txt": b"a\nb\n",
    "preprocessor_config.json": b"{}",
    "README.md": b"not part of a model",
}
ADVICE = "copy a model folder and pass --model DIR or set VIVA_WHISPER_MODEL"


@pytest.fixture
def faster_whisper() -> None:
    """faster-whisper is in the test extras: under CI its absence fails, elsewhere it skips."""
    if os.environ.get("CI"):
        import faster_whisper  # noqa: F401
    else:
        pytest.importorskip("faster_whisper", reason="pip install -e '.[test]'")


def _setup(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``viva speech setup ARGS`` as its own process, the Hub's cache kept under
    ``$VIVA_HOME`` (the ``viva_home`` fixture has set it for this test)."""
    home = Path(os.environ["VIVA_HOME"])
    return subprocess.run(
        [viva_exe(), "speech", "setup", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env_with(**{"HF_HOME": str(home / "hf"), "HF_HUB_OFFLINE": "0", **env}),
    )


def _models(home: Path) -> list[str]:
    root = home / "models"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _fake_model(folder: Path, weights: bytes = b"not a CTranslate2 model") -> Path:
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(weights)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_text("{}")
    return folder


def _silence(path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setparams((1, 2, 16000, 16000, "NONE", "not compressed"))
        w.writeframes(b"\0\0" * 16000)
    return path


# --- a small Hub on the loopback ---------------------------------------------------


@dataclass
class FakeHub:
    """Serves ``FILES`` as the repository's files; ``break_model`` sends the first
    KiB of model.bin and hangs up; ``stall`` holds model.bin until ``release`` is set."""

    port: int = 0
    requests: list[str] = field(default_factory=list)
    break_model: bool = False
    stall: bool = False
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def downloads(self) -> list[str]:
        return [r for r in self.requests if r.startswith("GET") and "/resolve/" in r]


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            hub.requests.append(f"{self.command} {self.path}")

        def do_GET(self) -> None:
            self._answer(head=False)

        def do_HEAD(self) -> None:
            self._answer(head=True)

        def _answer(self, head: bool) -> None:
            path = self.path.split("?")[0]
            if path == f"/api/models/{REPO}/revision/main":
                siblings = [{"rfilename": name} for name in FILES]
                self._send(json.dumps({"id": REPO, "sha": SHA, "siblings": siblings}).encode())
            elif path == f"/api/models/{REPO}/tree/{SHA}":
                tree = [
                    {"type": "file", "path": n, "size": len(b), "oid": hashlib.sha1(b).hexdigest()}
                    for n, b in FILES.items()
                ]
                self._send(json.dumps(tree).encode())
            elif path.startswith(f"/{REPO}/resolve/{SHA}/") and path.rsplit("/", 1)[1] in FILES:
                self._file(path.rsplit("/", 1)[1], head)
            else:
                self.send_error(404)

        def _file(self, name: str, head: bool) -> None:
            body = FILES[name]
            headers = {"X-Repo-Commit": SHA, "ETag": f'"{hashlib.sha1(body).hexdigest()}"'}
            cut = name == "model.bin" and not head and (hub.break_model or hub.stall)
            self._send(b"" if head else body[: 1024 if cut else None], headers, len(body))
            if cut:
                self.close_connection = True
                if hub.stall and not hub.stalled.is_set():
                    hub.stalled.set()
                    hub.release.wait(30)

        def _send(self, body: bytes, headers: dict[str, str] | None = None, size: int = -1) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(size if size >= 0 else len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

    return Handler


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    fake = FakeHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- refusals -----------------------------------------------------------------------


def test_without_faster_whisper_setup_and_the_engine_say_what_to_install(
    run: Runner, viva_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import faster_whisper fails
    result = run("speech", "setup")
    assert result.code == 1
    assert result.err == (
        "error: the whisper engine needs faster-whisper: pip install 'viva-defense[whisper]', "
        "then run `viva speech setup` again\n"
    )
    assert _models(viva_home) == []
    engine = run("transcribe", str(_silence(tmp_path / "a.wav")), "--engine", "whisper")
    assert engine.code == 1
    assert "pip install 'viva-defense[whisper]'" in engine.err and "Traceback" not in engine.err


@pytest.mark.usefixtures("faster_whisper")
@pytest.mark.parametrize(
    ("env", "why"),
    [
        ({"HF_ENDPOINT": "closed"}, "no network connection to 127.0.0.1:{port} ("),
        (
            {"HF_HUB_OFFLINE": "1"},
            "no network connection to huggingface.co (HF_HUB_OFFLINE is set)",
        ),
    ],
    ids=["closed-port", "offline-mode"],
)
def test_no_network_is_one_message_and_leaves_nothing(
    viva_home: Path, env: dict[str, str], why: str
) -> None:
    port = _closed_port()
    env = {k: (f"http://127.0.0.1:{port}" if v == "closed" else v) for k, v in env.items()}
    result = _setup(**env)
    assert result.returncode == 1, result.stderr
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"error: cannot fetch the whisper model {REPO}: ")
    assert why.format(port=port) in error and error.endswith(ADVICE)
    assert "Traceback" not in result.stderr
    assert _models(viva_home) == []


@pytest.mark.usefixtures("faster_whisper")
def test_an_unknown_size_is_a_usage_error(run: Runner) -> None:
    result = run("speech", "setup", "--size", "huge")
    assert result.code == 2
    assert "unknown whisper model size 'huge'; known: tiny.en, tiny, base.en" in result.err


@pytest.mark.usefixtures("faster_whisper")
def test_a_second_setup_while_one_is_fetching_is_refused(run: Runner, viva_home: Path) -> None:
    import fcntl

    root = viva_home / "models"
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running fetch holds it
        result = run("speech", "setup")
    finally:
        os.close(fd)
    assert result.code == 1
    assert f"another `viva speech setup` is fetching into {root}: let it finish" in result.err
    assert _models(viva_home) == []


# --- already there ------------------------------------------------------------------


@pytest.mark.usefixtures("faster_whisper")
def test_a_model_already_there_is_reported_and_not_fetched_again(
    run: Runner, viva_home: Path, hub: FakeHub
) -> None:
    folder = _fake_model(viva_home / "models" / "faster-whisper-base.en")
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = run("speech", "setup")
    assert result.code == 0, result.err
    assert f"the whisper model base.en is already in {folder}: nothing to fetch" in result.err
    again = _setup(HF_ENDPOINT=hub.endpoint)  # a process that would reach the Hub
    assert again.returncode == 0 and "already in" in again.stderr
    assert hub.requests == []
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


@pytest.mark.usefixtures("faster_whisper")
def test_force_without_a_network_keeps_the_model_there(viva_home: Path) -> None:
    folder = _fake_model(viva_home / "models" / "faster-whisper-base.en", b"weights")
    result = _setup("--force", HF_HUB_OFFLINE="1")
    assert result.returncode == 1 and "HF_HUB_OFFLINE is set" in result.stderr
    assert (folder / "model.bin").read_bytes() == b"weights"
    assert _models(viva_home) == ["faster-whisper-base.en"]


# --- fetching -----------------------------------------------------------------------


@pytest.mark.usefixtures("faster_whisper")
def test_setup_fetches_the_model_files_once_with_progress(viva_home: Path, hub: FakeHub) -> None:
    stale = _fake_model(viva_home / "models" / ".faster-whisper-base.en.partial")  # a kill -9
    result = _setup(HF_ENDPOINT=hub.endpoint)
    assert result.returncode == 0, result.stderr
    folder = viva_home / "models" / "faster-whisper-base.en"
    assert f"fetching {REPO} (about 145 MB) into {folder}" in result.stderr
    assert "100%" in result.stderr  # the Hub's progress bar
    assert f"the whisper model base.en is ready in {folder}" in result.stderr
    assert _models(viva_home) == ["faster-whisper-base.en"]  # the stale partial is gone
    assert not stale.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(set(FILES) - {"README.md"})
    assert (folder / "model.bin").read_bytes() == FILES["model.bin"]
    fetched = len(hub.downloads())
    assert fetched == 5

    again = _setup(HF_ENDPOINT=hub.endpoint)
    assert again.returncode == 0 and "already in" in again.stderr
    assert len(hub.downloads()) == fetched
    forced = _setup("--force", HF_ENDPOINT=hub.endpoint)
    assert forced.returncode == 0, forced.stderr
    assert len(hub.downloads()) == 2 * fetched
    assert _models(viva_home) == ["faster-whisper-base.en"]


@pytest.mark.usefixtures("faster_whisper")
def test_a_download_broken_off_keeps_nothing_half_fetched(viva_home: Path, hub: FakeHub) -> None:
    hub.break_model = True
    result = _setup("--size", "base.en", HF_ENDPOINT=hub.endpoint)
    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"error: cannot fetch the whisper model {REPO}: the download from ")
    assert "broke off (" in error and error.endswith("; run `viva speech setup` again")
    assert "Traceback" not in result.stderr
    assert _models(viva_home) == []


@pytest.mark.usefixtures("faster_whisper")
def test_ctrl_c_during_the_fetch_keeps_nothing(viva_home: Path, hub: FakeHub) -> None:
    hub.stall = True
    child = subprocess.Popen(
        [viva_exe(), "speech", "setup"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_with(HF_HOME=str(viva_home / "hf"), HF_HUB_OFFLINE="0", HF_ENDPOINT=hub.endpoint),
    )
    try:
        assert hub.stalled.wait(60), "the fetch never reached model.bin"
        assert _models(viva_home) == [".faster-whisper-base.en.partial"]
        child.send_signal(signal.SIGINT)
        time.sleep(0.2)
        hub.release.set()
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 130, err
    assert "Traceback" not in err
    assert _models(viva_home) == []


# --- what the engine and doctor use --------------------------------------------------


def test_the_engine_uses_the_setup_model_unless_told_otherwise(
    viva_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from viva.speech.engines import EngineUnavailable, whisper_model_folder

    monkeypatch.delenv("VIVA_WHISPER_MODEL", raising=False)
    models = viva_home / "models"
    with pytest.raises(EngineUnavailable, match="run `viva speech setup` once"):
        whisper_model_folder()
    _fake_model(models / ".faster-whisper-base.en.partial")  # a fetch under way is no model
    with pytest.raises(EngineUnavailable, match="viva speech setup"):
        whisper_model_folder()
    small = _fake_model(models / "faster-whisper-small.en")
    assert whisper_model_folder() == small  # the only one fetched
    _fake_model(models / "faster-whisper-tiny")
    with pytest.raises(EngineUnavailable, match=r"several models .*faster-whisper-small\.en"):
        whisper_model_folder()
    base = _fake_model(models / "faster-whisper-base.en")
    assert whisper_model_folder() == base  # the default size wins
    mine = tmp_path / "mine"
    monkeypatch.setenv("VIVA_WHISPER_MODEL", str(mine))
    assert whisper_model_folder() == mine
    assert whisper_model_folder(small) == small  # --model wins over everything


@pytest.mark.usefixtures("faster_whisper")
def test_transcribe_with_whisper_loads_the_setup_model(
    run: Runner, viva_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VIVA_WHISPER_MODEL", raising=False)
    clip = str(_silence(tmp_path / "answer.wav"))
    none = run("transcribe", clip, "--engine", "whisper")
    assert none.code == 1 and "run `viva speech setup` once" in none.err
    folder = _fake_model(viva_home / "models" / "faster-whisper-base.en")
    result = run("transcribe", clip, "--engine", "whisper")
    assert result.code == 1
    assert result.err.startswith(f"error: {folder}: faster-whisper cannot load this model (")
    assert "Traceback" not in result.err


def test_doctor_names_the_setup_model_or_advises_setup(
    run: Runner, viva_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.delenv("VIVA_WHISPER_MODEL", raising=False)
    installed = importlib.util.find_spec("faster_whisper") is not None
    before = run("doctor").out
    assert "viva speech setup" in before
    if not installed:
        assert "whisper engine not installed" in before
        return
    assert "whisper engine installed, no model" in before
    folder = _fake_model(viva_home / "models" / "faster-whisper-base.en")
    after = run("doctor").out
    assert f"whisper engine installed, model {folder}" in after
    assert "viva speech setup" not in after
