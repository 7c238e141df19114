"""Write the published JSON Schemas from the pydantic models.

    python -m viva.schemas.generate          # rewrite the files
    python -m viva.schemas.generate --check  # exit 1 when a file is out of date

``tests/catalog/test_bank_import.py`` runs the check, so a model change
without the regenerated schema fails the suite.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from viva.schemas import SCHEMAS, schema_path

__all__ = ["main", "schema", "schema_text"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema the models give for ``name`` (one of :data:`SCHEMAS`)."""
    if name == "bank":
        from viva.catalog.models import BankFile

        generated = BankFile.model_json_schema()
        title = "viva question bank"
        description = (
            "One track's questions (question_banks/<path>/<track>.yaml, or a file in "
            "$VIVA_HOME/question_banks). viva also checks what a schema cannot say: "
            "text without control characters, a source that starts with the path's "
            "title, unique ids across the track's files, scopes the track offers."
        )
    elif name == "export":
        from viva.export.document import ExportDocument

        generated = ExportDocument.model_json_schema()
        title = "viva JSON export (viva-export/1)"
        description = (
            "What `viva export json` writes and `viva import json` reads: tracks, their "
            "questions with drill state, retired card states and the review log. "
            "Unknown keys are ignored on import."
        )
    elif name == "review":
        from viva.services.review import ReviewDocument

        generated = ReviewDocument.model_json_schema()
        title = "viva reviewed defense (viva-review/1)"
        description = (
            "What `viva review export` writes: a defense a reviewer scored, with each "
            "question's packet number, score (1-5) and rubric label, notes, follow-ups "
            "asked, answer and transcript; each review category's summary score; the "
            "verdict. A file has exactly these keys."
        )
    else:
        raise ValueError(f"unknown schema {name!r}; one of: {', '.join(SCHEMAS)}")
    generated.pop("title", None)
    generated.pop("description", None)
    return {"$schema": _DRAFT, "title": title, "description": description, **generated}


def schema_text(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    stale: list[str] = []
    for name in SCHEMAS:
        path = schema_path(name)
        text = schema_text(name)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            sys.stdout.write(f"wrote {path}\n")
    for shown in stale:
        sys.stderr.write(f"{shown} is out of date: run python -m viva.schemas.generate\n")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
