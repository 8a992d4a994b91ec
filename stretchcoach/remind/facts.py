"""What reminders need from the history, read with plain read-only SQL; never creates it.

Only the `sessions` table's started_at, ended_at and active_seconds are read, and a session
counts only when some stretching was done (active_seconds > 0), so a session quit at once
(or marked skipped) is not a break.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from stretchcoach.remind.state import parse_utc

UTC = dt.timezone.utc
# A reader waits this long for a writer finishing a session, then reports what it has.
BUSY_TIMEOUT_S = 1.0


@dataclass(frozen=True, slots=True)
class Facts:
    """The history as reminders see it."""

    last_end: dt.datetime | None = None
    today_minutes: float = 0.0
    streak_days: int = 0


def local_zone(environ: Mapping[str, str] = os.environ) -> dt.tzinfo:
    """The user's time zone with its DST rules: $TZ, else /etc/localtime, else today's offset."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # a POSIX rule string or a typo: fall through to the system's zone
    try:
        with open("/etc/localtime", "rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError):
        offset = dt.datetime.now().astimezone().tzinfo
        return offset if offset is not None else UTC


def read_facts(db: Path, now: dt.datetime, tz: dt.tzinfo) -> Facts:
    """Last session end, today's active minutes and the current streak; empty without a file."""
    import sqlite3

    if not db.is_file():
        return Facts()
    uri = f"file:{quote(str(db.resolve()))}?mode=ro"
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
        streak_days=_streak(connection, now, tz),
    )


def _streak(connection: object, now: dt.datetime, tz: dt.tzinfo) -> int:
    """Consecutive local days with activity, ending today or yesterday (as `stats` counts)."""
    today = now.astimezone(tz).date()
    expected = today
    streak = 0
    rows = connection.execute(  # type: ignore[attr-defined]
        "SELECT started_at FROM sessions WHERE active_seconds > 0 ORDER BY started_at DESC"
    )
    for (started,) in rows:  # newest first; stops at the first gap
        day = parse_utc(started).astimezone(tz).date()
        if day > expected:
            continue
        if day == expected:
            streak += 1
            expected = day - dt.timedelta(days=1)
            continue
        if streak == 0 and day == today - dt.timedelta(days=1):
            streak, expected = 1, day - dt.timedelta(days=1)
            continue
        break
    return streak
