"""Third-party exercise lists -> schema-1 catalogue YAML for the user's catalogue folder.

Supported: the free-exercise-db JSON format (a list of records with name, category, equipment,
primaryMuscles, secondaryMuscles, instructions). The dataset gives no hold times, reps or sides,
so the importer fills the dose by rule and says so in each exercise's `source`:
static stretches hold 15–30 s and strengthening moves take 8–12 reps (article 004, "Upper back
pain exercises"), unless the instructions themselves name a hold or a rep count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from stretchcoach.errors import UsageError

FORMAT = "free-exercise-db"

# free-exercise-db muscles -> our body areas (model.AREAS)
MUSCLE_AREAS: Mapping[str, tuple[str, ...]] = {
    "neck": ("neck",),
    "traps": ("upper-back", "neck"),
    "middle back": ("upper-back",),
    "lats": ("upper-back",),
    "lower back": ("lower-back",),
    "shoulders": ("shoulders",),
    "chest": ("chest",),
    "abdominals": ("core",),
    "biceps": ("arms",),
    "triceps": ("arms",),
    "forearms": ("arms", "wrists"),
    "glutes": ("hips",),
    "abductors": ("hips", "legs"),
    "adductors": ("hips", "legs"),
    "quadriceps": ("legs",),
    "hamstrings": ("legs",),
    "calves": ("legs",),
}
EQUIPMENT = {
    "body only": None,
    "foam roll": "foam-roller",
    "bands": "band",
    "exercise ball": "exercise-ball",
    "medicine ball": "medicine-ball",
    "e-z curl bar": "ez-bar",
    "kettlebells": "kettlebell",
}
KIND_BY_CATEGORY = {
    "stretching": "stretch",
    "strength": "strength",
    "powerlifting": "strength",
    "olympic weightlifting": "strength",
    "strongman": "strength",
    "plyometrics": "mobility",
    "cardio": "mobility",
}
# Read in this order: "lie on your back ... then stand" is a floor exercise.
POSITION_WORDS = (
    ("floor", re.compile(r"\b(lie|lying|lay|face down|on your back|on the floor|prone|supine)\b")),
    ("kneeling", re.compile(r"\b(kneel|kneeling|on all fours|hands and knees)\b")),
    ("seated", re.compile(r"\b(sit|sitting|seated)\b")),
    ("standing", re.compile(r"\b(stand|standing)\b")),
)
EACH_SIDE = re.compile(r"\b(other side|opposite side|each side|switch sides|other leg|other arm)\b")
SECONDS = re.compile(r"(\d+)\s*(?:-|to|or)?\s*(\d+)?\s*(?:seconds|secs|sec)\b")
REPS = re.compile(r"(\d+)\s*(?:-|to)?\s*(\d+)?\s*(?:repetitions|reps)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

STATIC_HOLD = (15, 30)  # article 004: hold stretches 15–30 s
STRENGTH_REPS = (8, 12)  # article 004: 8–12 repetitions per exercise
REP_SECONDS = 3  # one controlled repetition


def parse_json(text: str, name: str) -> list[Mapping[str, Any]]:
    """The records of a free-exercise-db JSON file; UsageError naming the file if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}",
            hint=f"import reads the {FORMAT} format: a JSON list of exercise records",
        ) from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UsageError(
            f"{name}: expected a JSON list of exercise records",
            hint=f"import reads the {FORMAT} format",
        )
    for index, record in enumerate(data):
        if not isinstance(record.get("name"), str) or not record["name"].strip():
            raise UsageError(f"{name}: record {index + 1} has no name")
    return data


PUBLISHER = "yuhonas/free-exercise-db (public domain, Unlicense)"


def convert(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Schema-1 exercise mappings for `records`, ids unique, dose filled by rule."""
    taken: set[str] = set()
    return [_exercise(record, taken) for record in records]


def to_yaml(exercises: Iterable[Mapping[str, Any]], *, note: str) -> str:
    """A schema-1 catalogue file holding `exercises`, with a comment saying where it came from."""
    body = yaml.safe_dump(
        {"schema": 1, "exercises": list(exercises)},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return f"# {note}\n{body}"


def _exercise(record: Mapping[str, Any], taken: set[str]) -> dict[str, Any]:
    name = _clean(record["name"])
    steps = [_clean(s) for s in record.get("instructions") or [] if _clean(s)]
    text = " ".join(steps).lower()
    category = str(record.get("category") or "")
    equipment = str(record.get("equipment") or "body only")
    kind = KIND_BY_CATEGORY.get(category, "mobility")
    if equipment == "foam roll":
        kind = "release"
    muscles = [_clean(m) for m in (record.get("primaryMuscles") or [])]
    muscles += [_clean(m) for m in (record.get("secondaryMuscles") or []) if m not in muscles]
    targets: list[str] = []
    for muscle in muscles:
        for area in MUSCLE_AREAS.get(muscle, ()):
            if area not in targets:
                targets.append(area)
    hold, reps, says = _dose(kind, text)
    out: dict[str, Any] = {
        "id": _unique(_slug(name), taken),
        "name": name,
        "kind": kind,
        "targets": targets or ["full-body"],
        "muscles": muscles,
        "position": next((p for p, rx in POSITION_WORDS if rx.search(text)), "any"),
        "equipment": _equipment(equipment),
        "sides": "each" if EACH_SIDE.search(text) else "none",
        "hold": f"{hold}s",
        "reps": reps,
        "steps": steps or [f"Perform the {name.lower()} as you learned it."],
        "source": [{"title": FORMAT, "publisher": PUBLISHER, "says": says}],
    }
    return out


def _dose(kind: str, text: str) -> tuple[int, int, str]:
    """Hold seconds, reps and the `says` line: the record's own numbers when it gives them."""
    if kind in ("stretch", "release"):
        if m := SECONDS.search(text):
            upper = int(m.group(2) or m.group(1))
            hold = min(max(upper, STATIC_HOLD[0]), STATIC_HOLD[1])
            return hold, 1, f"instructions say {m.group(0)}; held {hold} s (15–30 s, article 004)"
        if m := REPS.search(text):  # a dynamic stretch given as repetitions
            reps = min(max(int(m.group(2) or m.group(1)), STRENGTH_REPS[0]), STRENGTH_REPS[1])
            return (
                REP_SECONDS,
                reps,
                f"instructions say {m.group(0)}; {reps} reps of {REP_SECONDS} s",
            )
        return STATIC_HOLD[1], 1, "no dose given; hold 15–30 s, the general rule in article 004"
    if m := REPS.search(text):
        reps = min(max(int(m.group(2) or m.group(1)), STRENGTH_REPS[0]), STRENGTH_REPS[1])
        return REP_SECONDS, reps, f"instructions say {m.group(0)}; {reps} reps (8–12, article 004)"
    reps = 10
    return REP_SECONDS, reps, "no dose given; 8–12 reps, the general rule in article 004"


def _equipment(value: str) -> list[str]:
    if value in EQUIPMENT:
        mapped = EQUIPMENT[value]
        return [mapped] if mapped else []
    return [_slug(value)] if value and value != "other" else []


def _clean(value: object) -> str:
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "exercise"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate
