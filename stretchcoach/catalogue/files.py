"""Reading one catalogue file: regular files only, capped while read, UTF-8, parsed and checked."""

from __future__ import annotations

from pathlib import Path

from stretchcoach.catalogue.reading import MAX_BYTES, Unreadable, read_capped, size_text
from stretchcoach.catalogue.schema import Checker
from stretchcoach.catalogue.values import Parsed
from stretchcoach.catalogue.yamltree import FileReport, TooManyProblems, position, tree
from stretchcoach.errors import CatalogueError, Problem

__all__ = [
    "HINT",
    "MAX_BYTES",
    "Unreadable",
    "parse",
    "parse_bytes",
    "parse_file",
    "read_capped",
    "size_text",
]


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
        checker = Checker(file, require_source)
        root = tree(data, file, on_item=checker.item_of)
        if file.problems and root is None:
            return ((), ()), file.problems
        parsed = checker.document(root)
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
