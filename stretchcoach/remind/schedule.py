"""When the next break is due: a pure function of now, the history, the settings and the pauses.

Rules (README "Reminders"): the next break is due `every` after the later of the last recorded
session's end and the loop's last reset (its start or a skip), and never less than `every`
after the start of the working window it falls in, so each working day starts fresh. It is
never earlier than the end of a pause or a snooze, and never outside the working hours and
days. Times are instants (aware datetimes); working hours are local wall-clock times in `tz`,
so a DST change moves them with the clock on the wall, while `every` is real elapsed time.
"""

from __future__ import annotations

import datetime as dt

from stretchcoach.remind.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from stretchcoach.remind.settings import Settings

UTC = dt.timezone.utc
# How far ahead to look for a working window: a week covers any choice of days.
HORIZON_DAYS = 9


class Window(Record):
    """A stretch of working time, [start, end), in UTC."""

    __slots__ = ("end", "start")
    start: dt.datetime
    end: dt.datetime


class Reading(Record):
    """Where the reminder stands at one moment."""

    __slots__ = ("due", "due_at", "paused_until")
    due_at: dt.datetime | None  # None: no working time at all (no days chosen)
    paused_until: dt.datetime | None  # only while the pause lasts
    due: bool  # a break is due now (never while paused)

    def seconds_left(self, now: dt.datetime) -> int | None:
        """Whole seconds until the break, rounded up; 0 when due; None while paused."""
        if self.paused_until is not None or self.due_at is None:
            return None
        left = (self.due_at - now).total_seconds()
        return max(0, int(-(-left // 1)))


def next_due(
    now: dt.datetime,
    settings: Settings,
    tz: dt.tzinfo,
    *,
    last_end: dt.datetime | None = None,
    reset_at: dt.datetime | None = None,
    paused_until: dt.datetime | None = None,
    snoozed_until: dt.datetime | None = None,
) -> dt.datetime | None:
    """The instant the next break is due (maybe already past); None without working days."""
    bases = [t for t in (last_end, reset_at) if t is not None]
    base = max(bases) if bases else None
    floors = [t for t in (paused_until, snoozed_until) if t is not None]
    # Without a session or a reset nothing has been done: due now, inside working time.
    floor = max([*floors, now if base is None else base])
    every = dt.timedelta(seconds=settings.every)
    first_fit: Window | None = None
    for window in windows(min(floor, base or floor), floor, settings, tz):
        first_fit = first_fit or window
        earliest = floor if base is None else max(base, window.start) + every
        due = max(earliest, floor, window.start)
        if due < window.end:
            return due
    # `every` is longer than every window: a break at the start of the next one.
    return None if first_fit is None else max(first_fit.start, floor)


def reading(
    now: dt.datetime,
    settings: Settings,
    tz: dt.tzinfo,
    *,
    last_end: dt.datetime | None = None,
    reset_at: dt.datetime | None = None,
    paused_until: dt.datetime | None = None,
    snoozed_until: dt.datetime | None = None,
) -> Reading:
    """The reminder's state at `now`: when the next break is due, whether it is, any pause."""
    pause = paused_until if paused_until is not None and paused_until > now else None
    snooze = snoozed_until if snoozed_until is not None and snoozed_until > now else None
    due_at = next_due(
        now,
        settings,
        tz,
        last_end=last_end,
        reset_at=reset_at,
        paused_until=pause,
        snoozed_until=snooze,
    )
    return Reading(due_at=due_at, paused_until=pause, due=due_at is not None and due_at <= now)


def windows(
    since: dt.datetime, until: dt.datetime, settings: Settings, tz: dt.tzinfo
) -> Iterator[Window]:
    """Working windows that end after `since`, in order, merged across midnight, as far as
    HORIZON_DAYS past `until`."""
    first = since.astimezone(tz).date() - dt.timedelta(days=1)
    last = until.astimezone(tz).date() + dt.timedelta(days=HORIZON_DAYS)
    start_minute, end_minute = settings.hours or (0, 24 * 60)
    pending: Window | None = None
    day = first
    while day <= last:
        if day.weekday() in settings.days:
            window = Window(
                start=_instant(day, start_minute, tz), end=_instant(day, end_minute, tz)
            )
            if pending is not None and pending.end >= window.start:
                pending = Window(start=pending.start, end=max(pending.end, window.end))
            else:
                if pending is not None and pending.end > since:
                    yield pending
                pending = window
        day += dt.timedelta(days=1)
    if pending is not None and pending.end > since:
        yield pending


def _instant(day: dt.date, minute: int, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time (24:00 is the next midnight)."""
    day = day + dt.timedelta(days=minute // (24 * 60))
    minute %= 24 * 60
    local = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
    return local.astimezone(UTC)


def day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of the local midnight that begins day."""
    return _instant(day, 0, tz)


def local_day_start(now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of the local midnight that began now's day."""
    return _instant(now.astimezone(tz).date(), 0, tz)


def next_local_midnight(now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of the next local midnight: what `pause until-tomorrow` pauses until."""
    return _instant(now.astimezone(tz).date(), 24 * 60, tz)


def behind_goal(now: dt.datetime, settings: Settings, tz: dt.tzinfo, today_minutes: float) -> bool:
    """True when today's minutes are below the goal's share of the working day so far.

    The share grows linearly through the working hours (the whole day without hours), so at
    the middle of the day half the goal should be done.
    """
    start_minute, end_minute = settings.hours or (0, 24 * 60)
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    done = min(1.0, max(0.0, (minute - start_minute) / (end_minute - start_minute)))
    return today_minutes < settings.goal_minutes * done


def routine_for(now: dt.datetime, settings: Settings, tz: dt.tzinfo, today_minutes: float) -> str:
    """What a break runs: the configured routine, else the hourly one or, when behind, more."""
    from stretchcoach.remind.settings import CATCH_UP_ROUTINE, HOURLY_ROUTINE

    if settings.routine:
        return settings.routine
    return CATCH_UP_ROUTINE if behind_goal(now, settings, tz, today_minutes) else HOURLY_ROUTINE
