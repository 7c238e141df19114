"""Every command's help: at least one example, and example and usage blocks
rendered line for line as written (click's ``\\b`` paragraphs)."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import typer

from tests.conftest import Runner
from viva.cli.app import COMMANDS, app


def _command_paths() -> list[tuple[str, ...]]:
    """Every runnable command, subcommands of groups included."""
    root: Any = typer.main.get_command(app)
    ctx = typer.Context(root)
    paths: list[tuple[str, ...]] = []
    for name in COMMANDS:
        cmd = root.get_command(ctx, name)
        subs = getattr(cmd, "commands", None)
        if subs:
            # a hidden subcommand is a group's default (`viva review TRACK`): its
            # examples are written without its name
            paths += [(name, sub) if not c.hidden else (name,) for sub, c in subs.items()]
            if getattr(cmd, "invoke_without_command", False):
                paths.append((name,))  # `viva sessions` lists, `viva sessions delete` deletes
        else:
            paths.append((name,))
    return paths


PATHS = _command_paths()


def test_every_command_group_is_walked() -> None:
    assert ("export", "anki") in PATHS and ("bank", "lint") in PATHS
    assert ("tracks",) in PATHS and len(PATHS) > len(COMMANDS)


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_help_has_an_example_that_runs_this_command(run: Runner, path: tuple[str, ...]) -> None:
    result = run(*_with_default(path), "--help")
    assert result.code == 0, result.err
    _, _, examples = result.out.partition("Examples:\n")
    assert examples, f"`viva {' '.join(path)} --help` has no Examples section"
    block = examples.lstrip("\n").split("\n\n")[0].splitlines()
    prefix = "viva " + " ".join(path)
    # one example per line, each a whole command: a \b block is never reflowed
    assert block and all(ln.strip().startswith(prefix) for ln in block), block
    assert all(ln.count("viva ") == 1 for ln in block), block
    for line in block:
        _parses(line.strip())


def _with_default(path: tuple[str, ...]) -> tuple[str, ...]:
    """The full command path: a group's hidden default command named."""
    root: Any = typer.main.get_command(app)
    cmd = root.get_command(typer.Context(root), path[0])
    subs = getattr(cmd, "commands", None) or {}
    hidden = [name for name, c in subs.items() if c.hidden]
    return (*path, *hidden) if len(path) == 1 and hidden else path


def _parses(example: str) -> None:
    """The example's options and arguments are ones the command takes (parsed as
    click would parse them when run; the shell's redirections left out)."""
    words = shlex.split(re.split(r"\s(?:\||2?>)", example)[0])[1:]
    root: Any = typer.main.get_command(app)
    ctx = root.make_context("viva", list(words), resilient_parsing=False)
    rest = [*ctx._protected_args, *ctx.args]
    cmd: Any = root
    while rest and getattr(cmd, "commands", None) is not None:
        name, cmd, rest = cmd.resolve_command(ctx, rest)
        ctx = cmd.make_context(name, list(rest), parent=ctx)
        rest = [*ctx._protected_args, *ctx.args] if getattr(cmd, "commands", None) else []


def test_packet_usage_forms_are_three_lines(run: Runner) -> None:
    out = run("packet", "--help").out
    usage = r"\s+viva packet (SESSION|--track|--all-tracks)"
    forms = [ln.strip() for ln in out.splitlines() if re.match(usage, ln)]
    assert forms[:3] == [
        "viva packet SESSION [--kind reviewer|candidate]   a recorded rehearsal",
        "viva packet --track TRACK [--candidate NAME]      a blank reviewer packet for a live "
        "defense",
        "viva packet --all-tracks --out-dir DIR            one blank packet per track, on all "
        "cores",
    ]
