"""Wall time of `stretchcoach status` (tmux runs it every few seconds) against `python3 -c pass`.

Usage:  python benchmarks/bench_status.py [RUNS]   (default 30; run from the repository root)

Budget (DESIGN.md): status <= 2x `python3 -c pass`, with a history and a config.toml present.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


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


def row(label: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"{label:<44} {statistics.median(ms):>8.1f} {min(ms):>8.1f} {len(ms):>5}"


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 30
    status = [str(BIN / "stretchcoach"), "status"]
    with tempfile.TemporaryDirectory() as tmp:
        empty = {**os.environ, "STRETCHCOACH_HOME": str(Path(tmp) / "empty")}
        full_home = Path(tmp) / "full"
        full_home.mkdir()
        fill(full_home, 1000)
        full = {**os.environ, "STRETCHCOACH_HOME": str(full_home)}
        commands = {
            "python3 -c pass": (["python3", "-c", "pass"], empty),
            "venv python -c pass": ([sys.executable, "-c", "pass"], empty),
            "stretchcoach status (no history)": (status, empty),
            "stretchcoach status (1,000 sessions, config)": (status, full),
            "stretchcoach status --format json (same)": ([*status, "--format", "json"], full),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for argv, env in commands.values():
            timed(argv, env)  # warm the page cache
        for _ in range(runs):  # interleaved, so drift in machine load hits all alike
            for name, (argv, env) in commands.items():
                times[name].append(timed(argv, env))
    print(f"{'what':<44} {'median':>8} {'min':>8} {'runs':>5}   (ms)")
    for name, values in times.items():
        print(row(name, values))
    base = statistics.median(times["python3 -c pass"])
    worst = max(statistics.median(times[n]) for n in commands if n.startswith("stretchcoach"))
    verdict = "within" if worst <= 2 * base else "OVER"
    print(f"\nslowest status / python3 -c pass = {worst / base:.2f} (budget 2.00): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
