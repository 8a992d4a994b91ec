"""What browse commands show: styled text for people, JSON-ready dicts for programs.

Catalogue text goes into render.styled pieces, never through markup, so `[bold]` in a YAML
name prints as written (and no Rich is imported: these commands must start fast). JSON keys
are stable:

- exercise (`list --json` items, `show --json`): id, name, kind, targets, muscles, position,
  equipment, sides, hold_seconds, hold_text (the hold as shown: "30s", "5 breaths (30s)"),
  reps, sets, total_seconds (the exercise run on its own, with the default get-ready time),
  steps, cautions, sources [{title, publisher, says, url}], defined_in {file, line},
  overrides [{file, line}] (definitions this one replaced, oldest first).
- routine (`routines --json` items, `show ROUTINE --json`): id, name, summary,
  prepare_seconds, rest_seconds, total_seconds, items [{exercise, hold_seconds, reps, sets,
  sides}] (the dose in force: the item's overrides over the exercise's own).
- info (`info --json`): version, home, config_dir, catalogue_dir, history_db, cache_dir,
  builtin_dir, files [{path, layer, exercises, routines}], shadowed {id: [{file, line}]}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain, islice
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from stretchcoach.durations import describe, format_clock, format_seconds
from stretchcoach.model import (
    DEFAULT_PREPARE,
    DEFAULT_REST,
    Catalogue,
    Dose,
    Exercise,
    Origin,
    Routine,
    item_seconds,
)
from stretchcoach.plan.compile import compile_routine
from stretchcoach.render.styled import STYLES, Styled, clean, table
from stretchcoach.render.text import escape

LIST_HEADERS = ("id", "name", "targets", "position", "dose", "time")
# What `list` shows unless asked for every column (--wide): fits 80 columns.
LIST_NARROW = ("id", "name", "dose", "time")
ROUTINE_SHORT_HEADERS = ("id", "name", "time")
LABEL = "bold"
ID_STYLE = "cyan"
_ID_OF, _NAME, _TARGETS, _POSITION, _DOSE = map(
    attrgetter, ("id", "name", "targets", "position", "dose")
)
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_ASCII_CONTROLS = bytes([*range(0x20), 0x7F])
T = TypeVar("T")

# ---------------------------------------------------------------- words


def dose_text(dose: Dose) -> str:
    """The dose in short: "30s", "2s × 10 each side", "10 reps of 2s, 3 sets"."""
    if dose.work == "reps":
        out = f"{dose.reps} rep{'' if dose.reps == 1 else 's'} of {_seconds_text(dose.hold)}"
    else:
        out = _describe(dose.hold, dose.hold_text)
        if dose.reps > 1:
            out += f" × {dose.reps}"
    if dose.sides == "each":
        out += " each side"
    elif dose.sides == "alternate":
        out += " alternating sides"
    if dose.sets > 1:
        out += f", {dose.sets} sets"
    return out


def dose_words(dose: Dose) -> str:
    """The dose in words: "hold 2s, 10 times on each side", "10 reps of 2s each, ..."."""
    if dose.work == "reps":
        out = f"{dose.reps} rep{'' if dose.reps == 1 else 's'} of {format_seconds(dose.hold)} each"
        if dose.between > 0 and dose.reps > 1:
            out += f", {format_seconds(dose.between)} to return between them"
    else:
        times = "once" if dose.reps == 1 else f"{dose.reps} times"
        out = f"hold {describe(dose.hold, dose.hold_text)}, {times}"
        if dose.between > 0 and dose.reps > 1:
            out += f", {format_seconds(dose.between)} to relax between"
    if dose.sides == "each":
        out += " on each side (left, then right)"
    elif dose.sides == "alternate":
        out += " per side, alternating left and right"
    if dose.sets > 1:
        out += f"; {dose.sets} sets"
    return out


# Pure functions of a few values that repeat across a large list: asked once per value.
_clock = lru_cache(maxsize=4096)(format_clock)
_describe = lru_cache(maxsize=4096)(describe)
_seconds_text = lru_cache(maxsize=4096)(format_seconds)


def exercise_seconds(dose: Dose, prepare: int = DEFAULT_PREPARE, rest: int = DEFAULT_REST) -> int:
    """Seconds the exercise takes run on its own."""
    return item_seconds(dose, prepare, rest)


def _where(origin: Origin | None) -> dict[str, Any] | None:
    return None if origin is None else {"file": origin.file, "line": origin.line}


# ---------------------------------------------------------------- JSON


def exercise_json(exercise: Exercise, catalogue: Catalogue) -> dict[str, Any]:
    """The exercise as a JSON-ready dict with stable keys."""
    dose = exercise.dose
    return {
        "id": exercise.id,
        "name": exercise.name,
        "kind": exercise.kind,
        "targets": list(exercise.targets),
        "muscles": list(exercise.muscles),
        "position": exercise.position,
        "equipment": list(exercise.equipment),
        "sides": dose.sides,
        "hold_seconds": dose.hold,
        "hold_text": describe(dose.hold, dose.hold_text),
        "reps": dose.reps,
        "sets": dose.sets,
        "total_seconds": exercise_seconds(dose),
        "steps": list(exercise.steps),
        "cautions": list(exercise.cautions),
        "sources": [
            {"title": s.title, "publisher": s.publisher, "says": s.says, "url": s.url}
            for s in exercise.sources
        ],
        "defined_in": _where(exercise.origin),
        "overrides": [_where(o) for o in overridden(exercise, catalogue)],
    }


def routine_json(routine: Routine, catalogue: Catalogue) -> dict[str, Any]:
    """The routine as a JSON-ready dict with stable keys."""
    items = []
    for item in routine.items:
        dose = item.dose_for(catalogue.exercises[item.exercise])
        items.append(
            {
                "exercise": item.exercise,
                "hold_seconds": dose.hold,
                "reps": dose.reps,
                "sets": dose.sets,
                "sides": dose.sides,
            }
        )
    return {
        "id": routine.id,
        "name": routine.name,
        "summary": routine.summary,
        "prepare_seconds": routine.prepare,
        "rest_seconds": routine.rest,
        "total_seconds": compile_routine(routine, catalogue).total_seconds,
        "items": items,
    }


def info_json(
    *, version: str, home: str | None, paths: Any, builtin_dir: str, catalogue: Catalogue | None
) -> dict[str, Any]:
    """Where stretchcoach reads and writes, and what it loaded."""
    return {
        "version": version,
        "home": home,
        "config_dir": str(paths.config_dir),
        "catalogue_dir": str(paths.catalogue_dir),
        "history_db": str(paths.history_db),
        "cache_dir": str(paths.cache_dir),
        "builtin_dir": builtin_dir,
        "files": [
            {"path": f.path, "layer": f.layer, "exercises": f.exercises, "routines": f.routines}
            for f in (catalogue.files if catalogue else ())
        ],
        "shadowed": {
            key: [_where(o) for o in origins]
            for key, origins in (catalogue.shadowed.items() if catalogue else ())
        },
    }


def overridden(record: Exercise | Routine, catalogue: Catalogue) -> tuple[Origin, ...]:
    return tuple(catalogue.shadowed.get(record.id, ()))


# ---------------------------------------------------------------- list


def list_columns(
    exercises: Sequence[Exercise], *, wide: bool = True, inert: Callable[[str], str] = str
) -> list[list[str]]:
    """The list's cells column by column, in LIST_HEADERS order, or LIST_NARROW's unless wide;
    `inert` (escape, say: it must leave printable text as it is) applied to every cell."""
    leading, doses, worded = _list_cells(exercises, wide=wide, inert=inert)
    words = list(map(worded.__getitem__, doses))
    return [*leading, list(map(_FIRST, words)), list(map(_SECOND, words))]


def _list_cells(
    exercises: Sequence[Exercise], *, wide: bool, inert: Callable[[str], str]
) -> tuple[list[list[str]], list[Dose], dict[Dose, tuple[str, str]]]:
    """The list's cells before the dose (id, name, and when wide targets and position) column
    by column, each exercise's dose, and each distinct dose's text and time; all inert.

    Each column is a C-level map over the exercises, and the texts that repeat (doses,
    targets, positions) are made once each: 10,000 rows take a few milliseconds.
    """
    doses = list(map(_DOSE, exercises))
    # Doses are shared between exercises (the parser interns them): word each one once.
    worded = {
        dose: (inert(dose_text(dose)), inert(_clock(exercise_seconds(dose))))
        for dose in dict.fromkeys(doses)
    }
    leading = [_each(map(_ID_OF, exercises), inert), _each(map(_NAME, exercises), inert)]
    if wide:
        leading += [_once(map(_TARGETS, exercises), lambda t: inert(", ".join(t)))]
        leading += [_once(map(_POSITION, exercises), inert)]
    return leading, doses, worded


def _each(texts: Iterable[str], inert: Callable[[str], str]) -> list[str]:
    """`inert` of each text, called only if some text is not printable (one check for all)."""
    out = list(texts)
    return out if _printable("".join(out)) else list(map(inert, out))


def _printable(text: str) -> bool:
    """`text.isprintable()`, three times as fast for ASCII text: printable unless it holds a
    control character, which a byte scan finds (isprintable looks each character up)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) == len(data)
    return text.isprintable()


def _once(values: Iterable[T], show: Callable[[T], str]) -> list[str]:
    """`show` of each value, called once per distinct value."""
    values = list(values)
    shown = {value: show(value) for value in dict.fromkeys(values)}
    return list(map(shown.__getitem__, values))


def list_rows(exercises: Sequence[Exercise], *, wide: bool = True) -> list[tuple[str, ...]]:
    """One row of text per exercise, in LIST_HEADERS order, or LIST_NARROW's unless wide."""
    return list(zip(*list_columns(exercises, wide=wide), strict=True))


def list_plain(exercises: Sequence[Exercise], *, wide: bool = False) -> str:
    """The list for pipes and logs: what `plain_table` makes of `list_rows`."""
    return "".join(list_plain_parts(exercises, wide=wide))


def list_plain_parts(exercises: Sequence[Exercise], *, wide: bool = False) -> Iterator[str]:
    """`list_plain` in parts of a few thousand lines, to be written one after another."""
    return _list_parts(exercises, wide=wide, inert=escape)


def list_screen(
    exercises: Sequence[Exercise], *, wide: bool = False, width: int | None = 80, color: bool
) -> str:
    """The list for a terminal: what `list_table` of `list_rows` draws (`Styled.ansi`)."""
    return "".join(list_screen_parts(exercises, wide=wide, width=width, color=color))


def list_screen_parts(
    exercises: Sequence[Exercise], *, wide: bool = False, width: int | None = 80, color: bool
) -> Iterator[str]:
    """`list_screen` in parts of a few thousand lines, to be written one after another."""
    return _list_parts(
        exercises,
        wide=wide,
        inert=lambda text: clean(escape(text)),
        width=None if wide else width,
        screen=True,
        bold=color,
    )


# Lines in one part of a list: about 50 KB of text, under the C allocator's threshold for
# mapping fresh memory, so each part reuses the memory of the one before. The whole list as
# one string (and its UTF-8 copy, and its format) took 900 page faults for 10,000 lines,
# 2 ms or more in a virtual machine.
PART_LINES = 1000


def _list_parts(
    exercises: Sequence[Exercise],
    *,
    wide: bool,
    inert: Callable[[str], str],
    width: int | None = None,
    screen: bool = False,
    bold: bool = False,
) -> Iterator[str]:
    """The list as `plain_table` (or, on a `screen`, `render.styled.table` within `width`)
    lays it out, built column by column: the header line, then parts of PART_LINES lines.

    Each line is a %-format of the cells before the dose and a tail made once per distinct
    dose (its text padded, then its time: the last columns): a str.format call per line,
    or padding each cell on its own, took half as long again.
    """
    headers = LIST_HEADERS if wide else LIST_NARROW  # both end with the dose and the time
    leading, doses, worded = _list_cells(exercises, wide=wide, inert=inert)
    longest = [
        *(max(map(len, column), default=0) for column in leading),
        max((len(text) for text, _ in worded.values()), default=0),
        max((len(time) for _, time in worded.values()), default=0),
    ]
    *fits, dose_fit, time_fit = _fitted(headers, longest, width=width, shrink=("name", "dose"))
    if screen:  # cut what is over its width with "…", as `table` does
        for i, fit in enumerate(fits):
            if longest[i] > fit:
                leading[i] = [_cut(cell, fit) for cell in leading[i]]
        worded = {dose: (_cut(text, dose_fit), time) for dose, (text, time) in worded.items()}
    # On a screen the time is right-aligned (`table`'s right=("time",)); in plain text the
    # last column is not padded.
    tail = f"%-{dose_fit}s  " + (f"%{time_fit}s" if screen else "%s")
    tails = {dose: tail % words for dose, words in worded.items()}
    line = "  ".join([*(f"%-{fit}s" for fit in fits), "%s"])
    head = (line % (*headers[:-2], tail % headers[-2:])).rstrip()
    yield f"\x1b[{STYLES['bold']}m{head}\x1b[0m\n" if bold and head else head + "\n"
    rows = zip(*leading, map(tails.__getitem__, doses), strict=True)
    if all(text and not text[-1].isspace() for text in tails.values()):
        # No line ends in whitespace to drop: a part is one %-format, with no string made
        # per line and none joined (a third of the time a line at a time).
        cells = len(leading) + 1
        block = f"{line}\n" * PART_LINES
        while args := tuple(chain.from_iterable(islice(rows, PART_LINES))):
            count = len(args) // cells
            yield (block if count == PART_LINES else f"{line}\n" * count) % args
    else:
        while part := list(islice(rows, PART_LINES)):
            yield "".join([(line % row).rstrip() + "\n" for row in part])


def _cut(cell: str, fit: int) -> str:
    return cell if len(cell) <= fit else cell[: fit - 1] + "…"


def _fitted(
    headers: Sequence[str], longest: Sequence[int], *, width: int | None, shrink: Sequence[str]
) -> list[int]:
    """Column widths as `render.styled.table` sets them (`longest`: each column's longest
    cell): over `width`, the widest `shrink` column loses a character at a time, to a floor."""
    widths = [max(len(h), most) for h, most in zip(headers, longest, strict=True)]
    if width is not None:
        over = sum(widths) + 2 * (len(headers) - 1) - width
        floors = {headers.index(name): max(len(name), 8) for name in shrink}
        while over > 0:
            cuttable = [i for i, floor in floors.items() if widths[i] > floor]
            if not cuttable:
                break
            widths[max(cuttable, key=lambda i: widths[i])] -= 1
            over -= 1
    return widths


def narrow_rows(rows: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """The rows cut down to the LIST_NARROW columns."""
    from operator import itemgetter

    pick = itemgetter(*[LIST_HEADERS.index(h) for h in LIST_NARROW])
    return [pick(row) for row in rows]


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded with spaces, nothing cut or wrapped: for pipes, logs and grep."""
    if not "".join(["".join(row) for row in rows]).isprintable():  # one check for them all
        rows = [[escape(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for i, column in enumerate(zip(*rows, strict=True)):
        widths[i] = max(widths[i], max(map(len, column)))
    # One %-format a line; the last column is not padded.
    line = "  ".join([*(f"%-{w}s" for w in widths[:-1]), "%s"])
    lines = [(line % tuple(headers)).rstrip(), *(line % tuple(row) for row in rows)]
    return "\n".join(map(str.rstrip, lines)) + "\n"


def list_table(
    rows: Sequence[Sequence[str]], *, wide: bool = False, width: int | None = 80
) -> Styled:
    """The list for a terminal: id, name, dose and time within `width` columns (names and
    doses cut with "…" when they must be), or every column, uncut, when wide."""
    cells = [[escape(cell) for cell in row] for row in rows]
    if wide:
        return table(LIST_HEADERS, cells, right=("time",))
    narrow = [list(row) for row in narrow_rows(cells)]
    return table(LIST_NARROW, narrow, right=("time",), width=width, shrink=("name", "dose"))
