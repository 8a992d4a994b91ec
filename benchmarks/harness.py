"""Run whole processes and time them: piped or on a pseudo-terminal, with their peak memory.

Only the standard library: subprocess + time.perf_counter for wall time, os.wait4 for each
child's own rusage (peak RSS), os.openpty for "on a terminal" (the child's stdin, stdout and
stderr on the slave, 80x24), a pipe for "piped".
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
COLUMNS, LINES = 80, 24


def command(name: str) -> str:
    """A console script of this virtualenv, else one on PATH."""
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


@dataclass
class Run:
    """One finished process: wall seconds, peak RSS in MiB, exit code, what it wrote."""

    seconds: float
    peak_mib: float
    code: int
    output: bytes
    # (perf_counter, bytes) of every read, for rates and first-output times
    reads: list[tuple[float, int]] = field(default_factory=list)
    started: float = 0.0


def _finish(proc: subprocess.Popen[bytes]) -> tuple[int, float]:
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024  # KiB on Linux


def _winsize(fd: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))


def run(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    terminal: bool = False,
    check: bool = True,
    on_read: Callable[[bytes], None] | None = None,
    keep: bool = True,
) -> Run:
    """Run argv to its end, stdout on a pty (terminal) or a pipe; time it from spawn to exit.

    keep=False drops the output as it is read. A child's ru_maxrss starts at this process's
    own high-water mark (Linux carries it across fork and exec): use peak_mib for memory.
    """
    if terminal:
        master, slave = os.openpty()
        _winsize(slave)
        env = {"TERM": "xterm-256color", **env}
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        reader = master
    else:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env,
        )  # fmt: skip
        assert proc.stdout is not None
        reader = proc.stdout.fileno()
    chunks: list[bytes] = []
    reads: list[tuple[float, int]] = []
    while True:
        try:
            chunk = os.read(reader, 65536)
        except OSError:  # EIO: every copy of the pty slave is closed
            chunk = b""
        if not chunk:
            break
        reads.append((time.perf_counter(), len(chunk)))
        if keep:
            chunks.append(chunk)
        if on_read is not None:
            on_read(chunk)
    code, peak = _finish(proc)
    seconds = time.perf_counter() - start
    if terminal:
        os.close(master)
    else:
        assert proc.stdout is not None
        proc.stdout.close()
    output = b"".join(chunks)
    if check and code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {output[-400:]!r}")
    return Run(seconds, peak, code, output, reads, start)


def peak_mib(argv: Sequence[str], env: dict[str, str]) -> float | None:
    """The command's own peak RSS, measured by GNU time (a small C process in between, so
    this process's high-water mark is not inherited); None without /usr/bin/time."""
    if not Path("/usr/bin/time").exists():
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as report:
        run(["/usr/bin/time", "-o", report.name, "-f", "%M", *argv], env, keep=False)
        return int(report.read().split()[-1]) / 1024


def interleaved(
    a: Callable[[], Run], b: Callable[[], Run], runs: int
) -> tuple[list[Run], list[Run]]:
    """A B A B ...: drift in the machine's load hits both alike. One warm-up run each first."""
    a(), b()
    first: list[Run] = []
    second: list[Run] = []
    for _ in range(runs):
        first.append(a())
        second.append(b())
    return first, second


def median_seconds(runs: Sequence[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


class Watch:
    """A pty child read in the background of a polling loop: bytes per window of time."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        _winsize(slave)
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave,
            env={"TERM": "xterm-256color", **env}, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.reads: list[tuple[float, int]] = []

    def pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            if chunk:
                self.reads.append((time.perf_counter(), len(chunk)))

    def bytes_between(self, start: float, end: float) -> int:
        return sum(n for at, n in self.reads if start <= at < end)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.master)


def pump_all(watches: Sequence[Watch], until: float) -> None:
    """Keep reading every pty so none blocks on a full buffer."""
    while time.perf_counter() < until:
        for watch in watches:
            watch.pump(0.01)
