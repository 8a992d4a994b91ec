"""Write an N-exercise schema-1 catalogue with realistic fields (default 10,000).

Usage:  python benchmarks/make_catalogue.py [N] [OUT]   (OUT defaults to big-catalogue.yaml)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from stretchcoach.model import AREAS, KINDS, POSITIONS, SIDES

MUSCLES = (
    "upper trapezius", "levator scapulae", "rhomboids", "mid trapezius", "pectoralis major",
    "pectoralis minor", "deltoids", "rotator cuff", "erector spinae", "hip flexors",
    "hamstrings", "glutes", "forearm flexors", "scalenes", "latissimus dorsi",
)  # fmt: skip
EQUIPMENT = ("chair", "desk", "wall", "doorway", "foam-roller", "massage-ball", "band", "mat")
HOLDS = ("2s", "15s", "20s", "30s", "1m", "1:30", "5 breaths", "45")


def exercise(index: int, rng: random.Random) -> str:
    """One exercise entry as YAML text."""
    targets = ", ".join(rng.sample(AREAS, rng.randint(1, 3)))
    muscles = ", ".join(rng.sample(MUSCLES, rng.randint(1, 2)))
    equipment = ", ".join(rng.sample(EQUIPMENT, rng.choice((0, 0, 1, 2))))
    return f"""\
  - id: exercise-{index:05d}
    name: Generated exercise number {index}
    kind: {rng.choice(KINDS)}
    targets: [{targets}]
    muscles: [{muscles}]
    position: {rng.choice(POSITIONS)}
    equipment: [{equipment}]
    sides: {rng.choice(SIDES)}
    hold: "{rng.choice(HOLDS)}"
    reps: {rng.randint(1, 12)}
    sets: {rng.randint(1, 3)}
    steps:
      - Sit tall with both feet flat on the floor and your shoulders relaxed.
      - Move slowly into the position until you feel a gentle pull, never pain.
      - Breathe out as you ease a little further, then hold still.
    cautions:
      - Stop if you feel tingling, numbness or sharp pain.
    source:
      - title: Generated benchmark source {index % 7}
        publisher: stretchcoach benchmarks
        says: hold 15-30 s (the general rule)
"""


def catalogue(count: int, seed: int = 1) -> str:
    """A whole catalogue file with `count` exercises and one routine."""
    rng = random.Random(seed)
    items = "\n".join(f"      - exercise: exercise-{i:05d}" for i in range(min(count, 5)))
    body = "".join(exercise(i, rng) for i in range(count))
    routine = (
        f"routines:\n  - id: generated-routine\n    name: Generated routine\n    items:\n{items}\n"
    )
    return "schema: 1\nexercises:\n" + body + (routine if count else "")


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 10_000
    out = Path(argv[2]) if len(argv) > 2 else Path("big-catalogue.yaml")
    out.write_text(catalogue(count), encoding="utf-8")
    print(f"wrote {count} exercises to {out} ({out.stat().st_size / 1024 / 1024:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
