"""Every command on a stdout that cannot encode what we draw: ASCII stand-ins, never a crash.

Each command runs as a real subprocess under PYTHONIOENCODING=ascii, =latin-1, and the C
locale with UTF-8 mode off (where Python's own streams are ASCII)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.cli.env import Environment
from stretchcoach.paths import Paths
from stretchcoach.render.text import ascii_for, escape, json_text

SCRIPT = Path(sys.executable).parent / "stretchcoach"
CATALOGUE = """\
schema: 1
exercises:
  - id: neck-tilt
    name: Neck tilt
    kind: stretch
    targets: [neck]
    position: seated
    hold: 1s
    reps: 2
    steps: [Sit tall.]
routines:
  - id: tiny
    name: Tiny routine
    prepare: 0
    rest: 0
    items: [neck-tilt]
"""
COMMANDS = {
    "list": ["list", "--search", "neck tilt"],
    "show": ["show", "neck-tilt"],
    "plan": ["plan", "tiny"],
    "plan-generated": ["plan", "--minutes", "3", "--seed", "1"],
    "routines": ["routines"],
    "run-plain": ["run", "tiny", "--plain", "--no-sound"],
    "info": ["info"],
    "validate": ["validate"],
    "show-json": ["show", "neck-tilt", "--json"],
    "unknown-id": ["show", "neck-tlt"],
    "history": ["history"],  # after a recorded session, with a check-in: "5->2"
    "stats": ["stats"],  # the calendar's shades and the bars
}


class JumpingClock:
    """Time passes only while waiting for a key that never comes."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def read(self, timeout: float) -> None:
        self.now += timeout


def jumping() -> Environment:
    """The runner's streams with a JumpingClock as the clock and the keys."""
    import datetime as dt

    clock = JumpingClock()
    start = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)
    return Environment.from_os(
        clock=clock,
        keys=lambda stdin, on: clock,
        now=lambda: start + dt.timedelta(seconds=clock.now),
    )


@pytest.fixture
def catalogue(home: Paths, tmp_path: Path) -> Path:
    path = tmp_path / "cat.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path


def invoke(args: list[str], path: Path, charset: str, styled: bool) -> tuple[int, str, str]:
    """A command run with stdout and stderr in `charset`, through the app's own streams."""
    extra = {"validate": [str(path)], "history": [], "stats": []}.get(args[0], ["-c", str(path)])
    env = {"FORCE_COLOR": "1"} if styled else {}
    result = CliRunner(charset=charset).invoke(app, [*args, *extra], env=env, obj=jumping)
    assert not isinstance(result.exception, UnicodeError), result.exception
    return (
        result.exit_code,
        result.stdout_bytes.decode(charset),
        result.stderr_bytes.decode(charset),
    )


@pytest.mark.parametrize("styled", [False, True], ids=["piped", "styled"])
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("charset", ["ascii", "latin-1"])
def test_every_command_works_on_any_encoding(
    catalogue: Path, charset: str, command: str, styled: bool
) -> None:
    if command in ("history", "stats"):
        recorded = CliRunner().invoke(
            app,
            ["run", "tiny", "-c", str(catalogue), "--check-in", "--no-sound"],
            input="5\n2\n",
            obj=jumping,
        )
        assert recorded.exit_code == 0, recorded.output
    code, stdout, stderr = invoke(COMMANDS[command], catalogue, charset, styled)
    assert code == (2 if command == "unknown-id" else 0), stderr
    assert stdout.strip() or stderr.strip()
    if charset == "ascii":
        assert (stdout + stderr).isascii()


def test_the_plan_degrades_as_promised(catalogue: Path) -> None:
    _, stdout, _ = invoke(COMMANDS["plan"], catalogue, "ascii", styled=False)
    assert stdout.splitlines() == [
        "Tiny routine (tiny)",
        "1. Neck tilt -- both at once -- 2 x 1s -- 2s",
        "Total 2s",
    ]
    _, latin, _ = invoke(COMMANDS["plan"], catalogue, "latin-1", styled=False)
    # Latin-1 has ×, so it stays; it has no dash, so that degrades.
    assert "1. Neck tilt -- both at once -- 2 × 1s -- 2s" in latin


def test_a_styled_table_on_an_ascii_stream_stays_ascii(catalogue: Path) -> None:
    _, stdout, _ = invoke(COMMANDS["list"], catalogue, "ascii", styled=True)
    assert "1s x 2" in stdout
    assert stdout.isascii()


def c_locale(tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """The real script in the C locale with UTF-8 mode off: Python's streams are ASCII."""
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""), "STRETCHCOACH_HOME": str(tmp_path / "home"),
        "LC_ALL": "C", "PYTHONUTF8": "0", "COLUMNS": "100", "FORCE_COLOR": "1",
    }  # fmt: skip
    return subprocess.run(
        [str(SCRIPT), *args, "-c", "cat.yaml"], env=env, cwd=tmp_path, capture_output=True,
        timeout=120, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_c_locale_runs_a_plain_session_and_records_it(tmp_path: Path) -> None:
    out = c_locale(tmp_path, ["run", "tiny", "--plain", "--no-sound"])
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode("ascii").splitlines()
    assert lines[0] == "[0:00] Neck tilt -- rep 1/2 -- hold 1s"
    assert lines[3].startswith("Done 1 of 1 - skipped 0 - active time")
    assert (tmp_path / "home" / "history.sqlite3").exists()


def test_the_c_locale_draws_a_styled_generated_plan(tmp_path: Path) -> None:
    out = c_locale(tmp_path, ["plan", "--minutes", "3", "--seed", "1"])
    assert out.returncode == 0, out.stderr
    assert out.stdout.isascii() and b"\x1b[" in out.stdout


# ---------------------------------------------------------------- the pieces


@pytest.mark.parametrize(
    ("char", "stand_in"),
    [("█", "#"), ("░", "."), ("─", "-"), ("│", "|"), ("┼", "+"), ("→", "->"), ("×", "x"),
     ("·", "-"), ("—", "--"), ("é", "e"), ("²", "2"), ("☃", "?")],
)  # fmt: skip
def test_ascii_stand_ins(char: str, stand_in: str) -> None:
    assert ascii_for(char) == stand_in
    assert stand_in.isascii()


def test_block_digits_and_bars_keep_their_width() -> None:
    # The live screen is laid out for the original; a stand-in of another width would wrap.
    for char in "█▓▒░·…":
        assert len(ascii_for(char)) == 1


def test_json_is_lossless_and_inert() -> None:
    import json

    data = {"name": "a\x9b31m \u202eb\u200b — é", "path": "x\udcffy"}
    text = json_text({"name": data["name"]})
    assert "\x9b" not in text and "\u202e" not in text and "\u200b" not in text
    assert "— é" in text
    assert json.loads(text) == {"name": data["name"]}
    assert json_text(data, ascii_only=True).isascii()


def test_escape_shows_what_would_act_on_the_terminal() -> None:
    assert escape("plain — é.yaml") == "plain — é.yaml"
    assert escape("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert escape("\u202egpj.yaml") == "\\u202egpj.yaml"
    assert escape("new\nline\u2028") == "new\\x0aline\\u2028"
    assert escape("bad\udcffbyte") == "bad\\xffbyte"  # an undecodable byte in a file name
