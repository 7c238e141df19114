"""User folders merge over the packaged data; broken files give located errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import Runner

GOLDEN = Path(__file__).parent / "golden"

MY_PATH = """\
id: mine
title: My Own Path
defense_minutes: 45
cross_track_requirements:
  - ADRs (>=3).
tracks:
  - id: widget
    number: 1
    title: "Widget Service: widgets at scale"
    outcome: A widget service that serves 10K widgets per second.
    non_functional_spec:
      - p99 latency < 5 ms at 10K widgets/sec.
    acceptance_criteria:
      - A README with a latency CDF.
"""

MY_BANK = """\
track: mine/widget
questions:
  - id: widget-latency
    category: performance
    kind: review
    prompt: How did you measure p99 latency at 10K widgets per second?
    key_points:
      - Open-loop load generator, so coordinated omission does not hide stalls
      - HDR histogram per run, warm-up discarded
    minutes: 3
    difficulty: 2
    source: My Own Path / Track 1 / Non-functional spec
"""


def test_broken_user_catalog_files_give_located_errors(run: Runner, viva_home: Path) -> None:
    target = viva_home / "catalog"
    shutil.copytree(GOLDEN / "user_catalog", target)
    result = run("tracks")
    assert result.code == 1
    assert "Traceback" not in result.err
    expected = (GOLDEN / "user_catalog.expected").read_text(encoding="utf-8")
    assert result.err.replace(f"{viva_home}/", "{HOME}/") == expected


def test_a_user_can_add_a_track_with_its_own_bank(run: Runner, viva_home: Path) -> None:
    (viva_home / "catalog").mkdir()
    (viva_home / "catalog" / "mine.yaml").write_text(MY_PATH, encoding="utf-8")
    (viva_home / "question_banks").mkdir()
    (viva_home / "question_banks" / "widget.yaml").write_text(MY_BANK, encoding="utf-8")
    result = run("tracks", "--json")
    assert result.code == 0, result.err
    rows = {r["id"]: r for r in json.loads(result.out)}
    assert len(rows) == 25
    assert rows["mine/widget"]["question_count"] == 1
    shown = run("show", "widget")
    assert shown.code == 0, shown.err
    assert "p99 latency < 5 ms" in shown.out


def test_a_question_id_clash_names_both_files(run: Runner, viva_home: Path) -> None:
    (viva_home / "catalog").mkdir()
    (viva_home / "catalog" / "mine.yaml").write_text(MY_PATH, encoding="utf-8")
    banks = viva_home / "question_banks"
    banks.mkdir()
    (banks / "a.yaml").write_text(MY_BANK, encoding="utf-8")
    (banks / "b.yaml").write_text(MY_BANK, encoding="utf-8")
    result = run("tracks")
    assert result.code == 1
    assert (
        f"{banks}/b.yaml:3: questions[0].id: duplicate question id 'widget-latency'" in result.err
    )
    assert f"(first at {banks}/a.yaml:3)" in result.err


def test_edits_to_user_files_are_seen_at_once(run: Runner, viva_home: Path) -> None:
    (viva_home / "catalog").mkdir()
    path_file = viva_home / "catalog" / "mine.yaml"
    path_file.write_text(MY_PATH, encoding="utf-8")
    assert run("tracks").code == 0
    path_file.write_text(MY_PATH.replace("defense_minutes: 45", "defense_minutes: 30"), "utf-8")
    result = run("tracks")
    assert result.code == 1
    assert "mine.yaml:3: defense_minutes: Input should be 45 or 60" in result.err
