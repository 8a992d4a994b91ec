"""Reading one catalogue file: regular files only, capped while read, UTF-8, parsed and checked."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from stretchcoach.catalogue.schema import Checker
from stretchcoach.catalogue.values import Parsed
from stretchcoach.catalogue.yamltree import FileReport, TooManyProblems, position, tree
from stretchcoach.errors import CatalogueError, Problem

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
    limit = MAX_BYTES if limit is None else limit
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


def _read(path: Path, name: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problems that stop it being read."""
    try:
        data, _info = read_capped(path)
    except Unreadable as error:
        return None, [Problem(name, 1, 1, str(error))]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(name, 1, 1, "the file is UTF-16; save it as UTF-8")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = position(data, error.start)
        byte = data[error.start]
        return None, [
            Problem(
                name, line, column, f"invalid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
            )
        ]
    return data, []


def parse_bytes(data: bytes, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    """The exercises and routines in `data`, and every problem found in it."""
    file = FileReport(name)
    try:
        root = tree(data, file)
        if file.problems and root is None:
            return ((), ()), file.problems
        parsed = Checker(file, require_source).document(root)
    except TooManyProblems:
        return ((), ()), file.problems  # in file order already; the last says it stopped
    file.problems.sort(key=lambda p: (p.line, p.column))
    return parsed, file.problems


def parse(path: Path, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    data, problems = _read(path, name)
    if data is None:
        return ((), ()), problems
    return parse_bytes(data, name, require_source)


def parse_file(path: Path, *, require_source: bool = False) -> Parsed:
    """The exercises and routines of one file; CatalogueError listing every problem in it."""
    parsed, problems = parse(path, str(path), require_source)
    if problems:
        raise CatalogueError(problems, hint=HINT)
    return parsed


HINT = "fix the lines above; `stretchcoach validate FILE` checks a file"
