"""`viva bank lint` on files that are not what they say: a FIFO, a link to an
endless device, a number with thousands of digits; and a damaged cache file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import Runner
from viva.catalog.index import read_cache


def test_a_fifo_is_refused_at_once_not_read_forever(run: Runner, tmp_path: Path) -> None:
    fifo = tmp_path / "bank.yaml"
    os.mkfifo(fifo)
    result = run("bank", "lint", str(fifo))
    assert result.code == 1
    assert f"{fifo}:1: (file): not a regular file" in result.out


def test_a_link_to_dev_zero_is_refused_without_reading_it(run: Runner, tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    result = run("bank", "lint", str(link))
    assert result.code == 1 and "Traceback" not in result.err
    assert "not a regular file" in result.out


def test_a_number_of_five_thousand_digits_is_one_located_error(run: Runner, tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text("track: go/raft-kv\nquestions:\n  - minutes: " + "9" * 5000 + "\n")
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    assert f"{bank}:3: questions[0].minutes: a number of 5,000 digits" in result.out
    assert "set_int_max_str_digits" not in result.out + result.err


def test_a_damaged_cache_is_read_as_a_miss(
    run: Runner, viva_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"  # this test's own: other tests share the usual one
    monkeypatch.setenv("VIVA_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr("viva.catalog.loader._memo", {})  # load here, not from memory
    assert run("plan", "go/raft-kv", "--seed", "1", "--json").code == 0  # writes the caches
    damaged = 0
    for cache in cache_dir.glob("*.json"):
        data = json.loads(cache.read_text(encoding="utf-8"))
        data.pop("paths", None)
        data.pop("index", None)
        cache.write_text(json.dumps(data), encoding="utf-8")
        damaged += 1
    assert damaged
    monkeypatch.setattr("viva.catalog.loader._memo", {})  # read the files, not the memo
    for args in (("plan", "go/raft-kv", "--seed", "1", "--json"), ("tracks",)):
        result = run(*args)
        assert result.code == 0, result.err
    assert read_cache(["no such fingerprint"]) is None


def test_thousands_of_problems_in_one_file_are_counted_not_all_listed(
    run: Runner, tmp_path: Path
) -> None:
    bank = tmp_path / "many.yaml"
    rows = "".join(f"  - id: q{i:05d}\n    bogus{i}: 1\n" for i in range(2000))
    bank.write_text("track: go/raft-kv\nquestions:\n" + rows)
    result = run("bank", "lint", str(bank))
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 51
    assert lines[-1].startswith(f"{bank}: ") and "more problems not shown" in lines[-1]


def test_nothing_in_a_data_folder_is_skipped_silently(run: Runner, viva_home: Path) -> None:
    banks = viva_home / "question_banks"
    banks.mkdir()
    os.mkfifo(banks / "fifo.yaml")
    (banks / "folder.yaml").mkdir()
    (banks / "dangling.yaml").symlink_to(banks / "gone.yaml")
    result = run("plan", "go/raft-kv", "--seed", "1", "--json")
    assert result.code == 0, result.err
    assert f"warning: {banks / 'fifo.yaml'}: skipped: not a regular file" in result.err
    assert f"warning: {banks / 'folder.yaml'}: skipped: not a regular file" in result.err
    assert f"warning: {banks / 'dangling.yaml'}: skipped: a link to nothing" in result.err
    assert result.err.count("warning:") == 3


def test_a_full_disk_while_writing_the_cache_leaves_no_partial_file(
    run: Runner, viva_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("VIVA_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr("viva.catalog.loader._memo", {})
    original_open = Path.open

    class Full:
        """A file whose writes fail the way a full disk makes them fail."""

        opened = 0

        def __init__(self, path: Path) -> None:
            self.path = path
            Full.opened += 1
            with original_open(path, "wb") as handle:  # a first block reached the disk
                handle.write(b'{"fingerprint": [')

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def open_(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if mode == "wb" and self.name.endswith(".part") and self.parent == cache_dir:
            return Full(self)
        return original_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_)
    result = run("plan", "go/raft-kv", "--seed", "1", "--json")
    assert result.code == 0, result.err  # a cache that cannot be written only costs speed
    assert Full.opened >= 1  # the cache write was tried, and failed
    assert list(cache_dir.glob("*.part")) == [] and list(cache_dir.glob(".*")) == []
