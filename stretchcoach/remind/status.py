"""`stretchcoach status`: one line for tmux, a prompt or a bar — the fast path.

tmux runs this every few seconds, so it imports no Typer, Rich, YAML or catalogue code
(budget: 2x `python3 -c pass`, see benchmarks/bench_status.py), reads the history read-only
and never creates it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

from stretchcoach.remind.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO, Any

    from stretchcoach.remind.facts import Facts
    from stretchcoach.remind.schedule import Reading
    from stretchcoach.remind.settings import Settings

FORMATS = ("text", "tmux", "json")

USAGE = "usage: stretchcoach status [--format text|tmux|json] [--ascii]"


class Status(Record):
    """Everything the status line shows, at one moment."""

    __slots__ = ("facts", "now", "reading", "settings")
    now: dt.datetime
    reading: Reading
    facts: Facts
    settings: Settings


def gather(environ: Mapping[str, str], now: dt.datetime) -> Status:
    """Read settings, shared state and history (read-only) and place now on the schedule."""
    from stretchcoach.paths import HISTORY_NAME, fast_dirs
    from stretchcoach.remind import state
    from stretchcoach.remind.config_cache import load_settings_cached
    from stretchcoach.remind.facts import local_zone, read_facts
    from stretchcoach.remind.schedule import reading
    from stretchcoach.remind.settings import config_path

    config_dir, data_dir, cache_dir = fast_dirs(environ)
    settings = load_settings_cached(config_path(config_dir), cache_dir)
    tz = local_zone(environ)
    shared = state.load(state.state_path(data_dir))
    facts = read_facts(os.path.join(data_dir, HISTORY_NAME), now, tz)
    where = reading(
        now,
        settings,
        tz,
        last_end=facts.last_end,
        reset_at=shared.reset_at,
        paused_until=shared.paused_until,
        snoozed_until=shared.snoozed_until,
    )
    return Status(now=now, reading=where, facts=facts, settings=settings)


def span(seconds: int) -> str:
    """A short time left: 45s, 12m, 2h05m (minutes rounded up, so 0m never shows)."""
    if seconds < 60:
        return f"{seconds}s"
    minutes = -(-seconds // 60)
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h{minutes % 60:02d}m"


def headline(status: Status) -> tuple[str, str]:
    """(kind, words): kind is due, paused, waiting or off."""
    where = status.reading
    if where.paused_until is not None:
        left = int((where.paused_until - status.now).total_seconds() + 0.999)
        return "paused", f"paused {span(left)}"
    if where.due_at is None:
        return "off", "reminders off"
    if where.due:
        return "due", "stretch due"
    return "waiting", f"stretch in {span(where.seconds_left(status.now) or 0)}"


def goal_text(today_minutes: float, goal_minutes: int, *, ascii_only: bool = False) -> str:
    """`6/15 min`, with a check mark once the goal is met (none in ASCII)."""
    done = int(today_minutes + 1e-9)
    met = "" if ascii_only or done < goal_minutes else " ✓"
    return f"{done}/{goal_minutes} min{met}"


def text_line(status: Status, *, ascii_only: bool = False) -> str:
    """`stretch in 12m · 6/15 min`; with ascii_only, `stretch in 12m - 6/15 min`."""
    _, words = headline(status)
    dot = " - " if ascii_only else " · "
    goal = goal_text(
        status.facts.today_minutes, status.settings.goal_minutes, ascii_only=ascii_only
    )
    return f"{words}{dot}{goal}"


_TMUX_STYLE = {"due": "#[fg=colour208,bold]", "paused": "#[fg=colour244]", "off": "#[fg=colour244]"}


def tmux_line(status: Status, *, ascii_only: bool = False) -> str:
    """The text line with tmux style markers: a due break stands out, a pause is dimmed."""
    kind, words = headline(status)
    style = _TMUX_STYLE.get(kind)
    head = f"{style}{words}#[default]" if style else words
    dot = " - " if ascii_only else " · "
    goal = goal_text(
        status.facts.today_minutes, status.settings.goal_minutes, ascii_only=ascii_only
    )
    if status.facts.today_minutes + 1e-9 >= status.settings.goal_minutes:
        goal = f"#[fg=green]{goal}#[default]"
    return f"{head}{dot}{goal}"


def status_json(status: Status) -> dict[str, Any]:
    """The stable JSON keys of `status --format json`."""
    from stretchcoach.remind.state import format_utc

    where = status.reading
    last = status.facts.last_end
    return {
        "due": where.due,
        "due_in_seconds": where.seconds_left(status.now),
        "last_session_end": None if last is None else format_utc(last),
        "today_minutes": round(status.facts.today_minutes, 1),
        "goal_minutes": status.settings.goal_minutes,
        "streak_days": status.facts.streak_days,
        "paused_until": None if where.paused_until is None else format_utc(where.paused_until),
        "every_seconds": status.settings.every,
    }


def render(status: Status, fmt: str, *, ascii_only: bool = False) -> str:
    if fmt == "json":
        import json

        return json.dumps(status_json(status))
    if fmt == "tmux":
        return tmux_line(status, ascii_only=ascii_only)
    return text_line(status, ascii_only=ascii_only)


def parse_args(args: list[str]) -> tuple[str, bool]:
    """(format, ascii) from the command line; ValueError says what is wrong."""
    fmt, ascii_only = "text", False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--ascii":
            ascii_only = True
        elif arg in ("--format", "-f") or arg.startswith("--format="):
            value = arg.partition("=")[2] if "=" in arg else (rest.pop(0) if rest else "")
            if value not in FORMATS:
                raise ValueError(f"--format must be text, tmux or json, not {value!r}")
            fmt = value
        else:
            raise ValueError(f"unknown argument {arg!r}")
    return fmt, ascii_only


def main(
    args: list[str],
    *,
    environ: Mapping[str, str] = os.environ,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Print the status line; 2 for a usage or settings error, with the message on stderr."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        fmt, ascii_only = parse_args(args)
    except ValueError as error:
        err.write(f"{USAGE}\nerror: {error}\n")
        return 2
    moment = now or dt.datetime.now(dt.timezone.utc)
    try:
        status = gather(environ, moment)
    except Exception as error:
        from stretchcoach.errors import StretchcoachError  # only now: it imports dataclasses

        if not isinstance(error, StretchcoachError):
            raise
        err.write("\n".join(error.lines()) + "\n")
        return error.exit_code
    text = render(status, fmt, ascii_only=ascii_only)
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):  # e.g. LC_ALL=C: the symbols degrade, not crash
        text = render(status, fmt, ascii_only=True)
    out.write(text + "\n")
    out.flush()
    return 0
