"""How the history and the stats look: Rich renderables and JSON-ready dicts (the export:
render/export.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from stretchcoach.history.stats import CALENDAR_WEEKS, Stats
from stretchcoach.history.store import RecordedSession, format_utc
from stretchcoach.render.styled import Piece, Styled

if TYPE_CHECKING:
    from rich.table import Table

# The history table is a Rich table (imported when shown); the stats screen is styled text,
# so `stats` starts without Rich.
from stretchcoach.render.text import clean

# Lightest to darkest; the characters alone carry the level, so no colour is needed.
SHADES = "·░▒▓█"
# Upper bounds in minutes for the shades after the first: under 5, under 10, under 20, more.
SHADE_LIMITS = (5.0, 10.0, 20.0)
SHADE_STYLES = ("dim", "green", "green", "bold green", "bold green")
LEGEND = "· none  ░ under 5 min  ▒ 5–10  ▓ 10–20  █ 20 or more"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BAR_WIDTH = 24


def session_json(recorded: RecordedSession) -> dict[str, Any]:
    """One session with stable keys, as `history --json` prints it."""
    result = recorded.result
    return {
        "id": recorded.id,
        "started_at": format_utc(result.started_at),
        "ended_at": format_utc(result.ended_at),
        "status": result.status.value,
        "title": result.title,
        "routine_id": result.routine_id,
        "generation": None if result.generation is None else dict(result.generation),
        "planned_seconds": result.planned_seconds,
        "active_seconds": round(float(result.active_seconds), 1),
        "check_in_before": result.check_in_before,
        "check_in_after": result.check_in_after,
        "exercises": [
            {
                "exercise_id": e.exercise_id,
                "name": e.name,
                "targets": list(e.targets),
                "done": e.done,
                "active_seconds": round(float(e.active_seconds), 1),
            }
            for e in result.exercises
        ],
    }


def history_json(sessions: Iterable[RecordedSession]) -> list[dict[str, Any]]:
    return [session_json(s) for s in sessions]


def check_in_text(before: int | None, after: int | None) -> str:
    """'6→3', '6→–' or '' when there was no check-in."""
    if before is None and after is None:
        return ""
    return f"{'–' if before is None else before}→{'–' if after is None else after}"


def history_table(
    sessions: Sequence[RecordedSession], tz: dt.tzinfo, *, plain: bool = False
) -> Table:
    """The latest sessions, one row each, times in zone tz."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None if plain else box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Date")
    table.add_column("Session", overflow="fold")
    table.add_column("Status")
    table.add_column("Done", justify="right")
    table.add_column("Min", justify="right")
    table.add_column("Tension", justify="right")
    for recorded in sessions:
        result = recorded.result
        done = sum(1 for e in result.exercises if e.done)
        table.add_row(
            str(recorded.id),
            result.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            # Titles come from catalogue files: shown as text, never read as markup.
            Text(clean(result.title)),
            result.status.value,
            f"{done}/{len(result.exercises)}",
            f"{result.active_seconds / 60:.1f}",
            check_in_text(result.check_in_before, result.check_in_after),
        )
    return table


def stats_json(stats: Stats) -> dict[str, Any]:
    """The stats with stable keys, as `stats --json` prints them; minutes to 0.1."""
    average = stats.tension_average_change
    return {
        "current_streak_days": stats.current_streak_days,
        "longest_streak_days": stats.longest_streak_days,
        "minutes_this_week": round(stats.minutes_this_week, 1),
        "minutes_last_week": round(stats.minutes_last_week, 1),
        "minutes_by_target": {t: round(m, 1) for t, m in stats.minutes_by_target.items()},
        "calendar": [
            {"date": day.isoformat(), "minutes": round(minutes, 1)}
            for day, minutes in stats.calendar
        ],
        "tension": {
            "sessions": stats.tension_sessions,
            "average_change": None if average is None else round(average, 2),
        },
        "sessions_total": stats.sessions_total,
        "goal_minutes": stats.goal_minutes,
        "goal_days": stats.goal_days,
    }


def shade(minutes: float) -> int:
    """The heatmap level, 0 (nothing) to 4, of a day's minutes."""
    if minutes <= 0:
        return 0
    return 1 + sum(1 for limit in SHADE_LIMITS if minutes >= limit)


def heatmap(calendar: Sequence[tuple[dt.date, float]], today: dt.date) -> Styled:
    """Weeks as columns, Monday..Sunday as rows, a month label above; future days blank."""
    weeks = [calendar[i : i + 7] for i in range(0, len(calendar), 7)]
    starts = [
        column
        for column, week in enumerate(weeks)
        if column == 0 or week[0][0].month != weeks[column - 1][0][0].month
    ]
    # A month label takes 3 of the 2-character columns: drop the first (partial) month's
    # label when the next month starts right after it.
    if len(starts) > 1 and starts[1] - starts[0] < 2:
        starts.pop(0)
    label = [" "] * (2 * len(weeks) + 2)
    free_from = 0
    for column in starts:
        start = 2 * column
        if start >= free_from:
            name = weeks[column][0][0].strftime("%b")
            label[start : start + len(name)] = name
            free_from = start + len(name) + 1
    out: list[Piece] = ["    " + "".join(label).rstrip() + "\n"]
    for row, day_name in enumerate(DAY_NAMES):
        out.append(f"{day_name}")
        for week in weeks:
            day, minutes = week[row]
            if day > today:
                break  # the days after today: blank, and nothing after them on this row
            level = shade(minutes)
            out += [" ", (SHADE_STYLES[level], SHADES[level])]
        out.append("\n")
    out.append("    " + LEGEND)
    return Styled(out)


def _minutes(value: float) -> str:
    return f"{value:.1f} min"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def summary_lines(stats: Stats) -> list[tuple[str, str]]:
    """The headline figures as (label, text) pairs."""
    average = stats.tension_average_change
    if average is None:
        tension = "no sessions with a check-in before and after (run --check-in)"
    else:
        noun = "session" if stats.tension_sessions == 1 else "sessions"
        tension = (
            f"{average:+.1f} on average, after minus before "
            f"({stats.tension_sessions} {noun} with both check-ins)"
        )
    return [
        (
            "Streak",
            f"{_days(stats.current_streak_days)} now, longest {_days(stats.longest_streak_days)}",
        ),
        (
            "This week",
            f"{_minutes(stats.minutes_this_week)} (last week {_minutes(stats.minutes_last_week)})",
        ),
        ("Sessions", f"{stats.sessions_total} recorded"),
        (
            "Goal",
            f"{stats.goal_minutes} min a day, met on {_days(stats.goal_days)} "
            f"in the last {CALENDAR_WEEKS} weeks",
        ),
        ("Tension", tension),
    ]


def area_bars(stats: Stats) -> Styled:
    """One bar per area, scaled to the area with the most minutes."""
    top = max(stats.minutes_by_target.values(), default=0.0)
    rows = []
    for target, minutes in stats.minutes_by_target.items():
        length = max(1, round(BAR_WIDTH * minutes / top)) if top > 0 else 0
        rows.append((target, "█" * length, f"{minutes:.1f}"))
    names = max((len(r[0]) for r in rows), default=0)
    bars = max((len(r[1]) for r in rows), default=0)
    figures = max((len(r[2]) for r in rows), default=0)
    out: list[Piece] = []
    for target, bar, figure in rows:
        out += [target.ljust(names) + " ", ("cyan", bar), " " * (bars - len(bar) + 1)]
        out.append(figure.rjust(figures) + "\n")
    return Styled(out)


def stats_view(stats: Stats) -> Styled:
    """The whole stats screen: figures, minutes per area, and the 12-week heatmap."""
    width = max(len(label) for label, _ in summary_lines(stats))
    parts: list[Piece] = []
    for label, text in summary_lines(stats):
        parts += [("bold", label.ljust(width + 2)), text + "\n"]
    parts.append("\n")
    if stats.minutes_by_target:
        parts += [("bold", "Minutes by area"), "\n", *area_bars(stats).pieces, "\n"]
    parts += [("bold", "Last 12 weeks"), "\n", *heatmap(stats.calendar, stats.today).pieces]
    return Styled(parts)
