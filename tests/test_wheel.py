"""The built wheel carries its data and works from any directory after a plain install."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_lists_tracks(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(REPO),
        ],
        check=True,
    )
    wheel = next(dist.glob("viva-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "viva/_data/catalog/categories.yaml" in names
    assert "viva/_data/catalog/paths/go.yaml" in names
    assert any(n.startswith("viva/_data/question_banks/go/") for n in names)
    assert "viva/_data/templates/packet.html.j2" in names
    assert "viva/_data/templates/packet.css" in names
    assert any(n.startswith("viva/_data/templates/partials/") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run(
        [str(venv / "bin" / "viva"), "tracks", "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
        env={"VIVA_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 24
    proc = subprocess.run(
        [str(venv / "bin" / "viva"), "packet", "--track", "go/raft-kv", "-o", "out.pdf"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
        env={"VIVA_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "out.pdf").read_bytes().startswith(b"%PDF")
    data = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import viva.locations as l; print(l.data_root())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert str(venv) in data, "the installed wheel must read its own packaged data"
