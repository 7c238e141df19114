"""Every declared lower bound works: the lowest direct versions run every command family.

A fresh venv gets viva with ``uv pip install --resolution lowest-direct``
(each direct dependency at the floor pyproject.toml declares, the rest at
their newest), and then, as a user would run them: tracks, plan, a plain
rehearsal, a packet, a plain drill, stats and the three exports, plus both
Textual screens driven headless (``tests/smoke_screens.py``). A floor that
is too low fails here, naming the command that broke.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]


def _uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).exists():
        pytest.fail("uv is missing: it is in the test extras (make test installs it)")
    return found


def _floors() -> dict[str, Version]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors: dict[str, Version] = {}
    for line in project["dependencies"]:
        req = Requirement(line)
        lows = [Version(s.version) for s in req.specifier if s.operator == ">="]
        assert lows, f"{line}: every dependency declares a lower bound"
        floors[canonicalize_name(req.name)] = max(lows)
    return floors


@pytest.fixture(scope="module")
def lowest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with viva and its direct dependencies at their declared floors."""
    venv = tmp_path_factory.mktemp("lowest") / "venv"
    uv = _uv()
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    proc = subprocess.run(
        [
            uv,
            "pip",
            "install",
            "-q",
            "--python",
            str(venv / "bin" / "python"),
            "--resolution",
            "lowest-direct",
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return venv


def _installed(venv: Path) -> dict[str, Version]:  # canonical names
    out = subprocess.run(
        [_uv(), "pip", "freeze", "--python", str(venv / "bin" / "python")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", out, flags=re.MULTILINE)
    return {canonicalize_name(name): Version(v) for name, v in pins}


@pytest.mark.slow
def test_the_floors_are_what_gets_installed(lowest: Path) -> None:
    installed = _installed(lowest)
    for name, floor in _floors().items():
        got = installed.get(name)
        assert got == floor, f"{name}: installed {got}, declared floor {floor}"


@pytest.mark.slow
def test_every_command_family_runs_at_the_floors(lowest: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        "PATH": f"{lowest / 'bin'}:/usr/bin:/bin",
        "VIVA_HOME": str(home),
        "VIVA_FSRS_FUZZ": "0",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }
    viva = str(lowest / "bin" / "viva")

    def ok(*args: str, stdin: str = "") -> str:
        proc = subprocess.run(
            [viva, *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )
        command = " ".join(args)
        assert proc.returncode == 0, f"viva {command} exited {proc.returncode}:\n{proc.stderr}"
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.stdout

    assert len(json.loads(ok("tracks", "--json"))) == 24
    plan = json.loads(ok("plan", "go/raft-kv", "--seed", "2", "--json"))
    assert plan["seed"] == 2 and plan["sections"]
    out = ok("rehearse", "go/raft-kv", "--plain", "--seed", "2", stdin="leader lease\n.\n:end\n")
    session = re.search(r"^session: (\S+)", out, flags=re.MULTILINE)
    assert session, out
    report = json.loads(ok("report", session.group(1), "--json"))
    assert report["sections"][0]["questions"][0]["answer"] == "leader lease"
    assert ok("packet", "--track", "go/raft-kv", "--seed", "2", "-o", "blank.pdf").strip()
    assert (tmp_path / "blank.pdf").read_bytes()[:5] == b"%PDF-"
    ok("packet", session.group(1), "--kind", "candidate", "-o", "cand.pdf")
    assert (tmp_path / "cand.pdf").read_bytes()[:5] == b"%PDF-"
    assert "1 card rated" in ok("drill", "go/raft-kv", "--plain", "--limit", "1", stdin="x\n.\n3\n")
    assert json.loads(ok("stats", "--json"))["cards"]["reviewed"] == 1
    ok("export", "anki", "go/raft-kv", "-o", "deck.apkg")
    assert (tmp_path / "deck.apkg").stat().st_size > 0
    assert ok("export", "markdown", "go/raft-kv").startswith("# ")
    assert json.loads(ok("export", "json", "go/raft-kv"))["tracks"]
    ok("export", "anki", "go/raft-kv", "--with-scheduling", "-o", "scheduled.apkg")
    ok("export", "json", "go/raft-kv", "-o", "drill.json")
    ok("import", "json", "drill.json")  # pydantic at its floor reads the export back
    bank = str(REPO / "question_banks" / "go" / "raft-kv.yaml")
    assert ok("bank", "lint", "--schema", bank).startswith("ok")  # jsonschema at its floor
    (tmp_path / "cards.csv").write_text(
        "track,category,kind,prompt,key_points,source\n"
        "go/raft-kv,cost,review,What does a fourth replica cost you?,"
        '"more disk and network | a larger quorum, not more safety",'
        "Go Mastery / Track 1 / Non-functional spec\n",
        encoding="utf-8",
    )
    ok("bank", "import", "cards.csv")

    screens = subprocess.run(
        [str(lowest / "bin" / "python"), "-m", "tests.smoke_screens"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO), "TERM": os.environ.get("TERM", "xterm")},
        timeout=300,
    )
    assert screens.returncode == 0 and "screens ok" in screens.stdout, screens.stderr
