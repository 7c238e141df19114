"""Ctrl-C during `viva packet --all-tracks`: the workers stop (no orphan, no
traceback), the packets already written are listed, the unfinished ones leave
nothing behind, and the exit status is 130; a second Ctrl-C changes nothing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.conftest import viva_exe


def _workers_of(pid: int) -> list[str]:
    out = subprocess.run(
        ["ps", "-eo", "pid,ppid,cmd"], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines()[1:] if line.split()[1] == str(pid)]


@pytest.mark.slow
@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_stops_the_batch_and_leaves_only_whole_packets(
    viva_home: Path, tmp_path: Path, presses: int
) -> None:
    out = tmp_path / "packets"
    out.mkdir()
    child = pexpect.spawn(
        viva_exe(),
        ["packet", "--all-tracks", "--out-dir", str(out)],
        env=dict(os.environ),
        timeout=120,
        dimensions=(40, 200),
    )
    while not any(p.suffix == ".pdf" for p in out.iterdir()):  # one packet written
        child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.1)
        assert child.isalive(), "the batch ended before it could be interrupted"
    for _ in range(presses):
        child.sendintr()
    child.expect(rb"stopped: (\d+) packets written", timeout=30)
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    text = (child.before or b"").decode("utf-8", "replace")
    assert child.exitstatus == 130
    assert "Traceback" not in text and "SystemExit" not in text
    listed = sorted(line.strip() for line in text.splitlines() if line.strip().startswith(str(out)))
    files = sorted(str(p) for p in out.iterdir())
    assert files and listed == files  # whole packets only, each listed
    assert all(p.stat().st_size > 10_000 for p in out.iterdir())
    assert _workers_of(child.pid) == []
