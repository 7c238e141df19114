"""What ``-o`` does to what is already there: only regular files are replaced.

A device, FIFO, socket or folder is refused before anything is written (exit 1,
one message); a symbolic link is written through, so the link stays and the
file it points to is replaced; a packet's ``--out-dir`` follows the same rule.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from tests.conftest import Runner
from viva.errors import VivaError
from viva.files import output_target, write_text
from viva.store.database import open_store

TRACK = "go/raft-kv"

# Each command family that writes a file, with its output option last.
WRITERS = [
    ("packet", "--track", TRACK, "--seed", "1", "--html", "-o"),
    ("export", "markdown", TRACK, "-o"),
    ("export", "json", TRACK, "-o"),
    ("export", "anki", TRACK, "-o"),
]


def _one_error(result_err: str, says: str) -> None:
    assert result_err.count("error:") == 1 and "Traceback" not in result_err
    assert says in result_err


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_a_fifo_is_refused_and_left_a_fifo(
    run: Runner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    fifo = tmp_path / ("out.apkg" if "anki" in command else "out")
    os.mkfifo(fifo)
    result = run(*command, str(fifo))
    assert result.code == 1
    _one_error(result.err, f"cannot write {fifo}: it is a FIFO, not a file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == [fifo.name]  # no temporary file left


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_a_link_to_a_device_is_refused_and_the_device_kept(
    run: Runner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    link = tmp_path / ("null.apkg" if "anki" in command else "null")
    link.symlink_to("/dev/null")
    result = run(*command, str(link))
    assert result.code == 1
    _one_error(result.err, "it links to a character device, not a file")
    assert link.is_symlink() and stat.S_ISCHR(Path("/dev/null").stat().st_mode)


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_a_symbolic_link_is_written_through(
    run: Runner, tmp_path: Path, command: tuple[str, ...]
) -> None:
    name = "real.apkg" if "anki" in command else "real.out"
    real = tmp_path / "data" / name
    real.parent.mkdir()
    real.write_text("old content")
    link = tmp_path / f"link-{name}"
    link.symlink_to(real)
    result = run(*command, str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() != b"old content" and real.stat().st_size > 100
    assert sorted(p.name for p in real.parent.iterdir()) == [name]


def test_a_dangling_link_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "new.md")
    write_text(link, "hello")
    assert link.is_symlink() and (tmp_path / "new.md").read_text() == "hello"


def test_a_socket_and_a_folder_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(VivaError, match="it is a folder, not a file"):
        write_text(folder, "x")
    assert folder.is_dir()
    sock_path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        with pytest.raises(VivaError, match="it is a socket, not a file"):
            output_target(sock_path)
    finally:
        server.close()


def test_an_existing_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("a much longer old content than the new one")
    write_text(target, "new")
    assert target.read_text() == "new"


def test_out_dir_follows_the_same_rule(run: Runner, tmp_path: Path) -> None:
    from viva.catalog.loader import load_catalog
    from viva.packet.job import default_name
    from viva.packet.options import PacketKind

    out = tmp_path / "packets"
    out.mkdir()
    first = next(iter(load_catalog().tracks))
    fifo = out / default_name(first, PacketKind.reviewer, True)
    os.mkfifo(fifo)
    result = run("packet", "--all-tracks", "--out-dir", str(out), "--html")
    assert result.code == 1
    said = "".join(result.err.split())  # the progress console wraps long lines
    assert "".join(f"cannot write {fifo}: it is a FIFO, not a file".split()) in said
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert "Traceback" not in result.err


def test_the_help_states_the_rule(run: Runner) -> None:
    for args in (("packet", "--help"), ("export", "markdown", "--help")):
        text = " ".join(run(*args).out.split())
        assert "a symbolic link is written through; a device, FIFO or folder is refused" in text


# Each writer with a file name of its format.
NAMED = [
    (*WRITERS[0], "packet.html"),
    ("packet", "--track", TRACK, "--seed", "1", "-o", "packet.pdf"),
    (*WRITERS[1], "questions.md"),
    (*WRITERS[2], "questions.json"),
    (*WRITERS[3], "deck.apkg"),
    ("backup", "-o", "store.db"),
]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
@pytest.mark.parametrize("command", NAMED, ids=lambda c: Path(c[-1]).suffix)
def test_every_output_honours_the_umask_and_creates_its_folders(
    run: Runner, tmp_path: Path, command: tuple[str, ...], umask: int
) -> None:
    if command[0] == "backup":  # a backup needs a store to copy
        open_store().close()
    target = tmp_path / "new" / "folders" / command[-1]
    old = os.umask(umask)
    try:
        result = run(*command[:-1], str(target))
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


def test_out_dir_is_created(run: Runner, tmp_path: Path) -> None:
    out = tmp_path / "packets" / "december"
    result = run("packet", "--all-tracks", "--html", "--seed", "3", "--out-dir", str(out))
    assert result.code == 0, result.err
    assert len(list(out.glob("viva-*-reviewer.html"))) == 24


def _bare_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIVA_", "XDG_"))}
    return {**env, "HOME": str(home), **extra}


def test_the_catalog_cache_lives_in_the_platform_cache_folder(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import viva_exe

    done = subprocess.run(
        [viva_exe(), "tracks"], env=_bare_env(tmp_path), capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / ".cache" / "viva").iterdir()) == [
        "catalog.json",
        "index.json",
    ]
    assert not (tmp_path / ".local" / "share" / "viva" / "cache").exists()
    # VIVA_HOME still holds everything: the cache goes with it
    home = tmp_path / "viva-home"
    env = _bare_env(tmp_path / "other", VIVA_HOME=str(home))
    assert subprocess.run([viva_exe(), "tracks"], env=env, capture_output=True).returncode == 0
    assert (home / "cache" / "catalog.json").is_file()
    assert not (tmp_path / "other").exists()
