"""Writing a file whole or not at all: one helper for every output viva writes.

The data goes to a fresh temporary file beside the target, which is renamed
over the target when the block completes and removed when it fails, so a
reader (or a crash) only ever sees the old file or the whole new one. The
new file gets the permissions a plain ``open()`` would give it (0666 less
the umask), not mkstemp's 0600.

Only a regular file is ever replaced: a target that is a device, a FIFO, a
socket or a folder is refused before anything is written, and a symbolic
link is written through (the file it points to is replaced, the link stays).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from viva.errors import VivaError

__all__ = [
    "atomic_output",
    "atomic_path",
    "make_folder",
    "output_target",
    "write_bytes",
    "write_text",
]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def output_target(target: Path) -> Path:
    """The file to replace for ``target``: itself, or what a symbolic link points to.

    Raises :class:`VivaError` when it is there and not a regular file, so a
    device, FIFO or folder is never replaced by a file.
    """
    try:
        mode = target.stat().st_mode  # follows links: /dev/stdout is what it points to
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise VivaError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if mode is not None:
        for test, kind in _KINDS:
            if test(mode):
                what = f"it links to {kind}" if target.is_symlink() else f"it is {kind}"
                raise VivaError(f"cannot write {target}: {what}, not a file")
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def make_folder(folder: Path, what: str) -> None:
    """Create ``folder`` (and its parents) when it is missing, as ``mkdir -p``
    does; ``what`` starts the message when that cannot be done."""
    if folder.is_dir():
        return
    if folder.exists():
        raise VivaError(f"{what}: {folder} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VivaError(f"{what}: cannot create folder {folder} ({exc.strerror or exc})") from exc


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
    target = output_target(target)
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
