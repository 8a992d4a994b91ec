"""The stats digest computed inside SQLite: a row per local day, per target set, not per session.

Minutes per day and per target set only grow: sessions are appended, never changed in those
columns. So they are kept between runs in a file (a maintained aggregate outside the
database), and each `stats` adds only the sessions recorded since. The session count and the
check-in sums, which can change later, come from the session_totals row that triggers keep.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from stretchcoach.history.stats import Digest, offset_spans
from stretchcoach.history.store import format_utc, parse_utc

# Bump when what is kept changes.
KEPT_VERSION = 2  # 2: the days with an exercise done, for streaks


def _zone_signature(tz: dt.tzinfo) -> tuple[Any, ...]:
    # A zone's name may not change when its rules do ("localtime"): its offsets say more.
    samples = [dt.datetime(year, month, 1, 12) for year in (1980, 2000, 2024) for month in (1, 7)]
    return (getattr(tz, "key", None), repr(tz), tuple(tz.utcoffset(s) for s in samples))


def digest_kept(db: sqlite3.Connection, tz: dt.tzinfo, kept: Path) -> Digest:
    """digest(db, tz), reading only the sessions recorded since the copy kept in `kept`."""
    last_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM sessions").fetchone()[0]
    count = db.execute("SELECT sessions FROM session_totals").fetchone()[0]
    where = [row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"]
    key = (KEPT_VERSION, where, _zone_signature(tz))
    state: dict[str, Any] | None = None
    try:
        with open(kept, "rb") as handle:
            state = pickle.load(handle)
    except Exception:  # missing, unreadable or damaged: computed again below
        state = None
    if state is not None and state.get("key") == key and state["last_id"] <= last_id:
        since = state["last_id"]
        added = db.execute("SELECT COUNT(*) FROM sessions WHERE id > ?", (since,)).fetchone()[0]
        if state["count"] + added == count:  # nothing removed or replaced
            days: dict[dt.date, float] = state["days"]
            done_days: set[dt.date] = state["done_days"]
            by_targets: dict[tuple[str, ...], float] = state["by_targets"]
            for started, seconds, done in db.execute(
                "SELECT started_at, active_seconds, exercises_done FROM sessions WHERE id > ?",
                (since,),
            ):
                if seconds > 0:
                    day = parse_utc(started).astimezone(tz).date()
                    days[day] = days.get(day, 0.0) + seconds / 60
                    if done:
                        done_days.add(day)
            for targets, seconds in db.execute(
                "SELECT targets, active_seconds FROM session_exercises WHERE session_id > ?",
                (since,),
            ):
                group = tuple(json.loads(targets))
                by_targets[group] = by_targets.get(group, 0.0) + seconds
            result = _with_tension(db, days, done_days, by_targets, count)
            if added:
                _keep(kept, key, last_id, count, days, done_days, by_targets)
            return result
    fresh = digest(db, tz)
    assert fresh.days is not None and fresh.done_days is not None
    _keep(
        kept, key, last_id, count, dict(fresh.days), set(fresh.done_days),
        dict(fresh.seconds_by_targets),
    )  # fmt: skip
    return fresh


def _with_tension(
    db: sqlite3.Connection,
    days: dict[dt.date, float],
    done_days: set[dt.date],
    by_targets: dict[tuple[str, ...], float],
    count: int,
) -> Digest:
    tension_count, tension_total = _tension(db)
    return Digest(
        seconds_by_targets=by_targets,
        tension_count=tension_count,
        tension_change_total=tension_total,
        sessions_total=int(count),
        days=days,
        done_days=frozenset(done_days),
    )


def _tension(db: sqlite3.Connection) -> tuple[int, int]:
    # Kept by triggers (migration 6): no scan of every session.
    count, total = db.execute("SELECT tension_count, tension_total FROM session_totals").fetchone()
    return int(count), int(total)


def _keep(
    kept: Path,
    key: tuple[Any, ...],
    last_id: int,
    count: int,
    days: dict[dt.date, float],
    done_days: set[dt.date],
    by_targets: dict[tuple[str, ...], float],
) -> None:
    from stretchcoach.atomic import write_atomic

    state = {"key": key, "last_id": last_id, "count": count, "days": days,
             "done_days": done_days, "by_targets": by_targets}  # fmt: skip
    try:  # a copy that cannot be kept is computed again next time
        kept.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(kept, data, durable=False)
    except OSError:
        pass


def digest(db: sqlite3.Connection, tz: dt.tzinfo | None) -> Digest:
    """History.digest: with tz, minutes per local day summed in SQL; else every start."""
    starts: tuple[tuple[dt.datetime, float], ...] = ()
    done_starts: list[dt.datetime] = []
    days: dict[dt.date, float] | None = None
    done_days: set[dt.date] | None = None
    if tz is None:
        found = []
        # In no particular order: whatever the covering index gives fastest.
        for started, seconds, done in db.execute(
            "SELECT started_at, active_seconds, exercises_done FROM sessions"
        ):
            moment = parse_utc(started)
            found.append((moment, seconds))
            if done and seconds > 0:
                done_starts.append(moment)
        starts = tuple(found)
        sessions_total = len(starts)
    else:
        days, done_days = {}, set()
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
            for local, seconds, count, done in db.execute(
                f"SELECT {day}, SUM(active_seconds), COUNT(*),"
                " SUM(exercises_done > 0 AND active_seconds > 0) FROM sessions"
                " WHERE started_at >= ? AND started_at < ? GROUP BY 1",
                (*shift, format_utc(low), format_utc(high)),
            ):
                sessions_total += count
                if seconds > 0:
                    when = dt.date.fromisoformat(local)
                    days[when] = days.get(when, 0.0) + seconds / 60
                    if done:
                        done_days.add(when)
    by_targets: dict[tuple[str, ...], float] = {}
    for targets, seconds in db.execute(
        "SELECT targets, SUM(active_seconds) FROM session_exercises GROUP BY targets"
    ):
        key = tuple(json.loads(targets))
        by_targets[key] = by_targets.get(key, 0.0) + seconds
    count, total = _tension(db)
    return Digest(
        starts=starts,
        done_starts=tuple(done_starts),
        seconds_by_targets=by_targets,
        tension_count=count,
        tension_change_total=total,
        sessions_total=int(sessions_total),
        days=days,
        done_days=None if done_days is None else frozenset(done_days),
    )
