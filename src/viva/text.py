"""Text that reaches a terminal or a page stays text.

Bank prompts, catalog titles, answers, candidate names and user files are
data. A control character in them could move the cursor, clear the screen,
retitle the window, write the clipboard (OSC 52) or hide a link (OSC 8); a
bidi override could make "Ann \\u202eecilA" print as "Ann Alice". So:

- :func:`printable` shows every such character visibly (``␛`` for ESC, the
  Unicode control pictures for the other C0 codes, ``\\x9b`` for C1 codes,
  ``\\u202e`` for bidi controls), keeping newlines and tabs; everything viva
  prints of user or bank text passes through it;
- :func:`unsafe_characters` finds them, for ``bank lint`` and ``--candidate``.
"""

from __future__ import annotations

import re

__all__ = [
    "BIDI_CONTROLS",
    "describe",
    "from_terminal",
    "name_characters",
    "printable",
    "unsafe_characters",
]

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that change the direction of the text around them."""

# C0 and C1 controls but newline and tab; bidi controls; lone surrogates (bytes
# that were not UTF-8, as a terminal or argv hands them over)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "\ud800-\udfff]"
)


def _shown(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control and bidi character made visible (newline and tab kept)."""
    return _UNSAFE.sub(lambda m: _shown(m.group()), text)


def from_terminal(line: str) -> str:
    """A line as read from the terminal, with bytes that were not UTF-8 (which
    Python hands over as lone surrogates) turned into U+FFFD, so it can be stored."""
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def unsafe_characters(text: str) -> list[str]:
    """The control and bidi characters in ``text`` (newline and tab allowed), in order."""
    return _UNSAFE.findall(text)


def name_characters(text: str) -> list[str]:
    """What a person's name may not hold: every control, format or line/paragraph
    separator character (newline, tab and zero-width ones too) and lone
    surrogates (bytes that were not UTF-8), in order."""
    import unicodedata

    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


def describe(chars: list[str]) -> str:
    """``ESC (U+001B), RLO (U+202E)``: the characters named for a message."""
    names = {
        0x1B: "ESC",
        0x07: "BEL",
        0x0D: "CR",
        0x0A: "LF",
        0x09: "TAB",
        0x200B: "ZWSP",
        0x2028: "LINE SEPARATOR",
        0x202E: "RLO",
        0x202D: "LRO",
        0x9B: "CSI",
    }
    seen = dict.fromkeys(chars)
    return ", ".join(f"{names.get(ord(c), 'control')} (U+{ord(c):04X})" for c in list(seen)[:5])
