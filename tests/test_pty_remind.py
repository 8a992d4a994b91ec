"""`stretchcoach remind` in a real pseudo-terminal: it rings, keys act, the terminal is restored."""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path

import pytest

from conftest import close_when_exited

pexpect = pytest.importorskip("pexpect")

pytestmark = [pytest.mark.pty, pytest.mark.skipif(sys.platform == "win32", reason="no pty")]


SCRIPT = Path(sys.executable).parent / "stretchcoach"
CATALOGUE = """\
schema: 1
exercises:
  - id: neck-tilt
    name: Neck tilt
    targets: [neck]
    hold: 30s
    sides: each
routines:
  - id: slow
    name: Slow routine
    prepare: 0
    rest: 0
    items:
      - exercise: neck-tilt
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    return {
        "PATH": "/usr/bin:/bin",  # no notify-send from the developer's desktop
        "STRETCHCOACH_HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
    }


def spawn(tmp_path: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    """remind inside sh, saving `stty -g` before and after, exiting with remind's code."""
    command = (
        f"{SCRIPT} remind --every 1s --snooze 1s --notify bell --routine slow --catalogue cat.yaml"
    )
    script = f"trap ':' INT; stty -g > before; {command}; code=$?; stty -g > after; exit $code"
    child = pexpect.spawn(
        "/bin/sh", ["-c", script], cwd=str(tmp_path), env=env, dimensions=(24, 100),
        encoding="utf-8", timeout=20,
    )  # fmt: skip
    child.logfile_read = io.StringIO()
    return child


def finish(child, tmp_path: Path) -> int:  # type: ignore[no-untyped-def]
    child.expect(pexpect.EOF)
    close_when_exited(child)
    assert (tmp_path / "after").read_text() == (tmp_path / "before").read_text()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def remind_pid(child) -> int:  # type: ignore[no-untyped-def]
    found = Path(f"/proc/{child.pid}/task/{child.pid}/children").read_text().split()
    assert found, "remind is not running"
    return int(found[0])


def test_it_rings_snoozes_starts_a_session_and_quits(tmp_path: Path, env: dict[str, str]) -> None:
    child = spawn(tmp_path, env)
    child.expect("reminding every 1s")
    child.expect("\x07")  # the bell
    child.expect(r"\d\d:\d\d:\d\d break due: stretchcoach run slow")
    child.send("z")
    child.expect(r"snoozed until \d\d:\d\d:\d\d")
    child.expect("\x07")
    child.expect("break due: stretchcoach run slow")
    child.send("\r")
    child.expect("Neck tilt")  # the live session, on the alternate screen
    child.expect("q quit")
    child.send("q")
    child.expect("Session stopped early: Slow routine")
    child.expect(["next break in", "Enter to start"])  # back to waiting
    child.send("q")
    child.expect("reminders stopped")
    assert finish(child, tmp_path) == 0
    assert (tmp_path / "home" / "history.sqlite3").exists()  # the session was recorded


@pytest.mark.parametrize(
    ("how", "code"), [("ctrl-c", 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_signals_end_it_with_their_code_and_the_terminal_restored(
    tmp_path: Path, env: dict[str, str], how: object, code: int
) -> None:
    child = spawn(tmp_path, env)
    child.expect("Keys: Enter")
    if how == "ctrl-c":
        child.sendcontrol("c")
    else:
        os.kill(remind_pid(child), how)  # type: ignore[arg-type]
    assert finish(child, tmp_path) == code
    assert not (tmp_path / "home" / "history.sqlite3").exists()  # waiting never creates it
