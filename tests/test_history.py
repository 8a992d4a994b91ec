"""The history database: round trips, queries, migrations, refusal of newer files, damage."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from stretchcoach.errors import HistoryError
from stretchcoach.history import rows
from stretchcoach.history import store as history_module
from stretchcoach.history.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from stretchcoach.history.stats import digest
from stretchcoach.history.store import format_utc, open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

UTC = dt.timezone.utc


def session(
    start: dt.datetime,
    *,
    minutes: float = 5,
    status: SessionStatus = SessionStatus.COMPLETED,
    before: int | None = None,
    after: int | None = None,
    title: str = "Desk break",
    routine_id: str | None = "desk-break",
    generation: dict[str, object] | None = None,
) -> SessionResult:
    """A two-exercise session starting at start whose active time totals minutes."""
    half = minutes * 30
    return SessionResult(
        started_at=start,
        ended_at=start + dt.timedelta(minutes=minutes + 1),
        status=status,
        title=title,
        exercises=(
            ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, half),
            ExerciseResult(
                "doorway-stretch", "Doorway stretch", ("chest", "shoulders"), False, half
            ),
        ),
        planned_seconds=360,
        routine_id=routine_id,
        generation=generation,
        check_in_before=before,
        check_in_after=after,
    )


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def test_open_creates_folders_and_sets_up_the_database(db_path: Path) -> None:
    with open_history(db_path) as history:
        assert history.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert history.notices == []
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_a_recorded_session_reads_back_unchanged(db_path: Path) -> None:
    original = session(
        at(2024, 5, 1, 9, 0, 0),
        before=6,
        after=3,
        routine_id=None,
        generation={"minutes": 5, "targets": ["neck"], "seed": 42},
        status=SessionStatus.INTERRUPTED,
    )
    with open_history(db_path) as history:
        new_id = history.record(original)
        (stored,) = history.all_sessions()
    assert new_id == stored.id == 1
    assert without_id(stored.result) == original


def test_times_are_stored_as_utc_iso_8601(db_path: Path) -> None:
    berlin = dt.timezone(dt.timedelta(hours=2))
    with open_history(db_path) as history:
        history.record(session(dt.datetime(2024, 5, 1, 11, 0, tzinfo=berlin)))
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT started_at, ended_at FROM sessions").fetchone() == (
        "2024-05-01T09:00:00Z",
        "2024-05-01T09:06:00Z",
    )
    raw.close()


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_utc(dt.datetime(2024, 5, 1, 9, 0))


def test_sessions_are_newest_first_with_limit_and_since(db_path: Path) -> None:
    with open_history(db_path) as history:
        for day in (3, 1, 2, 4):
            history.record(session(at(2024, 5, day, 9), title=f"day {day}"))
        titles = [s.result.title for s in history.sessions()]
        limited = [s.result.title for s in history.sessions(limit=2)]
        since = [s.result.title for s in history.sessions(since=at(2024, 5, 2, 9))]
        oldest_first = [s.result.title for s in history.all_sessions()]
    assert titles == ["day 4", "day 3", "day 2", "day 1"]
    assert limited == ["day 4", "day 3"]
    assert since == ["day 4", "day 3", "day 2"]
    assert oldest_first == ["day 1", "day 2", "day 3", "day 4"]


def test_active_seconds_since_sums_the_sessions_begun_from_then(db_path: Path) -> None:
    with open_history(db_path) as history:
        for day in (3, 1, 2, 4):
            history.record(session(at(2024, 5, day, 9), minutes=day))
        since_2nd = history.active_seconds_since(at(2024, 5, 2, 9))
        later = history.active_seconds_since(at(2024, 5, 5))
    assert (since_2nd, later) == ((2 + 3 + 4) * 60, 0.0)


LEAVE_AND_EXIT = """
import datetime as dt, os, sys
from pathlib import Path
from stretchcoach.history.store import open_history
from stretchcoach.model import SessionResult, SessionStatus
start = dt.datetime(2024, 5, 1, 9, tzinfo=dt.timezone.utc)
history = open_history(Path(sys.argv[1]))
history.record(SessionResult(start, start, SessionStatus.COMPLETED, "Left", (), 60))
history.leave()
os._exit(0)
"""


def test_a_history_left_at_a_hard_exit_keeps_the_session_in_its_wal(db_path: Path) -> None:
    # The console script ends with os._exit after History.leave(): no checkpoint ran, the
    # committed session waits in the -wal, and the next opener reads it from there.
    subprocess.run([sys.executable, "-c", LEAVE_AND_EXIT, str(db_path)], check=True)
    assert Path(f"{db_path}-wal").stat().st_size > 0
    with open_history(db_path) as history:
        assert [s.result.title for s in history.sessions()] == ["Left"]


def test_a_failed_record_leaves_nothing_behind(db_path: Path) -> None:
    broken = SessionResult(
        started_at=at(2024, 5, 1, 9),
        ended_at=at(2024, 5, 1, 9, 5),
        status=SessionStatus.COMPLETED,
        title="broken",
        exercises=(
            ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, 30.0),
            # Not JSON: fails while the exercises are written, after the session row went in.
            ExerciseResult("bad", "Bad", (object(),), True, 1.0),  # type: ignore[arg-type]
        ),
        planned_seconds=300,
    )
    with open_history(db_path) as history:
        with pytest.raises(TypeError):
            history.record(broken)
        assert history.count() == 0
        assert history.record(session(at(2024, 5, 1, 10))) >= 1
        assert history.count() == 1
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT COUNT(*) FROM session_exercises").fetchone()[0] == 2
    raw.close()


def test_digest_in_sql_equals_digest_of_the_sessions(db_path: Path) -> None:
    with open_history(db_path) as history:
        history.record(session(at(2024, 5, 1, 9), minutes=4, before=6, after=3))
        history.record(session(at(2024, 5, 2, 9), minutes=2, before=5, after=5))
        history.record(session(at(2024, 5, 3, 9), minutes=1, before=4))
        in_sql = history.digest()
        in_python = digest(s.result for s in history.all_sessions())
    # starts come in no promised order
    assert sorted(in_sql.starts) == sorted(in_python.starts)
    assert replace(in_sql, starts=()) == replace(in_python, starts=())
    assert in_sql.tension_count == 2
    assert in_sql.tension_change_total == -3
    assert in_sql.sessions_total == 3
    assert in_sql.seconds_by_targets == {("neck",): 210.0, ("chest", "shoulders"): 210.0}


def test_a_database_from_a_newer_version_is_refused_and_left_alone(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE future (x)")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(HistoryError) as caught:
        open_history(db_path)
    assert caught.value.message == (
        f"the history database {db_path} was made by a newer stretchcoach "
        f"(schema {SCHEMA_VERSION + 5}, this version knows {SCHEMA_VERSION}); "
        "upgrade stretchcoach"
    )
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["history.sqlite3"]


def fixed_now() -> dt.datetime:
    return dt.datetime(2024, 5, 1, 9, 30, 15)


def test_a_file_that_is_not_a_database_is_moved_aside_with_its_wal_and_shm(
    db_path: Path,
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    Path(f"{db_path}-wal").write_bytes(b"wal bytes")
    Path(f"{db_path}-shm").write_bytes(b"shm bytes")
    with open_history(db_path, now=fixed_now) as history:
        assert history.record(session(at(2024, 5, 1, 9))) == 1
        notices = history.notices
    aside = db_path.with_name("history.sqlite3.damaged-20240501T093015")
    assert notices == [
        f"the history database {db_path} was damaged (file is not a database); "
        f"it was moved to {aside} and a new one started"
    ]
    assert aside.read_bytes().startswith(b"this is not a database")
    assert Path(f"{aside}-wal").read_bytes() == b"wal bytes"
    # The -shm is only SQLite's index into the -wal: moved too, its bytes are SQLite's own.
    assert Path(f"{aside}-shm").exists()


def test_a_second_damage_in_the_same_second_gets_its_own_name(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    for _ in range(2):
        db_path.write_bytes(b"garbage" * 1000)
        open_history(db_path, now=fixed_now).close()
    names = sorted(p.name for p in db_path.parent.iterdir() if "damaged" in p.name)
    assert names == [
        "history.sqlite3.damaged-20240501T093015",
        "history.sqlite3.damaged-20240501T093015-2",
    ]


def test_a_database_failing_its_integrity_check_is_moved_aside(db_path: Path) -> None:
    with open_history(db_path) as history:
        for n in range(300):
            history.record(session(at(2024, 1, 1) + dt.timedelta(hours=n), title="x" * 200))
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(db_path.read_bytes())
    # Scribble over the middle of the file: the header still says "SQLite", the pages lie.
    middle = (len(data) // page_size // 2) * page_size
    data[middle : middle + page_size] = b"\xa5" * page_size
    db_path.write_bytes(bytes(data))
    with open_history(db_path, now=fixed_now) as history:
        assert history.count() == 0
        (notice,) = history.notices
    assert notice.startswith(f"the history database {db_path} was damaged (")
    assert notice.endswith(
        f"it was moved to {db_path}.damaged-20240501T093015 and a new one started"
    )


def test_a_folder_that_cannot_be_created_is_a_history_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(HistoryError, match="cannot create the folder"):
        open_history(tmp_path / "file" / "history.sqlite3")


def test_a_lock_held_too_long_is_a_clear_error(db_path: Path) -> None:
    open_history(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            open_history(db_path, verify=False, busy_ms=1) as history,
            pytest.raises(HistoryError, match="stayed locked by another process"),
        ):
            history.record(session(at(2024, 5, 1, 9)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# --- migrations: one test per step --------------------------------------------------------


def database_at(path: Path, version: int) -> sqlite3.Connection:
    """A database built by applying the steps before version, as an older stretchcoach did."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:version]:
        for statement in step.statements:
            raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {version}")
    return raw


def insert_v1_session(raw: sqlite3.Connection) -> None:
    """A session and its two exercises as schema 1 stores them."""
    raw.execute(
        "INSERT INTO sessions (id, started_at, ended_at, status, title, routine_id, generation,"
        " planned_seconds, check_in_before, check_in_after) VALUES"
        " (7, '2024-05-01T09:00:00Z', '2024-05-01T09:06:00Z', 'stopped', 'Desk break',"
        " NULL, '{\"seed\": 3}', 360, 6, 2)"
    )
    raw.executemany(
        "INSERT INTO session_exercises VALUES (7, ?, ?, ?, ?, ?, ?)",
        [
            (0, "chin-tuck", "Chin tuck", '["neck"]', 1, 40.0),
            (1, "doorway-stretch", "Doorway stretch", '["chest", "shoulders"]', 0, 12.5),
        ],
    )


def without_id(result: SessionResult) -> SessionResult:
    """The result with its generated session id checked and then left out, for comparing."""
    assert result.session_id is not None and re.fullmatch("[0-9a-f]{32}", result.session_id)
    return result._replace(session_id=None)


def expected_v1_session() -> SessionResult:
    return SessionResult(
        started_at=at(2024, 5, 1, 9),
        ended_at=at(2024, 5, 1, 9, 6),
        status=SessionStatus.STOPPED,
        title="Desk break",
        exercises=(
            ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, 40.0),
            ExerciseResult(
                "doorway-stretch", "Doorway stretch", ("chest", "shoulders"), False, 12.5
            ),
        ),
        planned_seconds=360,
        generation={"seed": 3},
        check_in_before=6,
        check_in_after=2,
    )


def test_migration_steps_have_names_and_the_version_counts_them() -> None:
    assert [step.name for step in MIGRATIONS] == [
        "create sessions and their exercises",
        "index sessions by start time",
        "keep each session's active seconds for fast stats",
        "cover the stats queries with indexes",
        "give each session a stable id, a count of exercises done, and a skipped status",
        "keep the session count and check-in sums in one row",
    ]


def test_migration_1_creates_the_tables_in_an_empty_file(db_path: Path) -> None:
    database_at(db_path, 0).close()
    with open_history(db_path) as history:
        assert history.schema_version == SCHEMA_VERSION
        assert history.sessions() == []
        history.record(session(at(2024, 5, 1, 9)))
        assert history.count() == 1


def test_migration_2_keeps_sessions_and_indexes_start_times(db_path: Path) -> None:
    raw = database_at(db_path, 1)
    insert_v1_session(raw)
    raw.close()
    with open_history(db_path) as history:
        (stored,) = history.all_sessions()
    assert stored.id == 7
    assert without_id(stored.result) == expected_v1_session()
    assert query_plan(db_path, "SELECT id FROM sessions WHERE started_at >= '2024'") == [
        "SEARCH sessions USING COVERING INDEX sessions_started_at_active (started_at>?)"
    ]


def query_plan(path: Path, query: str) -> list[str]:
    raw = sqlite3.connect(path)
    plan = [row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {query}")]
    raw.close()
    return plan


def test_migration_3_fills_in_each_sessions_active_seconds(db_path: Path) -> None:
    raw = database_at(db_path, 2)
    insert_v1_session(raw)
    raw.close()
    with open_history(db_path) as history:
        (stored,) = history.all_sessions()
        reduced = history.digest()
    assert without_id(stored.result) == expected_v1_session()
    assert reduced.starts == ((at(2024, 5, 1, 9), 52.5),)
    assert reduced.tension_count == 1
    assert reduced.tension_change_total == -4


def test_migration_4_covers_the_stats_queries_and_keeps_data(db_path: Path) -> None:
    raw = database_at(db_path, 3)
    insert_v1_session(raw)
    raw.execute("UPDATE sessions SET active_seconds = 52.5")
    raw.close()
    with open_history(db_path) as history:
        (stored,) = history.all_sessions()
        assert history.digest().starts == ((at(2024, 5, 1, 9), 52.5),)
    assert without_id(stored.result) == expected_v1_session()
    assert query_plan(db_path, "SELECT started_at, active_seconds FROM sessions") == [
        "SCAN sessions USING COVERING INDEX sessions_started_at_active"
    ]
    assert query_plan(
        db_path, "SELECT targets, SUM(active_seconds) FROM session_exercises GROUP BY targets"
    ) == ["SCAN session_exercises USING COVERING INDEX session_exercises_targets"]


def test_a_failing_migration_step_is_rolled_back_whole(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_history(db_path) as history:
        history.record(session(at(2024, 5, 1, 9)))
        bad = Migration(
            "a step that fails half way",
            ("CREATE TABLE half (x)", "INSERT INTO no_such_table VALUES (1)"),
        )
        monkeypatch.setattr(history_module, "MIGRATIONS", (*MIGRATIONS, bad))
        with pytest.raises(HistoryError, match="no such table: no_such_table"):
            history.migrate(upto=SCHEMA_VERSION + 1)
        assert history.schema_version == SCHEMA_VERSION
        assert history.count() == 1
    raw = sqlite3.connect(db_path)
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    assert "half" not in tables


def test_generation_is_stored_as_json_text(db_path: Path) -> None:
    with open_history(db_path) as history:
        history.record(session(at(2024, 5, 1, 9), generation={"seed": 9, "minutes": 5}))
    raw = sqlite3.connect(db_path)
    (text,) = raw.execute("SELECT generation FROM sessions").fetchone()
    raw.close()
    assert json.loads(text) == {"minutes": 5, "seed": 9}


def test_migration_5_gives_stable_ids_and_marks_nothing_done_as_skipped(db_path: Path) -> None:
    raw = database_at(db_path, 4)
    insert_v1_session(raw)
    raw.execute("UPDATE sessions SET active_seconds = 52.5")
    for row_id, done in ((8, 0), (9, 1)):
        raw.execute(
            "INSERT INTO sessions (id, started_at, ended_at, status, title, planned_seconds,"
            " active_seconds) VALUES (?, '2024-05-02T09:00:00Z', '2024-05-02T09:05:00Z',"
            " 'completed', 'All skipped?', 300, 3.0)",
            (row_id,),
        )
        raw.execute(
            "INSERT INTO session_exercises VALUES (?, 0, 'tilt', 'Tilt', '[\"neck\"]', ?, 3.0)",
            (row_id, done),
        )
    raw.close()
    with open_history(db_path) as history:
        stored = {s.id: s.result for s in history.all_sessions()}
        reduced = history.digest()
    assert without_id(stored[7]) == expected_v1_session()
    assert [stored[n].status for n in (8, 9)] == [SessionStatus.SKIPPED, SessionStatus.COMPLETED]
    assert len({r.session_id for r in stored.values()}) == 3
    assert sorted(reduced.done_starts) == [at(2024, 5, 1, 9), at(2024, 5, 2, 9)]  # not 8
    raw = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        raw.execute(
            "UPDATE sessions SET session_id = (SELECT session_id FROM sessions WHERE id = 7)"
        )
    raw.close()


def test_recording_the_same_session_id_twice_stores_it_once(db_path: Path) -> None:
    first = session(at(2024, 5, 1, 9), before=4)._replace(session_id="a" * 32)
    with open_history(db_path) as history:
        row = history.record(first)
        assert history.record(first._replace(check_in_after=1)) == row
        assert history.set_check_in_after("a" * 32, 2)
        assert not history.set_check_in_after("b" * 32, 2)
        [stored] = history.all_sessions()
    assert stored.result == first._replace(check_in_after=2)


def test_each_session_reads_every_session_oldest_first_a_page_at_a_time(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows, "PAGE", 3)
    with open_history(db_path) as history:
        for n in range(8):  # two share a start time: the row id breaks the tie
            history.record(session(at(2024, 5, 1 + n // 2 * 2, 9), title=f"s{n}"))
        titles = [s.result.title for s in history.each_session()]
        assert [s.result.title for s in history.all_sessions()] == titles
    assert titles == [f"s{n}" for n in range(8)]


def test_sessions_read_back_with_their_own_exercises_in_any_order(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows, "PAGE", 2)  # sessions' exercises across pages of the join
    recorded = []
    with open_history(db_path) as history:
        for n, day in enumerate((3, 1, 3, 2, 1)):  # two ties in start time
            result = session(at(2024, 5, day, 9), minutes=n + 1, title=f"s{n}")
            if n == 2:
                result = result._replace(exercises=())
            history.record(result)
            recorded.append(result)
        everything = history.all_sessions()
        newest = history.sessions(limit=3, since=at(2024, 5, 2, 9))
    assert [s.result.title for s in everything] == ["s1", "s4", "s3", "s0", "s2"]
    assert [s.result.title for s in newest] == ["s2", "s0", "s3"]
    assert [without_id(s.result) for s in everything] == [recorded[n] for n in (1, 4, 3, 0, 2)]
    assert [s.id for s in newest] == [3, 1, 4]


def test_a_read_stopped_half_way_leaves_no_transaction_open(db_path: Path) -> None:
    with open_history(db_path) as history:
        for day in (1, 2):
            history.record(session(at(2024, 5, day, 9)))
        reading = history.each_session()
        next(reading)
        del reading
        history.record(session(at(2024, 5, 3, 9)))  # BEGIN IMMEDIATE: no read still open
        assert history.count() == 3
