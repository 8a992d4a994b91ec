"""`run` in a real pseudo-terminal that cannot do everything: TERM=dumb gets plain lines; a
terminal whose encoding is ASCII gets the live screen in ASCII, restored and recorded."""

from __future__ import annotations

import io
import os
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
    reps: 2
    sides: each
    steps: [Sit tall.]
routines:
  - id: slow
    name: Slow routine
    prepare: 0
    rest: 0
    items: [neck-tilt]
"""
ALTERNATE_SCREEN = "\x1b[?1049h"
SHOW_CURSOR = "\x1b[?25h"
HIDE_CURSOR = "\x1b[?25l"


def spawn(tmp_path: Path, **env: str):
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STRETCHCOACH_HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        **env,
    }
    child = pexpect.spawn(
        str(SCRIPT), ["run", "slow", "--catalogue", "cat.yaml", "--no-sound"],
        cwd=str(tmp_path), env=environ, dimensions=(24, 80), encoding="utf-8", timeout=30,
    )  # fmt: skip
    child.logfile_read = io.StringIO()
    return child


def sessions(tmp_path: Path) -> list[str]:
    from stretchcoach.history.store import open_history

    history = open_history(tmp_path / "home" / "history.sqlite3")
    try:
        return [s.result.status.value for s in history.sessions()]
    finally:
        history.close()


@pytest.mark.parametrize("term", ["dumb", "unknown"])
def test_a_dumb_terminal_gets_one_line_per_phase(tmp_path: Path, term: str) -> None:
    child = spawn(tmp_path, TERM=term)
    child.expect(r"\[0:00\] Neck tilt — LEFT — rep 1/2 — hold 30s")
    child.send("q")  # the keys still work: stdin is a terminal
    child.expect("Session stopped early: Slow routine")
    child.expect(pexpect.EOF)
    close_when_exited(child)
    assert child.exitstatus == 0
    written = child.logfile_read.getvalue()
    assert ALTERNATE_SCREEN not in written and HIDE_CURSOR not in written
    assert sessions(tmp_path) == ["stopped"]


def test_an_ascii_terminal_gets_the_live_screen_in_ascii(tmp_path: Path) -> None:
    child = spawn(tmp_path, TERM="xterm", PYTHONIOENCODING="ascii")
    child.expect("LEFT - rep 1 of 2 - set 1 of 1")
    child.expect("##")  # the big digits, in ASCII
    child.expect("space pause - n next")
    child.send("q")
    child.expect("Session stopped early: Slow routine")
    child.expect(pexpect.EOF)
    close_when_exited(child)
    assert child.exitstatus == 0
    written = child.logfile_read.getvalue()
    assert written.isascii()
    assert ALTERNATE_SCREEN in written
    assert written.rindex(SHOW_CURSOR) > written.rindex(HIDE_CURSOR)
    assert sessions(tmp_path) == ["stopped"]
