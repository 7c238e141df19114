"""Start-up stays light: the fast commands never import the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("weasyprint", "textual", "genanki", "anki", "fsrs")

SCRIPT = """
import json, sys
from viva.cli.app import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
sys.stderr.write(json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["tracks"],
        ["tracks", "--json"],
        ["show", "go/raft-kv"],
        ["bank", "--help"],
        ["plan", "go/raft-kv", "--seed", "1"],
    ],
)
def test_fast_commands_do_not_import_heavy_libraries(argv: list[str]) -> None:
    # Twice: the first run may fill the catalog cache, the second reads it.
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT % (HEAVY,), *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(proc.stderr.strip().splitlines()[-1])
        assert report["code"] in (0, None), proc.stderr
        assert report["heavy"] == [], f"viva {' '.join(argv)} imported {report['heavy']}"
