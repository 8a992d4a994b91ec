"""Sessions read back as stored: each session's row with its exercises' rows, in start order.

Two cursors in one read transaction walk the same order, the sessions and a join of their
exercises, and are merged as they go: no per-page lookups, no model objects, memory flat
however long the history. Readers that want models build them from these rows (store.py);
the CSV export formats them straight away (render/history.py).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from typing import TypeAlias

SessionRow: TypeAlias = tuple[
    int, str, str, str, str, str | None, str | None, int, int | None, int | None, str
]
"""id, started_at, ended_at, status, title, routine_id, generation (JSON text),
planned_seconds, check_in_before, check_in_after, session_id."""

ExerciseRow: TypeAlias = tuple[int, str, str, str, int, float]
"""The session's row id, exercise_id, name, targets (JSON array), done (0 or 1), active_seconds."""

_SESSION_COLUMNS = (
    "s.id, s.started_at, s.ended_at, s.status, s.title, s.routine_id, s.generation,"
    " s.planned_seconds, s.check_in_before, s.check_in_after, s.session_id"
)
_EXERCISE_COLUMNS = "s.id, e.exercise_id, e.name, e.targets, e.done, e.active_seconds"

# Rows fetched at a time from each cursor.
PAGE = 500

# Distinct target lists kept decoded; few in a real history, and bounded for any other.
_TARGETS_KEPT = 4096
_targets: dict[str, tuple[str, ...]] = {}


def targets(text: str) -> tuple[str, ...]:
    """An exercise row's targets as a tuple; each distinct JSON text is decoded once."""
    found = _targets.get(text)
    if found is None:
        if len(_targets) >= _TARGETS_KEPT:
            _targets.clear()
        found = _targets[text] = tuple(json.loads(text))
    return found


def read(
    db: sqlite3.Connection,
    where: str = "",
    params: tuple[object, ...] = (),
    *,
    newest_first: bool = False,
    limit: int | None = None,
) -> Iterator[tuple[SessionRow, list[ExerciseRow]]]:
    """Each session matching `where` (on sessions AS s) with its exercises in order, oldest
    first (or newest first), at most limit sessions; ties in start time go by row id."""
    way = "DESC" if newest_first else "ASC"
    order = f"ORDER BY s.started_at {way}, s.id {way}"
    limited = "" if limit is None else f" LIMIT {int(limit)}"
    started = not db.in_transaction
    if started:
        db.execute("BEGIN")  # one snapshot for both cursors
    sessions = db.cursor()
    exercises = db.cursor()
    try:
        sessions.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions AS s {where} {order}{limited}", params
        )
        # The same sessions (chosen before the join multiplies the rows), then each one's
        # exercises by position, which the primary key (session_id, position) serves.
        chosen = f"{where} {order}{limited}" if limit is not None else where
        exercises.execute(
            f"SELECT {_EXERCISE_COLUMNS}"
            f" FROM (SELECT s.id, s.started_at FROM sessions AS s {chosen}) AS s"
            f" LEFT JOIN session_exercises AS e ON e.session_id = s.id {order}, e.position",
            params,
        )
        yield from _merge(sessions, exercises)
    finally:
        # Closed by its reader, or collected after the history was closed, which ended the
        # transaction with the connection.
        with contextlib.suppress(sqlite3.ProgrammingError):
            sessions.close()
            exercises.close()
            if started and db.in_transaction:
                db.execute("COMMIT")


def _merge(
    sessions: sqlite3.Cursor, exercises: sqlite3.Cursor
) -> Iterator[tuple[SessionRow, list[ExerciseRow]]]:
    """The join has a row per exercise, or one of NULLs for a session without any, in the
    sessions' own order: a change of session id there is the next session row."""
    session: SessionRow | None = None
    found: list[ExerciseRow] = []
    current = None
    while page := exercises.fetchmany(PAGE):
        for row in page:
            if row[0] != current:
                if session is not None:
                    yield session, found
                session, current, found = sessions.fetchone(), row[0], []
            if row[1] is not None:
                found.append(row)
    if session is not None:
        yield session, found
