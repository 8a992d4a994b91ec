"""One record's or the catalogue's view: `show`, `routines`, `info` and `validate`'s lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stretchcoach.durations import format_clock, format_seconds
from stretchcoach.model import DEFAULT_PREPARE, Catalogue, Exercise, Routine
from stretchcoach.plan.compile import compile_routine
from stretchcoach.render.catalogue import (
    ID_STYLE,
    LABEL,
    ROUTINE_SHORT_HEADERS,
    dose_text,
    dose_words,
    exercise_seconds,
    overridden,
)
from stretchcoach.render.styled import Piece, Styled, table
from stretchcoach.render.text import escape


def routine_rows(catalogue: Catalogue) -> list[tuple[str, ...]]:
    """One row per routine (id, name, time), shortest first; ids break ties."""
    timed = [(compile_routine(r, catalogue).total_seconds, r) for r in catalogue.routines.values()]
    timed.sort(key=lambda pair: (pair[0], pair[1].id))
    return [(r.id, r.name, format_clock(seconds)) for seconds, r in timed]


def routines_table(rows: Sequence[Sequence[str]], *, width: int | None = 80) -> Styled:
    """`routines --short` for a terminal: id, name and time within `width` columns."""
    cells = [[escape(cell) for cell in row] for row in rows]
    return table(ROUTINE_SHORT_HEADERS, cells, right=("time",), width=width, shrink=("name",))


# ---------------------------------------------------------------- show, routines, info


def _lines(parts: list[Piece]) -> Styled:
    """Styled text from (style, text) pieces and plain strings, trailing whitespace dropped;
    every piece escaped but its line breaks (paths, whose breaks are data, are escaped whole
    before)."""
    parts = [
        (p[0], _escape_lines(p[1])) if isinstance(p, tuple) else _escape_lines(p) for p in parts
    ]
    while parts and isinstance(parts[-1], str) and not parts[-1].strip():
        parts.pop()
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return Styled(parts)


def _escape_lines(text: str) -> str:
    return "\n".join(escape(line) for line in text.split("\n"))


def exercise_view(exercise: Exercise, catalogue: Catalogue) -> Styled:
    """Every field of an exercise, the dose in words, its sources and where it was defined."""
    dose = exercise.dose
    total = format_clock(exercise_seconds(dose))
    fields = [
        ("kind", exercise.kind),
        ("targets", ", ".join(exercise.targets)),
        ("muscles", ", ".join(exercise.muscles) or "-"),
        ("position", exercise.position),
        ("equipment", ", ".join(exercise.equipment) or "none"),
        ("dose", dose_words(dose)),
        ("time", f"{total} on its own, with {format_seconds(DEFAULT_PREPARE)} to get ready"),
    ]
    parts: list[Piece] = [(ID_STYLE, exercise.id), "  ", (LABEL, exercise.name), "\n"]
    for label, value in fields:
        parts += [(LABEL, f"{label}:".ljust(11)), value, "\n"]
    if exercise.steps:
        parts += [(LABEL, "steps:"), "\n"]
        for number, step in enumerate(exercise.steps, 1):
            parts.append(f"  {number}. {step}\n")
    if exercise.cautions:
        parts += [(LABEL, "cautions:"), "\n"]
        parts += [f"  - {caution}\n" for caution in exercise.cautions]
    if exercise.sources:
        parts += [(LABEL, "sources:"), "\n"]
        for source in exercise.sources:
            parts.append(f"  - {source.title}, {source.publisher}\n")
            parts.append(f"    says: {source.says}\n")
            if source.url:
                parts.append(f"    {source.url}\n")
    parts += _definition(exercise, catalogue)
    return _lines(parts)


def _definition(record: Exercise | Routine, catalogue: Catalogue) -> list[Piece]:
    parts: list[Piece] = []
    if record.origin is not None:
        parts += [(LABEL, "defined in: "), escape(str(record.origin)), "\n"]
    for origin in reversed(overridden(record, catalogue)):
        parts += [(LABEL, "overrides:  "), escape(str(origin)), "\n"]
    return parts


def routine_view(routine: Routine, catalogue: Catalogue, *, definition: bool = False) -> Styled:
    """A routine: name, total time, summary and each exercise with its dose."""
    total = compile_routine(routine, catalogue).total_seconds
    parts: list[Piece] = [
        (ID_STYLE, routine.id), "  ", (LABEL, routine.name), f"  {format_clock(total)}\n",
    ]  # fmt: skip
    if routine.summary:
        parts.append(f"  {routine.summary}\n")
    parts.append(
        f"  get ready {format_seconds(routine.prepare)}, rest {format_seconds(routine.rest)}\n"
    )
    for number, item in enumerate(routine.items, 1):
        exercise = catalogue.exercises[item.exercise]
        dose = dose_text(item.dose_for(exercise))
        parts += [f"  {number}. ", (ID_STYLE, exercise.id), f"  {exercise.name}  {dose}\n"]
    if definition:
        parts += _definition(routine, catalogue)
    return _lines(parts)


def routines_view(catalogue: Catalogue) -> Styled:
    """Every routine, a blank line between them."""
    return Styled.join("\n\n", (routine_view(r, catalogue) for r in catalogue.routines.values()))


def info_view(data: Mapping[str, Any]) -> Styled:
    """The info JSON, laid out for people."""
    home = data["home"] or "not set: platform directories are used"
    rows = [
        ("STRETCHCOACH_HOME", home),
        ("config", data["config_dir"]),
        ("catalogue dir", data["catalogue_dir"]),
        ("history", data["history_db"]),
        ("cache", data["cache_dir"]),
        ("built-in data", data["builtin_dir"]),
    ]
    if "config_file" in data:  # reminder settings: the file and the values in force
        from stretchcoach.remind.settings import summary_line

        rows.append(("settings file", data["config_file"]))
        if data.get("settings"):
            rows.append(("reminders", summary_line(data["settings"])))
    parts: list[Piece] = [(LABEL, f"stretchcoach {data['version']}"), "\n"]
    for label, value in rows:
        parts += [(LABEL, f"{label}:".ljust(19)), escape(value), "\n"]
    files: list[dict[str, Any]] = data["files"]
    if files:
        parts += [(LABEL, "files loaded:"), "\n"]
        width = max(len(f["layer"]) for f in files)
        for f in files:
            counts = f"{_count(f['exercises'], 'exercise')}, {_count(f['routines'], 'routine')}"
            parts.append(f"  {f['layer'].ljust(width)}  {escape(f['path'])}  ({counts})\n")
    shadowed: dict[str, list[dict[str, Any]]] = data["shadowed"]
    if shadowed:
        parts += [(LABEL, "redefined ids (the last file wins):"), "\n"]
        for key, origins in shadowed.items():
            replaced = ", ".join(f"{escape(o['file'])}:{o['line']}" for o in origins)
            parts.append(f"  {key}  replaces {replaced}\n")
    return _lines(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def ok_line(path: str, exercises: int, routines: int) -> str:
    """What `validate` says about a clean file."""
    return f"{escape(path)}: ok ({_count(exercises, 'exercise')}, {_count(routines, 'routine')})"
