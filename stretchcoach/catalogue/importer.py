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
# Read in this order: "lie on your back ... then stand" is a floor exercise. "On the floor"
# alone says where the feet, hands or a weight are ("sit in a chair, feet on the floor"): it
# means the floor position only when the body is put there ("sit upright on the floor").
_ON_THE_FLOOR = (
    r"(?:sit|sitting|seated|seat yourself|position yourself|position your body)"
    r"(?: \w+){0,3} on (?:the|a|an)(?: exercise)? (?:floor|ground|mat)"
)
POSITION_WORDS = (
    (
        "floor",
        re.compile(rf"\b(lie|lying|lay|face down|on your back|prone|supine|{_ON_THE_FLOOR})\b"),
    ),
    ("kneeling", re.compile(r"\b(kneel|kneeling|on all fours|hands and knees)\b")),
    ("seated", re.compile(r"\b(sit|sitting|seated)\b")),
    ("standing", re.compile(r"\b(stand|standing)\b")),
)
EACH_SIDE = re.compile(r"\b(other side|opposite side|each side|switch sides|other leg|other arm)\b")
# Numbers of at most four digits, starting where a number starts, one optional space each
# side of "-"/"to" (the text is whitespace-collapsed): no backtracking over a long run of
# digits, which made the old patterns cubic (2,000 digits took minutes).
SECONDS = re.compile(r"(?<!\d)(\d{1,4}) ?(?:(?:-|to|or) ?(\d{1,4}) ?)?(?:seconds|secs|sec)\b")
REPS = re.compile(r"(?<!\d)(\d{1,4}) ?(?:(?:-|to) ?(\d{1,4}) ?)?(?:repetitions|reps)\b")
# Where a record's category or equipment means gear a desk worker does not have to hand:
# named as equipment, so a default (chair, desk, wall) session never picks the exercise.
GEAR_BY_CATEGORY = {"strongman": "strongman-gear", "plyometrics": "room-to-jump"}
# Categories whose characters draw nothing or act on a terminal: dropped from imported text.
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs"))
TEXT_FIELDS = ("category", "equipment")
LIST_FIELDS = ("primaryMuscles", "secondaryMuscles", "instructions")

# Records converted into one catalogue file: each becomes at least 400 bytes of YAML, and
# the file must stay under the 8 MiB catalogue cap (free-exercise-db has 873).
MAX_RECORDS = 20_000
STATIC_HOLD = (15, 30)  # article 004: hold stretches 15–30 s
STRENGTH_REPS = (8, 12)  # article 004: 8–12 repetitions per exercise
REP_SECONDS = 3  # one controlled repetition


def parse_json(text: str, name: str) -> list[Mapping[str, Any]]:
    """The records of a free-exercise-db JSON file; UsageError naming the file if it is not one."""
    hint = f"import reads the {FORMAT} format: a JSON list of exercise records"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}", hint=hint
        ) from None
    except RecursionError:
        raise UsageError(f"{name}: not valid JSON: nested too deeply", hint=hint) from None
    except ValueError as error:  # a number too long to convert, say
        raise UsageError(f"{name}: not valid JSON: {error}", hint=hint) from None
    if not isinstance(data, list):
        raise UsageError(f"{name}: expected a JSON list of exercise records", hint=hint)
    if len(data) > MAX_RECORDS:
        raise UsageError(
            f"{name}: {len(data):,} records, more than the {MAX_RECORDS:,} one catalogue file "
            "holds",
            hint="split the JSON file and import each part with --output",
        )
    for index, record in enumerate(data):
        _check_record(record, f"{name}: record {index + 1}")
    return data


def _check_record(record: object, where: str) -> None:
    """UsageError naming the record and the field unless `record` has the types we read."""
    if not isinstance(record, dict):
        raise UsageError(f"{where} must be a JSON object, not {_json_type(record)}")
    title = record.get("name")
    if not isinstance(title, str) or not clean(title):
        raise UsageError(f"{where} has no name")
    where = f"{where} ({clean(title)[:40]!r})"
    for field in TEXT_FIELDS:
        if record.get(field) is not None and not isinstance(record[field], str):
            raise UsageError(
                f"{where}: {field} must be text, not {_json_type(record[field])}",
                hint=f'write e.g. "{field}": "body only"',
            )
    for field in LIST_FIELDS:
        value = record.get(field)
        if value is None:
            continue
        if not isinstance(value, list):
            raise UsageError(
                f"{where}: {field} must be a list of text, not {_json_type(value)}",
                hint=f'write e.g. "{field}": ["..."]',
            )
        for item in value:
            if not isinstance(item, str):
                raise UsageError(
                    f"{where}: each of {field} must be text, not {_json_type(item)}",
                    hint=f'write e.g. "{field}": ["..."]',
                )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


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
    name = clean(record["name"])
    steps = [clean(s) for s in record.get("instructions") or [] if clean(s)]
    text = " ".join(steps).lower()
    category = str(record.get("category") or "")
    equipment = str(record.get("equipment") or "body only")
    kind = KIND_BY_CATEGORY.get(category, "mobility")
    if equipment == "foam roll":
        kind = "release"
    muscles = [clean(m) for m in (record.get("primaryMuscles") or [])]
    muscles += [clean(m) for m in (record.get("secondaryMuscles") or []) if m not in muscles]
    targets: list[str] = []
    for muscle in muscles:
        for area in MUSCLE_AREAS.get(muscle, ()):
            if area not in targets:
                targets.append(area)
    hold, reps, says = _dose(kind, text)
    gear = _equipment(equipment)
    extra = GEAR_BY_CATEGORY.get(category)
    if extra and extra not in gear:
        gear.append(extra)
    out: dict[str, Any] = {
        "id": _unique(_slug(name), taken),
        "name": name,
        "kind": kind,
        "targets": targets or ["full-body"],
        "muscles": muscles,
        "position": next((p for p, rx in POSITION_WORDS if rx.search(text)), "any"),
        "equipment": gear,
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
    # "other" is gear the record does not name: still gear, so kept as equipment.
    return [_slug(value)] if value else []


def clean(value: object) -> str:
    text = str(value)
    if not text.isprintable():
        import unicodedata

        text = "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in text)
    return " ".join(text.split())


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "exercise"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate
