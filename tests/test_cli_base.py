"""cli/base.py: version, help, and the one place errors become messages and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from stretchcoach import __version__
from stretchcoach.cli import app, main
from stretchcoach.cli.base import COMMAND_ORDER
from stretchcoach.errors import CatalogueError, Problem, UsageError

runner = CliRunner()


@pytest.fixture
def failing(monkeypatch):
    """Register a hidden command that raises what the test gives it."""
    raised: list[BaseException] = []

    @app.command("fail-for-test", hidden=True)
    def fail() -> None:
        raise raised[0]

    yield raised.append
    app.registered_commands[:] = [c for c in app.registered_commands if c.name != "fail-for-test"]


def test_version():
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"stretchcoach {__version__}\n")


def test_python_dash_m_runs_the_same_app():
    done = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "--version"], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (0, f"stretchcoach {__version__}\n")


def test_help_lists_every_command_in_the_order_users_meet_them():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = [
        line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()
    ]
    assert listed == list(COMMAND_ORDER)
    assert "stretchcoach run desk-break" in result.output
    assert "stretchcoach safety" in result.output


@pytest.mark.parametrize("command", COMMAND_ORDER)
def test_every_command_help_has_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output or "Examples:" in result.output


def test_a_usage_error_is_one_message_and_exit_2(failing):
    failing(UsageError("unknown routine 'x'", hint="see `stretchcoach routines`"))
    result = runner.invoke(app, ["fail-for-test"])
    assert result.exit_code == 2
    assert result.output == "error: unknown routine 'x'\nhint: see `stretchcoach routines`\n"


def test_catalogue_problems_are_listed_then_summed_up(failing):
    failing(CatalogueError([Problem("a.yaml", 3, 5, "bad"), Problem("b.yaml", 1, 1, "worse")]))
    result = runner.invoke(app, ["fail-for-test"])
    assert result.exit_code == 2
    assert result.output == (
        "a.yaml:3:5: bad\nb.yaml:1:1: worse\nerror: 2 problems in 2 catalogue files\n"
    )


def test_an_unexpected_error_is_one_line_without_traceback(failing):
    failing(ZeroDivisionError("division by zero"))
    result = runner.invoke(app, ["fail-for-test"])
    assert result.exit_code == 1
    assert result.output == (
        "error: unexpected ZeroDivisionError: division by zero\n"
        "hint: run again with --debug for the traceback, and report it\n"
    )


def test_debug_lets_the_traceback_through(failing):
    failing(ZeroDivisionError("boom"))
    result = runner.invoke(app, ["--debug", "fail-for-test"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_ctrl_c_outside_a_session_exits_130(failing):
    failing(KeyboardInterrupt())
    result = runner.invoke(app, ["fail-for-test"])
    assert (result.exit_code, result.output) == (130, "interrupted\n")


def test_an_os_error_names_the_file(failing):
    failing(PermissionError(13, "Permission denied", "/x/history.sqlite3"))
    result = runner.invoke(app, ["fail-for-test"])
    assert (result.exit_code, result.output) == (
        1,
        "error: Permission denied: /x/history.sqlite3\n",
    )


def test_main_returns_the_exit_code_instead_of_raising(failing, capsys):
    failing(UsageError("nope"))
    assert main(["fail-for-test"]) == 2
    assert main(["--version"]) == 0
    assert capsys.readouterr().err == "error: nope\n"
