"""`viva bank import`: CSV, TSV and hashcards-style Markdown into a user bank,
every problem located in the source file; the published JSON Schemas and
`viva bank lint --schema`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Runner
from viva.catalog.importing import MARKER, derive_id
from viva.catalog.models import SLUG_RE

SOURCE = "Go Mastery / Track 1 / Acceptance criteria"
HEADER = "id,category,kind,prompt,key_points,follow_ups,source,minutes,must\n"


def bank_of(home: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load((home / "question_banks" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def questions_of(home: Path, name: str) -> list[dict[str, Any]]:
    questions = bank_of(home, name)["questions"]
    assert isinstance(questions, list)
    return questions


def shown_ids(run: Runner, track: str = "go/raft-kv") -> list[str]:
    result = run("bank", "show", track, "--json")
    assert result.code == 0, result.err
    return [q["id"] for q in json.loads(result.out)]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CSV = (
    HEADER + ",failure-modes,failure-scenario,What happens when the disk under the WAL fills up?,"
    '"Appends fail with ENOSPC | the node stops accepting writes",'
    '"How do you alert on it? | - disk usage alert | - a runbook",' + SOURCE + ",3,\n"
    'snap-install,operations,review,"How do you install a snapshot on a slow follower?",'
    '"- chunks\n- the follower drops its log",,' + SOURCE + ",4,no\n"
)


def test_csv_import_writes_a_user_bank_every_command_loads(
    run: Runner, tmp_path: Path, viva_home: Path
) -> None:
    src = write(tmp_path / "Raft Cards.csv", CSV)
    before = shown_ids(run)
    result = run("bank", "import", str(src), "--track", "go/raft-kv")
    assert result.code == 0, result.err
    target = viva_home / "question_banks" / "imported-raft-cards.yaml"
    assert result.out == ""  # status on stderr
    assert result.err.strip() == f"imported 2 questions for go/raft-kv to {target}"
    assert target.read_text(encoding="utf-8").startswith(MARKER)
    data = bank_of(viva_home, target.name)
    assert data["track"] == "go/raft-kv"
    first, second = questions_of(viva_home, target.name)
    derived = derive_id("What happens when the disk under the WAL fills up?")
    assert first == {
        "id": derived,
        "category": "failure-modes",
        "kind": "failure-scenario",
        "prompt": "What happens when the disk under the WAL fills up?",
        "key_points": ["Appends fail with ENOSPC", "the node stops accepting writes"],
        "follow_ups": [
            {"prompt": "How do you alert on it?", "key_points": ["disk usage alert", "a runbook"]}
        ],
        "minutes": 3,
        "difficulty": 2,
        "source": SOURCE,
    }
    assert second["id"] == "snap-install"
    assert second["key_points"] == ["chunks", "the follower drops its log"]
    assert "must" not in second and "follow_ups" not in second
    assert shown_ids(run) == [*before, derived, "snap-install"]
    assert run("bank", "lint", str(target)).code == 0


def test_reimport_replaces_the_bank_with_the_same_ids(
    run: Runner, tmp_path: Path, viva_home: Path
) -> None:
    src = write(tmp_path / "cards.csv", CSV)
    assert run("bank", "import", str(src), "--track", "go/raft-kv").code == 0
    first = questions_of(viva_home, "imported-cards.yaml")
    # the same rows again, one prompt re-wrapped: the same ids, nothing clashes
    write(src, CSV.replace("disk under the WAL", "disk  under the WAL"))
    again = run("bank", "import", str(src), "--track", "go/raft-kv")
    assert again.code == 0, again.err
    assert "replacing the earlier import" in again.err
    second = questions_of(viva_home, "imported-cards.yaml")
    assert [q["id"] for q in first] == [q["id"] for q in second]
    assert sorted(p.name for p in (viva_home / "question_banks").iterdir()) == [
        "imported-cards.yaml"
    ]


def test_errors_are_located_at_the_csv_rows_and_nothing_is_written(
    run: Runner, tmp_path: Path, viva_home: Path
) -> None:
    good = write(tmp_path / "cards.csv", CSV)
    assert run("bank", "import", str(good), "--track", "go/raft-kv").code == 0
    target = viva_home / "question_banks" / "imported-cards.yaml"
    kept = target.read_bytes()
    bad = (
        HEADER
        # line 2-3: a quoted cell over two lines; the row starts at line 2
        + 'ok-one,cost,review,"A prompt\nover two lines",a | b,,'
        + SOURCE
        + ",2,\n"
        + "bad-one,cost,review,One point only,just one,,"
        + SOURCE
        + ",2,\n"  # line 4
        + "bad-two,sekurity,review,Unknown category,a | b,,"
        + SOURCE
        + ",40,maybe\n"  # line 5
        + "bad-three,cost,review,Orphan follow-up point,a | b,- orphan,"
        + SOURCE
        + ",2,\n"  # line 6
    )
    write(good, bad)
    result = run("bank", "import", str(good), "--track", "go/raft-kv")
    assert result.code == 1
    lines = result.err.splitlines()
    assert f"{good}:4: key_points: needs at least 2 items, has 1" in lines
    assert any(ln.startswith(f"{good}:5: category: ") for ln in lines), lines
    assert f"{good}:5: minutes: Input should be less than or equal to 15" in lines
    assert any(ln.startswith(f"{good}:5: must: ") for ln in lines), lines
    assert any(ln.startswith(f"{good}:6: follow_ups: the key point 'orphan'") for ln in lines)
    assert not any(f"{good}:2:" in ln or f"{good}:3:" in ln for ln in lines), lines
    assert "Traceback" not in result.err
    assert target.read_bytes() == kept  # the earlier import is untouched
    assert sorted(p.name for p in target.parent.iterdir()) == ["imported-cards.yaml"]


def test_ids_may_not_collide_with_the_track_or_each_other(run: Runner, tmp_path: Path) -> None:
    src = write(
        tmp_path / "cards.csv",
        HEADER
        + "partition-old-leader,cost,review,Clashes with the packaged bank,a | b,,"
        + SOURCE
        + ",2,\n"
        + "twice,cost,review,First,a | b,,"
        + SOURCE
        + ",2,\n"
        + "twice,cost,review,Second,a | b,,"
        + SOURCE
        + ",2,\n",
    )
    result = run("bank", "import", str(src), "--track", "go/raft-kv")
    assert result.code == 1
    lines = result.err.splitlines()
    assert any(
        re.fullmatch(
            rf"{re.escape(str(src))}:2: id: duplicate question id 'partition-old-leader' "
            r"\(first at question_banks/go/raft-kv\.yaml:\d+\)",
            ln,
        )
        for ln in lines
    ), lines
    assert f"{src}:4: id: duplicate question id 'twice' (first at {src}:3)" in lines


def test_cross_file_checks_are_located_too(run: Runner, tmp_path: Path) -> None:
    src = write(
        tmp_path / "cards.csv",
        "id,track,category,kind,prompt,key_points,source,scopes\n"
        "wrong-source,go/raft-kv,cost,review,Prompt,a | b,Rust Mastery / Track 2 / X,\n"
        "wrong-scope,go/raft-kv,cost,review,Prompt two,a | b," + SOURCE + ",no-such-scope\n",
    )
    result = run("bank", "import", str(src))
    assert result.code == 1
    assert f"{src}:2: source: source must start with the path title 'Go Mastery'" in result.err
    assert f"{src}:3: scopes[0]: track go/raft-kv offers no scope 'no-such-scope'" in result.err


def test_must_questions_that_no_longer_fit_are_reported_at_the_first_one(
    run: Runner, tmp_path: Path
) -> None:
    rows = "".join(
        f"heavy-{i},cost,review,Heavy must question {i},a | b,,{SOURCE},15,true\n" for i in range(6)
    )
    src = write(tmp_path / "musts.csv", HEADER + rows)
    result = run("bank", "import", str(src), "--track", "go/raft-kv")
    assert result.code == 1
    assert f"{src}:2: must: " in result.err, result.err


def test_header_problems_and_tracks(run: Runner, tmp_path: Path) -> None:
    src = write(tmp_path / "cards.csv", "id,prompt,colour\nx,y,z\n")
    result = run("bank", "import", str(src), "--track", "go/raft-kv")
    assert result.code == 1
    assert f"{src}:1: (header): unknown column 'colour'" in result.err
    assert f"{src}:1: (header): the 'source' column is missing" in result.err
    no_track = run("bank", "import", str(write(tmp_path / "t.csv", CSV)))
    assert no_track.code == 1 and "no track: give --track TRACK" in no_track.err
    ambiguous = run("bank", "import", str(tmp_path / "t.csv"), "--track", "raft-kv")
    assert ambiguous.code == 2 and "ambiguous" in ambiguous.err
    mixed = write(
        tmp_path / "mixed.csv",
        "track,category,kind,prompt,key_points,source\n"
        f"go/raft-kv,cost,review,One,a | b,{SOURCE}\n"
        f"java/raft-kv,cost,review,Two,a | b,{SOURCE}\n",
    )
    result = run("bank", "import", str(mixed))
    assert result.code == 1
    assert f"{mixed}:3: track: java/raft-kv here, but this import is for go/raft-kv" in result.err
    conflict = run("bank", "import", str(mixed), "--track", "java/raft-kv")
    assert f"{mixed}:2: track: go/raft-kv here" in conflict.err


def test_tsv_and_sniffed_tables(run: Runner, tmp_path: Path, viva_home: Path) -> None:
    tsv = (
        "id\tcategory\tkind\tprompt\tkey_points\tsource\n"
        f"tab-one\tcost\treview\tWhat does a snapshot cost?\tdisk | cpu\t{SOURCE}\n"
    )
    first = run("bank", "import", str(write(tmp_path / "a.tsv", tsv)), "--track", "go/raft-kv")
    assert first.code == 0, first.err
    assert bank_of(viva_home, "imported-a.yaml")["track"] == "go/raft-kv"
    java = tsv.replace("Go Mastery", "Java Mastery")
    result = run("bank", "import", str(write(tmp_path / "b.txt", java)), "--track", "java/raft")
    assert result.code == 0, result.err
    assert bank_of(viva_home, "imported-b.yaml")["track"] == "java/raft-kv"
    assert "tab-one" in shown_ids(run, "java/raft-kv")


def test_output_option_and_what_it_refuses(run: Runner, tmp_path: Path, viva_home: Path) -> None:
    src = write(tmp_path / "cards.csv", CSV)
    out = tmp_path / "elsewhere" / "raft.yaml"
    result = run("bank", "import", str(src), "--track", "go/raft-kv", "-o", str(out))
    assert result.code == 0, result.err
    assert out.read_text(encoding="utf-8").startswith(MARKER)
    assert "commands load banks only from $VIVA_HOME/question_banks" in result.err
    mine = write(tmp_path / "mine.yaml", "track: go/raft-kv\nquestions: []\n")
    refused = run("bank", "import", str(src), "--track", "go/raft-kv", "-o", str(mine))
    assert refused.code == 1 and "was not written by `viva bank import`" in refused.err
    assert mine.read_text(encoding="utf-8") == "track: go/raft-kv\nquestions: []\n"
    wrong = run("bank", "import", str(src), "--track", "go/raft-kv", "-o", str(tmp_path / "x"))
    assert wrong.code == 2 and ".yaml" in wrong.err
    # cards.md would go where cards.csv went: refused unless -o says so
    assert run("bank", "import", str(src), "--track", "go/raft-kv").code == 0
    target = viva_home / "question_banks" / "imported-cards.yaml"
    md = write(tmp_path / "cards.md", MARKDOWN)
    clash = run("bank", "import", str(md))
    assert clash.code == 1 and "holds the import of cards.csv, not of cards.md" in clash.err
    assert run("bank", "import", str(md), "-o", str(target)).code == 0
    assert "from cards.md." in target.read_text(encoding="utf-8").splitlines()[0]


MARKDOWN = f"""---
name = "Raft extras"
track = "go/raft-kv"
source = "{SOURCE}"
kind = "failure-scenario"
category = "failure-modes"
---

# Raft notes (a title)

Q: What if the leader's disk
stalls for 30 seconds?
A:

- Heartbeats stop, followers time out
  and elect a new leader
- The old leader steps down on a higher term

F: How do you detect it?
- an fsync latency alert

## category: cost; kind: review; minutes: 2

<!-- id: snapshot-cost; must: true -->
Q: What does a snapshot cost?
A: Disk space for the snapshot file

CPU time to serialize the state machine

---

C: Raft commits an entry once a [majority] has it in their [log].
"""


def test_markdown_cards(run: Runner, tmp_path: Path, viva_home: Path) -> None:
    src = write(tmp_path / "notes.md", MARKDOWN)
    result = run("bank", "import", str(src))
    assert result.code == 0, result.err
    assert "imported 3 questions for go/raft-kv" in result.err
    first, second, third = questions_of(viva_home, "imported-notes.yaml")
    assert first["prompt"] == "What if the leader's disk stalls for 30 seconds?"
    assert first["id"].startswith("what-if-the-leaders-disk-stalls")
    assert first["key_points"] == [
        "Heartbeats stop, followers time out and elect a new leader",
        "The old leader steps down on a higher term",
    ]
    assert first["follow_ups"] == [
        {"prompt": "How do you detect it?", "key_points": ["an fsync latency alert"]}
    ]
    assert (first["category"], first["kind"], first["minutes"]) == (
        "failure-modes",
        "failure-scenario",
        3,
    )
    assert second["id"] == "snapshot-cost" and second["must"] is True
    assert (second["category"], second["kind"], second["minutes"]) == ("cost", "review", 2)
    assert second["key_points"] == [
        "Disk space for the snapshot file",
        "CPU time to serialize the state machine",
    ]
    assert third["prompt"] == (
        "Fill in the blanks: Raft commits an entry once a [...] has it in their [...]."
    )
    assert third["key_points"] == ["majority", "log"]
    assert third["category"] == "cost"  # still under the heading
    assert "snapshot-cost" in shown_ids(run)


def test_markdown_errors_are_located_at_their_lines(run: Runner, tmp_path: Path) -> None:
    src = write(
        tmp_path / "bad.md",
        f"""---
track = "go/raft-kv"
source = "{SOURCE}"
kind = "failure-scnario"
colour = "red"
---

Q: What if the leader's disk stalls?
A: - only one point

## category: nope; knd: x

Q: A question with no answer
Q: Another
A:
- a
- b
F:
- point without a question

C: no deletions here
""",
    )
    result = run("bank", "import", str(src))
    assert result.code == 1
    lines = result.err.splitlines()
    assert any(ln.startswith(f"{src}:4: kind: ") for ln in lines), lines
    assert f"{src}:5: colour: unknown field" in " ".join(lines)
    assert f"{src}:8: category: required field is missing" in lines
    assert f"{src}:9: key_points: needs at least 2 items, has 1" in lines
    assert any(ln.startswith(f"{src}:11: category: ") for ln in lines), lines
    assert any(ln.startswith(f"{src}:11: knd: unknown field") for ln in lines), lines
    assert f"{src}:13: key_points: required field is missing" in lines
    assert f"{src}:18: follow_ups[0].prompt: required field is missing" in lines
    assert f"{src}:21: key_points: a C: card needs [brackets] around what to recall" in lines
    assert sum(ln.startswith(f"{src}:21:") for ln in lines) == 1


def test_unreadable_sources(run: Runner, tmp_path: Path) -> None:
    weird = write(tmp_path / "notes.txt", "neither a table nor cards\n")
    result = run("bank", "import", str(weird), "--track", "go/raft-kv")
    assert result.code == 1 and f"{weird}:1: (file): cannot tell the format" in result.err
    empty = write(tmp_path / "empty.csv", "")
    assert "file is empty" in run("bank", "import", str(empty)).err
    missing = run("bank", "import", str(tmp_path / "nope.csv"))
    assert missing.code == 1 and "nope.csv:1: (file):" in missing.err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"id,prompt\n\x00\x01")
    assert "binary content" in run("bank", "import", str(binary)).err


@pytest.mark.parametrize(
    "prompt",
    [
        "What happens during a network partition?",
        "Opening question: walk us through it",
        "???",
        "x" * 90,
        "Ünïcödé prompt — with dashes",
    ],
)
def test_derived_ids_are_stable_valid_slugs(prompt: str) -> None:
    slug = derive_id(prompt)
    assert SLUG_RE.fullmatch(slug), slug
    assert not slug.startswith("opening-")
    assert derive_id(prompt) == slug
    assert derive_id(f"  {prompt}\n") == slug  # spacing does not matter
    assert derive_id(prompt + " more") != slug


# --- JSON Schemas ------------------------------------------------------------------


def test_the_published_schemas_are_what_the_models_give() -> None:
    from viva.schemas.generate import main

    assert main(["--check"]) == 0, "run: python -m viva.schemas.generate"


def test_packaged_banks_and_an_import_match_the_bank_schema(
    run: Runner, tmp_path: Path, viva_home: Path
) -> None:
    from tests.conftest import REPO

    result = run("bank", "lint", "--schema", str(REPO / "question_banks"))
    assert result.code == 0, result.out + result.err
    assert "files match the bank schema" in result.out
    src = write(tmp_path / "notes.md", MARKDOWN)
    assert run("bank", "import", str(src)).code == 0
    assert run("bank", "lint", "--schema", str(viva_home / "question_banks")).code == 0


def test_lint_schema_reports_file_line_field(run: Runner, tmp_path: Path) -> None:
    from tests.conftest import REPO

    bad = write(
        tmp_path / "bad.yaml",
        """track: go/raft-kv
questions:
  - id: X
    category: nope
    kind: review
    prompt: ""
    key_points: [a]
    minutes: 40
    difficulty: 2
    extra: 1
    verified: "2026-13"
""",
    )
    result = run("bank", "lint", "--schema", str(bad), str(REPO / "catalog" / "categories.yaml"))
    assert result.code == 1
    out = result.out.splitlines()
    assert f"{bad}:3: questions[0].id: 'X' does not match ^[a-z0-9][a-z0-9-]{{1,62}}$" in out
    assert f"{bad}:3: questions[0].source: required field is missing" in out
    assert any(ln.startswith(f"{bad}:4: questions[0].category: 'nope' is not one of") for ln in out)
    assert f"{bad}:6: questions[0].prompt: must not be empty" in out
    assert f"{bad}:7: questions[0].key_points: needs at least 2 items, has 1" in out
    assert f"{bad}:8: questions[0].minutes: 40 is more than the maximum 15" in out
    assert f"{bad}:10: questions[0].extra: unknown field" in out
    assert any(ln.startswith(f"{bad}:11: questions[0].verified: '2026-13'") for ln in out), out
    assert any("categories.yaml:1: (document): not a question bank" in ln for ln in out)


def test_bank_schema_command(run: Runner) -> None:
    from viva.schemas import load_schema, schema_path

    bank = run("bank", "schema", "bank")
    assert bank.code == 0 and json.loads(bank.out) == load_schema("bank")
    assert json.loads(bank.out)["$schema"].endswith("2020-12/schema")
    export = run("bank", "schema", "export")
    assert json.loads(export.out)["properties"]["format"]["const"] == "viva-export/1"
    where = run("bank", "schema", "bank", "--path")
    assert where.out.strip() == str(schema_path("bank"))
    assert run("bank", "schema", "nope").code == 2
