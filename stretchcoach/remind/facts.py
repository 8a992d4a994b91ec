"""What reminders need from the history, read with plain read-only SQL; never creates it.

Only the `sessions` table's started_at, ended_at and active_seconds are read, and a session
counts only when some stretching was done (active_seconds > 0), so a session quit at once
(or marked skipped) is not a break.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from stretchcoach.remind.record import Record
from stretchcoach.remind.state import parse_utc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from os import PathLike
    from typing import Any, ClassVar

UTC = dt.timezone.utc
# A reader waits this long for a writer finishing a session, then reports what it has.
BUSY_TIMEOUT_S = 1.0


class Facts(Record):
    """The history as reminders see it."""

    __slots__ = ("last_end", "streak_days", "today_minutes")
    _defaults: ClassVar[dict[str, Any]] = {"last_end": None, "today_minutes": 0.0, "streak_days": 0}
    last_end: dt.datetime | None
    today_minutes: float
    streak_days: int


def local_zone(environ: Mapping[str, str] = os.environ) -> dt.tzinfo:
    """The user's time zone with its DST rules: $TZ when it names a zone, else the system's."""
    name = environ.get("TZ", "").lstrip(":")
    if name and name != os.environ.get("TZ", "").lstrip(":"):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # a POSIX rule string or a typo: the C library's reading of it
    # This process's own zone (its $TZ or /etc/localtime) as the C library applies it:
    # the same answers as zoneinfo without its 4 ms of imports on the status fast path.
    return SystemZone()


class SystemZone(dt.tzinfo):
    """The C library's local time, DST included (time.localtime / time.mktime)."""

    def fromutc(self, moment: dt.datetime) -> dt.datetime:
        stamp = (moment.replace(tzinfo=None) - _EPOCH).total_seconds()
        offset = time.localtime(int(stamp // 1)).tm_gmtoff
        return moment + dt.timedelta(seconds=offset)

    def utcoffset(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(seconds=self._local(moment).tm_gmtoff)

    def dst(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=1) if self._local(moment).tm_isdst > 0 else dt.timedelta(0)

    def tzname(self, moment: dt.datetime | None) -> str:
        return self._local(moment).tm_zone

    def _local(self, moment: dt.datetime | None) -> time.struct_time:
        if moment is None:
            return time.localtime()
        fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute,
                  moment.second, 0, 0, -1)  # fmt: skip
        return time.localtime(time.mktime(fields))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SystemZone)

    def __hash__(self) -> int:
        return hash(SystemZone)

    def __repr__(self) -> str:
        return "SystemZone()"


_EPOCH = dt.datetime(1970, 1, 1)


def read_facts(db: str | PathLike[str], now: dt.datetime, tz: dt.tzinfo) -> Facts:
    """Last session end, today's active minutes and the current streak; empty without a file."""
    if not os.path.isfile(db):
        return Facts()
    import sqlite3  # after the check: without a history, status skips its 5 ms import

    # A URI: % ? and # in the path are escaped (urllib.parse would cost 3 ms of start-up).
    where = os.path.realpath(db).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    uri = f"file:{where}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return Facts()
    try:
        return _query(connection, now, tz)
    except sqlite3.Error:
        # Not yet migrated, damaged or locked: the commands that write it say so.
        return Facts()
    finally:
        connection.close()


def _query(connection: object, now: dt.datetime, tz: dt.tzinfo) -> Facts:
    from stretchcoach.remind.schedule import local_day_start

    row = connection.execute(  # type: ignore[attr-defined]
        "SELECT MAX(ended_at) FROM sessions WHERE active_seconds > 0"
    ).fetchone()
    last_end = parse_utc(row[0]) if row and row[0] else None
    today_start = local_day_start(now, tz)
    # Fixed-width UTC text sorts as time, so the started_at index answers this.
    (seconds,) = connection.execute(  # type: ignore[attr-defined]
        "SELECT COALESCE(SUM(active_seconds), 0) FROM sessions WHERE started_at >= ?",
        (today_start.strftime("%Y-%m-%dT%H:%M:%SZ"),),
    ).fetchone()
    return Facts(
        last_end=last_end,
        today_minutes=float(seconds) / 60,
        streak_days=_streak(connection, now, tz, _done_column(connection)),
    )


def _done_column(connection: object) -> bool:
    """Whether the history counts exercises done (schema 5 on): streaks then need one, as in
    `stats`; an older file not yet migrated by a writing command counts active time alone."""
    columns = connection.execute("PRAGMA table_info(sessions)")  # type: ignore[attr-defined]
    return any(row[1] == "exercises_done" for row in columns)


def _streak(connection: object, now: dt.datetime, tz: dt.tzinfo, done_column: bool) -> int:
    """Consecutive local days with activity, ending today or yesterday (as `stats` counts).

    Rows are compared as text against each day's UTC start, so only one time conversion is
    made per day of the streak, not one per session.
    """
    from stretchcoach.remind.schedule import day_start

    def start_text(day: dt.date) -> str:
        return _text(day_start(day, tz))

    today = now.astimezone(tz).date()
    day, start = today, start_text(today)
    streak, counted = 0, False
    done = " AND exercises_done > 0" if done_column else ""
    rows = connection.execute(  # type: ignore[attr-defined]
        f"SELECT started_at FROM sessions WHERE active_seconds > 0{done} ORDER BY started_at DESC"
    )
    for (started,) in rows:  # newest first; stops at the first day without a session
        while started < start:
            if not counted and day != today:
                return streak  # a day without a session
            day, counted = day - dt.timedelta(days=1), False
            start = start_text(day)
        if not counted:
            streak, counted = streak + 1, True
    return streak


def _text(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
