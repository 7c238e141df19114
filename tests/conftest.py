"""Shared fixtures: every test gets its own VIVA_HOME, never the real one."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One catalog cache for the whole run: its key covers every file, user ones too."""
    return tmp_path_factory.mktemp("viva-cache")


@pytest.fixture(autouse=True)
def viva_home(
    shared_cache: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("viva-home")
    monkeypatch.setenv("VIVA_HOME", str(home))
    monkeypatch.setenv("VIVA_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("COLUMNS", "100")
    from viva.locations import set_home_override

    set_home_override(None)
    return home


@dataclass
class Result:
    code: int
    out: str
    err: str


class Runner(Protocol):
    """The ``run`` fixture: ``run("plan", "go/raft-kv", "--json")``."""

    def __call__(self, *args: str) -> Result: ...


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Iterator[Runner]:
    """Run the real CLI entry point in-process; return exit code, stdout, stderr."""
    from viva.cli.app import main

    def _run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Result(code, out, err)

    yield _run


def viva_exe() -> str:
    """The installed console script next to this interpreter."""
    return str(Path(sys.executable).with_name("viva"))


def env_with(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def kill_9(child: Any) -> None:
    """SIGKILL a pexpect child and reap it. A process killed inside fsync dies only
    when the write returns, so wait for it instead of pexpect's short grace period."""
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.close(force=True)
