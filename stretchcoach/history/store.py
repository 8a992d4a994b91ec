"""The session history: one SQLite file, migrated step by step, written one session at a time."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from stretchcoach.errors import HistoryError
from stretchcoach.history import rows
from stretchcoach.history.connection import (
    BUSY_TIMEOUT_MS,
    Damaged,
    as_history_error,
    connect,
    move_aside,
)
from stretchcoach.history.migrations import MIGRATIONS, SCHEMA_VERSION
from stretchcoach.history.stats import Digest
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

__all__ = ["BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "History", "RecordedSession", "open_history"]

# Connections History.leave() hands to the process's end (Python < 3.12).
_LEFT_OPEN: list[sqlite3.Connection] = []


@dataclass(frozen=True, slots=True)
class RecordedSession:
    """A session as stored: its row id and what happened."""

    id: int
    result: SessionResult


def format_utc(moment: dt.datetime) -> str:
    """A timezone-aware moment as fixed-width UTC ISO-8601, so text order is time order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a session time must be timezone-aware, got {moment!r}")
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> dt.datetime:
    """The inverse of format_utc."""
    # Python 3.10's fromisoformat does not read the "Z" suffix; 3.11's does.
    moment = dt.datetime.fromisoformat(
        text.removesuffix("Z") + "+00:00" if text.endswith("Z") else text
    )
    return moment if moment.tzinfo is dt.timezone.utc else moment.astimezone(dt.timezone.utc)


def open_history(
    path: Path,
    *,
    verify: bool = True,
    now: Callable[[], dt.datetime] = dt.datetime.now,
    pending: Callable[[History], list[str]] | None = None,
    busy_ms: int = BUSY_TIMEOUT_MS,
) -> History:
    """Open (creating and migrating) the history at path; a damaged file is moved aside first.

    verify runs SQLite's quick_check, which reads the whole file: done before a session,
    skipped by the read-only views, which still catch damage when a query meets it.
    pending merges sessions waiting in the journal and returns what to tell the user.
    busy_ms is how long to wait for another process's lock before giving up.
    """
    path = Path(path)
    notices: list[str] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HistoryError(
            f"cannot create the folder for the history database {path.parent}: "
            f"{error.strerror or error}",
            hint="set STRETCHCOACH_HOME to a folder you can write to",
        ) from None
    try:
        connection = connect(path, verify=verify, busy_ms=busy_ms)
    except Damaged as damage:
        try:
            aside = move_aside(path, now())
        finally:
            damage.close()
        notices.append(
            f"the history database {path} was damaged ({damage.reason}); "
            f"it was moved to {aside} and a new one started"
        )
        try:
            connection = connect(path, verify=False, busy_ms=busy_ms)
        except Damaged as again:
            again.close()
            raise HistoryError(
                f"cannot start a new history database at {path}: {again.reason}"
            ) from None
    history = History(connection, path, notices)
    try:
        history.migrate()
        if pending is not None:
            history.notices.extend(pending(history))
    except BaseException:
        history.close()
        raise
    return history


class History:
    """An open history database. Use open_history() to get one; close it, or use `with`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, notices: list[str]) -> None:
        self._db = connection
        self.path = path
        self.notices = notices

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def leave(self) -> None:
        """Close without the checkpoint, for a process that ends right after (os._exit).

        Every commit is already durable in the -wal (synchronous=FULL). Closing the last
        connection copies the -wal into the main file and deletes it, about 5 ms; the next
        opener replays a -wal it finds, so that work can wait. Python 3.12 can tell SQLite so;
        before it, the connection stays open and ends with the process.
        """
        if sys.version_info >= (3, 12):
            self._db.setconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)
            self._db.close()
        else:
            _LEFT_OPEN.append(self._db)

    def wait_for_locks(self, seconds: float) -> None:
        """How long a write waits for another process's lock before HistoryBusy."""
        self._db.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, upto: int = SCHEMA_VERSION) -> None:
        """Apply the missing migration steps up to version upto, each in its own transaction."""
        with self._errors():
            while self.schema_version < upto:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    # Read again under the write lock: another process may have just migrated.
                    version = self.schema_version
                    if version < upto:
                        for statement in MIGRATIONS[version].statements:
                            self._db.execute(statement)
                        self._db.execute(f"PRAGMA user_version = {version + 1}")
                    self._db.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise

    def record(self, result: SessionResult) -> int:
        """Store one session and its exercises in one transaction; return its row id.

        Idempotent on result.session_id: a session already stored is not stored again, only
        check-in answers it lacks are filled in.
        """
        session_id = result.session_id or uuid.uuid4().hex
        session_row = (
            session_id,
            format_utc(result.started_at),
            format_utc(result.ended_at),
            SessionStatus(result.status).value,
            result.title,
            result.routine_id,
            None if result.generation is None else json.dumps(result.generation, sort_keys=True),
            int(result.planned_seconds),
            result.check_in_before,
            result.check_in_after,
            float(result.active_seconds),
            sum(1 for e in result.exercises if e.done),
        )
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                found = self._db.execute(
                    "SELECT id FROM sessions WHERE session_id = ?", (session_id,)
                ).fetchone()
                if found is not None:
                    row_id = int(found[0])
                    self._fill_check_in(row_id, result.check_in_before, result.check_in_after)
                else:
                    row_id = self._insert(session_row, result.exercises)
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return row_id

    def _insert(self, session_row: tuple[object, ...], exercises: Iterable[ExerciseResult]) -> int:
        cursor = self._db.execute(
            "INSERT INTO sessions (session_id, started_at, ended_at, status, title, routine_id,"
            " generation, planned_seconds, check_in_before, check_in_after,"
            " active_seconds, exercises_done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            session_row,
        )
        row_id = int(cursor.lastrowid or 0)
        self._db.executemany(
            "INSERT INTO session_exercises (session_id, position, exercise_id, name,"
            " targets, done, active_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    row_id,
                    position,
                    e.exercise_id,
                    e.name,
                    json.dumps(list(e.targets)),
                    int(bool(e.done)),
                    float(e.active_seconds),
                )
                for position, e in enumerate(exercises)
            ],
        )
        return row_id

    def _fill_check_in(self, row_id: int, before: int | None, after: int | None) -> None:
        self._db.execute(
            "UPDATE sessions SET check_in_before = COALESCE(check_in_before, ?),"
            " check_in_after = COALESCE(check_in_after, ?) WHERE id = ?",
            (before, after, row_id),
        )

    def set_check_in_after(self, session_id: str, rating: int) -> bool:
        """Add the after-session rating to a stored session; False when it is not stored."""
        with self._errors():
            cursor = self._db.execute(
                "UPDATE sessions SET check_in_after = ? WHERE session_id = ?",
                (rating, session_id),
            )
        return cursor.rowcount > 0

    def sessions(
        self, limit: int | None = None, since: dt.datetime | None = None
    ) -> list[RecordedSession]:
        """Sessions started at or after since (aware), newest first, at most limit of them."""
        where = "" if since is None else "WHERE s.started_at >= ?"
        params = () if since is None else (format_utc(since),)
        with self._errors():
            found = rows.read(self._db, where, params, newest_first=True, limit=limit)
            return [_recorded(session, exercises) for session, exercises in found]

    def all_sessions(self) -> list[RecordedSession]:
        """Every session, oldest first."""
        return list(self.each_session())

    def each_session(self) -> Iterator[RecordedSession]:
        """Every session, oldest first, read a page at a time: memory stays flat."""
        for session, exercises in self.each_session_rows():
            yield _recorded(session, exercises)

    def each_session_rows(self) -> Iterator[tuple[rows.SessionRow, list[rows.ExerciseRow]]]:
        """Every session as stored, oldest first, with its exercises' rows (history/rows.py)."""
        with self._errors():
            yield from rows.read(self._db)

    def active_seconds_since(self, since: dt.datetime) -> float:
        """The active seconds of the sessions started at or after since (aware), summed in SQL."""
        with self._errors():
            row = self._db.execute(
                "SELECT TOTAL(active_seconds) FROM sessions WHERE started_at >= ?",
                (format_utc(since),),
            ).fetchone()
            return float(row[0])

    def count(self) -> int:
        with self._errors():
            return int(self._db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

    def digest(self, tz: dt.tzinfo | None = None, kept: Path | None = None) -> Digest:
        """What stats needs, aggregated in SQL; equal to stats.digest(self.all_sessions()).

        With tz, active minutes are summed per local day (Digest.days) instead of returning
        every session's start; with `kept` too, those sums are kept in that file between runs
        and only newer sessions are read (history/aggregate.py).
        """
        from stretchcoach.history import aggregate

        with self._errors():
            if tz is not None and kept is not None:
                return aggregate.digest_kept(self._db, tz, kept)
            return aggregate.digest(self._db, tz)

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn sqlite3 errors inside the block into a HistoryError naming the file and the fix."""
        try:
            yield
        except sqlite3.Error as error:
            raise as_history_error(error, self.path) from None


def _recorded(session: rows.SessionRow, exercises: list[rows.ExerciseRow]) -> RecordedSession:
    """A session's stored rows as the model."""
    return RecordedSession(
        id=session[0],
        result=SessionResult(
            started_at=parse_utc(session[1]),
            ended_at=parse_utc(session[2]),
            status=SessionStatus(session[3]),
            title=session[4],
            routine_id=session[5],
            generation=None if session[6] is None else json.loads(session[6]),
            planned_seconds=session[7],
            check_in_before=session[8],
            check_in_after=session[9],
            exercises=tuple(
                ExerciseResult(
                    exercise_id=e[1],
                    name=e[2],
                    targets=rows.targets(e[3]),
                    done=bool(e[4]),
                    active_seconds=e[5],
                )
                for e in exercises
            ),
            session_id=session[10],
        ),
    )
