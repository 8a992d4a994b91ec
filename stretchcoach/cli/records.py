"""Commands over the session history: history, stats, export."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stretchcoach.cli.base import JsonOption, app, err_console, out_console, paths

if TYPE_CHECKING:
    from stretchcoach.history.store import History

# The views and stats are imported inside the commands: they pull in Rich, and every other
# command's start-up would pay for it (`list` must start as fast as termdown).

NOTHING_YET = "no sessions recorded yet; start one with: stretchcoach run desk-break"


def clock() -> dt.datetime:
    """Now, in UTC; tests replace it."""
    return dt.datetime.now(dt.timezone.utc)


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


def _open_existing() -> History | None:
    """The history, or None when nothing was ever recorded: reading never creates it."""
    from stretchcoach.history.store import open_history

    path = paths().history_db
    if not path.exists():
        return None
    history = open_history(path, verify=False)
    for notice in history.notices:
        err_console().print(notice, markup=False, highlight=False, soft_wrap=True)
    return history


def _say(message: str) -> None:
    """A message on stderr, as it is (Rich's console would cost more than an empty `stats`)."""
    sys.stderr.write(message + "\n")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-01"
        ) from None


@app.command()
def history(
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Show at most N sessions.", metavar="N")
    ] = 10,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only sessions started on or after this local date (YYYY-MM-DD).",
            metavar="DATE",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the latest sessions, newest first.

    \b
    Example:
      stretchcoach history --since 2024-05-01 --limit 20
    """
    from stretchcoach.render.history import history_json, history_table

    day = _parse_day(since)
    tz = local_zone()
    store = _open_existing()
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
def stats(as_json: JsonOption = False) -> None:
    """Show streaks, minutes per week and per body area, a 12-week calendar and tension change.

    \b
    Example:
      stretchcoach stats
      stretchcoach stats --json | jq .current_streak_days
    """
    from stretchcoach.history.stats import Digest, summarize

    tz = local_zone()
    today = clock().astimezone(tz).date()
    store = _open_existing()
    if store is None:
        reduced = Digest()
    else:
        with store:
            reduced = store.digest(tz, kept=paths().cache_dir / "stats-digest.pickle")
    result = summarize(reduced, today=today, tz=tz)
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
    format_: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv: one row per exercise; json: as history --json."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", metavar="PATH"
        ),
    ] = None,
) -> None:
    """Write every recorded session, oldest first, as CSV or JSON.

    \b
    Example:
      stretchcoach export --format csv --output sessions.csv
    """
    from stretchcoach.render.history import CSV_COLUMNS, csv_rows, history_json

    store = _open_existing()
    if store is None:
        sessions = []
    else:
        with store:
            sessions = store.all_sessions()
    buffer = io.StringIO(newline="")
    if format_ is ExportFormat.csv:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_rows(sessions))
    else:
        buffer.write(json.dumps(history_json(sessions), indent=2, ensure_ascii=False) + "\n")
    text = buffer.getvalue()
    if output is None:
        sys.stdout.write(text)
    else:
        _write_atomically(output, text)
        noun = "session" if len(sessions) == 1 else "sessions"
        _say(f"wrote {len(sessions)} {noun} to {output}")
    if not sessions:
        _say(NOTHING_YET)


def _write_atomically(path: Path, text: str) -> None:
    """Replace path in one step, so an interrupted export never leaves half a file."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8", newline="")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
