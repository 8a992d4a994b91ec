"""Reading a file safely: regular files only, never blocking, capped while read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Above the largest catalogue we know (benchmarks/make_catalogue.py's 10,000 exercises: 6.7
# MiB; free-exercise-db's 873 records convert to well under 1 MiB) and low enough that any file
# under it loads in seconds: parsing takes about 0.45 s of CPU a MiB, so a 64 MiB cap let a
# file take most of a minute and a gigabyte.
MAX_BYTES = 8 * 1024 * 1024
CHUNK = 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read as a catalogue or import file; the message says why."""


def read_capped(path: Path, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `limit` bytes, and its stat; Unreadable if not.

    The open never blocks (a FIFO with no writer would), anything but a regular file is
    refused before a byte is read, and the cap is enforced while reading: a file that grows,
    or lies about its size, is cut off at `limit` + 1 bytes.
    """
    limit = MAX_BYTES if limit is None else limit  # read at call time: one cap to change
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"not a regular file ({_kind(info.st_mode)}); give a .yaml file")
        if info.st_size > limit:
            raise Unreadable(_too_big(info.st_size, limit))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(_too_big(size, limit, grew=True))
        return b"".join(chunks), info
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _too_big(size: int, limit: int, *, grew: bool = False) -> str:
    what = "the file grew past" if grew else f"the file is {size_text(size, 1)}, over"
    cap = size_text(limit)
    return f"{what} the {cap} cap (a larger file would load too slowly); split it"


def size_text(size: int, decimals: int = 0) -> str:
    """'16 MiB', '1.5 MiB' (one decimal), '64 KiB', '10 bytes'."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.{decimals}f} {unit}"
    return f"{size} bytes"
