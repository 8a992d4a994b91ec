"""Time `generate` on a 10,000-exercise catalogue, loading excluded (budget: under 0.2 s).

Usage:  python benchmarks/bench_generate.py [RUNS]   (default 15; run from the repository root)
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_catalogue import catalogue

from stretchcoach.catalogue.loader import load
from stretchcoach.paths import Paths
from stretchcoach.plan.generate import generate
from stretchcoach.plan.request import Request

COUNT = 10_000
BUDGET_MS = 200
TODAY = dt.date(2025, 3, 14)
REQUESTS = {
    "default (5 min, 4 areas)": Request(),
    "60 min, 4 areas": Request(minutes=60, seed=1),
    "2 min, 6 targets": Request(
        minutes=2, targets=("neck", "chest", "hips", "wrists", "legs", "rhomboids"), seed=2
    ),
    "30 min, seated, band": Request(
        minutes=30, position="seated", equipment=("band", "chair"), seed=3
    ),
    "20 min, kind stretch": Request(minutes=20, kind="stretch", seed=4),
}


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big = root / "big.yaml"
        big.write_text(catalogue(COUNT), encoding="utf-8")
        paths = Paths(root / "config", root / "data", root / "cache")
        cat = load(paths, [big], use_cache=False)
    print(f"{len(cat.exercises)} exercises loaded (loading not timed)")
    print(f"{'request':<28} {'median':>8} {'max':>8} {'runs':>5} {'items':>6} {'total':>6}  (ms)")
    worst = 0.0
    for label, request in REQUESTS.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            plan = generate(cat, request, today=TODAY)
            times.append((time.perf_counter() - start) * 1000)
        worst = max(worst, max(times))
        print(
            f"{label:<28} {statistics.median(times):>8.1f} {max(times):>8.1f} {runs:>5} "
            f"{len(plan.items):>6} {plan.total_seconds:>6}"
        )
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"slowest run {worst:.1f} ms: {verdict} the {BUDGET_MS} ms budget")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
