"""`stretchcoach run` in a real pseudo-terminal: keys, screen, exit codes, terminal restored."""

from __future__ import annotations

import io
import os
import re
import select
import signal
import sys
import termios
import time
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
    steps:
      - Sit tall.
  - id: chin-tuck
    name: Chin tuck
    targets: [neck]
    hold: 30s
routines:
  - id: slow
    name: Slow routine
    prepare: 0
    rest: 0
    items:
      - exercise: neck-tilt
      - exercise: chin-tuck
"""
SHOW_CURSOR = "\x1b[?25h"
HIDE_CURSOR = "\x1b[?25l"


@pytest.fixture
def env(tmp_path):
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STRETCHCOACH_HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }


def spawn_wrapped(tmp_path, env, *extra):
    """Run inside sh, saving `stty -g` before and after, exiting with stretchcoach's code."""
    command = f"{SCRIPT} run slow --catalogue cat.yaml {' '.join(extra)}"
    # A trap (not an ignore) so Ctrl-C reaches stretchcoach and sh still runs `stty` after.
    script = f"trap ':' INT; stty -g > before; {command}; code=$?; stty -g > after; exit $code"
    child = pexpect.spawn(
        "/bin/sh", ["-c", script], cwd=str(tmp_path), env=env, dimensions=(24, 80),
        encoding="utf-8", timeout=15,
    )  # fmt: skip
    child.logfile_read = io.StringIO()  # everything written to the terminal
    return child


def session_pid(child) -> int:
    """The stretchcoach process: the shell's child (call it once the screen is up)."""
    found = Path(f"/proc/{child.pid}/task/{child.pid}/children").read_text().split()
    assert found, "stretchcoach is not running"
    return int(found[0])


def finish(child, tmp_path) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    close_when_exited(child)
    before = (tmp_path / "before").read_text()
    after = (tmp_path / "after").read_text()
    assert after == before, "terminal modes were not restored"
    return child.exitstatus, child.before


def test_keys_drive_the_session_and_q_exits_0(tmp_path, env):
    child = spawn_wrapped(tmp_path, env)
    child.expect("Neck tilt")
    child.expect("LEFT · rep 1 of 2")
    child.send(" ")
    child.expect("PAUSED")
    child.send(" ")
    child.expect("space pause")
    child.send("n")
    child.expect("Chin tuck")
    child.send("q")
    child.expect("Session stopped early: Slow routine")
    code, rest = finish(child, tmp_path)
    assert code == 0
    assert "skipped  Neck tilt" in rest
    written = child.logfile_read.getvalue()
    assert written.rindex(SHOW_CURSOR) > written.rindex(HIDE_CURSOR)


@pytest.mark.parametrize(
    ("how", "code", "when"),
    [
        ("ctrl-c", 130, "q quit"),
        (signal.SIGTERM, 143, "q quit"),
        (signal.SIGHUP, 129, "q quit"),
        # The moment the guard takes the screen, before the first frame is complete: an
        # early Ctrl-C must end the session too, never be lost.
        ("ctrl-c", 130, re.escape(HIDE_CURSOR)),
        (signal.SIGINT, 130, re.escape(HIDE_CURSOR)),
        (signal.SIGTERM, 143, re.escape(HIDE_CURSOR)),
    ],
)
def test_interruptions_restore_the_terminal_and_exit_with_their_code(
    tmp_path, env, how, code, when
):
    child = spawn_wrapped(tmp_path, env)
    child.expect(when)
    if how == "ctrl-c":
        child.sendcontrol("c")
    else:
        os.kill(session_pid(child), how)
    child.expect("Session interrupted: Slow routine")
    status, _ = finish(child, tmp_path)
    assert status == code
    written = child.logfile_read.getvalue()
    assert written.rindex(SHOW_CURSOR) > written.rindex(HIDE_CURSOR)


def test_hangup_then_terminate_at_once_still_records_the_session(tmp_path, env):
    # Closing a terminal window sends SIGHUP and SIGTERM within a millisecond; the
    # second must not abort the recording the first started. Several rounds, since the
    # two may land at any point of the ending. The coach is stopped while both are sent, so
    # it finds both waiting when it goes on, as it would after a window closed: on a busy
    # machine this test could otherwise be paused between the two kills for longer than
    # the coach takes to record and exit, and the late SIGTERM would meet a process that
    # no longer handles it.
    for round_ in range(3):
        child = spawn_wrapped(tmp_path, env)
        child.expect("q quit")
        pid = session_pid(child)
        os.kill(pid, signal.SIGSTOP)
        os.kill(pid, signal.SIGHUP)
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)
        status, _ = finish(child, tmp_path)
        assert status == 129
        assert [s.status.value for s in recorded(tmp_path)] == ["interrupted"] * (round_ + 1)
    assert not list((tmp_path / "home" / "pending").glob("*.json"))


def test_closing_the_terminal_at_the_after_prompt_keeps_the_session(tmp_path, env):
    child = spawn_wrapped(tmp_path, env, "--check-in")
    child.expect("Tension or pain now")
    child.sendline("6")
    child.expect("q quit")
    child.send("q")
    child.expect("Tension or pain after the session")
    os.kill(session_pid(child), signal.SIGHUP)
    status, _ = finish(child, tmp_path)
    assert status == 129
    [session] = recorded(tmp_path)
    assert (session.status.value, session.check_in_before, session.check_in_after) == (
        "stopped",
        6,
        None,
    )


def test_closing_the_terminal_records_the_session_and_exits_129(tmp_path, env):
    # The terminal itself goes away: SIGHUP, and every later write to it fails.
    (tmp_path / "home").mkdir()
    child = pexpect.spawn(
        str(SCRIPT), ["run", "slow", "--catalogue", "cat.yaml"], cwd=str(tmp_path), env=env,
        dimensions=(24, 80), encoding="utf-8", timeout=15,
    )  # fmt: skip
    child.expect("q quit")
    os.close(child.child_fd)  # the kernel hangs up the session whose terminal this was
    _, status = os.waitpid(child.pid, 0)
    child.terminated = True
    assert os.waitstatus_to_exitcode(status) == 129
    assert [s.status.value for s in recorded(tmp_path)] == ["interrupted"]


def recorded(tmp_path):
    from stretchcoach.history.store import open_history

    with open_history(tmp_path / "home" / "history.sqlite3") as history:
        return [s.result for s in history.all_sessions()]


def test_the_session_is_recorded_when_interrupted(tmp_path, env):
    child = spawn_wrapped(tmp_path, env)
    child.expect("q quit")
    os.kill(session_pid(child), signal.SIGTERM)
    status, _ = finish(child, tmp_path)
    assert status == 143
    from stretchcoach.history.store import open_history

    history = open_history(tmp_path / "home" / "history.sqlite3")
    try:
        [recorded] = history.sessions()
    finally:
        history.close()
    assert recorded.result.status.value == "interrupted"


# What a job-control shell does: the command gets its own process group in the foreground.
# (A process group whose parent is outside the session is "orphaned", and the kernel
# discards Ctrl-Z for it, so without this the stop could not be tested.)
# The child makes itself the foreground group before exec, and the parent only reports it
# once the child says so through a pipe: the parent's own setpgid would race with the exec
# (EACCES once the child has exec'd), and stretchcoach must not start in the background.
JOB_SHELL = """
import os, signal, sys
ready_r, ready_w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(ready_r)
    os.setpgid(0, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    os.tcsetpgrp(0, os.getpid())
    signal.signal(signal.SIGTTOU, signal.SIG_DFL)
    os.write(ready_w, b"x")
    os.close(ready_w)
    os.execv(sys.argv[1], sys.argv[1:])
os.close(ready_w)
os.read(ready_r, 1)
print("job", pid, flush=True)
while True:
    _, status = os.waitpid(pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        sys.exit(os.waitstatus_to_exitcode(status))
    print("stopped", flush=True)
"""


def test_ctrl_z_gives_the_terminal_back_and_fg_redraws(tmp_path, env):
    child = pexpect.spawn(
        sys.executable, ["-c", JOB_SHELL, str(SCRIPT), "run", "slow", "--catalogue", "cat.yaml",
                         "--no-log"],
        cwd=str(tmp_path), env=env, dimensions=(24, 80), encoding="utf-8", timeout=15,
    )  # fmt: skip
    child.expect(r"job (\d+)")
    pid = int(child.match.group(1))
    child.expect("q quit")
    lflag = termios.tcgetattr(child.child_fd)[3]
    assert not lflag & termios.ECHO and not lflag & termios.ICANON  # cbreak, no echo
    child.sendcontrol("z")
    child.expect_exact(SHOW_CURSOR)
    child.expect("stopped")  # the job shell saw it stop (waitpid WUNTRACED)
    assert Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] == "T"
    lflag = termios.tcgetattr(child.child_fd)[3]
    assert lflag & termios.ECHO and lflag & termios.ICANON  # the shell gets its terminal back
    os.kill(pid, signal.SIGCONT)
    child.expect_exact(HIDE_CURSOR)
    child.expect("Neck tilt")  # the whole screen is drawn again
    lflag = termios.tcgetattr(child.child_fd)[3]
    assert not lflag & termios.ECHO
    child.send("q")
    child.expect("Session stopped early")
    child.expect(pexpect.EOF)
    close_when_exited(child)
    assert child.exitstatus == 0


def test_plain_flag_in_a_terminal_writes_lines_without_escapes(tmp_path, env):
    child = spawn_wrapped(tmp_path, env, "--plain", "--no-sound")
    child.expect(r"\[0:00\] Neck tilt — LEFT — rep 1/2 — hold 30s")
    child.send("q")
    child.expect("Session stopped early")
    code, _ = finish(child, tmp_path)
    assert code == 0


# The guard and the key reader in this process, on a pty pair: fast, no subprocess.


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    stream = os.fdopen(slave, "w", encoding="utf-8")  # written to; keys read from its fd
    yield master, stream
    stream.close()
    os.close(master)


def read_all(fd: int) -> str:
    out = b""
    while select.select([fd], [], [], 0.05)[0]:
        out += os.read(fd, 4096)
    return out.decode()


def test_the_guard_restores_modes_and_cursor_after_a_crash(pty_pair):
    from stretchcoach.session.terminal import Guard

    master, stream = pty_pair
    before = termios.tcgetattr(stream.fileno())
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    with pytest.raises(RuntimeError), Guard(stream, stream, keys=True, screen=True):
        inside = termios.tcgetattr(stream.fileno())
        assert not inside[3] & termios.ECHO and not inside[3] & termios.ICANON
        assert inside[3] & termios.ISIG  # Ctrl-C still interrupts
        raise RuntimeError("a bug")
    assert termios.tcgetattr(stream.fileno()) == before
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == handlers
    assert read_all(master) == HIDE_CURSOR + SHOW_CURSOR


@pytest.mark.parametrize(
    ("signums", "code"),
    [
        ((signal.SIGTERM,), 143),
        ((signal.SIGHUP,), 129),
        ((signal.SIGINT,), 130),
        ((signal.SIGHUP, signal.SIGTERM), 129),  # closing a terminal window: the first counts
        ((signal.SIGTERM, signal.SIGINT, signal.SIGHUP), 143),
    ],
)
def test_the_latch_notes_the_first_signal_and_wakes_a_key_wait(pty_pair, signums, code):
    from stretchcoach.session.terminal import KeyReader, SignalLatch

    _, stream = pty_pair
    handlers = [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
    reader = KeyReader(stream.fileno())
    with SignalLatch() as latch:
        for signum in signums:
            signal.raise_signal(signum)  # noted, never raised: nothing is aborted half way
        assert latch.exit_code == code
        assert select.select([latch.wake_fd], [], [], 0)[0]  # a wake-up is waiting
        assert reader.read(30.0) is None  # so the wait for a key ends without one
        assert not select.select([latch.wake_fd], [], [], 0)[0]  # and it was taken
    assert [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)] == (
        handlers
    )


def test_the_guard_drops_keys_typed_during_the_session(pty_pair):
    from stretchcoach.session.terminal import Guard

    master, stream = pty_pair
    with Guard(stream, stream, keys=True, screen=False):
        os.write(master, b"nnq")
        assert select.select([stream.fileno()], [], [], 2.0)[0]  # the keys are waiting
    assert not select.select([stream.fileno()], [], [], 0.05)[0]


def test_the_key_reader_decodes_keys_and_arrows(pty_pair):
    from stretchcoach.session.terminal import Guard, KeyReader

    master, stream = pty_pair
    reader = KeyReader(stream.fileno())
    with Guard(stream, stream, keys=True, screen=False):
        assert reader.read(0.01) is None
        os.write(master, b" Nb=+Q\x1b[C\x1b[D\x1b[Ax")
        keys = [reader.read(1.0) for _ in range(8)]
    assert keys == [" ", "n", "b", "+", "+", "q", "n", "b"]


def test_the_key_reader_waits_instead_of_spinning_at_end_of_input():
    from stretchcoach.session.terminal import KeyReader

    read_end, write_end = os.pipe()
    os.close(write_end)
    reader = KeyReader(read_end)
    try:
        assert reader.read(0.0) is None
        assert reader.closed
        began = time.monotonic()
        assert reader.read(0.05) is None
        assert time.monotonic() - began >= 0.04
    finally:
        os.close(read_end)
