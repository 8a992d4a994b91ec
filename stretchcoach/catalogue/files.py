"""Reading one catalogue file: regular files only, capped, UTF-8, parsed and checked."""

from __future__ import annotations

from pathlib import Path

from stretchcoach.catalogue.schema import Checker
from stretchcoach.catalogue.values import Parsed
from stretchcoach.catalogue.yamltree import FileReport, position, tree
from stretchcoach.errors import CatalogueError, Problem

# Far above a 10,000-exercise catalogue (about 6 MiB), far below what hurts memory.
MAX_BYTES = 64 * 1024 * 1024


# ---------------------------------------------------------------- files


def _read(path: Path, name: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problems that stop it being read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                Problem(
                    name, 1, 1,
                    f"the file is {size / 1024 / 1024:.1f} MiB, over the "
                    f"{MAX_BYTES // 1024 // 1024} MiB cap for a catalogue file; "
                    "split it into several files",
                )
            ]  # fmt: skip
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(name, 1, 1, f"cannot read the file: {error.strerror or error}")]
    if len(data) > MAX_BYTES:  # it grew between stat and read
        return None, [
            Problem(name, 1, 1, f"the file is over the {MAX_BYTES // 1024 // 1024} MiB cap")
        ]
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


def parse(path: Path, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    data, problems = _read(path, name)
    if data is None:
        return ((), ()), problems
    file = FileReport(name)
    root = tree(data, file)
    if file.problems and root is None:
        return ((), ()), file.problems
    parsed = Checker(file, require_source).document(root)
    file.problems.sort(key=lambda p: (p.line, p.column))
    return parsed, file.problems


def parse_file(path: Path, *, require_source: bool = False) -> Parsed:
    """The exercises and routines of one file; CatalogueError listing every problem in it."""
    parsed, problems = parse(path, str(path), require_source)
    if problems:
        raise CatalogueError(problems, hint=HINT)
    return parsed


HINT = "fix the lines above; `stretchcoach validate FILE` checks a file"
