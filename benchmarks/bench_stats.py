"""Time `stretchcoach stats` over 100,000 recorded sessions (budget: under 0.5 s).

Run by hand:  .venv/bin/python benchmarks/bench_stats.py [--sessions N] [--runs R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from stretchcoach.history.stats import summarize
from stretchcoach.history.store import format_utc, open_history

AREAS = ("neck", "upper-back", "chest", "shoulders", "arms", "wrists", "lower-back", "hips")


def fill(path: Path, count: int, seed: int = 1, chunk: int = 20_000) -> None:
    """Write count sessions of 5 exercises each, spread over the years before now, in bulk."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    open_history(path).close()  # the real schema, every migration applied
    db = sqlite3.connect(path)
    for first in range(1, count + 1, chunk):  # in chunks: a million sessions fit in memory
        sessions, exercises = [], []
        for session_id in range(first, min(first + chunk, count + 1)):
            # About 8 sessions a day: 100,000 of them reach back some 34 years.
            start = now - dt.timedelta(minutes=180 * session_id + rng.randint(0, 120))
            active = [rng.uniform(20, 90) for _ in range(5)]
            before = rng.choice((None, None, 4, 5, 6, 7))
            sessions.append(
                (
                    session_id,
                    f"{session_id:032x}",  # the stable session id (schema 5)
                    format_utc(start),
                    format_utc(start + dt.timedelta(minutes=6)),
                    "completed",
                    "Desk break",
                    "desk-break",
                    None,
                    360,
                    before,
                    None if before is None else before - rng.randint(0, 3),
                    sum(active),
                    5,
                )
            )
            for position, seconds in enumerate(active):
                targets = json.dumps(rng.sample(AREAS, rng.randint(1, 2)))
                exercises.append(
                    (
                        session_id,
                        position,
                        f"ex-{position}",
                        f"Exercise {position}",
                        targets,
                        1,
                        seconds,
                    )
                )
        with db:
            db.executemany(
                "INSERT INTO sessions (id, session_id, started_at, ended_at, status, title,"
                " routine_id, generation, planned_seconds, check_in_before, check_in_after,"
                " active_seconds, exercises_done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                sessions,
            )
            db.executemany("INSERT INTO session_exercises VALUES (?, ?, ?, ?, ?, ?, ?)", exercises)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def time_command(home: Path, args: list[str], runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("stretchcoach")
    env = {**os.environ, "STRETCHCOACH_HOME": str(home)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), *args], env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def time_core(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """(digest from SQL + summarize, summarize alone) for each run."""
    tz = ZoneInfo("Europe/Berlin")
    today = dt.date.today()
    whole, pure = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with open_history(path, verify=False) as history:
            reduced = history.digest()
        middle = time.perf_counter()
        summarize(reduced, today=today, tz=tz)
        end = time.perf_counter()
        whole.append(end - start)
        pure.append(end - middle)
    return whole, pure


def show(label: str, times: list[float]) -> None:
    print(
        f"{label:<44} median {statistics.median(times) * 1000:7.1f} ms"
        f"   min {min(times) * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        path = home / "history.sqlite3"
        start = time.perf_counter()
        fill(path, options.sessions)
        print(
            f"filled {options.sessions:,} sessions ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        show("stretchcoach --help (startup floor)", time_command(home, ["--help"], options.runs))
        empty = home / "empty"
        show(
            "stretchcoach stats, no history (floor)",
            time_command(empty, ["stats", "--json"], options.runs),
        )
        show("stretchcoach stats (whole command)", time_command(home, ["stats"], options.runs))
        show("stretchcoach stats --json", time_command(home, ["stats", "--json"], options.runs))
        whole, pure = time_core(path, options.runs)
        show("open + History.digest + summarize", whole)
        show("summarize alone (pure stats)", pure)
        checks = []
        for _ in range(options.runs):
            start = time.perf_counter()
            open_history(path, verify=True).close()
            checks.append(time.perf_counter() - start)
        show("open_history with quick_check (before a run)", checks)


if __name__ == "__main__":
    main()
