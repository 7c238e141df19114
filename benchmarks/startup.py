"""Start-up time of ``viva --help`` and ``viva tracks`` against ``import typer``.

Prints the median wall time of each command over N runs and its ratio to
``python -c "import typer"`` measured in the same run. Goals: ``--help``
<= 1.25x and ``tracks`` <= 1.5x (piped, as a script runs it). Also printed,
without a goal: ``tracks`` on a pseudo-terminal (a rich table) and ``plan``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import emit

RUNS = int(os.environ.get("VIVA_BENCH_RUNS", "21"))
PY = sys.executable
VIVA = [PY, "-m", "viva"] if "--module" in sys.argv else [str(Path(PY).with_name("viva"))]


def median_seconds(argv: list[str], env: dict[str, str], tty: bool = False) -> float:
    """Median wall time; with ``tty`` the command writes to a pseudo-terminal,
    as it does when a person runs it (rich tables and colours)."""
    samples = []
    for _ in range(RUNS):
        if not tty:
            t0 = time.perf_counter()
            subprocess.run(
                argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
            )
            samples.append(time.perf_counter() - t0)
            continue
        master, slave = os.openpty()
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=slave, stderr=slave, env=env)
        os.close(slave)
        while True:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:  # EIO once the child has closed the terminal
                break
        proc.wait()
        samples.append(time.perf_counter() - t0)
        os.close(master)
    return statistics.median(samples)


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, VIVA_HOME=home, COLUMNS="100")
        subprocess.run(
            [*VIVA, "tracks"], env=env, stdout=subprocess.DEVNULL, check=True
        )  # warm cache
        reference = median_seconds([PY, "-c", "import typer"], env)
        rows: list[tuple[str, float, float | None]] = [
            ("viva --help", median_seconds([*VIVA, "--help"], env), 1.25),
            ("viva tracks", median_seconds([*VIVA, "tracks"], env), 1.5),
            # For information: on a terminal the table is drawn with rich, whose
            # import alone costs about half of `import typer`.
            ("viva tracks (terminal)", median_seconds([*VIVA, "tracks"], env, tty=True), None),
            (
                "viva plan (no goal)",
                median_seconds([*VIVA, "plan", "go/raft-kv", "--seed", "1", "--json"], env),
                None,
            ),
        ]
    print(f"reference: python -c 'import typer'  median {reference * 1000:.1f} ms ({RUNS} runs)")
    print(f"{'metric':<24} {'median ms':>10} {'ratio':>7} {'goal':>6}  result")
    failed = False
    table: list[tuple[str, str, str, bool | None]] = []
    for name, seconds, goal in rows:
        ratio = seconds / reference
        ok = None if goal is None else ratio <= goal
        failed |= ok is False
        verdict = "-" if ok is None else ("pass" if ok else "FAIL")
        print(
            f"{name:<24} {seconds * 1000:>10.1f} {ratio:>7.2f} "
            f"{'-' if goal is None else f'{goal:.2f}':>6}  {verdict}"
        )
        table.append(
            (
                f"start-up: {name}",
                f"{ratio:.2f}x import typer ({seconds * 1000:.0f} ms)",
                "-" if goal is None else f"<= {goal}x",
                ok,
            )
        )
    emit("startup", table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
