"""The schedule: when the next break is due, as properties over hours, days, zones and gaps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.remind.schedule import (
    behind_goal,
    next_due,
    next_local_midnight,
    reading,
    routine_for,
)
from stretchcoach.remind.settings import Settings, parse_days, parse_hours

from conftest import examples

UTC = dt.timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = st.sampled_from([UTC, BERLIN, NEW_YORK])

# Instants around both 2024 DST changes in Europe and America, and ordinary days.
instants = st.datetimes(min_value=dt.datetime(2024, 3, 1), max_value=dt.datetime(2024, 11, 30)).map(
    lambda d: d.replace(tzinfo=UTC)
)
hours = st.tuples(st.integers(0, 23 * 60), st.integers(30, 12 * 60)).map(
    lambda p: (p[0], min(24 * 60, p[0] + p[1]))
)
day_sets = st.frozensets(st.integers(0, 6), min_size=1)
everies = st.integers(1, 4 * 3600)
gaps = st.integers(0, 3 * 24 * 3600).map(lambda s: dt.timedelta(seconds=s))


def at(zone: dt.tzinfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)  # type: ignore[misc]


def in_working_time(moment: dt.datetime, s: Settings, zone: dt.tzinfo) -> bool:
    local = moment.astimezone(zone)
    if local.weekday() not in s.days:
        return False
    if s.hours is None:
        return True
    minute = local.hour * 60 + local.minute + local.second / 60
    return s.hours[0] <= minute < s.hours[1]


@settings(max_examples=examples(300), deadline=None)
@given(instants, gaps, everies, hours, day_sets, ZONES)
def test_a_break_falls_in_working_time_after_the_last_session(
    last_end: dt.datetime,
    gap: dt.timedelta,
    every: int,
    window: tuple[int, int],
    days: frozenset[int],
    zone: dt.tzinfo,
) -> None:
    s = Settings(every=every, hours=window, days=days)
    now = last_end + gap
    due = next_due(now, s, zone, last_end=last_end)
    assert due is not None
    assert due >= last_end + dt.timedelta(seconds=every) or every * 60 > (window[1] - window[0])
    if every <= (window[1] - window[0]) * 60:
        assert in_working_time(due, s, zone), due.astimezone(zone)


@settings(max_examples=examples(300), deadline=None)
@given(instants, gaps, everies, ZONES)
def test_without_hours_a_break_is_exactly_every_after_the_session_across_dst(
    last_end: dt.datetime, gap: dt.timedelta, every: int, zone: dt.tzinfo
) -> None:
    due = next_due(last_end + gap, Settings(every=every), zone, last_end=last_end)
    assert due == last_end + dt.timedelta(seconds=every)


@settings(max_examples=examples(200), deadline=None)
@given(instants, gaps, gaps, everies, hours, day_sets, ZONES)
def test_a_later_session_never_brings_the_break_forward(
    first: dt.datetime,
    later_by: dt.timedelta,
    gap: dt.timedelta,
    every: int,
    window: tuple[int, int],
    days: frozenset[int],
    zone: dt.tzinfo,
) -> None:
    s = Settings(every=every, hours=window, days=days)
    second = first + later_by
    now = second + gap
    a = next_due(now, s, zone, last_end=first)
    b = next_due(now, s, zone, last_end=second)
    assert a is not None and b is not None and a <= b


@settings(max_examples=examples(200), deadline=None)
@given(instants, gaps, gaps, everies, ZONES)
def test_no_break_is_due_before_a_pause_or_snooze_ends(
    last_end: dt.datetime, pause: dt.timedelta, snooze: dt.timedelta, every: int, zone: dt.tzinfo
) -> None:
    now = last_end
    due = next_due(
        now, Settings(every=every), zone, last_end=last_end,
        paused_until=now + pause, snoozed_until=now + snooze,
    )  # fmt: skip
    assert due == max(last_end + dt.timedelta(seconds=every), now + pause, now + snooze)


@settings(max_examples=examples(200), deadline=None)
@given(instants, st.integers(1, 10 * 24 * 3600), everies, ZONES)
def test_a_long_gap_leaves_one_break_due_not_many(
    last_end: dt.datetime, gap: int, every: int, zone: dt.tzinfo
) -> None:
    """A laptop asleep for days wakes to the same single due break, not one per interval."""
    s = Settings(every=every)
    now = last_end + dt.timedelta(seconds=every + gap)
    where = reading(now, s, zone, last_end=last_end)
    assert where.due and where.due_at == last_end + dt.timedelta(seconds=every)
    assert where.seconds_left(now) == 0


def test_working_hours_start_fresh_each_morning_in_berlin() -> None:
    s = Settings(every=50 * 60, hours=parse_hours("09:00-17:30"), days=parse_days("mon-fri"))
    friday_evening = at(BERLIN, 2024, 3, 29, 17, 0)  # the weekend DST change follows
    due = next_due(friday_evening, s, BERLIN, last_end=friday_evening)
    assert due == at(BERLIN, 2024, 4, 1, 9, 50)  # Monday, now in summer time
    assert due.astimezone(BERLIN).utcoffset() == dt.timedelta(hours=2)


def test_a_session_before_hours_counts_from_the_start_of_the_day() -> None:
    s = Settings(every=50 * 60, hours=parse_hours("09:00-17:30"))
    early = at(NEW_YORK, 2024, 11, 4, 8, 30)
    assert next_due(early, s, NEW_YORK, last_end=early) == at(NEW_YORK, 2024, 11, 4, 9, 50)


def test_midnight_is_no_boundary_without_hours() -> None:
    s = Settings(every=50 * 60, days=parse_days("mon-fri"))
    late = at(BERLIN, 2024, 5, 7, 23, 40)  # Tuesday
    assert next_due(late, s, BERLIN, last_end=late) == at(BERLIN, 2024, 5, 8, 0, 30)
    friday = at(BERLIN, 2024, 5, 10, 23, 40)
    assert next_due(friday, s, BERLIN, last_end=friday) == at(BERLIN, 2024, 5, 13, 0, 50)


def test_a_session_recorded_elsewhere_moves_the_break() -> None:
    s = Settings(every=3000)
    started = at(UTC, 2024, 6, 3, 10, 0)
    assert next_due(started, s, UTC, reset_at=started) == at(UTC, 2024, 6, 3, 10, 50)
    elsewhere = at(UTC, 2024, 6, 3, 10, 30)
    assert next_due(elsewhere, s, UTC, reset_at=started, last_end=elsewhere) == at(
        UTC, 2024, 6, 3, 11, 20
    )


def test_never_stretched_is_due_now_inside_working_time() -> None:
    s = Settings(hours=parse_hours("09:00-17:00"))
    noon = at(UTC, 2024, 6, 3, 12, 0)
    assert reading(noon, s, UTC).due
    night = at(UTC, 2024, 6, 3, 20, 0)
    assert next_due(night, s, UTC) == at(UTC, 2024, 6, 4, 9, 0)


def test_a_pause_expires_and_is_forgotten() -> None:
    s = Settings(every=60)
    now = at(UTC, 2024, 6, 3, 12, 0)
    paused = reading(now, s, UTC, last_end=now, paused_until=now + dt.timedelta(minutes=30))
    assert paused.paused_until is not None and not paused.due
    assert paused.seconds_left(now) is None
    later = now + dt.timedelta(minutes=31)
    after = reading(later, s, UTC, last_end=now, paused_until=now + dt.timedelta(minutes=30))
    assert after.paused_until is None and after.due


def test_until_tomorrow_is_the_next_local_midnight_across_dst() -> None:
    evening = at(BERLIN, 2024, 3, 30, 22, 0)  # the clocks go forward that night
    assert next_local_midnight(evening, BERLIN) == at(BERLIN, 2024, 3, 31, 0, 0)


def test_the_routine_follows_the_goal_share_of_the_working_day() -> None:
    s = Settings(hours=parse_hours("09:00-17:00"), goal_minutes=16)
    noon = at(UTC, 2024, 6, 3, 13, 0)  # half the working day: 8 minutes expected
    assert behind_goal(noon, s, UTC, 7.9)
    assert not behind_goal(noon, s, UTC, 8.0)
    assert routine_for(noon, s, UTC, 2) == "desk-break"
    assert routine_for(noon, s, UTC, 9) == "micro-break"
    assert routine_for(noon, Settings(routine="neck-relief"), UTC, 0) == "neck-relief"
