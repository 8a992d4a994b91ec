"""`status` (the fast path), `pause`, `resume` and config.toml, against a temporary home."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.errors import ConfigError
from stretchcoach.history.store import open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus
from stretchcoach.remind import state
from stretchcoach.remind.settings import Settings, load_settings, parse_settings
from stretchcoach.remind.status import main as status_main

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # Wednesday, noon in Berlin
SCRIPT = Path(sys.executable).parent / "stretchcoach"


def environ(home: Path) -> dict[str, str]:
    return {"STRETCHCOACH_HOME": str(home), "TZ": "Europe/Berlin"}


def status(home: Path, *args: str, now: dt.datetime = NOW) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = status_main(list(args), environ=environ(home), stdout=out, stderr=err, now=now)
    return code, out.getvalue(), err.getvalue()


def record(home: Path, ended: dt.datetime, seconds: float) -> None:
    started = ended - dt.timedelta(seconds=seconds + 30)
    result = SessionResult(
        started_at=started,
        ended_at=ended,
        status=SessionStatus.COMPLETED,
        title="Micro break",
        exercises=(ExerciseResult("chin-tuck", "Chin tuck", ("neck",), seconds > 0, seconds),),
        planned_seconds=int(seconds),
        routine_id="micro-break",
    )
    with open_history(home / "history.sqlite3") as history:
        history.record(result)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_status_without_a_history_is_due_and_creates_nothing(home: Path) -> None:
    assert status(home) == (0, "stretch due · 0/15 min\n", "")
    _, out, _ = status(home, "--format", "json")
    assert json.loads(out) == {
        "due": True,
        "due_in_seconds": 0,
        "last_session_end": None,
        "today_minutes": 0.0,
        "goal_minutes": 15,
        "streak_days": 0,
        "paused_until": None,
        "every_seconds": 3000,
    }
    assert not home.exists()


@pytest.mark.parametrize(
    ("encoding", "line"),
    [("ascii", "stretch due - 0/15 min\n"), ("latin-1", "stretch due \u00b7 0/15 min\n")],
)
def test_status_on_a_stream_without_the_symbols_degrades_to_ascii(
    home: Path, encoding: str, line: str
) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding)
    code = status_main([], environ=environ(home), stdout=out, stderr=io.StringIO(), now=NOW)
    out.flush()
    assert (code, raw.getvalue()) == (0, line.encode(encoding))


def test_a_session_with_time_held_but_no_exercise_done_keeps_no_streak(home: Path) -> None:
    record(home, NOW - dt.timedelta(hours=1), 0.0)  # quit at once: nothing held
    result = SessionResult(
        started_at=NOW - dt.timedelta(minutes=30),
        ended_at=NOW - dt.timedelta(minutes=29),
        status=SessionStatus.STOPPED,
        title="Micro break",
        exercises=(ExerciseResult("chin-tuck", "Chin tuck", ("neck",), False, 20.0),),
        planned_seconds=60,
        routine_id="micro-break",
    )
    with open_history(home / "history.sqlite3") as history:
        history.record(result)
    _, out, _ = status(home, "--format", "json")
    assert json.loads(out)["streak_days"] == 0  # as `stats` counts: a day needs one done


def test_status_counts_from_the_last_session(home: Path) -> None:
    yesterday = NOW - dt.timedelta(days=1)
    record(home, yesterday, 300)
    record(home, NOW - dt.timedelta(minutes=38), 390)  # 6.5 minutes today
    record(home, NOW - dt.timedelta(minutes=20), 0)  # quit at once: not a break
    assert status(home) == (0, "stretch in 12m · 6/15 min\n", "")
    assert status(home, "--ascii") == (0, "stretch in 12m - 6/15 min\n", "")
    assert status(home, "-f", "tmux") == (0, "stretch in 12m · 6/15 min\n", "")
    data = json.loads(status(home, "--format=json")[1])
    assert data == {
        "due": False,
        "due_in_seconds": 720,
        "last_session_end": "2024-05-01T09:22:00Z",
        "today_minutes": 6.5,
        "goal_minutes": 15,
        "streak_days": 2,
        "paused_until": None,
        "every_seconds": 3000,
    }


def test_status_when_due_paused_and_the_goal_met(home: Path) -> None:
    record(home, NOW - dt.timedelta(hours=2), 15 * 60)
    assert status(home, "--format", "tmux") == (
        0, "#[fg=colour208,bold]stretch due#[default] · #[fg=green]15/15 min ✓#[default]\n", "",
    )  # fmt: skip
    assert status(home, "--ascii")[1] == "stretch due - 15/15 min\n"
    state.pause(home / "remind.state", NOW + dt.timedelta(minutes=45))
    assert status(home)[1] == "paused 45m · 15/15 min ✓\n"
    assert status(home, "-f", "tmux")[1] == (
        "#[fg=colour244]paused 45m#[default] · #[fg=green]15/15 min ✓#[default]\n"
    )
    data = json.loads(status(home, "-f", "json")[1])
    assert (data["due"], data["due_in_seconds"], data["paused_until"]) == (
        False, None, "2024-05-01T10:45:00Z",
    )  # fmt: skip


def test_status_usage_errors_exit_2(home: Path) -> None:
    code, out, err = status(home, "--format", "yaml")
    assert (code, out) == (2, "")
    assert err == (
        "usage: stretchcoach status [--format text|tmux|json] [--ascii]\n"
        "error: --format must be text, tmux or json, not 'yaml'\n"
    )


def test_status_reads_the_goal_and_interval_from_config(home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text('[remind]\nevery = "25m"\n[goal]\nminutes = 20\n')
    record(home, NOW - dt.timedelta(minutes=10), 60)
    assert status(home)[1] == "stretch in 15m · 1/20 min\n"


def test_a_bad_config_is_file_line_and_exit_2(home: Path) -> None:
    home.mkdir()
    config = home / "config.toml"
    config.write_text('[remind]\nevery = "50m"\nhours = "17:00-09:00"\nsnoze = "5m"\n')
    code, out, err = status(home)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{config}:3:1: hours: working hours '17:00-09:00' end before they start",
        f"{config}:4:1: unknown key 'snoze' in [remind]; the keys are every, hours, days, "
        "routine, notify, on_due, snooze, postpone_limit",
        "error: 2 problems in the settings file",
        "hint: see `stretchcoach info` for the settings in force",
    ]
    result = CliRunner().invoke(app, ["remind"], env=environ(home))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == err.splitlines()[0]
    assert "Traceback" not in result.output


def test_invalid_toml_names_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(b"[remind]\nevery = 50m\n", "config.toml")
    assert [str(p) for p in caught.value.problems] == [
        "config.toml:2:11: not valid TOML: Expected newline or end of document after a statement"
    ]
    assert caught.value.exit_code == 2


def test_config_values_and_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml") == Settings()
    text = textwrap.dedent(
        """
        [remind]
        every = "45m"
        hours = "08:30-24:00"
        days = "fri-mon"
        notify = "bell"
        on_due = "echo due"
        postpone_limit = 0
        """
    )
    s = parse_settings(text.encode(), "c.toml")
    assert (s.every, s.hours, s.days, s.notify, s.on_due, s.postpone_limit) == (
        2700, (510, 1440), frozenset({4, 5, 6, 0}), "bell", "echo due", 0,
    )  # fmt: skip


def test_pause_and_resume(home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["pause", "until-tomorrow"], env=environ(home))
    assert result.exit_code == 0
    assert result.stderr.startswith("reminders paused until ")
    until = state.load(home / "remind.state").paused_until
    assert until is not None and until.astimezone(dt.timezone.utc).minute == 0
    assert not (home / "history.sqlite3").exists()
    result = runner.invoke(app, ["resume"], env=environ(home))
    assert (result.exit_code, result.stderr) == (0, "reminders resumed\n")
    assert state.load(home / "remind.state").paused_until is None
    bad = runner.invoke(app, ["pause", "soon"], env=environ(home))
    assert bad.exit_code == 2
    assert "hint: write a duration such as 45m or 2h, or until-tomorrow" in bad.stderr


def test_pauses_from_two_processes_at_once_both_land(home: Path, tmp_path: Path) -> None:
    """Each process sets its own key many times; the lock keeps every write whole."""
    path = home / "remind.state"
    code = textwrap.dedent(
        f"""
        import datetime as dt, sys
        from pathlib import Path
        from stretchcoach.remind import state
        key = sys.argv[1]
        for i in range(150):
            moment = dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=i)
            state.update(Path({str(path)!r}), lambda s: s.replace(**{{key: moment}}))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, key])
        for key in ("paused_until", "snoozed_until")
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    final = state.load(path)
    last = dt.datetime(2024, 5, 1, 2, 29, tzinfo=UTC)
    assert (final.paused_until, final.snoozed_until) == (last, last)


def test_the_status_script_imports_no_typer_rich_or_yaml(home: Path) -> None:
    code = (
        "import sys; from stretchcoach.cli import main; code = main(['status']); "
        "print(sorted(m for m in ('typer', 'rich', 'yaml', 'click') if m in sys.modules))"
    )
    env = {**os.environ, **environ(home)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines() == ["stretch due · 0/15 min", "[]"]
    assert not home.exists()


def test_status_help_goes_through_typer(home: Path) -> None:
    done = subprocess.run(
        [str(SCRIPT), "status", "--help"], env={**os.environ, **environ(home)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0
    assert "set -g status-right '#(stretchcoach status --format tmux)'" in done.stdout


def test_info_shows_the_settings_file_and_values(home: Path) -> None:
    home.mkdir()
    (home / "config.toml").write_text('[remind]\nevery = "30m"\n')
    result = CliRunner().invoke(app, ["info", "--json"], env=environ(home))
    data = json.loads(result.stdout)
    assert data["config_file"] == str(home / "config.toml")
    assert data["settings"] == {
        "every": "30m", "hours": None, "days": "mon,tue,wed,thu,fri,sat,sun",
        "routine": None, "notify": "auto", "on_due": None, "snooze": "5m",
        "postpone_limit": 3, "goal_minutes": 15,
    }  # fmt: skip
    text = CliRunner().invoke(app, ["info"], env=environ(home)).stdout
    assert f"settings file:     {home / 'config.toml'}\n" in text
    assert "reminders:         every 30m, any time, every day, goal 15 min a day\n" in text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rules are Linux's")
@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"XDG_CONFIG_HOME": "/x/conf", "XDG_DATA_HOME": "/x/data", "XDG_CACHE_HOME": "/x/c"},
        {"XDG_CONFIG_HOME": "relative/ignored", "XDG_DATA_HOME": ""},
    ],
)
def test_the_fast_path_finds_the_folders_platformdirs_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, str]
) -> None:
    from stretchcoach.paths import fast_dirs, resolve

    monkeypatch.delenv("STRETCHCOACH_HOME", raising=False)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    paths = resolve(os.environ)
    assert fast_dirs(os.environ) == (
        str(paths.config_dir), str(paths.data_dir), str(paths.cache_dir),
    )  # fmt: skip


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Kiritimati", "America/Adak"])
def test_the_streak_matches_stats_in_any_zone(home: Path, zone: str) -> None:
    """The same sessions give the same current streak here as in `stretchcoach stats`."""
    from zoneinfo import ZoneInfo

    from stretchcoach.history.stats import minutes_by_day, streaks
    from stretchcoach.remind.facts import read_facts

    tz = ZoneInfo(zone)
    ends = [NOW - dt.timedelta(hours=h) for h in (1, 20, 30, 47, 60, 95, 130, 131)]
    for end in ends:
        record(home, end, 120)
    with open_history(home / "history.sqlite3") as history:
        days = minutes_by_day(history.digest().starts, tz)
    expected, _ = streaks(days, NOW.astimezone(tz).date())
    facts = read_facts(home / "history.sqlite3", NOW, tz)
    assert facts.streak_days == expected
    later = read_facts(home / "history.sqlite3", NOW + dt.timedelta(days=1), tz)
    assert later.streak_days == streaks(days, (NOW + dt.timedelta(days=1)).astimezone(tz).date())[0]


def test_remind_service_prints_a_unit_and_refuses_an_unknown_routine(home: Path) -> None:
    runner = CliRunner()
    env = environ(home)
    unit = runner.invoke(app, ["remind", "--service", "systemd"], env=env)
    assert unit.exit_code == 0
    lines = unit.stdout.splitlines()
    assert lines[6].startswith("ExecStart=") and lines[6].endswith("stretchcoach remind")
    assert lines[7:9] == [f"Environment=STRETCHCOACH_HOME={home}", "Environment=TZ=Europe/Berlin"]
    plist = runner.invoke(app, ["remind", "--service", "launchd"], env=env)
    assert f"<string>{home / 'remind.log'}</string>" in plist.stdout
    bad = runner.invoke(app, ["remind", "--routine", "no-such-break"], env=env)
    assert bad.exit_code == 2
    assert "no-such-break" in bad.stderr
    assert runner.invoke(app, ["remind", "--every", "0s"], env=env).exit_code == 2
    assert not (home / "history.sqlite3").exists()


def test_the_loop_announces_its_hours_and_days() -> None:
    from stretchcoach.remind.loop import _announce
    from stretchcoach.remind.settings import parse_days, parse_hours

    s = Settings(hours=parse_hours("09:00-17:30"), days=parse_days("mon-fri"))
    assert _announce(s) == (
        "reminding every 50m between 09:00-17:30 on mon,tue,wed,thu,fri; goal 15 min a day"
    )


def test_a_stuck_lock_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from stretchcoach.errors import StretchcoachError

    path = tmp_path / "remind.state"
    monkeypatch.setattr(state, "LOCK_WAIT_S", 0.05)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(StretchcoachError, match="stayed locked"):
            state.pause(path, NOW)
    finally:
        os.close(fd)
    assert state.pause(path, NOW).paused_until == NOW


def test_status_keeps_a_parsed_copy_of_the_config_until_it_changes(home: Path) -> None:
    from stretchcoach.remind.config_cache import CACHE_NAME, load_settings_cached

    home.mkdir()
    config = home / "config.toml"
    config.write_text(
        '[remind]\nevery = "25m"\nhours = "08:00-18:00"\ndays = "mon-fri"\n'
        'on_due = "echo a=b"\nroutine = "neck-relief"\n[goal]\nminutes = 20\n'
    )
    parsed = load_settings(config)
    cache_dir = str(home / "cache")
    assert load_settings_cached(str(config), cache_dir) == parsed  # parses, writes the copy
    assert (home / "cache" / CACHE_NAME).is_file()
    assert load_settings_cached(str(config), cache_dir) == parsed  # from the copy
    config.write_text('[remind]\nevery = "30m"\n')
    assert load_settings_cached(str(config), cache_dir).every == 1800
    config.write_text('[remind]\nevery = "nope"\n')
    with pytest.raises(ConfigError):
        load_settings_cached(str(config), cache_dir)
    assert load_settings_cached(str(home / "missing.toml"), cache_dir) == Settings()
