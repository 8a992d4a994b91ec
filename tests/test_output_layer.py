"""The CLI's one output layer: one rule for "is this a terminal", one JSON printer, one
stderr helper; every command follows them."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.cli.base import draws_screens, is_terminal
from stretchcoach.paths import Paths


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("environ", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": ""}, True, False),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True, False),
        ({"TTY_COMPATIBLE": "1"}, False, True),
        ({"NO_COLOR": "1"}, True, True),  # NO_COLOR drops colour, not the layout
    ],
)
def test_one_terminal_rule_richs_own(environ: dict[str, str], tty: bool, expected: bool) -> None:
    from rich.console import Console

    assert is_terminal(Stream(tty), environ) is expected
    assert Console(file=Stream(tty), _environ=environ).is_terminal is expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [("xterm-256color", True), ("dumb", False), ("DUMB", False), ("unknown", False),
     ("emacs", False), ("", True)],
)  # fmt: skip
def test_dumb_terminals_get_no_screen(term: str, expected: bool) -> None:
    assert draws_screens({"TERM": term}) is expected


COMMANDS = [["plan", "desk-break"], ["list", "--target", "neck"], ["show", "chin-tuck"],
            ["routines"], ["info"]]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_force_color_styles_every_command_alike(home: Paths, command: list[str]) -> None:
    runner = CliRunner()
    styled = runner.invoke(app, command, env={"FORCE_COLOR": "1"})
    piped = runner.invoke(app, command)
    assert styled.exit_code == piped.exit_code == 0, styled.output
    assert "\x1b[" in styled.stdout
    assert "\x1b" not in piped.stdout


@pytest.mark.parametrize(
    "command",
    [["plan", "desk-break", "--json"], ["list", "--json"], ["show", "chin-tuck", "--json"],
     ["routines", "--json"], ["info", "--json"]],
    ids=lambda c: c[0],
)  # fmt: skip
def test_one_json_printer(home: Paths, command: list[str]) -> None:
    # Even on a styled terminal: JSON is never coloured, always indented, one trailing newline.
    out = CliRunner().invoke(app, command, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in out
    assert out.endswith("}\n") or out.endswith("]\n")
    assert json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n" == out


def test_messages_go_to_stderr_escaped(home: Paths) -> None:
    result = CliRunner().invoke(app, ["plan", "--save", "x\x1by"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "\x1b" not in result.stderr
