"""The published JSON Schemas, shipped inside the package.

- ``bank.schema.json``: a question bank file (the YAML of ``question_banks/``
  and ``$VIVA_HOME/question_banks/``);
- ``export.schema.json``: the ``viva-export/1`` document of ``viva export json``;
- ``review.schema.json``: the ``viva-review/1`` document of ``viva review export``
  (a reviewed defense: scores, rubric labels, notes, category scores, verdict).

All are generated from the pydantic models that check the same files
(``python -m viva.schemas.generate`` writes them again; a test fails when
the committed files and the models disagree). An editor with the YAML
language server validates a bank as it is typed with a first line such as
``# yaml-language-server: $schema=<the path viva bank schema bank --path prints>``.

This module imports nothing of viva, so reading a schema costs one file read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["SCHEMAS", "load_schema", "schema_path"]

SCHEMAS = ("bank", "export", "review")


def schema_path(name: str) -> Path:
    """The file of the schema ``name`` (one of :data:`SCHEMAS`)."""
    if name not in SCHEMAS:
        raise ValueError(f"unknown schema {name!r}; one of: {', '.join(SCHEMAS)}")
    return Path(__file__).resolve().parent / f"{name}.schema.json"


def load_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return data
