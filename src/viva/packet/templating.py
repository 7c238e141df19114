"""The packet's Jinja2 environment and the HTML it renders.

One environment per template search path, cached for the life of the
process, with autoescape on for every template: user text (answers, the
candidate's name, user banks) reaches the templates only as variables, is
escaped, and is never compiled as a template. ``$VIVA_HOME/templates`` is
searched before the packaged ``templates/``, so a user can restyle a packet
by copying ``packet.css`` (or a template) there.

Templates run in Jinja2's immutable sandbox: a template may read the packet's
variables, loop, test, call the filters and macros, and include or extend the
other templates; it cannot reach Python internals (``__globals__``,
``__class__``, ...), call unsafe methods or change the data it is given. A
template that tries is refused with one message naming it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from viva.errors import VivaError
from viva.locations import home, template_dir

__all__ = ["STYLESHEET", "TEMPLATE", "environment", "render_html", "stylesheet"]

TEMPLATE = "packet.html.j2"
ZWSP = "\u200b"
BREAK_EVERY = 24
STYLESHEET = "packet.css"


def search_path() -> tuple[Path, ...]:
    user = home() / "templates"
    return (user, template_dir()) if user.is_dir() else (template_dir(),)


def inline_code(text: object) -> Markup:
    """Catalog text with its `backticked` spans set as code; everything escaped."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: print it as it is
        return escape(text)
    return Markup("").join(
        Markup("<code>%s</code>") % part if i % 2 else escape(part) for i, part in enumerate(parts)
    )


_LONG_RUN = re.compile(rf"\S{{{2 * BREAK_EVERY},}}")


def breakable(text: object) -> str:
    """User text with a zero-width space every few characters of a very long
    unbroken run, so that it wraps (a 20,000-character line costs WeasyPrint
    quadratic time when it can only break by ``overflow-wrap``). Shorter
    words are left alone."""
    value = str(text)
    if not _LONG_RUN.search(value):
        return value
    return _LONG_RUN.sub(
        lambda m: ZWSP.join(
            m.group()[i : i + BREAK_EVERY] for i in range(0, len(m.group()), BREAK_EVERY)
        ),
        value,
    )


def capfirst(text: object) -> str:
    value = str(text)
    return value[:1].upper() + value[1:]


@cache
def _environment(paths: tuple[Path, ...]) -> Environment:
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(p)) for p in paths]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=True,
    )
    env.filters["code"] = inline_code
    env.filters["capfirst"] = capfirst
    env.filters["breakable"] = breakable
    return env


def environment() -> Environment:
    """The cached environment for the current template search path."""
    return _environment(search_path())


def stylesheet(env: Environment | None = None) -> Markup:
    """The packet stylesheet, to inline in a ``<style>`` element.

    It is a packaged (or the user's own) file, never user data; the one thing
    that could break out of ``<style>`` is refused.
    """
    env = env or environment()
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, STYLESHEET)
    except TemplateNotFound as exc:  # pragma: no cover - packaged with viva
        raise VivaError(f"the packet stylesheet {STYLESHEET} is missing: reinstall viva") from exc
    if "</style" in source.lower():
        raise VivaError(f"{filename}: a stylesheet must not contain '</style'")
    return Markup(source)


def render_html(context: dict[str, Any]) -> str:
    """The packet as one self-contained HTML document (stylesheet inlined)."""
    env = environment()
    try:
        template = env.get_template(TEMPLATE)
        return template.render(**context, stylesheet=stylesheet(env))
    except SecurityError as exc:
        raise VivaError(
            f"{_where(exc, env)}: the template tried an operation templates may not do "
            f"({exc}); templates may use the packet's variables, filters, loops and "
            "includes only"
        ) from exc
    except TemplateError as exc:  # a user's template with a mistake in it
        raise VivaError(f"{_where(exc, env)}: {exc.message or type(exc).__name__}") from exc


def _where(exc: TemplateError, env: Environment) -> str:
    """The template file (and line) an error comes from, as far as Jinja2 knows."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if name is None:
        for path in search_path():
            if (path / TEMPLATE).is_file():
                name = str(path / TEMPLATE)
                break
    where = name or TEMPLATE
    return f"{where}:{line}" if line else where
