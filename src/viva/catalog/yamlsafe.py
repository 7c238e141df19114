"""Safe YAML reading that remembers where every value came from.

Data files are user input. They are composed with PyYAML's pure-Python safe
composer (no object construction, no tags beyond the core schema), anchors and
aliases are refused (no alias bombs), nesting depth and file size are capped,
duplicate keys are errors, and every value's line is kept in a ``LineMap`` so
that schema errors found later can still be located as ``file:line: field``.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from viva.errors import DataError, DataErrors

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "LineMap",
    "Loc",
    "load_yaml",
    "loc_to_field",
]

MAX_BYTES = 2 * 1024 * 1024
MAX_INT_DIGITS = 30
"""Longer integers are refused before Python is asked to convert them."""
MAX_DEPTH = 48

Loc = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}
# Plain scalars that merely *look* like these are kept as the text written.
_AS_TEXT_TAGS = {_CORE + "timestamp", _CORE + "value", _CORE + "merge"}


class LineMap:
    """Line numbers (1-based) of every mapping key and sequence item."""

    def __init__(self) -> None:
        self._lines: dict[Loc, int] = {(): 1}

    def set(self, loc: Loc, line: int) -> None:
        self._lines.setdefault(loc, line)

    def line(self, loc: Iterable[str | int]) -> int:
        """The line of ``loc``, or of its nearest located ancestor."""
        parts = tuple(loc)
        while parts not in self._lines:
            parts = parts[:-1]
        return self._lines[parts]


def loc_to_field(loc: Iterable[str | int]) -> str:
    """``('questions', 3, 'key_points')`` -> ``questions[3].key_points``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(document)"


class _Problem(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


class _SafeComposer(yaml.SafeLoader):
    """Pure-Python composer with a depth cap that refuses anchors and aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Problem(
                event.start_mark.line + 1, "yaml", "anchors and aliases (&, *) are not allowed"
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Problem(
                    event.start_mark.line + 1, "yaml", f"nesting deeper than {MAX_DEPTH} levels"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_scalar_builder = yaml.SafeLoader("")


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _scalar(node: ScalarNode, loc: Loc) -> Any:
    if node.tag in _AS_TEXT_TAGS:
        return node.value
    if node.tag not in _SCALAR_TAGS:
        raise _Problem(
            node.start_mark.line + 1, loc_to_field(loc), f"the tag {_tag(node.tag)} is not allowed"
        )
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_INT_DIGITS:
        raise _Problem(
            node.start_mark.line + 1,
            loc_to_field(loc),
            f"a number of {len(node.value):,} digits; numbers here have at most {MAX_INT_DIGITS}",
        )
    try:
        return _scalar_builder.construct_object(node)
    except (yaml.YAMLError, ValueError) as exc:
        raise _Problem(node.start_mark.line + 1, loc_to_field(loc), str(exc)) from exc


def _build(node: Node, loc: Loc, lines: LineMap) -> Any:
    lines.set(loc, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        return _scalar(node, loc)
    if node.tag not in (_CORE + "map", _CORE + "seq"):
        raise _Problem(
            node.start_mark.line + 1, loc_to_field(loc), f"the tag {_tag(node.tag)} is not allowed"
        )
    if isinstance(node, SequenceNode):
        return [_build(item, (*loc, i), lines) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    out: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
            raise _Problem(key_line, loc_to_field(loc), "mapping keys must be plain text")
        key = str(_scalar(key_node, loc))
        if key in out:
            raise _Problem(
                key_line,
                loc_to_field((*loc, key)),
                f"duplicate key {key!r} (first at line {first_line[key]})",
            )
        first_line[key] = key_line
        lines.set((*loc, key), key_line)
        out[key] = _build(value_node, (*loc, key), lines)
    return out


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        raise _Problem(1, "(file)", "binary content (NUL bytes): not a YAML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _Problem(
            line, "(file)", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from exc


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, LineMap]:
    """Read one YAML document safely; raise ``DataError`` on any problem."""
    name = display or str(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            # A FIFO would block forever, /dev/zero never ends and reports size 0.
            raise _Problem(1, "(file)", "not a regular file (a device, FIFO or folder)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise _Problem(
                1, "(file)", f"file is over {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}"
            )
        text = _decode(raw, name)
        if not text.strip():
            raise _Problem(1, "(file)", "file is empty")
        loader = _SafeComposer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            raise _Problem(1, "(file)", "file holds no YAML document")
        lines = LineMap()
        return _build(node, (), lines), lines
    except _Problem as p:
        raise DataErrors([DataError(name, p.line, p.field, p.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        context = exc.context or ""
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            context += f" (started at line {exc.context_mark.line + 1})"
        msg = " ".join(str(x) for x in (context, exc.problem) if x)
        raise DataErrors([DataError(name, line, "yaml", msg)]) from None
    except yaml.YAMLError as exc:
        raise DataErrors([DataError(name, 1, "yaml", str(exc).splitlines()[0])]) from None
    except RecursionError:
        raise DataErrors([DataError(name, 1, "yaml", "document is nested too deeply")]) from None
    except OSError as exc:
        raise DataErrors([DataError(name, 1, "(file)", exc.strerror or str(exc))]) from None
