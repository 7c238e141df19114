"""``make bench``: run every benchmark script and print one table.

Each script measures against a reference in the same run and reports rows
(metric, measured ratio or figure, goal, pass/fail); this collects them.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "startup.py",
    "rehearsal.py",
    "packet.py",
    "drill.py",
    "keypoints.py",
    "interrupt.py",
    "speech.py",
]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.jsonl"
        out.touch()
        failed_scripts = []
        for script in SCRIPTS:
            print(f"== {script}", flush=True)
            proc = subprocess.run(
                [sys.executable, str(HERE / script)],
                env=dict(os.environ, VIVA_BENCH_OUT=str(out)),
                check=False,
            )
            if proc.returncode not in (0, 1):
                failed_scripts.append(script)
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    print()
    print(f"machine: {machine()}")
    widths = [
        max([len(h)] + [len(str(r[k])) for r in rows])
        for h, k in (("metric", "metric"), ("measured", "figure"), ("goal", "goal"))
    ]
    print(
        f"| {'metric':<{widths[0]}} | {'measured':<{widths[1]}} | {'goal':<{widths[2]}} | result |"
    )
    print(f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 2)}|{'-' * (widths[2] + 2)}|--------|")
    failed = bool(failed_scripts)
    for r in rows:
        result = "-" if r["ok"] is None else ("pass" if r["ok"] else "FAIL")
        failed |= r["ok"] is False
        print(
            f"| {r['metric']:<{widths[0]}} | {r['figure']:<{widths[1]}} | "
            f"{r['goal']:<{widths[2]}} | {result:<6} |"
        )
    for script in failed_scripts:
        print(f"| {script} crashed | - | - | FAIL |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
