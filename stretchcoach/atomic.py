"""The one way files are written: to a temporary name beside the target, then renamed over it,
so a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def replacing(
    path: Path | str,
    *,
    durable: bool = True,
    binary: bool = False,
    check: Callable[[str], None] | None = None,
) -> Iterator[IO[Any]]:
    """A file that replaces `path` in one rename when the block ends without an error.

    durable: the data, then the folder's new entry, are fsynced, so the file survives a power
    cut (user data); off for caches, which are rebuilt. check: called with the temporary
    file's path before the rename; what it raises cancels the write. The temporary name starts
    with a dot and ends in ".tmp", so no loader ever reads it.
    """
    target = os.fspath(path)
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=None if binary else "") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if check is not None:
            check(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    if durable:
        sync_folder(folder or ".")


def write_atomic(path: Path | str, data: bytes | str, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one rename (see replacing)."""
    binary = isinstance(data, bytes)
    with replacing(path, durable=durable, binary=binary) as handle:
        handle.write(data)


def sync_folder(folder: Path | str) -> None:
    """fsync a folder, so a new name in it survives a power cut too (where the OS allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the file's own data is already synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
