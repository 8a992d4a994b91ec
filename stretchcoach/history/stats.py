"""Progress from recorded sessions: streaks, weekly minutes, minutes per area, a calendar, tension.

Pure: today and the user's time zone are parameters; days are the user's local days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from stretchcoach.model import SessionResult

CALENDAR_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Digest:
    """What stats needs from every session, reduced: start times, seconds per area, check-ins."""

    starts: tuple[tuple[dt.datetime, float], ...] = ()  # (UTC start, active seconds), any order
    # UTC starts of sessions with time held and an exercise done: only these make a streak.
    done_starts: tuple[dt.datetime, ...] = ()
    seconds_by_targets: Mapping[tuple[str, ...], float] = field(default_factory=dict)
    tension_count: int = 0  # sessions with both check-ins
    tension_change_total: int = 0  # sum of (after - before) over those sessions
    sessions_total: int = 0
    # Active minutes per local day, already summed (History.digest(tz) does it in SQL); when
    # set, `starts` is not read. Only valid for the zone it was computed in.
    days: Mapping[dt.date, float] | None = None
    # The local days with an exercise done, when `days` is set (then `done_starts` is not read).
    done_days: frozenset[dt.date] | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything `stretchcoach stats` shows; minutes are unrounded."""

    today: dt.date
    current_streak_days: int
    longest_streak_days: int
    minutes_this_week: float
    minutes_last_week: float
    minutes_by_target: Mapping[str, float]  # most minutes first, then by name
    calendar: tuple[tuple[dt.date, float], ...]  # 12 weeks Monday..Sunday, ending this week
    tension_sessions: int
    tension_average_change: float | None  # after - before; None without check-ins
    sessions_total: int
    goal_minutes: int = 15  # the daily goal (config.toml [goal] minutes; article 004)
    goal_days: int = 0  # days in the calendar whose minutes met the goal


def digest(sessions: Iterable[SessionResult]) -> Digest:
    """Reduce sessions to what stats needs (History.digest does the same in SQL)."""
    starts: list[tuple[dt.datetime, float]] = []
    done_starts: list[dt.datetime] = []
    by_targets: dict[tuple[str, ...], float] = {}
    tension_count = tension_total = 0
    for session in sessions:
        starts.append((session.started_at, session.active_seconds))
        if session.active_seconds > 0 and any(e.done for e in session.exercises):
            done_starts.append(session.started_at)
        for exercise in session.exercises:
            by_targets[exercise.targets] = (
                by_targets.get(exercise.targets, 0.0) + exercise.active_seconds
            )
        if session.check_in_before is not None and session.check_in_after is not None:
            tension_count += 1
            tension_total += session.check_in_after - session.check_in_before
    return Digest(
        starts=tuple(starts),
        done_starts=tuple(done_starts),
        seconds_by_targets=by_targets,
        tension_count=tension_count,
        tension_change_total=tension_total,
        sessions_total=len(starts),
    )


def minutes_by_day(
    starts: Iterable[tuple[dt.datetime, float]], tz: dt.tzinfo
) -> dict[dt.date, float]:
    """Active minutes per local day a session started on; days without activity are absent."""
    days: dict[dt.date, float] = {}
    for started_at, seconds in starts:
        if seconds > 0:
            day = started_at.astimezone(tz).date()
            days[day] = days.get(day, 0.0) + seconds / 60
    return days


def streaks(active_days: Iterable[dt.date], today: dt.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days; current ends today or yesterday."""
    # Day numbers, not dates: a history of decades has thousands of days to walk.
    present = {day.toordinal() for day in active_days}
    longest = run = 0
    previous = None
    for number in sorted(present):
        run = run + 1 if number - 1 == previous else 1
        if run > longest:
            longest = run
        previous = number
    current = 0
    number = today.toordinal()
    if number not in present:
        number -= 1
    while number in present:
        current += 1
        number -= 1
    return current, longest


def offset_spans(
    first: dt.datetime, last: dt.datetime, tz: dt.tzinfo
) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """[start, end) spans of UTC time covering first..last in which tz keeps one UTC offset,
    with that offset in seconds: a local day is then the UTC time shifted by the offset."""

    def offset(moment: dt.datetime) -> int:
        delta = moment.astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    spans: list[tuple[dt.datetime, dt.datetime, int]] = []
    # Sampled weekly (no zone changes its offset twice within a week), then bisected to the
    # second where it changed.
    step = dt.timedelta(days=7)
    start, current = first, offset(first)
    probe = first
    while probe < last:
        after = min(probe + step, last)
        if offset(after) != current:
            # offset(low) == current != offset(high), in whole seconds since the epoch
            low, high = math.floor(probe.timestamp()), math.ceil(after.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if offset(dt.datetime.fromtimestamp(middle, dt.timezone.utc)) == current:
                    low = middle
                else:
                    high = middle
            change = dt.datetime.fromtimestamp(high, dt.timezone.utc)
            spans.append((start, change, current))
            start, current = change, offset(change)
            after = change
        probe = after
    spans.append((start, last + dt.timedelta(seconds=1), current))
    return spans


def week_start(day: dt.date) -> dt.date:
    """The Monday of day's ISO week."""
    return day - dt.timedelta(days=day.weekday())


def week_minutes(days: Mapping[dt.date, float], today: dt.date) -> tuple[float, float]:
    """(this ISO week, last ISO week) active minutes, weeks starting on Monday."""
    this_monday = week_start(today)
    last_monday = this_monday - dt.timedelta(days=7)
    this_week = last_week = 0.0
    for day, minutes in days.items():
        if this_monday <= day < this_monday + dt.timedelta(days=7):
            this_week += minutes
        elif last_monday <= day < this_monday:
            last_week += minutes
    return this_week, last_week


def calendar(
    days: Mapping[dt.date, float], today: dt.date, weeks: int = CALENDAR_WEEKS
) -> tuple[tuple[dt.date, float], ...]:
    """Minutes for each day of the last `weeks` ISO weeks, Monday first, ending this Sunday."""
    first = week_start(today) - dt.timedelta(days=7 * (weeks - 1))
    return tuple(
        (day, days.get(day, 0.0))
        for day in (first + dt.timedelta(days=n) for n in range(7 * weeks))
    )


def minutes_by_target(seconds_by_targets: Mapping[tuple[str, ...], float]) -> dict[str, float]:
    """Minutes per area, an exercise's time counted for each of its areas; most first."""
    totals: dict[str, float] = {}
    for targets, seconds in seconds_by_targets.items():
        for target in dict.fromkeys(targets):  # an area named twice still counts once
            totals[target] = totals.get(target, 0.0) + seconds / 60
    active = [(target, minutes) for target, minutes in totals.items() if minutes > 0]
    return dict(sorted(active, key=lambda kv: (-kv[1], kv[0])))


def summarize(reduced: Digest, *, today: dt.date, tz: dt.tzinfo, goal_minutes: int = 15) -> Stats:
    """All the stats for today in zone tz."""
    days = reduced.days if reduced.days is not None else minutes_by_day(reduced.starts, tz)
    # Minutes count every second held; a day joins a streak only when an exercise was done.
    done_days = (
        reduced.done_days
        if reduced.done_days is not None
        else {start.astimezone(tz).date() for start in reduced.done_starts}
    )
    current, longest = streaks(done_days, today)
    this_week, last_week = week_minutes(days, today)
    count = reduced.tension_count
    days_shown = calendar(days, today)
    return Stats(
        today=today,
        current_streak_days=current,
        longest_streak_days=longest,
        minutes_this_week=this_week,
        minutes_last_week=last_week,
        minutes_by_target=minutes_by_target(reduced.seconds_by_targets),
        calendar=days_shown,
        tension_sessions=count,
        tension_average_change=reduced.tension_change_total / count if count else None,
        sessions_total=reduced.sessions_total,
        goal_minutes=goal_minutes,
        goal_days=sum(1 for _, minutes in days_shown if minutes >= goal_minutes),
    )
