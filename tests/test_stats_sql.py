"""Stats summed per local day inside SQLite agree with the pure computation, across DST."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.history.stats import digest, minutes_by_day, offset_spans, summarize
from stretchcoach.history.store import open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

from conftest import examples

UTC = dt.timezone.utc
ZONES = [UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"),
         ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Auckland"), ZoneInfo("Africa/Casablanca"),
         ZoneInfo("Australia/Lord_Howe")]  # fmt: skip


def result(start: dt.datetime, seconds: float) -> SessionResult:
    return SessionResult(
        started_at=start,
        ended_at=start + dt.timedelta(minutes=6),
        status=SessionStatus.COMPLETED,
        title="Desk break",
        exercises=(ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, seconds),),
        planned_seconds=360,
    )


def test_offset_spans_split_at_each_dst_change_to_the_second():
    berlin = ZoneInfo("Europe/Berlin")
    first = dt.datetime(2024, 1, 1, tzinfo=UTC)
    last = dt.datetime(2024, 12, 31, tzinfo=UTC)
    assert offset_spans(first, last, berlin) == [
        (first, dt.datetime(2024, 3, 31, 1, tzinfo=UTC), 3600),
        (dt.datetime(2024, 3, 31, 1, tzinfo=UTC), dt.datetime(2024, 10, 27, 1, tzinfo=UTC), 7200),
        (dt.datetime(2024, 10, 27, 1, tzinfo=UTC), last + dt.timedelta(seconds=1), 3600),
    ]
    assert offset_spans(first, last, UTC) == [(first, last + dt.timedelta(seconds=1), 0)]


moments = st.datetimes(min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=UTC)
)


@settings(max_examples=examples(40), deadline=None)
@given(
    sessions=st.lists(
        st.tuples(moments, st.sampled_from([0.0, 30.0, 61.5, 300.0])), min_size=1, max_size=25
    ),
    tz=st.sampled_from(ZONES),
)
def test_minutes_per_local_day_in_sql_equal_the_pure_ones(sessions, tz):
    with tempfile.TemporaryDirectory() as folder, open_history(Path(folder) / "h.db") as history:
        for start, seconds in sessions:
            history.record(result(start, seconds))
        in_sql = history.digest(tz)
        pure = digest(s.result for s in history.all_sessions())
    expected = minutes_by_day(pure.starts, tz)
    assert in_sql.days is not None
    assert sorted(in_sql.days) == sorted(expected)
    for day, minutes in expected.items():
        assert in_sql.days[day] == pytest.approx(minutes)
    assert in_sql.sessions_total == len(sessions)
    today = dt.date(2031, 1, 1)
    fast, slow = summarize(in_sql, today=today, tz=tz), summarize(pure, today=today, tz=tz)
    assert (fast.current_streak_days, fast.longest_streak_days) == (
        slow.current_streak_days, slow.longest_streak_days,
    )  # fmt: skip


def test_an_empty_history_digests_to_no_days(tmp_path):
    with open_history(tmp_path / "h.db") as history:
        reduced = history.digest(ZoneInfo("Europe/Berlin"))
    assert (reduced.days, reduced.sessions_total, reduced.starts) == ({}, 0, ())


def test_kept_sums_add_only_new_sessions_and_equal_a_fresh_digest(tmp_path):
    berlin = ZoneInfo("Europe/Berlin")
    kept = tmp_path / "cache" / "stats.pickle"
    start = dt.datetime(2024, 3, 30, 22, 30, tzinfo=UTC)  # across the spring DST change
    with open_history(tmp_path / "h.db") as history:
        for hours in range(0, 60, 7):
            history.record(result(start + dt.timedelta(hours=hours), 90.0))
        first = history.digest(berlin, kept=kept)
        assert kept.exists()
        for hours in range(60, 120, 11):
            history.record(result(start + dt.timedelta(hours=hours), 45.0))
        history.record(result(start, 30.0))  # the same moment again: still added once
        again = history.digest(berlin, kept=kept)
        fresh = history.digest(berlin)
        other = history.digest(ZoneInfo("Asia/Kolkata"), kept=kept)  # another zone: recomputed
        assert other == history.digest(ZoneInfo("Asia/Kolkata"))
    assert first.sessions_total == 9 and again.sessions_total == fresh.sessions_total == 16
    assert again.days is not None and fresh.days is not None
    assert again.days.keys() == fresh.days.keys()
    for day, minutes in fresh.days.items():
        assert again.days[day] == pytest.approx(minutes)
    assert again.seconds_by_targets == pytest.approx(fresh.seconds_by_targets)
    assert (again.tension_count, again.tension_change_total) == (0, 0)


def test_a_damaged_or_foreign_kept_file_is_recomputed(tmp_path):
    kept = tmp_path / "stats.pickle"
    kept.write_bytes(b"not a pickle")
    with open_history(tmp_path / "h.db") as history:
        history.record(result(dt.datetime(2024, 5, 1, 9, tzinfo=UTC), 60.0))
        assert history.digest(UTC, kept=kept) == history.digest(UTC)
        with open_history(tmp_path / "other.db") as other:  # a different, smaller history
            assert other.digest(UTC, kept=kept).days == {}


SCAN = (
    "SELECT COUNT(*), COUNT(check_in_after - check_in_before),"
    " COALESCE(SUM(check_in_after - check_in_before), 0) FROM sessions"
)


def totals(path: Path) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The session_totals row the triggers keep, and the same figures from a full scan."""
    raw = sqlite3.connect(path)
    try:
        kept = raw.execute(
            "SELECT sessions, tension_count, tension_total FROM session_totals"
        ).fetchone()
        return kept, raw.execute(SCAN).fetchone()
    finally:
        raw.close()


def test_the_kept_totals_follow_inserts_late_check_ins_and_deletions(tmp_path):
    path = tmp_path / "h.db"
    start = dt.datetime(2024, 5, 1, 9, tzinfo=UTC)
    with open_history(path) as history:
        history.record(result(start, 30.0)._replace(check_in_before=6, check_in_after=2))
        history.record(result(start, 30.0)._replace(check_in_before=5, session_id="b" * 32))
        history.record(result(start, 30.0)._replace(session_id="c" * 32))
        assert totals(path) == ((3, 1, -4), (3, 1, -4))
        assert history.set_check_in_after("b" * 32, 8)  # answered later: 5 -> 8
        reduced = history.digest(UTC)
        assert (reduced.sessions_total, reduced.tension_count) == (3, 2)
        assert reduced.tension_change_total == -1
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM sessions WHERE check_in_after = 2")
    raw.commit()
    raw.close()
    assert totals(path) == ((2, 1, 3), (2, 1, 3))


def test_migration_6_fills_the_totals_from_the_sessions_already_there(tmp_path):
    from stretchcoach.history.migrations import MIGRATIONS

    path = tmp_path / "h.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:5]:
        for statement in step.statements:
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 5")
    for number, (before, after) in enumerate([(7, 3), (4, None), (None, None), (2, 5)], 1):
        raw.execute(
            "INSERT INTO sessions (session_id, started_at, ended_at, status, title,"
            " planned_seconds, check_in_before, check_in_after) VALUES (?,"
            " '2024-05-01T09:00:00Z', '2024-05-01T09:05:00Z', 'completed', 'T', 300, ?, ?)",
            (str(number), before, after),
        )
    raw.close()
    open_history(path).close()
    assert totals(path) == ((4, 2, -1), (4, 2, -1))
