"""What every drill test shares: no FSRS fuzzing, a fresh store, the Raft track."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from viva.catalog.loader import Track, load_catalog
from viva.store.database import Store, open_store


@pytest.fixture(autouse=True)
def _no_fuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIVA_FSRS_FUZZ", "0")


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store() as opened:
        yield opened


@pytest.fixture
def raft() -> Track:
    return load_catalog().tracks["go/raft-kv"]
