"""Every performance budget of issue 13 in one run: the measured ratio, the budget, pass or fail.

Usage (from the repository root, with the `bench` extra installed):

    .venv/bin/python benchmarks/run.py              # every row; about three minutes
    .venv/bin/python benchmarks/run.py --runs 31    # more interleaved runs per start-up row
    .venv/bin/python benchmarks/run.py --only start # rows whose name contains "start"

Whole processes are timed (spawn to exit), A and B interleaved, medians compared. Every run
uses a temporary STRETCHCOACH_HOME, so your own files and cache are untouched.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Run, Watch, command, interleaved, median_seconds, peak_mib, pump_all, run

BROWSE = (
    ("list",),
    ("list", "--target", "upper-back"),
    ("show", "pec-stretch"),
    ("plan", "desk-break"),
    ("routines",),
    ("stats",),
)

ROWS: list[tuple[str, str, float, Callable[[Bench], tuple[float | None, str]]]] = []


def row(name: str, budget_text: str, budget: float) -> Callable[..., object]:
    def register(measure: Callable[[Bench], tuple[float | None, str]]) -> object:
        ROWS.append((name, budget_text, budget, measure))
        return measure

    return register


class Bench:
    """Shared state: options, a scratch folder, made-once fixtures."""

    def __init__(self, runs: int, folder: Path) -> None:
        self.runs = runs
        self.folder = folder
        self.env = {**os.environ, "STRETCHCOACH_HOME": str(folder / "home")}
        self.env.pop("NO_COLOR", None)
        self._big: Path | None = None
        self._histories: dict[int, Path] = {}

    def big(self) -> Path:
        if self._big is None:
            from make_catalogue import catalogue

            self._big = self.folder / "big.yaml"
            self._big.write_text(catalogue(10_000), encoding="utf-8")
        return self._big

    def history(self, sessions: int) -> Path:
        """A STRETCHCOACH_HOME whose history holds this many sessions."""
        if sessions not in self._histories:
            from bench_stats import fill

            from stretchcoach.history.migrations import SCHEMA_VERSION

            # Filling takes minutes for a million sessions: kept between runs, per schema.
            cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            home = cache / "stretchcoach-bench" / f"history-{sessions}-v{SCHEMA_VERSION}"
            if not (home / "history.sqlite3").exists():
                home.mkdir(parents=True, exist_ok=True)
                fill(home / "partial.sqlite3", sessions)
                (home / "partial.sqlite3").rename(home / "history.sqlite3")
            self._histories[sessions] = home
        return self._histories[sessions]

    def home_env(self, home: Path) -> dict[str, str]:
        return {**self.env, "STRETCHCOACH_HOME": str(home)}

    def fresh_env(self) -> dict[str, str]:
        return {**self.env, "STRETCHCOACH_HOME": tempfile.mkdtemp(dir=self.folder)}


def ratio_text(a: list[Run], b: list[Run]) -> tuple[float, str]:
    ma, mb = median_seconds(a), median_seconds(b)
    return ma / mb, f"{ma * 1000:.0f} ms / {mb * 1000:.0f} ms"


def _browse(bench: Bench, terminal: bool) -> tuple[float | None, str]:
    sc, td = command("stretchcoach"), command("termdown")
    worst, notes = 0.0, []
    for args in BROWSE:
        a, b = interleaved(
            lambda args=args: run([sc, *args], bench.env, terminal=terminal),
            lambda: run([td, "--help"], bench.env, terminal=terminal),
            bench.runs,
        )
        ratio, _ = ratio_text(a, b)
        worst = max(worst, ratio)
        notes.append(f"{' '.join(args)} {ratio:.2f}x ({median_seconds(a) * 1000:.0f} ms)")
    td_ms = median_seconds(b) * 1000
    return worst, f"worst of: {'; '.join(notes)}; termdown --help {td_ms:.0f} ms"


@row("browse commands on a terminal vs termdown --help", "<= 0.8x", 0.8)
def browse_terminal(bench: Bench) -> tuple[float | None, str]:
    return _browse(bench, terminal=True)


@row("browse commands piped vs termdown --help", "<= 0.8x", 0.8)
def browse_piped(bench: Bench) -> tuple[float | None, str]:
    return _browse(bench, terminal=False)


@row("status vs python -c pass (the interpreter status runs on)", "<= 2x", 2.0)
def status(bench: Bench) -> tuple[float | None, str]:
    # sys.executable is this virtualenv's python: the interpreter the console script runs.
    sc = command("stretchcoach")
    a, b = interleaved(
        lambda: run([sc, "status"], bench.env),
        lambda: run([sys.executable, "-c", "pass"], bench.env),
        bench.runs,
    )
    return ratio_text(a, b)


SHORT = """\
schema: 1
exercises:
  - id: short-hold
    name: Short hold
    targets: [neck]
    hold: {seconds}s
routines:
  - id: bench
    name: Bench
    prepare: 0
    rest: 0
    items:
      - exercise: short-hold
"""


def _session_argv(bench: Bench, seconds: int, *extra: str, log: bool = False) -> list[str]:
    path = bench.folder / f"short-{seconds}.yaml"
    path.write_text(SHORT.format(seconds=seconds), encoding="utf-8")
    return [command("stretchcoach"), "run", "bench", "-c", str(path),
            *(() if log else ("--no-log",)), "--no-sound", *extra]  # fmt: skip


@row("session end beyond plan + start-up (plain, live)", "<= 10 ms", 0.010)
def session_end(bench: Bench) -> tuple[float | None, str]:
    # Start-up ends with the first output (the first phase line or frame); the plan's total
    # runs from there; whatever the process takes after that is the overrun. The session is
    # recorded (journal written and fsynced, then the insert) in a history of its own.
    seconds = 2
    worst, notes = 0.0, []
    for label, terminal, extra in (("plain", False, ("--plain",)), ("live", True, ())):
        overruns = []
        for _ in range(3):
            argv = _session_argv(bench, seconds, *extra, log=True)
            done = run(argv, bench.fresh_env(), terminal=terminal)
            first = done.reads[0][0] if done.reads else done.started
            overruns.append(done.started + done.seconds - first - seconds)
        overruns.sort()
        value = overruns[len(overruns) // 2]
        worst = max(worst, value)
        notes.append(f"{label} {value * 1000:.0f} ms")
    return worst, f"median of 3 recorded {seconds} s sessions: {', '.join(notes)}"


@row("bytes/s to an 80x24 terminal, live session vs termdown", "<= 2x", 2.0)
def session_bytes(bench: Bench) -> tuple[float | None, str]:
    length, settle, window = 30, 2.0, 6.0
    ours = Watch(_session_argv(bench, length), bench.env)
    theirs = Watch([command("termdown"), str(length)], bench.env)
    try:
        began = time.perf_counter()
        pump_all([ours, theirs], began + settle + window)
        a = ours.bytes_between(began + settle, began + settle + window) / window
        b = theirs.bytes_between(began + settle, began + settle + window) / window
    finally:
        ours.stop()
        theirs.stop()
    return (a / b if b else None), f"{a:.0f} B/s / {b:.0f} B/s over {window:.0f} s"


LIBYAML = (
    "import sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for _ in yaml.parse(f, Loader=yaml.CSafeLoader): pass\n"
)


@row("cold list, 10,000 exercises vs libyaml events (peak <= 60 MiB)", "<= 2.5x", 2.5)
def cold_list(bench: Bench) -> tuple[float | None, str]:
    big = str(bench.big())
    sc = command("stretchcoach")
    runs = max(3, bench.runs // 4)
    a, b = interleaved(
        lambda: run([sc, "list", "-c", big], bench.fresh_env()),
        lambda: run([sys.executable, "-c", LIBYAML, big], bench.env),
        runs,
    )
    ratio, text = ratio_text(a, b)
    peak = peak_mib([sc, "list", "-c", big], bench.fresh_env()) or max(r.peak_mib for r in a)
    return ratio, text + f"; peak {peak:.0f} MiB" + ("" if peak <= 60 else " OVER 60 MiB")


@row("warm list, 10,000 exercises vs built-in list", "<= 1.5x", 1.5)
def warm_list(bench: Bench) -> tuple[float | None, str]:
    big = str(bench.big())
    sc = command("stretchcoach")
    a, b = interleaved(
        lambda: run([sc, "list", "-c", big], bench.env),
        lambda: run([sc, "list"], bench.env),
        bench.runs,
    )
    return ratio_text(a, b)


@row("stats, 100,000 sessions vs an empty history", "<= 1.3x", 1.3)
def stats_100k(bench: Bench) -> tuple[float | None, str]:
    sc = command("stretchcoach")
    full, empty = bench.home_env(bench.history(100_000)), bench.fresh_env()
    a, b = interleaved(
        lambda: run([sc, "stats"], full), lambda: run([sc, "stats"], empty), bench.runs
    )
    return ratio_text(a, b)


@row("stats, 1,000,000 sessions (seconds)", "< 1 s", 1.0)
def stats_million(bench: Bench) -> tuple[float | None, str]:
    sc = command("stretchcoach")
    env = bench.home_env(bench.history(1_000_000))
    runs = [run([sc, "stats"], env) for _ in range(4)][1:]
    value = median_seconds(runs)
    return value, f"median of 3: {value * 1000:.0f} ms"


# The same rows and header as `export --format csv` (CSV_COLUMNS), one cursor, no Python.
EXPORT_SQL = """\
SELECT s.id AS session_id, s.started_at, s.ended_at, s.status, s.title,
       COALESCE(s.routine_id, '') AS routine_id, COALESCE(s.generation, '') AS generation,
       s.planned_seconds, round(s.active_seconds, 1) AS session_active_seconds,
       COALESCE(s.check_in_before, '') AS check_in_before,
       COALESCE(s.check_in_after, '') AS check_in_after, e.position + 1 AS position,
       e.exercise_id, e.name AS exercise_name,
       replace(replace(replace(e.targets, '["', ''), '"]', ''), '", "', ';') AS targets,
       CASE e.done WHEN 1 THEN 'true' ELSE 'false' END AS done,
       round(e.active_seconds, 1) AS active_seconds
FROM sessions AS s LEFT JOIN session_exercises AS e ON e.session_id = s.id
ORDER BY s.started_at, s.id, e.position;
"""


@row("export --format csv, 100,000 sessions vs the sqlite3 shell", "<= 2x, <= 50 MiB", 2.0)
def export(bench: Bench) -> tuple[float | None, str]:
    home = bench.history(100_000)
    sc = command("stretchcoach")
    db = str(home / "history.sqlite3")
    a, b = interleaved(
        # 67 MB of CSV a run, dropped as read; peak memory is measured apart (peak_mib).
        lambda: run([sc, "export", "--format", "csv"], bench.home_env(home), keep=False),
        lambda: run(["sqlite3", "-csv", "-header", db, EXPORT_SQL], bench.env, keep=False),
        3,
    )
    ratio, text = ratio_text(a, b)
    argv = [sc, "export", "--format", "csv"]
    peak = peak_mib(argv, bench.home_env(home)) or max(r.peak_mib for r in a)
    return ratio, text + f"; peak {peak:.0f} MiB" + ("" if peak <= 50 else " OVER 50 MiB")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="interleaved runs per row")
    parser.add_argument("--only", default="", help="only rows whose name contains this")
    options = parser.parse_args(argv[1:])
    subprocess.run([sys.executable, "-c", "import sqlite3"], check=True)  # warm the page cache
    # Bytecode, as pip writes on install: with PYTHONDONTWRITEBYTECODE set (as in some
    # containers) an editable install would otherwise compile every module on every run.
    package = Path(__file__).resolve().parent.parent / "stretchcoach"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{'path':<64} {'measured':>9} {'budget':>17}  result")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="stretchcoach-bench-") as folder:
        bench = Bench(options.runs, Path(folder))
        for name, budget_text, budget, measure in ROWS:
            if options.only not in name:
                continue
            value, detail = measure(bench)
            if value is None:
                print(f"{name:<64} {'-':>9} {budget_text:>17}  {detail}")
                continue
            unit = "s" if budget_text.endswith(" s") or "ms" in budget_text else "x"
            shown = f"{value * 1000:.1f}ms" if "ms" in budget_text else f"{value:.2f}{unit}"
            verdict = "pass" if value <= budget and "OVER" not in detail else "FAIL"
            failed += verdict == "FAIL"
            print(f"{name:<64} {shown:>9} {budget_text:>17}  {verdict}  ({detail})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
