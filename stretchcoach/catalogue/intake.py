"""Importing a third-party file as a whole: read it capped, convert it, keep every imported id
clear of the ids already in use, and keep the result only if the loader accepts it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stretchcoach.atomic import replacing
from stretchcoach.catalogue import reading
from stretchcoach.catalogue.files import (
    Unreadable,
    parse_file,
    read_capped,
    size_text,
)
from stretchcoach.catalogue.importer import FORMAT, clean, convert, parse_json, to_yaml
from stretchcoach.errors import CatalogueError, UsageError
from stretchcoach.paths import Paths

# An imported id that is already taken gets this suffix (then -2, -3...), never replaces.
SUFFIX = "-imported"


@dataclass(frozen=True, slots=True)
class Renamed:
    """An imported exercise whose id was taken: its new id, and what holds the old one."""

    old: str
    new: str
    taken_by: str


@dataclass(frozen=True, slots=True)
class Imported:
    """What `import_file` kept: where, how many exercises, and which were renamed."""

    target: Path
    count: int
    renamed: tuple[Renamed, ...]


def default_target(paths: Paths) -> Path:
    return paths.catalogue_dir / f"{FORMAT}.yaml"


def import_file(
    source: Path, paths: Paths, target: Path | None = None, *, force: bool = False
) -> Imported:
    """Convert `source` into a catalogue file at `target`; UsageError if it cannot be kept."""
    target = target or default_target(paths)
    if target.exists() and not force:
        raise UsageError(f"{target} exists", hint="pass --force to replace it")
    try:
        data, _ = read_capped(source)
    except Unreadable as error:
        raise UsageError(f"{source}: {error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{source}: not UTF-8 text ({error.reason})") from None
    exercises = convert(parse_json(text, str(source)))
    renamed = clear_of(exercises, ids_in_use(paths, skip=target))
    # The note is a YAML comment: a line break in the file name must not end it.
    note = f"Imported by stretchcoach from {clean(source.name)} ({FORMAT}); doses filled by rule."
    keep(to_yaml(exercises, note=note), target)
    return Imported(target, len(exercises), tuple(renamed))


def ids_in_use(paths: Paths, *, skip: Path) -> dict[str, str]:
    """Every exercise and routine id defined built in or in the user's folder (but `skip`,
    the file being replaced), with what defines it. Broken files count for what they define."""
    from stretchcoach.catalogue.cache import parse_cached
    from stretchcoach.catalogue.loader import sources

    skipped = os.path.realpath(skip)
    used: dict[str, str] = {}
    for path, name, layer in sources(paths, (), include_user=True):
        if os.path.realpath(path) == skipped:
            continue
        (exercises, routines), _ = parse_cached(path, name, layer == "built-in", paths.cache_dir)
        builtin = layer == "built-in"
        exercise = "a built-in exercise" if builtin else f"an exercise in {name}"
        routine = "a built-in routine" if builtin else f"a routine in {name}"
        used.update((e.id, exercise) for e in exercises)
        used.update((r.id, routine) for r in routines)
    return used


def clear_of(exercises: Iterable[dict[str, Any]], used: dict[str, str]) -> list[Renamed]:
    """Rename, in place, each exercise whose id is in `used`; what was renamed."""
    exercises = list(exercises)
    taken = set(used) | {e["id"] for e in exercises}
    renamed = []
    for exercise in exercises:
        old = exercise["id"]
        if old not in used:
            continue
        new, n = f"{old}{SUFFIX}", 2
        while new in taken:
            new, n = f"{old}{SUFFIX}-{n}", n + 1
        taken.add(new)
        exercise["id"] = new
        renamed.append(Renamed(old, new, used[old]))
    return renamed


def keep(text: str, target: Path) -> None:
    """Write `text` to `target` only if the loader accepts it: checked in a temp file, then
    one rename, so a reader never sees half a file and a bad conversion is never kept."""
    size = len(text.encode("utf-8"))
    if size > reading.MAX_BYTES:
        raise UsageError(
            f"the converted catalogue would be {size_text(size, 1)}, over the "
            f"{size_text(reading.MAX_BYTES)} cap for a catalogue file",
            hint="split the JSON file and import each part with --output",
        )
    target.parent.mkdir(parents=True, exist_ok=True)

    def loads(temporary: str) -> None:  # never keep a file the loader would refuse
        try:
            parse_file(Path(temporary))
        except CatalogueError as error:
            first = error.problems[0].message if error.problems else error.message
            raise UsageError(
                f"the converted catalogue would not load ({first}); nothing was written",
                hint="report this with the record named above",
            ) from None

    with replacing(target, check=loads) as handle:
        handle.write(text)
