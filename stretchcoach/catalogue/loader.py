"""YAML files -> a validated Catalogue; every problem is reported as FILE:LINE:COLUMN.

The YAML is read at the event level with PyYAML's safe (C when available) parser and never
constructed by YAML's own resolver: every scalar is taken as its text and typed by our schema,
so `no`, `on`, `010` and `1:30` mean what the schema says (text, text, decimal 10, 90 seconds).
Tags, anchors and aliases are rejected. Parsed files are cached (marshal'd columns, cache.py)
in the user's cache dir, keyed by path, size, mtime and code version, so a large catalogue
loads fast the second time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from stretchcoach.catalogue.cache import parse, parse_cached
from stretchcoach.catalogue.lookup import did_you_mean
from stretchcoach.errors import CatalogueError, Problem
from stretchcoach.model import (
    Catalogue,
    Exercise,
    LoadedFile,
    Origin,
    Routine,
)
from stretchcoach.paths import Paths, builtin_data_dir

if TYPE_CHECKING:
    from stretchcoach.catalogue.values import Parsed

# files (PyYAML, the schema) is imported only when a file is parsed, not on a warm start.


def _yaml_files(folder: Path, patterns: Sequence[str] = ("*.yaml", "*.yml")) -> list[Path]:
    try:
        return sorted(p for pattern in patterns for p in folder.glob(pattern) if p.is_file())
    except OSError:
        return []


def _expand(path: Path) -> list[Path]:
    """A file, or every *.yaml / *.yml in a folder given on the command line."""
    return _yaml_files(path) if path.is_dir() else [path]


def sources(paths: Paths, extra: Sequence[Path], include_user: bool) -> list[tuple[Path, str, str]]:
    """(path, display name, layer) of every file to load, in load order, each once."""
    out: list[tuple[Path, str, str]] = []
    seen: set[str] = set()

    def add(path: Path, layer: str) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append((path, str(path), layer))

    for path in _yaml_files(builtin_data_dir(), ("*.yaml",)):
        add(path, "built-in")
    if include_user:
        for path in _yaml_files(paths.catalogue_dir):
            add(path, "user")
    for given in extra:
        for path in _expand(Path(given)):
            add(path, "option")
    return out


def load(
    paths: Paths,
    extra: Sequence[Path] = (),
    *,
    include_user: bool = True,
    use_cache: bool = True,
) -> Catalogue:
    """Built-in, then user, then `extra` files merged, later ids winning; CatalogueError."""
    cache_dir = paths.cache_dir if use_cache else None
    problems: list[Problem] = []
    exercises: dict[str, Exercise] = {}
    routines: dict[str, Routine] = {}
    shadowed: dict[str, list[Origin]] = {}
    files: list[LoadedFile] = []
    for path, name, layer in sources(paths, extra, include_user):
        (file_exercises, file_routines), file_problems = parse_cached(
            path, name, layer == "built-in", cache_dir
        )
        problems.extend(file_problems)
        files.append(LoadedFile(name, layer, len(file_exercises), len(file_routines)))
        _merge(file_exercises, exercises, routines, shadowed, problems)
        _merge(file_routines, routines, exercises, shadowed, problems)
    problems.extend(_unresolved(routines.values(), exercises))
    if problems:
        from stretchcoach.catalogue.files import HINT

        raise CatalogueError(problems, hint=HINT)
    return Catalogue(
        exercises=MappingProxyType(exercises),
        routines=MappingProxyType(routines),
        files=tuple(files),
        shadowed=MappingProxyType({k: tuple(v) for k, v in shadowed.items()}),
    )


def _merge(
    records: Iterable[Exercise | Routine],
    into: dict[str, Any],
    others: dict[str, Any],
    shadowed: dict[str, list[Origin]],
    problems: list[Problem],
) -> None:
    for record in records:
        other = others.get(record.id)
        if other is not None and not _same_file(other, record):
            origin = record.origin or Origin("?", 1)
            kind = "exercise" if isinstance(other, Exercise) else "routine"
            problems.append(
                Problem(
                    origin.file, origin.line, origin.column,
                    f"id {record.id!r} is already used by the {kind} at {other.origin}; "
                    "exercises and routines share one set of ids",
                )
            )  # fmt: skip
            continue
        old = into.get(record.id)
        if old is not None and old.origin is not None:
            shadowed.setdefault(record.id, []).append(old.origin)
        into[record.id] = record


def _same_file(a: Exercise | Routine, b: Exercise | Routine) -> bool:
    # The file's own check already reported an id shared inside one file.
    return a.origin is not None and b.origin is not None and a.origin.file == b.origin.file


def _unresolved(routines: Iterable[Routine], exercises: dict[str, Exercise]) -> list[Problem]:
    out = []
    for routine in routines:
        for item in routine.items:
            if item.exercise in exercises:
                continue
            origin = item.origin or routine.origin or Origin("?", 1)
            suggestion = did_you_mean(item.exercise, exercises)
            fix = (
                f"did you mean {suggestion!r}?"
                if suggestion
                else "define it, or load the file that does with --catalogue"
            )
            out.append(
                Problem(
                    origin.file, origin.line, origin.column,
                    f"routine {routine.id!r} names unknown exercise {item.exercise!r}; {fix}",
                )
            )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Checked:
    """The result of validating one file: what it defines and what is wrong with it."""

    path: str
    exercises: int
    routines: int
    problems: tuple[Problem, ...]


def check(files: Sequence[Path], paths: Paths) -> list[Checked]:
    """Each file checked alone, its routines resolved against built-in + user + `files`."""
    builtin = os.path.realpath(builtin_data_dir())
    parsed: list[tuple[str, Parsed, list[Problem]]] = []
    for given in files:
        for path in _expand(Path(given)):
            inside = os.path.realpath(path).startswith(builtin + os.sep)
            result, problems = parse(path, str(path), inside)
            parsed.append((str(path), result, problems))
    known: dict[str, Exercise] = {}
    for path, _name, layer in sources(paths, (), include_user=True):
        # Context only: a broken file here is reported when it is itself validated or loaded.
        (exercises, _routines), _ = parse_cached(
            path, str(path), layer == "built-in", paths.cache_dir
        )
        known.update((e.id, e) for e in exercises)
    for _name, (exercises, _routines), _ in parsed:
        known.update((e.id, e) for e in exercises)
    out = []
    for name, (exercises, routines), problems in parsed:
        found = sorted(problems + _unresolved(routines, known), key=lambda p: (p.line, p.column))
        out.append(Checked(name, len(exercises), len(routines), tuple(found)))
    return out


def validate(files: Sequence[Path], paths: Paths) -> list[Problem]:
    """Every problem in `files`, each checked alone and its routines resolved in context."""
    return [problem for checked in check(files, paths) for problem in checked.problems]
