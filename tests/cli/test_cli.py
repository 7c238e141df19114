"""Command-line behaviour every user meets: help, version, exit statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.conftest import Runner
from viva import __version__
from viva.cli.app import COMMANDS, app


def _walk(cmd: Any, ctx: Any, path: tuple[str, ...], out: list[tuple[str, ...]]) -> None:
    out.append(path)
    if hasattr(cmd, "list_commands"):
        for name in cmd.list_commands(ctx):
            _walk(cmd.get_command(ctx, name), ctx, (*path, name), out)


def _commands() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, ...]] = []
    with root.make_context("viva", ["--help"], resilient_parsing=True) as ctx:
        _walk(root, ctx, (), out)
    return out


def _resolve(path: tuple[str, ...]) -> Any:
    cmd: Any = typer.main.get_command(app)
    with cmd.make_context("viva", ["--help"], resilient_parsing=True) as ctx:
        for name in path:
            cmd = cmd.get_command(ctx, name)
    return cmd


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "viva")
def test_every_command_has_help_text(run: Runner, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.code == 0
    assert "Usage:" in result.out
    assert (_resolve(path).help or "").strip(), f"{' '.join(path)} has no help text"


def test_every_module_command_is_listed_and_the_listing_is_true() -> None:
    """`viva --help` lists commands from a table; each entry must exist and
    every command a module registers must be in the table."""
    import importlib

    for name, (_module, short) in COMMANDS.items():
        cmd = _resolve((name,))
        assert cmd is not None, name
        assert short.endswith(".") and len(short) <= 70
    modules = {m for m, _ in COMMANDS.values()}
    for module in modules:
        sub = typer.Typer()
        importlib.import_module(f"viva.cli.{module}").register(sub)
        built = typer.main.get_command(sub)
        names = set(getattr(built, "commands", {}) or {built.name})
        assert names <= set(COMMANDS), names - set(COMMANDS)


def test_version(run: Runner) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"viva {__version__}"


def test_usage_errors_exit_2(run: Runner) -> None:
    assert run("tracks", "--no-such-flag").code == 2
    assert run("no-such-command").code == 2
    assert run("show").code == 2


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "viva", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"viva {__version__}"


def test_home_option_overrides_the_environment(run: Runner, tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"
    (home / "catalog").mkdir(parents=True)
    (home / "catalog" / "broken.yaml").write_text("id: [", encoding="utf-8")
    result = run("--home", str(home), "tracks", "--json")
    assert result.code == 1
    assert f"{home}/catalog/broken.yaml:1: yaml:" in result.err
    assert run("tracks", "--json").code == 0
