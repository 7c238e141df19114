"""The only way a packet render reaches for a resource: packaged assets and ``data:``.

WeasyPrint asks its URL fetcher for every image, stylesheet, font and
attachment a document names. This fetcher answers ``data:`` URIs (decoded in
memory) and ``viva-asset:NAME`` (a file under ``assets/`` of the template
folders) and refuses everything else, ``file:``, ``http:`` and ``https:``
included, before any connection or file access; it never follows a redirect
because it never opens a connection. A refusal is logged by WeasyPrint as a
problem with that resource, and the packet is still rendered.

Imports WeasyPrint: import this module only when rendering.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote
from urllib.request import DataHandler, Request

from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["ASSET_SCHEME", "FetchRefused", "SafeFetcher"]

ASSET_SCHEME = "viva-asset"


class FetchRefused(ValueError):
    """A resource a packet may not load."""


class SafeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Serve packaged assets and ``data:`` URIs; refuse every other URL."""

    def __init__(self, asset_dirs: tuple[Path, ...] = ()) -> None:
        super().__init__(
            timeout=1,
            allowed_protocols=("data", ASSET_SCHEME),
            allow_redirects=False,
            fail_on_errors=False,
        )
        self.asset_dirs = tuple(d.resolve() for d in asset_dirs)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme, sep, rest = url.partition(":")
        scheme = scheme.lower()
        if sep and scheme == "data":
            return self._data(url)
        if sep and scheme == ASSET_SCHEME:
            return self._asset(url, rest)
        self.refused.append(url)
        shown = url if len(url) <= 120 else url[:117] + "..."
        raise FetchRefused(f"packets fetch nothing; refused {shown!r}")

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> Any:
        # urllib-style entry point: the same gate, never urllib's own handlers.
        return self.fetch(url.full_url if isinstance(url, Request) else str(url))

    def _data(self, url: str) -> Any:
        with DataHandler().data_open(Request(url)) as response:
            body = response.read()
            content_type = response.headers.get("Content-Type", "text/plain")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _asset(self, url: str, rest: str) -> Any:
        name = PurePosixPath(unquote(rest.split("?", 1)[0].split("#", 1)[0]).lstrip("/"))
        if not name.parts or any(p in ("..", "") for p in name.parts):
            self.refused.append(url)
            raise FetchRefused(f"not a packaged asset name: {url!r}")
        for folder in self.asset_dirs:
            path = (folder / name).resolve()
            if path.is_relative_to(folder) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise FetchRefused(f"no packaged asset {str(name)!r}")
