"""The Markdown export read back by a CommonMark parser (markdown-it-py, with
GitHub's strikethrough and tables on): every prompt, key point and follow-up
of every bank comes back as the same text, its backticked spans as inline
code, and no bank text becomes a link, HTML, emphasis or a block of its own."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt

from tests.conftest import Runner
from viva.catalog.loader import load_catalog
from viva.export.markdown import md_text

PARSER = MarkdownIt("commonmark").enable(["strikethrough", "table"])


def _inline(markdown: str) -> list[Any]:
    """The inline tokens of ``markdown`` read as the text of a list item."""
    tokens = PARSER.parse(f"- {markdown}\n")
    kinds = [t.type for t in tokens]
    assert kinds == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ], (markdown, kinds)
    children = tokens[3].children
    assert children is not None
    return children


def _read_back(markdown: str) -> tuple[str, list[str]]:
    """The text a reader sees, and the contents of its code spans."""
    text, code = [], []
    for child in _inline(markdown):
        assert child.type in ("text", "code_inline"), (markdown, child.type)
        text.append(child.content)
        if child.type == "code_inline":
            code.append(child.content)
    return "".join(text), code


def _all_texts() -> list[str]:
    catalog = load_catalog()
    texts: list[str] = []
    for track in catalog.tracks.values():
        for q in track.questions:
            texts += [q.prompt, *q.key_points, q.source]
            for f in q.follow_ups:
                texts += [f.prompt, *f.key_points]
    return texts


def _spans(text: str) -> list[str]:
    import re

    return re.findall(r"`([^`]+)`", text)


def test_every_bank_text_reads_back_as_itself_with_its_code_spans() -> None:
    texts = _all_texts()
    assert len(texts) > 10_000
    with_code = 0
    for original in texts:
        plain = " ".join(original.split())
        seen, code = _read_back(md_text(original))
        spans = _spans(plain)
        assert code == [" ".join(s.split()) if s.strip() else s for s in spans] or code == [
            s.strip() for s in spans
        ], original
        without_ticks = plain
        for span in spans:
            without_ticks = without_ticks.replace(f"`{span}`", span, 1)
        assert " ".join(seen.split()) == " ".join(without_ticks.split()), original
        with_code += bool(spans)
    assert with_code > 500  # the banks lean on inline code: it must survive


@pytest.mark.parametrize(
    "hostile",
    [
        "# heading",
        "> quote",
        "- item",
        "+ item",
        "1. item",
        "3) item",
        "<b>bold</b> <!-- c --> <https://example.com>",
        "[link](https://example.com) ![img](x.png)",
        "*em* **strong** _em_ __strong__ ~~gone~~ ~gone~",
        "&amp; &#60; &copy;",
        "a | b | c",
        "costs $5 or $10 per $x$",
        "back\\slash \\*not em\\*",
        "one ` stray backtick",
        "snake_case_names and __init__",
    ],
)
def test_markup_in_bank_text_stays_text(hostile: str) -> None:
    seen, code = _read_back(md_text(hostile))
    assert seen == hostile and code == []


def test_the_raw_file_carries_few_escapes(run: Runner) -> None:
    out = run("export", "markdown", "--all-questions").out
    tokens = PARSER.parse(out)
    assert not [t for t in tokens if t.type in ("html_block", "blockquote_open", "table_open")]
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type in ("html_inline", "link_open", "s_open", "image")]
    code = sum(c.type == "code_inline" for c in inline)
    assert code > 1000
    # Backslashes are for real markup characters only: far fewer than code spans.
    assert out.count("\\") < code
