"""How a packet is laid out: its kind, its paper, whether key points show.

The one definition of the packet kinds and paper sizes, for the command
line (typer shows them as choices), the jobs and the template context.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["PAGE_SIZES", "PacketKind", "PacketOptions", "Paper"]


class PacketKind(StrEnum):
    """Who the packet is for: the reviewer (blank or recorded) or the candidate."""

    reviewer = "reviewer"
    candidate = "candidate"


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


PAGE_SIZES: dict[Paper, str] = {Paper.a4: "A4", Paper.letter: "letter"}
"""Each paper and its name in CSS ``@page { size: ... }``."""


@dataclass(frozen=True)
class PacketOptions:
    """How a packet is laid out: which kind, which paper, whether key points show."""

    kind: PacketKind = PacketKind.reviewer
    paper: Paper = Paper.a4
    key_points: bool = True
