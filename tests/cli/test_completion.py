"""Shell completion: typer's scripts for bash, zsh and fish, and the names viva
completes (tracks, sessions, categories, scopes), asked of the installed
``viva`` the way each shell's script asks it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Runner, env_with, viva_exe
from tests.helpers import start_live
from viva.store.database import open_store


def complete(shell: str, line: str) -> list[str]:
    """What the shell's completion script would offer for ``line`` (the cursor at
    its end): the values, without zsh's and fish's descriptions."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    env = {"_VIVA_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run(
        [viva_exe()], env=env_with(**env), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    if shell == "zsh":  # `_arguments '*: :(("value":"help" ...))'` or plain lines
        return [part.split('"')[1] for part in done.stdout.split("\n") if part.count('"') >= 2]
    if shell == "fish":
        return [ln.split(",", 1)[-1].split("\t")[0] for ln in lines]
    return lines


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_script_is_shown(shell: str) -> None:
    done = subprocess.run(
        [viva_exe(), "--show-completion", shell],
        # without it typer detects the shell it runs in and takes no value
        env=env_with(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_VIVA_COMPLETE" in done.stdout
    assert f"complete_{shell}" in done.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_track_ids_complete(shell: str) -> None:
    offered = complete(shell, "viva show java/")
    assert offered == ["java/raft-kv", "java/service-mesh", "java/streaming-pipeline"]


def test_a_unique_track_slug_completes_as_itself() -> None:
    assert complete("bash", "viva plan match") == ["matching-engine"]
    # raft-kv is in two paths: only the full ids are offered
    assert complete("bash", "viva rehearse raft") == []
    assert complete("bash", "viva packet --track go/ra") == ["go/raft-kv"]


def test_commands_complete() -> None:
    assert complete("bash", "viva re") == ["rehearse", "review", "resume", "report", "restore"]


def test_categories_complete() -> None:
    assert complete("bash", "viva drill go/raft-kv --category s") == ["security"]
    assert len(complete("bash", "viva drill --category ")) == 8


def test_scopes_of_the_track_on_the_line_complete() -> None:
    offered = complete("bash", "viva plan container-internals/runtime-fork --scope runc-")
    assert sorted(offered) == ["runc-autoseccomp", "runc-cap", "runc-trace"]
    assert complete("bash", "viva plan go/raft-kv --scope n") == ["none"]
    assert complete("bash", "viva plan no-such-track --scope ") == ["none"]


def test_session_ids_complete_newest_first(viva_home: Path, run: Runner) -> None:
    assert complete("bash", "viva report ") == []  # no store yet: none made
    assert not (viva_home / "viva.db").exists()
    with open_store() as store:
        first = start_live(store, seed=1).id
        second = start_live(store, seed=2).id
    offered = complete("bash", "viva report ")
    assert set(offered) == {first, second}
    assert complete("bash", f"viva resume {second}") == [second]
    described = subprocess.run(
        [viva_exe()],
        env=env_with(_VIVA_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="viva play "),
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "go/raft-kv active" in described


def test_review_completes_tracks_and_its_subcommands() -> None:
    assert complete("bash", "viva review go/r") == ["go/raft-kv"]
    offered = complete("bash", "viva review ")
    assert offered[:2] == ["export", "import"] and "go/raft-kv" in offered
    assert "run" not in offered  # the default command is not a word to type
    assert complete("bash", "viva review go/raft-kv --cand") == ["--candidate"]
