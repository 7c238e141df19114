"""Command-line behaviour every user meets: help, version, exit statuses."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from viva import __version__
from viva.cli.app import app


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    cmd = typer.main.get_command(group)
    out: list[tuple[str, ...]] = []

    def walk(c: object, path: tuple[str, ...]) -> None:
        out.append(path)
        for name, sub in getattr(c, "commands", {}).items():
            walk(sub, (*path, name))

    walk(cmd, prefix)
    return out


@pytest.mark.parametrize("path", _commands(app), ids=lambda p: " ".join(p) or "viva")
def test_every_command_has_help_text(run, path: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = run(*path, "--help")
    assert result.code == 0
    assert "Usage:" in result.out
    cmd = typer.main.get_command(app)
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"


def test_version(run) -> None:  # type: ignore[no-untyped-def]
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"viva {__version__}"


def test_usage_errors_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    assert run("tracks", "--no-such-flag").code == 2
    assert run("no-such-command").code == 2
    assert run("show").code == 2


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "viva", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"viva {__version__}"


def test_home_option_overrides_the_environment(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "elsewhere"
    (home / "catalog").mkdir(parents=True)
    (home / "catalog" / "broken.yaml").write_text("id: [", encoding="utf-8")
    result = run("--home", str(home), "tracks", "--json")
    assert result.code == 1
    assert f"{home}/catalog/broken.yaml:1: yaml:" in result.err
    assert run("tracks", "--json").code == 0
