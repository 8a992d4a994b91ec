"""Commands over the session history: history, stats, export."""

from __future__ import annotations

import datetime as dt
import enum
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import typer

from stretchcoach.atomic import replacing
from stretchcoach.cli.base import JsonOption, app, out_console, print_json, say
from stretchcoach.cli.env import of as environment

if TYPE_CHECKING:
    from stretchcoach.history.store import History
    from stretchcoach.paths import Paths

# The views and stats are imported inside the commands: they pull in Rich, and every other
# command's start-up would pay for it (`list` must start as fast as termdown).

T = TypeVar("T")

NOTHING_YET = "no sessions recorded yet; start one with: stretchcoach run desk-break"


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
        return offset if offset is not None else dt.timezone.utc


def _open_existing(where: Paths) -> History | None:
    """The history, or None when nothing was ever recorded: reading never creates it
    (unless sessions wait in the journal, which are merged into it first)."""
    from stretchcoach.history import journal
    from stretchcoach.history.store import open_history

    path = where.history_db
    folders = journal.folders(where)
    if not path.exists() and not journal.entries(folders)[0]:
        return None
    history = open_history(path, verify=False, pending=journal.merger(folders))
    for notice in history.notices:
        say(notice)
    return history


_say = say
_print_json = print_json


def _parse_day(value: str | None, today: dt.date) -> dt.date | None:
    """A --since value: YYYY-MM-DD, today, yesterday, or a count of days or weeks ago (7d, 2w)."""
    if value is None:
        return None
    word = value.strip().lower()
    if word in ("today", "yesterday"):
        return today - dt.timedelta(days=0 if word == "today" else 1)
    if len(word) > 1 and word[:-1].isdigit() and word[-1] in "dw":
        days = int(word[:-1]) * (7 if word[-1] == "w" else 1)
        return today - dt.timedelta(days=days)
    try:
        return dt.datetime.strptime(word, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write YYYY-MM-DD (2024-05-01), today, yesterday, "
            "or days or weeks ago (7d, 2w)"
        ) from None


@app.command()
def history(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Show at most N sessions.", metavar="N")
    ] = 10,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only sessions started on or after this local day: YYYY-MM-DD, today, "
            "yesterday, 7d (7 days ago), 2w (2 weeks ago).",
            metavar="DAY",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the latest sessions, newest first.

    \b
    Examples:
      stretchcoach history --since 7d
      stretchcoach history --since 2024-05-01 --limit 20
    """
    from stretchcoach.render.history import history_json, history_table

    env = environment(ctx)
    tz = local_zone(env.environ)
    day = _parse_day(since, env.now().astimezone(tz).date())
    store = _open_existing(env.paths)
    if store is None:
        if as_json:
            _print_json([])
        else:
            _say(NOTHING_YET)
        return
    with store:
        start = None if day is None else dt.datetime.combine(day, dt.time(), tzinfo=tz)
        sessions = store.sessions(limit=limit, since=start)
        if not sessions and not as_json:
            _say(NOTHING_YET if day is None else f"no sessions since {day.isoformat()}")
            return
    if as_json:
        _print_json(history_json(sessions))
        return
    console = out_console()
    console.print(history_table(sessions, tz, plain=not console.is_terminal))


@app.command()
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show streaks, minutes per week and per body area, a 12-week calendar and tension change.

    \b
    Examples:
      stretchcoach stats
      stretchcoach stats --json | jq .current_streak_days
    """
    from stretchcoach.history.stats import Digest, summarize

    env = environment(ctx)
    tz = local_zone(env.environ)
    today = env.now().astimezone(tz).date()
    store = _open_existing(env.paths)
    if store is None:
        reduced = Digest()
    else:
        with store:
            reduced = store.digest(tz, kept=env.paths.cache_dir / "stats-digest.pickle")
    from stretchcoach.remind.settings import config_path, load_settings

    goal = load_settings(config_path(env.paths.config_dir)).goal_minutes
    result = summarize(reduced, today=today, tz=tz, goal_minutes=goal)
    if result.sessions_total == 0 and not as_json:
        _say(NOTHING_YET)
        return
    from stretchcoach.render.history import stats_json, stats_view  # Rich: only when shown

    if as_json:
        _print_json(stats_json(result))
        return
    from stretchcoach.render.styled import color_wanted

    sys.stdout.write(stats_view(result).ansi(color_wanted(sys.stdout)) + "\n")


class ExportFormat(str, enum.Enum):
    csv = "csv"
    json = "json"


@app.command()
def export(
    ctx: typer.Context,
    format_: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            show_default=False,
            help="csv (the default): one row per exercise; json: as history --json.",
        ),
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", metavar="PATH"
        ),
    ] = None,
) -> None:
    """Write every recorded session, oldest first, as CSV (the default) or JSON.

    \b
    Examples:
      stretchcoach export > sessions.csv
      stretchcoach export --format json --output sessions.json
    """
    from stretchcoach.render.export import export_csv, export_json

    store = _open_existing(environment(ctx).paths)
    counted: _Counted[Any]
    if format_ is ExportFormat.csv:
        counted = _Counted(() if store is None else store.each_session_rows())
        chunks = export_csv(counted)
    else:
        counted = _Counted(() if store is None else store.each_session())
        chunks = export_json(counted)
    try:
        if output is None:
            _write(chunks, sys.stdout)
        else:
            with replacing(output, durable=False) as file:
                _write(chunks, file)
            noun = "session" if counted.count == 1 else "sessions"
            _say(f"wrote {counted.count} {noun} to {output}")
    finally:
        chunks.close()  # ends the read before the store closes
        if store is not None:
            store.close()
    if not counted.count:
        _say(NOTHING_YET)


class _Counted(Generic[T]):
    """Sessions passed through one at a time, counted on the way."""

    def __init__(self, sessions: Iterable[T]) -> None:
        self.sessions = sessions
        self.count = 0

    def __iter__(self) -> Iterator[T]:
        for session in self.sessions:
            self.count += 1
            yield session


def _write(chunks: Iterable[str], file: IO[str]) -> None:
    """Write each chunk as it is made: memory stays flat however long the history."""
    for chunk in chunks:
        file.write(chunk)
