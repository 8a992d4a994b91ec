"""How the export looks: every session as CSV lines or JSON text, a chunk at a time.

Both are built from the stored rows or the models as they are read, so memory stays flat
however long the history; each is the text its standard-library writer would give.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Generator, Iterable, Sequence
from itertools import repeat
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

from stretchcoach.history import rows
from stretchcoach.history.rows import ExerciseRow, SessionRow
from stretchcoach.history.store import RecordedSession
from stretchcoach.render.history import session_json

CSV_COLUMNS = (
    "session_id",
    "started_at",
    "ended_at",
    "status",
    "title",
    "routine_id",
    "generation",
    "planned_seconds",
    "session_active_seconds",
    "check_in_before",
    "check_in_after",
    "position",
    "exercise_id",
    "exercise_name",
    "targets",
    "done",
    "active_seconds",
)


def export_csv(
    sessions: Iterable[tuple[SessionRow, Sequence[ExerciseRow]]],
) -> Generator[str, None, None]:
    """The CSV export, header first, a chunk of lines at a time: a line per exercise of each
    session (CSV_COLUMNS), one for a session without any.

    The text is what csv.writer (lineterminator "\\n") writes for these values, built with
    f-strings from the stored rows: csv.writer's loop over every character, and a model
    object per session, cost more than the rest of the export together.
    """
    yield ",".join(map(csv_cell, CSV_COLUMNS)) + "\n"
    # Times are stored as format_utc writes them and the generation as json.dumps(...,
    # sort_keys=True) does: their stored text is their text here.
    cells = _Cells(csv_cell)
    areas = _Cells(lambda stored: csv_cell(";".join(rows.targets(stored))))
    lines: list[str] = []
    for session, exercises in sessions:
        sid, started, ended, status, title, routine, generation, planned, before, after, _ = session
        head = (
            f"{sid},{started},{ended},{status},{cells[title]},{cells[routine]},"
            f"{cells[generation]},{planned},{tenths(sum(map(_SECONDS, exercises)))},"
            f"{'' if before is None else before},{'' if after is None else after},"
        )
        if not exercises:
            lines.append(head + ",,,,,\n")
        for position, (_, exercise_id, name, targets, done, seconds) in enumerate(exercises, 1):
            # tenths(seconds), its common case inline: a call a row would cost more.
            rounded = f"{seconds:.1f}" if -_FIXED < seconds < _FIXED else tenths(seconds)
            lines.append(
                f"{head}{position},{cells[exercise_id]},{cells[name]},{areas[targets]},"
                f"{'true' if done else 'false'},{rounded}\n"
            )
        if len(lines) >= _CHUNK_LINES:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)


# The session's active seconds: the sum of its exercises', in order, as SessionResult has it.
_SECONDS = itemgetter(5)
# Lines joined into one write, about 130 bytes each.
_CHUNK_LINES = 2000
# Under this, f"{x:.1f}" is the text of round(x, 1): both are correctly rounded, half to even.
# Beyond it (millions of years), the float nearest a tenth can print otherwise.
_FIXED = 1e14


def tenths(seconds: float) -> str:
    """Seconds rounded to 0.1, as csv.writer writes round(float(seconds), 1)."""
    if -_FIXED < seconds < _FIXED:
        return f"{seconds:.1f}"
    return str(round(float(seconds), 1))


# csv.writer quotes a field only if it holds one of these (a lone \r: from Python 3.11.9, 3.12.3).
_QUOTED = re.compile('[,"\r\n]')


def csv_cell(text: str | None) -> str:
    """One text field as csv.writer writes it within a row: None as nothing, quoted if needed."""
    if text is None:
        return ""
    if _QUOTED.search(text) is None:
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow((text, ""))  # not alone: "" is quoted then
    return buffer.getvalue()[:-2]


class _Cells(dict[Any, str]):
    """Fields by stored value, each formatted once; emptied when large, so memory stays flat
    (a history has few distinct titles, exercises and target lists, but may have many)."""

    LIMIT = 4096

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, stored: Any) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        self[stored] = found = self._make(stored)
        return found


def export_json(sessions: Iterable[RecordedSession]) -> Generator[str, None, None]:
    """The JSON export, a chunk at a time: the text of json.dumps(history_json(sessions),
    indent=2, ensure_ascii=False), sessions oldest first."""
    out: list[str] = []
    opened = False
    for recorded in sessions:
        out.append(",\n  " if opened else "[\n  ")
        opened = True
        indented(session_json(recorded), out, "\n  ")
        if len(out) >= _CHUNK_PIECES:
            yield "".join(out)
            out.clear()
    out.append("\n]\n" if opened else "[]\n")
    yield "".join(out)


# Pieces of JSON text joined into one write: about 100 a session.
_CHUNK_PIECES = 20_000


def indented(value: Any, out: list[str], newline: str = "\n") -> None:
    """Append json.dumps(value, indent=2, ensure_ascii=False)'s text to out, nested under
    newline (a line break and the indent so far).

    json runs its pure-Python encoder when asked to indent, a generator per container and
    a call per value: most of the JSON export's time. Here a value of a plain JSON type costs
    a lookup, and anything else (empty, a subclass, keys that are not text, what JSON cannot
    hold) is left to json.dumps itself.
    """
    text = _SCALARS.get(type(value))
    if text is not None:
        out.append(text(value))
        return
    kind = type(value)
    if (kind is list or kind is tuple) and value:
        inner = newline + "  "
        out.append("[")
        for n, item in enumerate(value):
            text = _SCALARS.get(type(item))
            if text is not None:
                out.append(f"{',' if n else ''}{inner}{text(item)}")
            else:
                out.append(f"{',' if n else ''}{inner}")
                indented(item, out, inner)
        out.append(newline + "]")
    elif kind is dict and value and all(map(isinstance, value, repeat(str))):
        inner = newline + "  "
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            text = _SCALARS.get(type(item))
            if text is not None:
                out.append(f"{',' if n else ''}{inner}{_json_string(key)}: {text(item)}")
            else:
                out.append(f"{',' if n else ''}{inner}{_json_string(key)}: ")
                indented(item, out, inner)
        out.append(newline + "}")
    else:
        out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline))


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_json_string = encode_basestring  # what json.dumps(ensure_ascii=False) uses, in C
# The text of a value of each plain JSON type, as json.dumps writes it.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _json_string,
    int: int.__repr__,
    float: _json_float,
    bool: {True: "true", False: "false"}.__getitem__,
    type(None): {None: "null"}.__getitem__,
}
