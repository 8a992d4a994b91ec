"""The Environment at the CLI edge: what a test passes is what every command and helper uses."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.cli.env import Environment, current, environment
from stretchcoach.paths import resolve


def test_the_paths_of_a_passed_environment_reach_info_and_the_reminder_state(
    tmp_path: Path,
) -> None:
    home = tmp_path / "elsewhere"
    env = Environment.from_os(paths=resolve({"STRETCHCOACH_HOME": str(home)}))
    shown = CliRunner().invoke(app, ["info", "--json"], obj=env)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["history_db"] == str(home / "history.sqlite3")
    paused = CliRunner().invoke(app, ["pause", "10m"], obj=env)
    assert paused.exit_code == 0, paused.output
    assert (home / "remind.state").is_file()


def test_outside_a_command_helpers_see_the_process_environment(tmp_path: Path) -> None:
    env = Environment.from_os(paths=resolve({"STRETCHCOACH_HOME": str(tmp_path)}))
    CliRunner().invoke(app, ["info", "--json"], obj=env)
    assert current.get() is None  # nothing of one command's world leaks into the next
    assert environment().paths != env.paths
