"""Packet rendering speed: ``viva packet`` against bare WeasyPrint, the batch
against single commands, and where a packet's time goes.

Everything is measured in this one run, on this machine:

1. ``viva packet --track T -o X.pdf`` against ``python -m weasyprint X.html
   Y.pdf``, where X.html is what ``viva packet --html`` writes for the same
   track and seed: the median wall time of interleaved runs and the ratio
   (goal: at most 1.2).
2. ``viva packet --all-tracks --out-dir D`` against the 24 single-packet
   commands run one after another: wall times and the speed-up (goal: at
   least 1.6 on 2 cores; the workers are as many as the cores).
3. In one process, the 24 blank packets: pages per second and the split of
   time between data (catalog, agenda, context), Jinja, layout and PDF
   writing.

``VIVA_BENCH_RUNS`` sets the number of runs for (1) (default 7). Exits 1 when
a goal is missed.
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

RUNS = int(os.environ.get("VIVA_BENCH_RUNS", "7"))
PY = sys.executable
VIVA = [str(Path(PY).with_name("viva"))]
TRACK = "go/raft-kv"
SEED = "11"
SINGLE_GOAL = 1.2
BATCH_GOAL = 1.6


def wall(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def single_against_bare(env: dict[str, str], work: Path) -> float:
    html = work / "packet.html"
    subprocess.run(
        [*VIVA, "packet", "--track", TRACK, "--seed", SEED, "--html", "-o", str(html)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    viva_cmd = [*VIVA, "packet", "--track", TRACK, "--seed", SEED, "-o", str(work / "viva.pdf")]
    bare_cmd = [PY, "-m", "weasyprint", str(html), str(work / "bare.pdf")]
    wall(viva_cmd, env)  # warm the file cache and the catalog cache
    wall(bare_cmd, env)
    viva_s, bare_s = [], []
    for _ in range(RUNS):
        viva_s.append(wall(viva_cmd, env))
        bare_s.append(wall(bare_cmd, env))
    v, b = statistics.median(viva_s), statistics.median(bare_s)
    ratio = v / b
    print(f"1. one packet ({TRACK}, seed {SEED}), median of {RUNS} interleaved runs")
    print(f"   viva packet            {v * 1000:8.0f} ms")
    print(f"   python -m weasyprint   {b * 1000:8.0f} ms  (the same HTML)")
    print(
        f"   ratio {ratio:.2f}  goal <= {SINGLE_GOAL}  {'pass' if ratio <= SINGLE_GOAL else 'FAIL'}"
    )
    return ratio


def batch_against_sequential(env: dict[str, str], work: Path) -> float:
    from viva.catalog.loader import load_catalog
    from viva.packet.batch import available_cores

    tracks = list(load_catalog().tracks)
    out = work / "batch"
    out.mkdir()
    batch = wall([*VIVA, "packet", "--all-tracks", "--out-dir", str(out), "--seed", SEED], env)
    single = work / "single"
    single.mkdir()
    t0 = time.perf_counter()
    for track in tracks:
        target = single / f"{track.replace('/', '-')}.pdf"
        subprocess.run(
            [*VIVA, "packet", "--track", track, "--seed", SEED, "-o", str(target)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    sequential = time.perf_counter() - t0
    speedup = sequential / batch
    import pypdf

    pages = sum(len(pypdf.PdfReader(p).pages) for p in out.glob("*.pdf"))
    print(f"2. {len(tracks)} packets on {available_cores()} cores")
    print(f"   viva packet --all-tracks         {batch:7.2f} s  ({pages / batch:.1f} pages/s)")
    print(f"   {len(tracks)} single commands in a row    {sequential:7.2f} s")
    ok = speedup >= BATCH_GOAL
    print(f"   speed-up {speedup:.2f}x  goal >= {BATCH_GOAL}  {'pass' if ok else 'FAIL'}")
    return speedup


def split_in_process(work: Path) -> tuple[float, dict[str, float]]:
    from viva.catalog.loader import load_catalog
    from viva.packet.job import BlankJob, run_job

    tracks = list(load_catalog().tracks)
    run_job(BlankJob(TRACK, work / "warm.pdf", seed=int(SEED)))  # imports, fonts, caches
    totals = {"data": 0.0, "jinja": 0.0, "layout": 0.0, "write": 0.0}
    pages = 0
    t0 = time.perf_counter()
    for track in tracks:
        outcome = run_job(BlankJob(track, work / "split.pdf", seed=int(SEED)))
        pages += outcome.pages
        for step, seconds in outcome.seconds.items():
            totals[step] += seconds
    elapsed = time.perf_counter() - t0
    total = sum(totals.values())
    print(f"3. {len(tracks)} packets in one process: {pages} pages in {elapsed:.2f} s")
    print(f"   {pages / elapsed:.1f} pages/s, {elapsed / len(tracks) * 1000:.0f} ms per packet")
    labels = {"data": "data", "jinja": "Jinja", "layout": "layout", "write": "PDF writing"}
    for step, seconds in totals.items():
        print(f"   {labels[step]:<12} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    return pages / elapsed, {labels[k]: 100 * v / total for k, v in totals.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ, VIVA_HOME=str(work / "home"), COLUMNS="100")
        os.environ["VIVA_HOME"] = env["VIVA_HOME"]
        ratio = single_against_bare(env, work)
        speedup = batch_against_sequential(env, work)
        rate, split = split_in_process(work)
    emit(
        "packet",
        [
            (
                "packet: overhead vs python -m weasyprint",
                f"{ratio:.2f}x",
                f"<= {SINGLE_GOAL}x",
                ratio <= SINGLE_GOAL,
            ),
            (
                "packet: 24-packet batch vs sequential",
                f"{speedup:.2f}x faster",
                f">= {BATCH_GOAL}x",
                speedup >= BATCH_GOAL,
            ),
            (
                "packet: pages per second (one process)",
                f"{rate:.1f} (" + ", ".join(f"{k} {v:.0f} %" for k, v in split.items()) + ")",
                "-",
                None,
            ),
        ],
    )
    return 0 if ratio <= SINGLE_GOAL and speedup >= BATCH_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
