"""The built wheel carries its data and works from any directory after a plain install."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


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
    wheel = next(dist.glob("viva_defense-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "viva/_data/catalog/categories.yaml" in names
    assert "viva/_data/catalog/paths/go.yaml" in names
    assert any(n.startswith("viva/_data/question_banks/go/") for n in names)
    assert "viva/_data/templates/packet.html.j2" in names
    assert "viva/_data/templates/packet.css" in names
    assert any(n.startswith("viva/_data/templates/partials/") for n in names)
    # the published JSON Schemas (viva bank schema, viva bank lint --schema)
    assert "viva/schemas/bank.schema.json" in names
    assert "viva/schemas/export.schema.json" in names

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


def _build(kind: str, source: Path, out: Path) -> Path:
    """Build a wheel or an sdist of ``source`` with hatchling, offline."""
    out.mkdir(parents=True, exist_ok=True)
    if kind == "wheel":
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        subprocess.run([*cmd, "-w", str(out), str(source)], check=True)
        return next(out.glob("viva_defense-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(out)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    return next(out.glob("viva_defense-*.tar.gz"))


@pytest.mark.slow
def test_the_sdist_carries_license_and_docs_and_builds_the_same_wheel(tmp_path: Path) -> None:
    import tarfile

    sdist = _build("sdist", REPO, tmp_path / "sdist")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    for wanted in ("LICENSE", "README.md", "docs/architecture.md", "docs/threat-model.md"):
        assert wanted in members, wanted
    # every document the README links to travels with it
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"`((?:docs|benchmarks)/[\w./-]+)`", readme):
        assert any(m == link or m.startswith(link.rstrip("/") + "/") for m in members), link

    root = next((tmp_path / "unpacked").iterdir())
    from_sdist = zipfile.ZipFile(_build("wheel", root, tmp_path / "w1"))
    from_repo = zipfile.ZipFile(_build("wheel", REPO, tmp_path / "w2"))
    assert sorted(from_sdist.namelist()) == sorted(from_repo.namelist())
    for name in from_repo.namelist():
        assert from_sdist.read(name) == from_repo.read(name), name
