"""How fast Ctrl-C stops ``viva packet --all-tracks``, against how fast the same
command starts, measured in the same run.

For one and for two presses of Ctrl-C, after the first packet is written: the
seconds from the key to the process's exit, the orphaned workers left, and the
temporary files left. The reference is the time ``viva packet --help`` takes to
start and exit on this machine, so the ratio says how many start-ups a stop
costs. Goal: the stop within 2 s, no orphan, no temporary file.

    .venv/bin/python benchmarks/interrupt.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emit

VIVA = str(Path(sys.executable).with_name("viva"))
GOAL_SECONDS = 2.0


def _children(pid: int) -> int:
    out = subprocess.run(["ps", "-eo", "ppid"], capture_output=True, text=True).stdout
    return sum(1 for line in out.split() if line == str(pid))


def stop_once(presses: int) -> tuple[float, int, int]:
    out = Path(tempfile.mkdtemp(prefix="viva-interrupt-"))
    env = {**os.environ, "VIVA_HOME": tempfile.mkdtemp(prefix="viva-home-")}
    child = pexpect.spawn(VIVA, ["packet", "--all-tracks", "--out-dir", str(out)], env=env)
    while not any(p.suffix == ".pdf" for p in out.iterdir()):
        child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.05)
    pid = child.pid
    start = time.perf_counter()
    for _ in range(presses):
        child.sendintr()
    child.expect(pexpect.EOF, timeout=60)
    seconds = time.perf_counter() - start
    child.close()
    parts = sum(1 for p in out.iterdir() if p.name.endswith(".part"))
    return seconds, _children(pid), parts


def start_up() -> float:
    start = time.perf_counter()
    subprocess.run([VIVA, "packet", "--help"], capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reference = statistics.median(start_up() for _ in range(5))
    rows: list[tuple[str, str, str, bool | None]] = []
    ok_all = True
    print(f"reference: viva packet --help starts and exits in {reference:.3f} s (median of 5)")
    for presses in (1, 2):
        runs = [stop_once(presses) for _ in range(args.runs)]
        worst = max(r[0] for r in runs)
        orphans = sum(r[1] for r in runs)
        parts = sum(r[2] for r in runs)
        ok = worst <= GOAL_SECONDS and orphans == 0 and parts == 0
        ok_all &= ok
        print(
            f"{presses} Ctrl-C: stopped in {worst:.2f} s at worst of {args.runs} "
            f"({worst / reference:.1f}x a start-up), {orphans} orphans, {parts} temporary files "
            f"[{'pass' if ok else 'FAIL'}: <= {GOAL_SECONDS} s, none left]"
        )
        rows.append(
            (f"packet batch: stop after {presses} Ctrl-C (worst)", f"{worst:.2f} s", "<= 2 s", ok)
        )
    emit("interrupt.py", rows)
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
