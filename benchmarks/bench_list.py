"""Wall time of `stretchcoach list` against `termdown --help`, and of a 10,000-exercise list.

Usage:  python benchmarks/bench_list.py [RUNS]   (default 15; run from the repository root)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_catalogue import catalogue

BIN = Path(sys.executable).parent


def command(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def row(label: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"{label:<46} {statistics.median(ms):>8.0f} {min(ms):>8.0f} {len(ms):>5}"


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STRETCHCOACH_HOME": str(Path(tmp) / "home")}
        ours = [command("stretchcoach"), "list", "--target", "upper-back"]
        theirs = [command("termdown"), "--help"]
        timed(ours, env), timed(theirs, env)  # warm the page cache and the catalogue cache
        a: list[float] = []
        b: list[float] = []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            a.append(timed(ours, env))
            b.append(timed(theirs, env))

        big = Path(tmp) / "big.yaml"
        big.write_text(catalogue(10_000), encoding="utf-8")
        listing = [command("stretchcoach"), "list", "--catalogue", str(big)]
        cold = [timed(listing, env)]  # first load: parse and fill the cache
        warm = [timed(listing, env) for _ in range(runs)]
        uncached = [
            timed(
                [*listing[:2], "--catalogue", str(big)],
                {**env, "STRETCHCOACH_HOME": str(Path(tmp) / f"h{i}")},
            )
            for i in range(3)
        ]

    print(f"{'what':<46} {'median':>8} {'min':>8} {'runs':>5}   (ms)")
    print(row("stretchcoach list --target upper-back", a))
    print(row("termdown --help", b))
    print(row("list, 10,000 exercises, first (cold cache)", cold))
    print(row("list, 10,000 exercises, fresh cache dirs", uncached))
    print(row("list, 10,000 exercises, repeated", warm))
    verdict = "within" if statistics.median(a) <= statistics.median(b) else "OVER"
    print(
        f"\nlist vs termdown --help: {verdict} budget; 10k repeated: "
        f"{'within' if statistics.median(warm) < 0.5 else 'OVER'} the 0.5 s budget"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
