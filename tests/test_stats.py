"""Stats over fake dates: streaks across month, year and DST edges, in zones other than UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.history.stats import (
    Digest,
    calendar,
    digest,
    minutes_by_day,
    minutes_by_target,
    streaks,
    summarize,
    week_minutes,
)
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

UTC = dt.timezone.utc
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30, no DST
AUCKLAND = ZoneInfo("Pacific/Auckland")  # southern DST: UTC+13 in January


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def run_of(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(count)]


def test_no_days_no_streak() -> None:
    assert streaks([], d(2024, 5, 1)) == (0, 0)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        pytest.param(run_of(d(2024, 1, 29), 5), d(2024, 2, 2), (5, 5), id="across-a-month-end"),
        pytest.param(run_of(d(2023, 12, 30), 4), d(2024, 1, 2), (4, 4), id="across-a-year-end"),
        pytest.param(run_of(d(2024, 2, 27), 4), d(2024, 3, 1), (4, 4), id="across-a-leap-day"),
        pytest.param(run_of(d(2023, 2, 27), 3), d(2023, 3, 2), (3, 3), id="no-leap-day-ends-yday"),
        pytest.param(run_of(d(2024, 5, 1), 3), d(2024, 5, 4), (3, 3), id="ending-yesterday"),
        pytest.param(run_of(d(2024, 5, 1), 3), d(2024, 5, 5), (0, 3), id="broken-two-days-ago"),
    ],
)
def test_streaks(days: list[dt.date], today: dt.date, expected: tuple[int, int]) -> None:
    assert streaks(days, today) == expected


def test_longest_streak_is_found_among_gaps_and_repeated_days() -> None:
    days = [*run_of(d(2024, 1, 1), 6), d(2024, 1, 3), *run_of(d(2024, 1, 10), 2)]
    assert streaks(days, d(2024, 1, 11)) == (2, 6)


def test_days_are_local_days_in_a_half_hour_zone() -> None:
    starts = [
        (dt.datetime(2023, 12, 31, 18, 20, tzinfo=UTC), 60.0),  # 23:50 on Dec 31 in Kolkata
        (dt.datetime(2023, 12, 31, 18, 40, tzinfo=UTC), 120.0),  # 00:10 on Jan 1 in Kolkata
    ]
    assert minutes_by_day(starts, KOLKATA) == {d(2023, 12, 31): 1.0, d(2024, 1, 1): 2.0}
    assert minutes_by_day(starts, UTC) == {d(2023, 12, 31): 3.0}


def test_a_year_end_streak_in_auckland_is_counted_in_auckland() -> None:
    # 00:30 local each day from Dec 30 to Jan 2: 11:30 UTC the day before.
    starts = [
        (dt.datetime.combine(day, dt.time(0, 30), tzinfo=AUCKLAND).astimezone(UTC), 300.0)
        for day in run_of(d(2023, 12, 30), 4)
    ]
    assert starts[0][0] == dt.datetime(2023, 12, 29, 11, 30, tzinfo=UTC)
    days = minutes_by_day(starts, AUCKLAND)
    assert sorted(days) == run_of(d(2023, 12, 30), 4)
    assert streaks(days, d(2024, 1, 3)) == (4, 4)
    # The same sessions in UTC end a day earlier, so by Jan 3 the streak is over.
    assert streaks(minutes_by_day(starts, UTC), d(2024, 1, 3)) == (0, 4)


def test_a_streak_at_23_30_local_survives_both_dst_changes() -> None:
    # New York: clocks spring forward on 2024-03-10 and fall back on 2024-11-03.
    evenings = [
        *run_of(d(2024, 3, 8), 5),
        *run_of(d(2024, 11, 1), 5),
    ]
    starts = [
        (dt.datetime.combine(day, dt.time(23, 30), tzinfo=NEW_YORK).astimezone(UTC), 120.0)
        for day in evenings
    ]
    days = minutes_by_day(starts, NEW_YORK)
    assert sorted(days) == evenings
    assert set(days.values()) == {2.0}
    assert streaks(days, d(2024, 3, 12)) == (5, 5)
    assert streaks(days, d(2024, 11, 6)) == (5, 5)


def test_the_repeated_hour_when_clocks_fall_back_stays_on_its_day() -> None:
    first = dt.datetime(2024, 11, 3, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = dt.datetime(2024, 11, 3, 6, 30, tzinfo=UTC)  # 01:30 EST, an hour later
    assert minutes_by_day([(first, 60.0), (second, 60.0)], NEW_YORK) == {d(2024, 11, 3): 2.0}


def test_sessions_without_active_time_do_not_count() -> None:
    starts = [(dt.datetime(2024, 5, 1, 9, tzinfo=UTC), 0.0)]
    assert minutes_by_day(starts, UTC) == {}


def test_week_minutes_use_iso_weeks_across_a_year_end() -> None:
    days = {
        d(2024, 12, 22): 100.0,  # Sunday two weeks back: neither
        d(2024, 12, 23): 1.0,  # Monday of last week
        d(2024, 12, 29): 2.0,  # Sunday of last week
        d(2024, 12, 30): 4.0,  # Monday of this week
        d(2025, 1, 1): 8.0,  # today, a Wednesday
    }
    assert week_minutes(days, d(2025, 1, 1)) == (12.0, 3.0)


def test_calendar_is_twelve_weeks_monday_to_sunday_ending_this_week() -> None:
    cells = calendar({d(2024, 5, 1): 7.5, d(2024, 2, 11): 9.0}, d(2024, 5, 1))
    assert len(cells) == 84
    assert cells[0] == (d(2024, 2, 12), 0.0)
    assert cells[0][0].weekday() == 0
    assert cells[-1] == (d(2024, 5, 5), 0.0)
    assert dict(cells)[d(2024, 5, 1)] == 7.5
    assert d(2024, 2, 11) not in dict(cells)


def test_minutes_by_target_count_time_for_each_area() -> None:
    seconds = {
        ("neck", "upper-back"): 120.0,
        ("neck",): 60.0,
        ("chest", "chest"): 30.0,
        ("wrists",): 0.0,
    }
    assert minutes_by_target(seconds) == {
        "neck": 3.0,
        "upper-back": 2.0,
        "chest": 0.5,
    }
    assert list(minutes_by_target({("b",): 60.0, ("a",): 60.0})) == ["a", "b"]


def result(
    start: dt.datetime, seconds: float, before: int | None, after: int | None
) -> SessionResult:
    return SessionResult(
        started_at=start,
        ended_at=start + dt.timedelta(minutes=6),
        status=SessionStatus.COMPLETED,
        title="Desk break",
        exercises=(
            ExerciseResult("chin-tuck", "Chin tuck", ("neck", "upper-back"), True, seconds),
        ),
        planned_seconds=360,
        check_in_before=before,
        check_in_after=after,
    )


def test_summarize_brings_it_all_together() -> None:
    sessions = [
        result(dt.datetime(2024, 4, 29, 8, tzinfo=UTC), 300.0, 7, 4),
        result(dt.datetime(2024, 4, 30, 8, tzinfo=UTC), 240.0, 6, 5),
        result(dt.datetime(2024, 4, 24, 8, tzinfo=UTC), 120.0, 5, None),
        result(dt.datetime(2024, 5, 1, 8, tzinfo=UTC), 0.0, None, None),
    ]
    stats = summarize(digest(sessions), today=d(2024, 5, 1), tz=KOLKATA)
    assert stats.current_streak_days == 2
    assert stats.longest_streak_days == 2
    assert stats.minutes_this_week == 9.0
    assert stats.minutes_last_week == 2.0
    assert stats.minutes_by_target == {"neck": 11.0, "upper-back": 11.0}
    assert stats.tension_sessions == 2
    assert stats.tension_average_change == -2.0
    assert stats.sessions_total == 4
    assert len(stats.calendar) == 84


def test_summarize_nothing() -> None:
    stats = summarize(Digest(), today=d(2024, 5, 1), tz=UTC)
    assert (stats.current_streak_days, stats.longest_streak_days) == (0, 0)
    assert (stats.minutes_this_week, stats.minutes_last_week) == (0.0, 0.0)
    assert stats.minutes_by_target == {}
    assert stats.tension_average_change is None
    assert stats.tension_sessions == stats.sessions_total == 0
    assert {minutes for _, minutes in stats.calendar} == {0.0}
