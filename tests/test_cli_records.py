"""The history, stats and export commands, run through Typer's CliRunner against a temp home."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app, records
from stretchcoach.cli.env import Environment
from stretchcoach.history.store import SCHEMA_VERSION, open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # Wednesday, noon in Berlin


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def at_now() -> Environment:
    """The runner's streams and paths, with the time NOW."""
    return Environment.from_os(now=lambda: NOW)


def invoke(home: Path, *args: str, tz: str = "Europe/Berlin"):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = {"STRETCHCOACH_HOME": str(home), "TZ": tz, "NO_COLOR": "1", "COLUMNS": "80"}
    return runner.invoke(app, list(args), env=env, obj=at_now)


def session(
    start: dt.datetime,
    seconds: tuple[float, float],
    *,
    before: int | None = None,
    after: int | None = None,
    status: SessionStatus = SessionStatus.COMPLETED,
    title: str = "Desk break",
) -> SessionResult:
    return SessionResult(
        started_at=start,
        ended_at=start + dt.timedelta(minutes=6),
        status=status,
        title=title,
        exercises=(
            ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, seconds[0]),
            ExerciseResult(
                "doorway-stretch",
                "Doorway stretch",
                ("chest", "shoulders"),
                seconds[1] > 0,
                seconds[1],
            ),
        ),
        planned_seconds=360,
        routine_id="desk-break",
        check_in_before=before,
        check_in_after=after,
    )


def fill(home: Path) -> None:
    """Five sessions around 2024-05-01, some near midnight in Berlin."""
    with open_history(home / "history.sqlite3") as history:
        history.record(session(dt.datetime(2024, 4, 24, 8, 0, tzinfo=UTC), (300.0, 300.0)))
        history.record(
            session(dt.datetime(2024, 4, 29, 8, 0, tzinfo=UTC), (150.0, 150.0), before=7, after=4)
        )
        # 23:30 on Apr 30 in Berlin
        history.record(
            session(
                dt.datetime(2024, 4, 30, 21, 30, tzinfo=UTC),
                (120.0, 0.0),
                before=6,
                after=5,
                status=SessionStatus.STOPPED,
            )
        )
        # 00:30 on May 1 in Berlin, [b]markup[/b] in a title stays text
        history.record(
            session(
                dt.datetime(2024, 4, 30, 22, 30, tzinfo=UTC),
                (60.0, 60.0),
                title="Mine [b]bold[/b]",
                status=SessionStatus.INTERRUPTED,
            )
        )
        history.record(session(dt.datetime(2024, 5, 1, 6, 0, tzinfo=UTC), (90.0, 30.0), before=5))


# --- nothing recorded yet ------------------------------------------------------------------


def test_history_without_a_database_says_so_and_creates_nothing(home: Path) -> None:
    result = invoke(home, "history")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "no sessions recorded yet; start one with: stretchcoach run desk-break\n"
    )
    assert not home.exists()


def test_json_without_a_database_is_empty(home: Path) -> None:
    assert json.loads(invoke(home, "history", "--json").stdout) == []
    stats = json.loads(invoke(home, "stats", "--json").stdout)
    assert {k: v for k, v in stats.items() if k != "calendar"} == {
        "current_streak_days": 0,
        "longest_streak_days": 0,
        "minutes_this_week": 0.0,
        "minutes_last_week": 0.0,
        "minutes_by_target": {},
        "tension": {"sessions": 0, "average_change": None},
        "sessions_total": 0,
        "goal_minutes": 15,
        "goal_days": 0,
    }
    assert len(stats["calendar"]) == 84
    assert stats["calendar"][0] == {"date": "2024-02-12", "minutes": 0.0}
    assert stats["calendar"][-1] == {"date": "2024-05-05", "minutes": 0.0}
    assert not home.exists()


def test_stats_without_a_database_says_so(home: Path) -> None:
    result = invoke(home, "stats")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith("no sessions recorded yet")


def test_export_without_a_database_writes_just_the_header(home: Path) -> None:
    result = invoke(home, "export", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "session_id,started_at,ended_at,status,title,routine_id,generation,planned_seconds,"
        "session_active_seconds,check_in_before,check_in_after,position,exercise_id,"
        "exercise_name,targets,done,active_seconds"
    ]
    assert not home.exists()


# --- history ---------------------------------------------------------------------------------


def test_history_json_has_stable_keys(home: Path) -> None:
    fill(home)
    result = invoke(home, "history", "--json", "--limit", "1")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": 5,
            "started_at": "2024-05-01T06:00:00Z",
            "ended_at": "2024-05-01T06:06:00Z",
            "status": "completed",
            "title": "Desk break",
            "routine_id": "desk-break",
            "generation": None,
            "planned_seconds": 360,
            "active_seconds": 120.0,
            "check_in_before": 5,
            "check_in_after": None,
            "exercises": [
                {
                    "exercise_id": "chin-tuck",
                    "name": "Chin tuck",
                    "targets": ["neck"],
                    "done": True,
                    "active_seconds": 90.0,
                },
                {
                    "exercise_id": "doorway-stretch",
                    "name": "Doorway stretch",
                    "targets": ["chest", "shoulders"],
                    "done": True,
                    "active_seconds": 30.0,
                },
            ],
        }
    ]


def test_history_since_is_a_local_date(home: Path) -> None:
    fill(home)
    in_berlin = json.loads(invoke(home, "history", "--json", "--since", "2024-05-01").stdout)
    in_utc = json.loads(invoke(home, "history", "--json", "--since", "2024-05-01", tz="UTC").stdout)
    assert [s["id"] for s in in_berlin] == [5, 4]
    assert [s["id"] for s in in_utc] == [5]


def test_history_table(home: Path) -> None:
    fill(home)
    result = invoke(home, "history", "--limit", "4")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "#  Date              Session           Status       Done  Min  Tension",
        "5  2024-05-01 08:00  Desk break        completed     2/2  2.0      5→–",
        "4  2024-05-01 00:30  Mine [b]bold[/b]  interrupted   2/2  2.0",
        "3  2024-04-30 23:30  Desk break        stopped       1/2  2.0      6→5",
        "2  2024-04-29 10:00  Desk break        completed     2/2  5.0      7→4",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2024-13-01"), "'2024-13-01' is not a date; write YYYY-MM-DD"),
        (("--since", "the day before"), "'the day before' is not a date; write YYYY-MM-DD"),
        # Typer words range errors differently from one version to the next.
        (("--limit", "0"), "Invalid value for '--limit' / '-n'"),
    ],
)
def test_history_bad_options_exit_2(home: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(home, "history", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_history_since_with_nothing_after_it(home: Path) -> None:
    fill(home)
    result = invoke(home, "history", "--since", "2024-06-01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no sessions since 2024-06-01\n"


# --- stats -----------------------------------------------------------------------------------


def test_stats_json(home: Path) -> None:
    fill(home)
    result = invoke(home, "stats", "--json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    calendar = stats.pop("calendar")
    assert stats == {
        "current_streak_days": 3,
        "longest_streak_days": 3,
        "minutes_this_week": 11.0,
        "minutes_last_week": 10.0,
        "minutes_by_target": {"neck": 12.0, "chest": 9.0, "shoulders": 9.0},
        "tension": {"sessions": 2, "average_change": -2.0},
        "sessions_total": 5,
        "goal_minutes": 15,
        "goal_days": 0,
    }
    active = {cell["date"]: cell["minutes"] for cell in calendar if cell["minutes"]}
    assert active == {"2024-04-24": 10.0, "2024-04-29": 5.0, "2024-04-30": 2.0, "2024-05-01": 4.0}
    assert [cell["date"] for cell in calendar[:2]] == ["2024-02-12", "2024-02-13"]


def test_stats_screen(home: Path) -> None:
    fill(home)
    result = invoke(home, "stats")
    assert result.exit_code == 0
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "Streak     3 days now, longest 3 days",
        "This week  11.0 min (last week 10.0 min)",
        "Sessions   5 recorded",
        "Goal       15 min a day, met on 0 days in the last 12 weeks",
        "Tension    -2.0 on average, after minus before (2 sessions with both check-ins)",
        "",
        "Minutes by area",
        "neck      ████████████████████████ 12.0",
        "chest     ██████████████████        9.0",
        "shoulders ██████████████████        9.0",
        "",
        "Last 12 weeks",
        "    Feb   Mar     Apr",
        "Mon · · · · · · · · · · · ▒",
        "Tue · · · · · · · · · · · ░",
        "Wed · · · · · · · · · · ▓ ░",
        "Thu · · · · · · · · · · ·",
        "Fri · · · · · · · · · · ·",
        "Sat · · · · · · · · · · ·",
        "Sun · · · · · · · · · · ·",
        "    · none  ░ under 5 min  ▒ 5–10  ▓ 10–20  █ 20 or more",
    ]


def test_stats_counts_the_days_that_met_the_goal_from_config(home: Path) -> None:
    fill(home)
    home.joinpath("config.toml").write_text("[goal]\nminutes = 5\n", encoding="utf-8")
    stats = json.loads(invoke(home, "stats", "--json").stdout)
    assert (stats["goal_minutes"], stats["goal_days"]) == (5, 2)  # 10.0 and 5.0 minutes
    text = invoke(home, "stats").stdout
    assert "Goal       5 min a day, met on 2 days in the last 12 weeks\n" in text


# --- export ----------------------------------------------------------------------------------


def test_export_csv_is_one_row_per_exercise(home: Path) -> None:
    fill(home)
    result = invoke(home, "export", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 10
    assert [(r["session_id"], r["position"]) for r in rows[:3]] == [
        ("1", "1"),
        ("1", "2"),
        ("2", "1"),
    ]
    assert rows[5] == {
        "session_id": "3",
        "started_at": "2024-04-30T21:30:00Z",
        "ended_at": "2024-04-30T21:36:00Z",
        "status": "stopped",
        "title": "Desk break",
        "routine_id": "desk-break",
        "generation": "",
        "planned_seconds": "360",
        "session_active_seconds": "120.0",
        "check_in_before": "6",
        "check_in_after": "5",
        "position": "2",
        "exercise_id": "doorway-stretch",
        "exercise_name": "Doorway stretch",
        "targets": "chest;shoulders",
        "done": "false",
        "active_seconds": "0.0",
    }


def test_export_json_to_a_file_matches_history_json(home: Path, tmp_path: Path) -> None:
    fill(home)
    target = tmp_path / "out.json"
    result = invoke(home, "export", "--format", "json", "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote 5 sessions to {target}\n"
    exported = json.loads(target.read_text(encoding="utf-8"))
    newest_first = json.loads(invoke(home, "history", "--json", "--limit", "100").stdout)
    assert exported == newest_first[::-1]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_needs_a_known_format(home: Path) -> None:
    result = invoke(home, "export", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'csv', 'json'" in result.stderr


# --- the database itself ---------------------------------------------------------------------


def test_a_newer_database_is_refused_with_exit_1(home: Path) -> None:
    home.mkdir()
    raw = sqlite3.connect(home / "history.sqlite3")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    result = invoke(home, "stats")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: the history database {home / 'history.sqlite3'} was made by a newer "
        f"stretchcoach (schema {SCHEMA_VERSION + 1}, this version knows {SCHEMA_VERSION}); "
        "upgrade stretchcoach\n"
    )


def test_a_damaged_database_is_moved_aside_with_a_notice(home: Path) -> None:
    home.mkdir()
    (home / "history.sqlite3").write_bytes(b"not sqlite at all" * 100)
    result = invoke(home, "history", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "was damaged (file is not a database); it was moved to" in result.stderr
    assert len(list(home.glob("history.sqlite3.damaged-*"))) == 1


@pytest.mark.parametrize("command", ["history", "stats", "export"])
def test_every_help_has_an_example(home: Path, command: str) -> None:
    result = invoke(home, command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"stretchcoach {command}" in result.stdout


def test_export_csv_keeps_a_session_that_has_no_exercises(home: Path) -> None:
    start = dt.datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    empty = SessionResult(
        started_at=start,
        ended_at=start,
        status=SessionStatus.INTERRUPTED,
        title="Quit at once",
        exercises=(),
        planned_seconds=300,
    )
    with open_history(home / "history.sqlite3") as history:
        history.record(empty)
    rows = list(csv.reader(io.StringIO(invoke(home, "export", "--format", "csv").stdout)))
    assert rows[1] == [
        "1",
        "2024-05-01T06:00:00Z",
        "2024-05-01T06:00:00Z",
        "interrupted",
        "Quit at once",
        "",
        "",
        "300",
        "0.0",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]


def test_an_unknown_tz_falls_back_to_the_system_zone() -> None:
    zone = records.local_zone({"TZ": "Not/AZone"})
    assert zone.utcoffset(dt.datetime(2024, 5, 1, 12)) is not None
    assert records.local_zone({"TZ": ":Asia/Kolkata"}).utcoffset(
        dt.datetime(2024, 5, 1, 12)
    ) == dt.timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("count", [0, 1, 5])
def test_export_json_streams_the_same_text_as_one_json_document(home: Path, count: int) -> None:
    from stretchcoach.render.history import history_json

    if count:
        fill(home)
    with open_history(home / "history.sqlite3") as history:
        sessions = history.all_sessions()[:count]
        for extra in history.all_sessions()[count:]:
            history._db.execute("DELETE FROM sessions WHERE id = ?", (extra.id,))
    result = invoke(home, "export", "--format", "json")
    assert result.exit_code == 0
    expected = json.dumps(history_json(sessions), indent=2, ensure_ascii=False) + "\n"
    assert result.stdout == expected


def test_the_next_command_merges_a_session_waiting_in_the_journal(home: Path) -> None:

    from stretchcoach.history import journal

    waiting = session(NOW, (30.0, 0.0))._replace(session_id="c" * 32)
    entry = journal.write(waiting, [home / "pending"])
    first = invoke(home, "history", "--json")
    assert first.exit_code == 0
    assert first.stderr == f"merged 1 session that waited in {home / 'pending'} into the history\n"
    assert [s["started_at"] for s in json.loads(first.stdout)] == ["2024-05-01T10:00:00Z"]
    assert not entry.exists()
    again = invoke(home, "history", "--json")
    assert (again.stderr, again.stdout) == ("", first.stdout)
