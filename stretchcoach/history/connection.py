"""Connecting to the history file: WAL, busy timeout, damage found and moved aside."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

from stretchcoach.errors import HistoryError
from stretchcoach.history.migrations import SCHEMA_VERSION

# Long enough for another process to finish recording its session, short enough to never hang.
BUSY_TIMEOUT_MS = 5000


class HistoryBusy(HistoryError):
    """Another process held the history locked for longer than the busy timeout."""


# SQLite's primary result codes that mean the file itself is damaged (not busy, not missing).
_DAMAGE_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


class Damaged(Exception):
    """The file is damaged; its connection stays open until the files are moved aside,
    because closing the last connection makes SQLite delete the -wal, which may hold
    committed sessions."""

    def __init__(self, reason: str, connection: sqlite3.Connection) -> None:
        super().__init__(reason)
        self.reason = reason
        self.connection = connection

    def close(self) -> None:
        self.connection.close()


def connect(path: Path, *, verify: bool, busy_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly
        # what the code says; check_same_thread stays on, a History belongs to one thread.
        connection = sqlite3.connect(path, timeout=busy_ms / 1000, isolation_level=None)
    except sqlite3.Error as error:
        raise as_history_error(error, path) from None
    try:
        # Read the version before changing anything: a newer stretchcoach's file is left alone.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"the history database {path} was made by a newer stretchcoach "
                f"(schema {version}, this version knows {SCHEMA_VERSION}); upgrade stretchcoach",
            )
        connection.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        mode = _use_wal(connection, busy_ms)
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
                raise Damaged(f"integrity check failed: {problems}", connection)
    except Damaged:
        raise
    except sqlite3.Error as error:
        if _is_damage(error):
            raise Damaged(str(error), connection) from None
        connection.close()
        raise as_history_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection, busy_ms: int) -> str:
    """Switch to write-ahead logging; return the journal mode now in force.

    SQLite answers SQLITE_BUSY at once, without its busy handler, when another process
    switches a new file to WAL at the same moment: retry briefly, up to the busy timeout.
    """
    deadline = time.monotonic() + busy_ms / 1000
    pause = 0.002
    while True:
        try:
            return str(connection.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as error:
            if error_name(error) != "SQLITE_BUSY":
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


def error_name(error: sqlite3.Error) -> str:
    """SQLite's name for the error's code, e.g. "SQLITE_BUSY"; "" when unknown."""
    name = getattr(error, "sqlite_errorname", None)
    if name:
        return str(name)
    return _NAME_BY_MESSAGE.get(str(error).strip().lower(), "")


def _is_damage(error: sqlite3.Error) -> bool:
    return error_name(error) in _DAMAGE_CODES


def as_history_error(error: sqlite3.Error, path: Path) -> HistoryError:
    if error_name(error) == "SQLITE_BUSY":
        return HistoryBusy(
            f"the history database {path} stayed locked by another process",
            hint="wait for the other stretchcoach to finish and try again",
        )
    if _is_damage(error):
        return HistoryError(
            f"the history database {path} is damaged ({error})",
            hint="the next `stretchcoach run` moves it aside and starts a new one",
        )
    return HistoryError(f"cannot use the history database {path}: {error}")


def move_aside(path: Path, moment: dt.datetime) -> Path:
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
