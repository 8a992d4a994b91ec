"""Session benchmarks, run by hand: countdown overrun, and CPU while a session runs.

    .venv/bin/python benchmarks/bench_session.py              # 60 s plan, 30 s CPU windows
    .venv/bin/python benchmarks/bench_session.py --plan 10 --window 10

1. Overrun: a plan of N one-second holds run by the real loop with the real clock and no
   keyboard; how late the session ends after its planned end (budget: 50 ms).
2. CPU: `stretchcoach run` with the live screen in an 80x24 pty next to `termdown` counting
   the same time in another; CPU seconds per wall second of each, read from /proc after
   start-up (budget: under 0.01 for stretchcoach).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from stretchcoach.model import Dose, Exercise, PlanItem
from stretchcoach.plan.compile import compile_items
from stretchcoach.session import loop as session
from stretchcoach.session import terminal

TICKS = os.sysconf("SC_CLK_TCK")


def overrun(seconds: int) -> tuple[float, float]:
    """Seconds between the planned and the actual end, and the worst phase-line lateness."""
    hold = Exercise(id="hold", name="Hold", targets=("neck",), dose=Dose(hold=1, reps=seconds))
    plan = compile_items([PlanItem(hold, hold.dose)], title="Bench", prepare=0, rest=0)
    lines: list[tuple[float, str]] = []
    start = terminal.clock()
    session.run_session(
        plan,
        clock=terminal.clock,
        keys=terminal.NoKeys(),
        view=session.PlainView(lambda line: lines.append((terminal.clock(), line))),
        now_utc=lambda: dt.datetime.now(dt.timezone.utc),
    )
    end = terminal.clock()
    # Each phase line is written when its phase begins: at start + k seconds.
    late = max(at - (start + k) for k, (at, _) in enumerate(lines))
    return end - (start + plan.total_seconds), late


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


CATALOGUE = """\
schema: 1
exercises:
  - id: long-hold
    name: Long hold
    targets: [neck]
    hold: {seconds}s
    steps: [Sit tall., Breathe.]
routines:
  - id: bench
    name: Bench
    prepare: 0
    rest: 0
    items:
      - exercise: long-hold
"""


def cpu(window: float, settle: float = 2.0) -> dict[str, float]:
    """CPU seconds per wall second of stretchcoach and termdown, measured side by side."""
    import pexpect

    folder = Path(tempfile.mkdtemp(prefix="bench-session-"))
    (folder / "cat.yaml").write_text(CATALOGUE.format(seconds=int(window + settle + 30)))
    env = dict(os.environ, STRETCHCOACH_HOME=str(folder / "home"), TERM="xterm-256color")
    bin_dir = Path(sys.executable).parent
    commands = {
        "stretchcoach": [
            str(bin_dir / "stretchcoach"), "run", "bench", "--catalogue", str(folder / "cat.yaml"),
            "--no-log", "--no-sound",
        ],
        "termdown": [shutil.which("termdown") or str(bin_dir / "termdown"),
                     str(int(window + settle + 30))],
    }  # fmt: skip
    children = {
        name: pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(24, 80), timeout=5)
        for name, argv in commands.items()
    }

    def drain(until: float) -> None:
        # Keep reading both ptys so neither blocks on a full buffer.
        while time.monotonic() < until:
            for child in children.values():
                with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
                    child.read_nonblocking(65536, timeout=0.05)

    drain(time.monotonic() + settle)
    first = {name: cpu_seconds(child.pid) for name, child in children.items()}
    began = time.monotonic()
    drain(began + window)
    wall = time.monotonic() - began
    out = {name: (cpu_seconds(child.pid) - first[name]) / wall for name, child in children.items()}
    for child in children.values():
        child.terminate(force=True)
    shutil.rmtree(folder, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=int, default=60, help="seconds of the overrun plan")
    parser.add_argument("--window", type=float, default=30, help="seconds of CPU measurement")
    args = parser.parse_args()
    late_end, late_line = overrun(args.plan)
    print(f"overrun at the end of a {args.plan} s plan: {late_end * 1000:.1f} ms (budget 50 ms)")
    print(f"latest phase start over {args.plan} phases: {late_line * 1000:.1f} ms")
    for name, share in cpu(args.window).items():
        print(f"{name:12s} CPU seconds per wall second: {share:.4f} ({share * 100:.2f}% of a core)")


if __name__ == "__main__":
    main()
