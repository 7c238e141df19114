"""How a packet is laid out: its kind, its paper, whether key points show,
how much room the reviewer gets for notes.

The one definition of the packet kinds, paper sizes and note sizes, for the
command line (typer shows them as choices), the jobs and the template context.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["PAGE_SIZES", "NoteSize", "PacketKind", "PacketOptions", "Paper"]


class PacketKind(StrEnum):
    """Who the packet is for: the reviewer (blank or recorded), the candidate, or
    the record of a reviewed defense (its scores, notes and verdict)."""

    reviewer = "reviewer"
    candidate = "candidate"
    scored = "scored"


class NoteSize(StrEnum):
    """The note box of each question in a reviewer packet: ``normal`` (a few
    lines) or ``large`` (at least a third of a page, for handwritten notes)."""

    normal = "normal"
    large = "large"


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


PAGE_SIZES: dict[Paper, str] = {Paper.a4: "A4", Paper.letter: "letter"}
"""Each paper and its name in CSS ``@page { size: ... }``."""


@dataclass(frozen=True)
class PacketOptions:
    """How a packet is laid out: which kind, which paper, whether key points show,
    how large each question's note box is."""

    kind: PacketKind = PacketKind.reviewer
    paper: Paper = Paper.a4
    key_points: bool = True
    notes: NoteSize = NoteSize.normal
