"""Wall time of `stretchcoach status` (tmux runs it every few seconds) against `python3 -c pass`.

Usage:  python benchmarks/bench_status.py [RUNS]   (default 30; run from the repository root)

Budget (DESIGN.md): status <= 2x `python3 -c pass`, with a history and a config.toml present.
Wall time is noisy on a shared machine, so CPU time (user + system of the child) is shown too.
The comparison that isolates our code is against the same interpreter (`venv python -c pass`);
the launcher pip writes for `stretchcoach` imports `re` before any of our code runs, and
`import re` is shown so its share is visible.
"""

from __future__ import annotations

import compileall
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def fill(home: Path, sessions: int) -> None:
    """A history of `sessions` sessions, one every 3 hours up to now, and a config.toml."""
    from stretchcoach.history.store import open_history
    from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

    now = dt.datetime.now(dt.timezone.utc)
    with open_history(home / "history.sqlite3") as history:
        for i in range(sessions):
            end = now - dt.timedelta(hours=3 * i)
            history.record(
                SessionResult(
                    started_at=end - dt.timedelta(minutes=5),
                    ended_at=end,
                    status=SessionStatus.COMPLETED,
                    title="Micro break",
                    exercises=(ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, 240),),
                    planned_seconds=300,
                    routine_id="micro-break",
                )
            )
    (home / "config.toml").write_text('[remind]\nevery = "50m"\n[goal]\nminutes = 15\n')


def row(label: str, times: list[tuple[float, float]]) -> str:
    wall = statistics.median(t[0] for t in times) * 1000
    cpu = statistics.median(t[1] for t in times) * 1000
    return f"{label:<44} {wall:>8.1f} {cpu:>8.1f} {len(times):>5}"


def median_cpu(times: list[tuple[float, float]]) -> float:
    return statistics.median(t[1] for t in times)


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 30
    status = [str(BIN / "stretchcoach"), "status"]
    # As an installed wheel has them: pip compiles bytecode at install time.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "stretchcoach", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        empty = {**os.environ, "STRETCHCOACH_HOME": str(Path(tmp) / "empty")}
        full_home = Path(tmp) / "full"
        full_home.mkdir()
        fill(full_home, 1000)
        full = {**os.environ, "STRETCHCOACH_HOME": str(full_home)}
        commands = {
            "python3 -c pass": (["python3", "-c", "pass"], empty),
            "venv python -c pass": ([sys.executable, "-c", "pass"], empty),
            "venv python -c 'import re' (the launcher)": (
                [sys.executable, "-c", "import re"],
                empty,
            ),
            "stretchcoach status (no history)": (status, empty),
            "stretchcoach status (1,000 sessions, config)": (status, full),
            "stretchcoach status --format json (same)": ([*status, "--format", "json"], full),
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for argv, env in commands.values():
            timed(argv, env)  # warm the page cache
        for _ in range(runs):  # interleaved, so drift in machine load hits all alike
            for name, (argv, env) in commands.items():
                times[name].append(timed(argv, env))
    print(f"{'what':<44} {'wall':>8} {'cpu':>8} {'runs':>5}   (medians, ms)")
    for name, values in times.items():
        print(row(name, values))
    worst = max(median_cpu(times[n]) for n in commands if n.startswith("stretchcoach"))
    for base_name in ("python3 -c pass", "venv python -c pass"):
        base = median_cpu(times[base_name])
        verdict = "within" if worst <= 2 * base else "OVER"
        print(f"slowest status / {base_name} (CPU) = {worst / base:.2f} (budget 2.00): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
