"""Writing a file whole or not at all: one helper for every output viva writes.

The data goes to a fresh temporary file beside the target, which is renamed
over the target when the block completes and removed when it fails, so a
reader (or a crash) only ever sees the old file or the whole new one. The
new file gets the permissions a plain ``open()`` would give it (0666 less
the umask), not mkstemp's 0600.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from viva.errors import VivaError

__all__ = ["atomic_output", "atomic_path", "write_bytes", "write_text"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path, *, durable: bool = False) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed over it when the block completes.

    ``durable`` fsyncs the file before the rename (for data that cannot be made
    again, such as a backup); a packet or an export can simply be written again.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise VivaError(f"cannot write {target}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        tmp.chmod(0o666 & ~_umask())
        if durable:
            with tmp.open("rb") as handle:
                os.fsync(handle.fileno())
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise VivaError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[IO[bytes]]:
    """A binary file to write ``target`` through, atomically (see atomic_path)."""
    with atomic_path(target) as tmp, tmp.open("wb") as handle:
        yield handle


def write_bytes(target: Path, data: bytes) -> int:
    """Write ``data`` to ``target`` atomically; return its size."""
    with atomic_output(target) as out:
        out.write(data)
    return len(data)


def write_text(target: Path, text: str) -> int:
    """Write UTF-8 ``text`` to ``target`` atomically; return its size in bytes."""
    return write_bytes(target, text.encode("utf-8"))
