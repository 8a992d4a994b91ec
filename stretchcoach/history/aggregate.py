"""The stats digest computed inside SQLite: a row per local day, per target set, not per session."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from stretchcoach.history.stats import Digest, offset_spans
from stretchcoach.history.store import format_utc, parse_utc


def digest(db: sqlite3.Connection, tz: dt.tzinfo | None) -> Digest:
    """History.digest: with tz, minutes per local day summed in SQL; else every start."""
    starts: tuple[tuple[dt.datetime, float], ...] = ()
    days: dict[dt.date, float] | None = None
    if tz is None:
        starts = tuple(
            (parse_utc(started), seconds)
            # In no particular order: whatever the covering index gives fastest.
            for started, seconds in db.execute("SELECT started_at, active_seconds FROM sessions")
        )
        sessions_total = len(starts)
    else:
        days = {}
        sessions_total = 0
        # MIN and MAX apart: each is one lookup in the started_at index, together a scan.
        first = db.execute("SELECT MIN(started_at) FROM sessions").fetchone()[0]
        last = db.execute("SELECT MAX(started_at) FROM sessions").fetchone()[0]
        spans = offset_spans(parse_utc(first), parse_utc(last), tz) if first else []
        for low, high, offset in spans:
            # One range scan of the (started_at, active_seconds) index per span of constant
            # UTC offset; started_at is fixed-width UTC text, so text order is time order.
            day = "substr(started_at, 1, 10)" if offset == 0 else "date(started_at, ?)"
            shift = () if offset == 0 else (f"{offset:+d} seconds",)
            for local, seconds, count in db.execute(
                f"SELECT {day}, SUM(active_seconds), COUNT(*) FROM sessions"
                " WHERE started_at >= ? AND started_at < ? GROUP BY 1",
                (*shift, format_utc(low), format_utc(high)),
            ):
                sessions_total += count
                if seconds > 0:
                    when = dt.date.fromisoformat(local)
                    days[when] = days.get(when, 0.0) + seconds / 60
    by_targets: dict[tuple[str, ...], float] = {}
    for targets, seconds in db.execute(
        "SELECT targets, SUM(active_seconds) FROM session_exercises GROUP BY targets"
    ):
        key = tuple(json.loads(targets))
        by_targets[key] = by_targets.get(key, 0.0) + seconds
    count, total = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(check_in_after - check_in_before), 0) FROM sessions"
        " WHERE check_in_before IS NOT NULL AND check_in_after IS NOT NULL"
    ).fetchone()
    return Digest(
        starts=starts,
        seconds_by_targets=by_targets,
        tension_count=int(count),
        tension_change_total=int(total),
        sessions_total=int(sessions_total),
        days=days,
    )
