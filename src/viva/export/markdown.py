"""The Markdown export: a track's questions with key points and follow-ups,
for reading on screen and printing.

Bank text is written as text: characters Markdown would read as markup are
escaped, so a prompt never turns into a link, a heading or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from viva.catalog.loader import Track
from viva.drill.cards import DrillCard

__all__ = ["render_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md_text(text: str) -> str:
    """Bank text as literal Markdown: one paragraph, markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


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
