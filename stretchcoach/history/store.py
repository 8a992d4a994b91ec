"""The session history: one SQLite file, migrated step by step, written one session at a time."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from stretchcoach.errors import HistoryError
from stretchcoach.history.migrations import MIGRATIONS, SCHEMA_VERSION
from stretchcoach.history.stats import Digest
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

# Long enough for another process to finish recording its session, short enough to never hang.
BUSY_TIMEOUT_MS = 5000

# SQLite's primary result codes that mean the file itself is damaged (not busy, not missing).
_DAMAGE_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


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
) -> History:
    """Open (creating and migrating) the history at path; a damaged file is moved aside first.

    verify runs SQLite's quick_check, which reads the whole file: done before a session,
    skipped by the read-only views, which still catch damage when a query meets it.
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
        connection = _connect(path, verify=verify)
    except _Damaged as damage:
        try:
            aside = _move_aside(path, now())
        finally:
            damage.close()
        notices.append(
            f"the history database {path} was damaged ({damage.reason}); "
            f"it was moved to {aside} and a new one started"
        )
        try:
            connection = _connect(path, verify=False)
        except _Damaged as again:
            again.close()
            raise HistoryError(
                f"cannot start a new history database at {path}: {again.reason}"
            ) from None
    history = History(connection, path, notices)
    try:
        history.migrate()
    except BaseException:
        history.close()
        raise
    return history


class _Damaged(Exception):
    """The file is damaged; its connection stays open until the files are moved aside,
    because closing the last connection makes SQLite delete the -wal, which may hold
    committed sessions."""

    def __init__(self, reason: str, connection: sqlite3.Connection) -> None:
        super().__init__(reason)
        self.reason = reason
        self.connection = connection

    def close(self) -> None:
        self.connection.close()


def _connect(path: Path, *, verify: bool) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly
        # what the code says; check_same_thread stays on, a History belongs to one thread.
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        raise _as_history_error(error, path) from None
    try:
        # Read the version before changing anything: a newer stretchcoach's file is left alone.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"the history database {path} was made by a newer stretchcoach "
                f"(schema {version}, this version knows {SCHEMA_VERSION}); upgrade stretchcoach",
            )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = _use_wal(connection)
        if mode.lower() != "wal":
            raise HistoryError(
                f"cannot use write-ahead logging for the history database {path} "
                f"(journal mode is {mode})",
                hint="keep the history on a local disk, not a network share",
            )
        # FULL: a recorded session survives a power cut too, at one fsync per session.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        if verify:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                problems = "; ".join(str(r[0]) for r in rows[:3])
                raise _Damaged(f"integrity check failed: {problems}", connection)
    except _Damaged:
        raise
    except sqlite3.Error as error:
        if _is_damage(error):
            raise _Damaged(str(error), connection) from None
        connection.close()
        raise _as_history_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection) -> str:
    """Switch to write-ahead logging; return the journal mode now in force.

    SQLite answers SQLITE_BUSY at once, without its busy handler, when another process
    switches a new file to WAL at the same moment: retry briefly, up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.002
    while True:
        try:
            return str(connection.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as error:
            if _error_name(error) != "SQLITE_BUSY":
                raise
            if time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


# Python 3.10's sqlite3 errors carry no sqlite_errorname (3.11 added it); their messages are
# SQLite's own fixed texts for these codes.
_NAME_BY_MESSAGE = {
    "file is not a database": "SQLITE_NOTADB",
    "database disk image is malformed": "SQLITE_CORRUPT",
    "database is locked": "SQLITE_BUSY",
}


def _error_name(error: sqlite3.Error) -> str:
    """SQLite's name for the error's code, e.g. "SQLITE_BUSY"; "" when unknown."""
    name = getattr(error, "sqlite_errorname", None)
    if name:
        return str(name)
    return _NAME_BY_MESSAGE.get(str(error).strip().lower(), "")


def _is_damage(error: sqlite3.Error) -> bool:
    return _error_name(error) in _DAMAGE_CODES


def _as_history_error(error: sqlite3.Error, path: Path) -> HistoryError:
    if _error_name(error) == "SQLITE_BUSY":
        return HistoryError(
            f"the history database {path} stayed locked by another process "
            f"for {BUSY_TIMEOUT_MS // 1000} s",
            hint="wait for the other stretchcoach to finish and try again",
        )
    if _is_damage(error):
        return HistoryError(
            f"the history database {path} is damaged ({error})",
            hint="the next `stretchcoach run` moves it aside and starts a new one",
        )
    return HistoryError(f"cannot use the history database {path}: {error}")


def _move_aside(path: Path, moment: dt.datetime) -> Path:
    """Rename the database and its -wal/-shm to one free .damaged-TIMESTAMP name; return it."""
    stamp = moment.strftime("%Y%m%dT%H%M%S")
    base = path.with_name(f"{path.name}.damaged-{stamp}")
    aside, n = base, 1
    while any(Path(f"{aside}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        aside = base.with_name(f"{base.name}-{n}")
    try:
        # The -wal holds committed sessions not yet in the main file: keep it beside its
        # database under the name SQLite looks for, so the moved copy opens with it.
        for suffix in ("-wal", "-shm", ""):
            source = Path(f"{path}{suffix}")
            if source.exists():
                source.rename(f"{aside}{suffix}")
    except OSError as error:
        raise HistoryError(
            f"the history database {path} is damaged and could not be moved aside: "
            f"{error.strerror or error}",
            hint=f"move {path} away by hand; stretchcoach will then start a new one",
        ) from None
    return aside


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
        """Store one session and its exercises in one transaction; return its id."""
        session_row = (
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
        )
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "INSERT INTO sessions (started_at, ended_at, status, title, routine_id,"
                    " generation, planned_seconds, check_in_before, check_in_after,"
                    " active_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    session_row,
                )
                session_id = int(cursor.lastrowid or 0)
                self._db.executemany(
                    "INSERT INTO session_exercises (session_id, position, exercise_id, name,"
                    " targets, done, active_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            session_id,
                            position,
                            e.exercise_id,
                            e.name,
                            json.dumps(list(e.targets)),
                            int(bool(e.done)),
                            float(e.active_seconds),
                        )
                        for position, e in enumerate(result.exercises)
                    ],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return session_id

    def sessions(
        self, limit: int | None = None, since: dt.datetime | None = None
    ) -> list[RecordedSession]:
        """Sessions started at or after since (aware), newest first, at most limit of them."""
        where, params = "", list[object]()
        if since is not None:
            where = "WHERE started_at >= ?"
            params.append(format_utc(since))
        tail = ""
        if limit is not None:
            tail = "LIMIT ?"
            params.append(int(limit))
        return self._load(f"{where} ORDER BY started_at DESC, id DESC {tail}", params)

    def all_sessions(self) -> list[RecordedSession]:
        """Every session, oldest first."""
        return self._load("ORDER BY started_at, id", [])

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

    def _load(self, clause: str, params: list[object]) -> list[RecordedSession]:
        with self._errors():
            rows = self._db.execute(
                "SELECT id, started_at, ended_at, status, title, routine_id, generation,"
                " planned_seconds, check_in_before, check_in_after FROM sessions " + clause,
                params,
            ).fetchall()
            exercises = self._exercises([row[0] for row in rows])
        return [
            RecordedSession(
                id=row[0],
                result=SessionResult(
                    started_at=parse_utc(row[1]),
                    ended_at=parse_utc(row[2]),
                    status=SessionStatus(row[3]),
                    title=row[4],
                    routine_id=row[5],
                    generation=None if row[6] is None else json.loads(row[6]),
                    planned_seconds=row[7],
                    check_in_before=row[8],
                    check_in_after=row[9],
                    exercises=tuple(exercises.get(row[0], ())),
                ),
            )
            for row in rows
        ]

    def _exercises(self, ids: list[int]) -> dict[int, list[ExerciseResult]]:
        found: dict[int, list[ExerciseResult]] = {}
        if not ids:
            return found
        query = (
            "SELECT session_id, exercise_id, name, targets, done, active_seconds"
            " FROM session_exercises {} ORDER BY session_id, position"
        )
        if len(ids) <= 500:
            marks = ", ".join("?" * len(ids))
            cursor = self._db.execute(query.format(f"WHERE session_id IN ({marks})"), ids)
        else:  # most of the table: one scan beats a huge IN list
            cursor = self._db.execute(query.format(""))
        wanted = set(ids)
        for session_id, exercise_id, name, targets, done, seconds in cursor:
            if session_id in wanted:
                found.setdefault(session_id, []).append(
                    ExerciseResult(
                        exercise_id=exercise_id,
                        name=name,
                        targets=tuple(json.loads(targets)),
                        done=bool(done),
                        active_seconds=seconds,
                    )
                )
        return found

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn sqlite3 errors inside the block into a HistoryError naming the file and the fix."""
        try:
            yield
        except sqlite3.Error as error:
            raise _as_history_error(error, self.path) from None
