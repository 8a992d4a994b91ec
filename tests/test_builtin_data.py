"""The built-in catalogue: complete, sourced, timed as promised, and in our own words.

Issue 12's fidelity fixes are pinned one by one in tests/test_catalogue_v2.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml

from stretchcoach import durations
from stretchcoach.model import (
    AREAS,
    KINDS,
    POSITIONS,
    SIDES,
    WORKS,
    Catalogue,
    Dose,
    Exercise,
    Routine,
    RoutineItem,
    Source,
)
from stretchcoach.paths import Paths, builtin_data_dir
from stretchcoach.plan.compile import compile_routine

try:
    from stretchcoach.catalogue.loader import load
except ImportError:  # the loader is written in parallel; the raw checks below still apply
    load = None  # type: ignore[assignment]

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = (DATA / "exercises.yaml", DATA / "routines.yaml")
SAFETY = DATA / "safety.md"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# The five seed articles, and the publisher line every citation of each one uses.
SEED_ARTICLES = {
    "Upper Back and Neck Tightness from Desk Work? Effective Techniques and Stretches": (
        "Performance Care Stretch Clinic"
    ),
    "How To Relieve Upper Back And Neck Pain": (
        "Compilation page (22 April 2024) quoting Orthopaedic Specialty Group, Therapydia"
        " and others"
    ),
    "4 Upper Back Stretches You Can Do at Your Desk": (
        "Healthline (page text mixed with Hinge Health, Yoga Journal and mindbodygreen excerpts)"
    ),
    "How To Relieve Upper Back Tension": "Mark Moon, 30 July 2014",
    "Upper back pain exercises": (
        "Unsigned compilation citing MyHealth Alberta, Healthline, Mayo Clinic, Versus Arthritis,"
        " TODAY, Injurymap and Yorkville Sports Medicine"
    ),
}

REQUIRED_EXERCISES = [
    "upper-trapezius-stretch",
    "pec-stretch",
    "chin-tuck",
    "shoulder-blade-squeeze",
    "prone-upper-back-extension",
    "half-kneeling",
    "prone-scaption",
    "overhead-reach",
    "seated-chair-twist",
    "door-frame-back-rotation",
    "cross-body-shoulder-stretch",
    "arm-circles",
    "neck-half-circles",
    "shoulder-shrugs",
    "shoulder-rolls",
    "head-chest-stretch",
    "childs-pose",
    "cat-cow",
    "thread-the-needle",
    "extended-puppy-pose",
    "cobra",
    "chin-to-chest",
    "foam-roll-upper-back",
    "wall-push-up",
    "banded-seated-row",
    "two-minute-walk",
    # issue 12: the whole desk worker
    "wrist-flexor-stretch",
    "wrist-extensor-stretch",
    "prayer-stretch",
    "tendon-glides",
    "twenty-twenty-twenty",
    "focus-shift",
    "palming",
    "seated-figure-four",
    "standing-hip-flexor-stretch",
    "seated-hamstring-stretch",
    "standing-calf-stretch",
    "thoracic-extension-chair",
    "neck-rotation",
    "seated-pelvic-tilt",
    "calf-raises",
]
REQUIRED_ROUTINES = [
    "desk-break", "neck-relief", "posture-strength", "daily-15", "micro-break",
    "typing-reset", "eye-break", "meeting-minute", "standing-desk-break", "end-of-day",
]  # fmt: skip

EXERCISE_KEYS = {
    "id", "name", "kind", "targets", "muscles", "position", "equipment", "sides",
    "hold", "reps", "sets", "work", "between", "discreet", "steps", "cautions", "source",
}  # fmt: skip
SOURCE_KEYS = {"title", "publisher", "says", "url"}
ROUTINE_KEYS = {"id", "name", "summary", "prepare", "rest", "items"}
ITEM_KEYS = {"exercise", "hold", "reps", "sets", "sides", "between"}
EQUIPMENT = {
    "chair", "desk", "wall", "doorway", "foam-roller", "massage-ball", "band", "mat", "towel",
}  # fmt: skip
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def raw(path: Path) -> dict[str, Any]:
    """The file as plain strings, lists and dicts: no YAML 1.1 typing to hide mistakes."""
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(document, dict), f"{path.name}: expected a mapping at the top"
    return document


RAW_EXERCISES: list[dict[str, Any]] = raw(FILES[0])["exercises"]
RAW_ROUTINES: list[dict[str, Any]] = raw(FILES[1])["routines"]


def _count(value: str, what: str) -> int:
    assert value.isdigit() and int(value) > 0, f"{what}: expected a positive whole number"
    return int(value)


def _dose(entry: dict[str, Any], base: Dose | None = None) -> Dose:
    hold_text = entry.get("hold")
    between = entry.get("between")
    return Dose(
        hold=durations.parse(hold_text) if hold_text else base.hold,  # type: ignore[union-attr]
        reps=_count(entry["reps"], "reps") if "reps" in entry else (base.reps if base else 1),
        sets=_count(entry["sets"], "sets") if "sets" in entry else (base.sets if base else 1),
        sides=entry.get("sides", base.sides if base else "none"),
        hold_text=hold_text or "",
        work=base.work if base else entry.get("work", "hold"),
        between=durations.parse(between) if between else (base.between if base else 0),
    )


def build_from_yaml() -> Catalogue:
    """A Catalogue built straight from the YAML, for when the real loader is absent."""
    exercises = {
        e["id"]: Exercise(
            id=e["id"],
            name=e["name"],
            targets=tuple(e["targets"]),
            dose=_dose(e),
            kind=e.get("kind", "stretch"),
            muscles=tuple(e.get("muscles", ())),
            position=e.get("position", "any"),
            equipment=tuple(e.get("equipment", ())),
            steps=tuple(e.get("steps", ())),
            cautions=tuple(e.get("cautions", ())),
            sources=tuple(Source(**s) for s in e["source"]),
            discreet=e.get("discreet") == "true",
        )
        for e in RAW_EXERCISES
    }
    routines = {}
    for r in RAW_ROUTINES:
        items = []
        for item in r["items"]:
            hold = item.get("hold")
            between = item.get("between")
            items.append(
                RoutineItem(
                    exercise=item["exercise"],
                    hold=durations.parse(hold) if hold else None,
                    hold_text=hold,
                    reps=_count(item["reps"], "reps") if "reps" in item else None,
                    sets=_count(item["sets"], "sets") if "sets" in item else None,
                    sides=item.get("sides"),
                    between=durations.parse(between) if between else None,
                )
            )
        routines[r["id"]] = Routine(
            id=r["id"],
            name=r["name"],
            items=tuple(items),
            summary=r.get("summary", ""),
            prepare=durations.parse(r.get("prepare", "5")),
            rest=durations.parse(r.get("rest", "10")),
        )
    return Catalogue(exercises=MappingProxyType(exercises), routines=MappingProxyType(routines))


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    # The real loader reads the installed copy of data/; use it only when that is this data/.
    if load is not None and builtin_data_dir().resolve() == DATA.resolve():
        home = tmp_path_factory.mktemp("home")
        paths = Paths(config_dir=home, data_dir=home, cache_dir=home / "cache")
        return load(paths, include_user=False, use_cache=False)
    return build_from_yaml()


def seconds(catalogue: Catalogue, routine_id: str) -> int:
    return compile_routine(catalogue.routines[routine_id], catalogue).total_seconds


# --- The raw files: schema 1, known keys and values only ----------------------------------


def test_both_files_declare_schema_1():
    assert [raw(path)["schema"] for path in FILES] == ["1", "1"]
    assert set(raw(FILES[0])) == {"schema", "exercises"}
    assert set(raw(FILES[1])) == {"schema", "routines"}


@pytest.mark.parametrize("entry", RAW_EXERCISES, ids=lambda e: e.get("id", "?"))
def test_exercise_uses_only_schema_keys_and_values(entry: dict[str, Any]):
    assert set(entry) <= EXERCISE_KEYS
    assert {"id", "name", "targets", "hold", "source"} <= set(entry)
    assert SLUG.fullmatch(entry["id"])
    assert entry.get("kind", "stretch") in KINDS
    assert entry.get("position", "any") in POSITIONS
    assert entry.get("sides", "none") in SIDES
    assert entry["targets"] and set(entry["targets"]) <= set(AREAS)
    assert set(entry.get("equipment", [])) <= EQUIPMENT
    assert durations.parse(entry["hold"]) > 0
    assert entry.get("work", "hold") in WORKS
    assert entry.get("discreet", "false") in ("true", "false")
    if "between" in entry:
        assert durations.parse(entry["between"]) > 0
    for key in ("reps", "sets"):
        if key in entry:
            _count(entry[key], key)
    assert entry.get("steps") and entry.get("cautions"), "every exercise has steps and cautions"
    for source in entry["source"]:
        assert {"title", "publisher", "says"} <= set(source) <= SOURCE_KEYS
        if source["title"] not in SEED_ARTICLES:  # a public page: cited with its address
            assert re.fullmatch(r"https?://\S+", source.get("url", "")), source["title"]


@pytest.mark.parametrize("entry", RAW_ROUTINES, ids=lambda r: r.get("id", "?"))
def test_routine_uses_only_schema_keys_and_values(entry: dict[str, Any]):
    assert set(entry) <= ROUTINE_KEYS
    assert SLUG.fullmatch(entry["id"]) and entry["name"] and entry["items"]
    for key in ("prepare", "rest"):
        durations.parse(entry[key])
    for item in entry["items"]:
        assert set(item) <= ITEM_KEYS and "exercise" in item
        if "hold" in item:
            assert durations.parse(item["hold"]) > 0
        if "between" in item:
            assert durations.parse(item["between"]) >= 0
        assert item.get("sides", "none") in SIDES


def test_ids_are_unique_across_exercises_and_routines():
    ids = [e["id"] for e in RAW_EXERCISES] + [r["id"] for r in RAW_ROUTINES]
    assert len(ids) == len(set(ids))


# --- The loaded catalogue -------------------------------------------------------------------


def test_the_catalogue_is_big_enough(catalogue: Catalogue):
    assert len(catalogue.exercises) >= 75
    assert len(catalogue.routines) >= 12


@pytest.mark.parametrize("area", AREAS)
def test_every_area_has_at_least_four_exercises(catalogue: Catalogue, area: str):
    assert sum(area in e.targets for e in catalogue.exercises.values()) >= 4


def test_at_least_twelve_exercises_are_discreet(catalogue: Catalogue):
    assert sum(e.discreet for e in catalogue.exercises.values()) >= 12


@pytest.mark.parametrize("exercise_id", REQUIRED_EXERCISES)
def test_required_exercise_exists(catalogue: Catalogue, exercise_id: str):
    assert exercise_id in catalogue.exercises


@pytest.mark.parametrize("routine_id", REQUIRED_ROUTINES)
def test_required_routine_exists(catalogue: Catalogue, routine_id: str):
    assert routine_id in catalogue.routines


def test_every_citation_names_its_publisher_and_what_it_says(catalogue: Catalogue):
    for exercise in catalogue.exercises.values():
        assert exercise.sources, exercise.id
        for source in exercise.sources:
            if source.title in SEED_ARTICLES:
                assert source.publisher == SEED_ARTICLES[source.title], (exercise.id, source.title)
                assert source.url is None, exercise.id
            else:
                assert source.publisher.strip() and source.url, (exercise.id, source.title)
            assert source.says.strip(), exercise.id


# Exercises for the neck or upper back that no article describes; each cites a public page.
NOT_IN_THE_ARTICLES = {"wall-angels"}  # its citation of article 002 was wrong (issue 12)


def test_the_five_articles_stay_the_source_for_the_neck_and_upper_back(catalogue: Catalogue):
    for exercise in catalogue.exercises.values():
        if exercise.id in NOT_IN_THE_ARTICLES:
            continue
        if {"neck", "upper-back"} & set(exercise.targets):
            assert any(s.title in SEED_ARTICLES for s in exercise.sources), exercise.id


def test_every_routine_item_resolves_and_compiles(catalogue: Catalogue):
    for routine in catalogue.routines.values():
        for item in routine.items:
            assert item.exercise in catalogue.exercises, (routine.id, item.exercise)
        assert compile_routine(routine, catalogue).total_seconds > 0


@pytest.mark.parametrize(
    ("routine_id", "low", "high"),
    [
        ("desk-break", 4 * 60 + 30, 5 * 60 + 30),
        ("daily-15", 14 * 60, 16 * 60),
        ("micro-break", 60 + 45, 2 * 60 + 30),
        ("desk-reset", 60 + 45, 2 * 60 + 15),
        ("typing-reset", 3 * 60 + 30, 4 * 60 + 30),
        ("eye-break", 60 + 45, 2 * 60 + 30),
        ("meeting-minute", 55, 75),
        ("standing-desk-break", 4 * 60, 5 * 60),
        ("end-of-day", 4 * 60 + 30, 5 * 60 + 30),
    ],
)
def test_routine_lasts_what_its_name_promises(
    catalogue: Catalogue, routine_id: str, low: int, high: int
):
    assert low <= seconds(catalogue, routine_id) <= high


def test_desk_break_is_seated_and_covers_neck_upper_back_and_chest(catalogue: Catalogue):
    exercises = [catalogue.exercises[i.exercise] for i in catalogue.routines["desk-break"].items]
    assert {e.position for e in exercises} == {"seated"}
    assert {"neck", "upper-back", "chest"} <= {t for e in exercises for t in e.targets}


# Doses the articles state outright: (id, hold seconds, reps, sets, sides).
ARTICLE_DOSES = [
    ("upper-trapezius-stretch", 2, 10, 1, "each"),  # 000: AIS, 2 s x 10 each side
    ("pec-stretch", 2, 10, 1, "each"),  # 000: AIS, 2 s x 10 each side
    ("half-kneeling", 30, 3, 1, "each"),  # 001: 30 s, 3 times on both legs
    ("half-kneeling-reach", 30, 3, 1, "each"),  # 001: the same, arm raised
    ("cross-body-shoulder-stretch", 30, 1, 1, "each"),  # 001: half a minute each arm
    ("door-frame-back-rotation", 10, 1, 1, "each"),  # 001: about 10 s each way
    ("shoulder-shrugs", 2, 10, 3, "none"),  # 001: a couple of seconds, 3 sets of 10
    ("overhead-reach", 5, 3, 1, "none"),  # 001: count to 5 (3 reps: 004's 15-30 s rule)
    ("chin-tuck", 3, 10, 1, "none"),  # SIRA NSW: 10 retractions every hour of sitting
    ("wall-angels", 5, 10, 1, "none"),  # Elevate PT: 10 reps, 2-3 s hold at the bottom
    ("banded-seated-row", 5, 10, 1, "none"),  # 003: 1/3/1/0 tempo
    ("two-minute-walk", 120, 1, 1, "none"),  # 003: 2 minutes every hour
]


@pytest.mark.parametrize(("exercise_id", "hold", "reps", "sets", "sides"), ARTICLE_DOSES)
def test_dose_is_the_one_the_article_gives(
    catalogue: Catalogue, exercise_id: str, hold: int, reps: int, sets: int, sides: str
):
    dose = catalogue.exercises[exercise_id].dose
    assert (dose.hold, dose.reps, dose.sets, dose.sides) == (hold, reps, sets, sides)


def test_general_rules_named_in_says_are_the_rules_applied(catalogue: Catalogue):
    # Where a citation of article 004 names one of its rules, the dose must keep to it.
    for exercise in catalogue.exercises.values():
        says = " ".join(s.says for s in exercise.sources if s.title == "Upper back pain exercises")
        dose = exercise.dose
        per_side = dose.hold * dose.reps * dose.sets
        if "15-30 s" in says:
            assert 15 <= per_side <= 30, exercise.id
        if "8-12 reps" in says:
            assert 8 <= dose.reps <= 12, exercise.id
        if "30-60 s" in says:
            assert 30 <= dose.work_seconds <= 60, exercise.id


# --- Our own words --------------------------------------------------------------------------

WINDOW = 6


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def windows(text: str) -> Iterator[tuple[str, ...]]:
    found = words(text)
    for start in range(len(found) - WINDOW + 1):
        yield tuple(found[start : start + WINDOW])


def strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string scalar in a YAML tree: (where, text)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("id", index) if isinstance(value, dict) else index
            yield from strings(value, f"{where}[{label}]")
    elif isinstance(node, str):
        yield where, node


def our_texts() -> Iterator[tuple[str, str]]:
    """Every string in data/ - steps, cautions, summaries, citations, safety notes - with the
    seed articles' own titles taken out: a title is a name, quoted on purpose."""
    found = [(where, text) for path in FILES for where, text in strings(raw(path), path.name)]
    found.append(("safety.md", SAFETY.read_text(encoding="utf-8")))
    for where, text in found:
        for title in SEED_ARTICLES:
            text = text.replace(title, " ")
        yield where, text


def test_every_string_in_data_is_looked_at():
    texts = dict(our_texts())
    assert any(".source[0].says" in where for where in texts)
    assert any(where.endswith(".publisher") for where in texts)
    assert any(".steps[" in where for where in texts) and "safety.md" in texts


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles (../shared/seeds) are absent")
def test_no_six_word_run_is_copied_from_the_seed_articles():
    seen: set[tuple[str, ...]] = set()
    for article in sorted(SEEDS.glob("*.txt")):
        seen.update(windows(article.read_text(encoding="utf-8")))
    assert seen, "no seed articles found"
    copied = [
        (where, " ".join(w)) for where, text in our_texts() for w in windows(text) if w in seen
    ]
    assert copied == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles (../shared/seeds) are absent")
def test_cited_titles_are_the_seed_titles():
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    assert [title for title in SEED_ARTICLES if title not in readme] == []


# --- Safety notes ---------------------------------------------------------------------------


def test_safety_notes_carry_every_point_and_read_well_in_a_terminal():
    text = SAFETY.read_text(encoding="utf-8")
    lowered = " ".join(text.lower().split())
    for point in (
        "health professional",
        "pain, tingling or numbness",
        "about a month",
        "fever",
        "bowel or bladder",
        "weakness that keeps getting worse",
        "sudden loss of feeling",
        "groin",
        "weight loss",
        "stretchcoach show id",
    ):
        assert point in lowered, point
    lines = text.splitlines()
    # a web address cannot be wrapped: it stands alone on its line
    assert [ln for ln in lines if len(ln) > 72 and not re.fullmatch(r" +https?://\S+", ln)] == []
    assert not any(line.lstrip().startswith(("|", "#", "```")) for line in lines)


@pytest.mark.skipif(load is None, reason="stretchcoach.catalogue is not written yet")
def test_the_fallback_builder_reads_the_files_as_the_loader_does(catalogue: Catalogue):
    built = build_from_yaml()
    assert {k: (e.dose, e.sources, e.steps) for k, e in built.exercises.items()} == {
        k: (e.dose, e.sources, e.steps) for k, e in catalogue.exercises.items()
    }
    assert {k: seconds(built, k) for k in built.routines} == {
        k: seconds(catalogue, k) for k in catalogue.routines
    }
