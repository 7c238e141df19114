"""The Markdown export: a track's questions with key points and follow-ups,
for reading on screen and printing.

Bank text is written as text, with the least escaping that keeps it so:
backticked spans (`` `raft.Storage` ``) stay inline code, as the banks mean
them; elsewhere only what CommonMark or GitHub would read as markup is
escaped (emphasis, links, HTML, entities, math and strikethrough, and a
line start that would open a heading, quote or list), so a prompt never
turns into a link, a heading or HTML, and the raw file stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from viva.catalog.loader import Track
from viva.drill.cards import DrillCard

__all__ = ["md_text", "render_markdown"]

_CODE = re.compile(r"`([^`]+)`")
"""A code span as the banks write one: a pair of single backticks around text."""

_INLINE = re.compile(
    r"""[\\*\[\]<`$~]"""  # emphasis, links, HTML and autolinks, stray backticks, math, strike
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # `_` that can open or close emphasis
    r"|&(?=#?[A-Za-z0-9]+;)"  # `&` that would start an entity reference
)
_LINE_START = re.compile(r"^(?:[#>+=-]|\d+(?=[.)]))")
"""What opens a block when it starts a list item's or a heading's text."""


def _escape(plain: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m.group(0), plain)


def md_text(text: str) -> str:
    """Bank text as one line of Markdown: code spans kept, markup characters escaped."""
    text = " ".join(text.split())
    out: list[str] = []
    at = 0
    for m in _CODE.finditer(text):
        out += [_escape(text[at : m.start()]), f"`{m.group(1)}`"]
        at = m.end()
    out.append(_escape(text[at:]))
    line = "".join(out)
    start = _LINE_START.match(line)
    if start:  # "- # x" would be a heading inside the list item, "- 1. x" a nested list
        line = (
            f"{line[: start.end()]}\\{line[start.end() :]}"
            if start.group(0)[0].isdigit()
            else f"\\{line}"
        )
    return line


def _card(card: DrillCard, number: int) -> list[str]:
    q = card.question
    lines = [
        f"### {number}. {md_text(q.prompt)}",
        "",
        f"*{q.category} · {q.kind} · {q.minutes} min · difficulty {q.difficulty}* — `{card.id}`",
        "",
        "**Key points**",
        "",
        *(f"- {md_text(p)}" for p in q.key_points),
    ]
    for i, follow in enumerate(q.follow_ups, 1):
        lines += ["", f"**Follow-up {i}.** {md_text(follow.prompt)}", ""]
        lines += [f"  - {md_text(p)}" for p in follow.key_points]
    lines += ["", f"Source: {md_text(q.source)}", ""]
    return lines


def render_markdown(tracks: Sequence[Track], cards: Sequence[DrillCard]) -> str:
    """One document: a section per track, its cards in bank order."""
    lines: list[str] = ["# Defense questions", ""]
    for track in tracks:
        mine = [c for c in cards if c.track == track.id]
        if not mine:
            continue
        lines += [
            f"## {md_text(track.title)}",
            "",
            f"`{track.id}` · {track.path.title} · {track.defense_minutes}-minute defense · "
            f"{len(mine)} question{'s' if len(mine) != 1 else ''}",
            "",
        ]
        for number, card in enumerate(mine, 1):
            lines += _card(card, number)
    return "\n".join(lines).rstrip() + "\n"
