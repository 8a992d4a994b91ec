"""Lookup with did-you-mean, target matching and the filters behind `list`."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from stretchcoach.catalogue.lookup import (
    did_you_mean,
    filter_exercises,
    fits_equipment,
    fits_position,
    lookup,
    matches_search,
)
from stretchcoach.errors import UsageError
from stretchcoach.model import Catalogue, Exercise, Routine, RoutineItem

from conftest import make_exercise as exercise

CATALOGUE = Catalogue(
    exercises=MappingProxyType(
        {
            "chin-tuck": exercise("chin-tuck", muscles=("Deep neck flexors",), position="seated"),
            "doorway-pec-stretch": exercise(
                "doorway-pec-stretch",
                targets=("chest", "shoulders"),
                muscles=("pectoralis major",),
                position="standing",
                equipment=("Doorway",),
                steps=("Stand in a doorway with your forearms on the frame.",),
            ),
            "wall-angels": exercise(
                "wall-angels", targets=("upper-back",), kind="posture", equipment=("wall",)
            ),
            "foam-roll": exercise(
                "foam-roll",
                targets=("upper-back",),
                kind="release",
                position="floor",
                equipment=("foam-roller", "mat"),
            ),
        }
    ),
    routines=MappingProxyType(
        {
            "desk-break": Routine(
                id="desk-break", name="Desk break", items=(RoutineItem("chin-tuck"),)
            )
        }
    ),
)


def ids(found: list[Exercise]) -> list[str]:
    return [e.id for e in found]


def test_no_filters_keeps_everything_in_catalogue_order() -> None:
    assert ids(filter_exercises(CATALOGUE)) == [
        "chin-tuck", "doorway-pec-stretch", "wall-angels", "foam-roll",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (["upper-back"], ["wall-angels", "foam-roll"]),
        (["CHEST", "neck"], ["chin-tuck", "doorway-pec-stretch"]),
        (["pectoralis major"], ["doorway-pec-stretch"]),
        (["deep neck flexors"], ["chin-tuck"]),
        (["legs"], []),
    ],
)
def test_targets_match_any_area_or_muscle_in_any_case(
    targets: list[str], expected: list[str]
) -> None:
    assert ids(filter_exercises(CATALOGUE, targets=targets)) == expected


def test_position_any_fits_every_position() -> None:
    assert ids(filter_exercises(CATALOGUE, position="seated")) == ["chin-tuck", "wall-angels"]
    assert ids(filter_exercises(CATALOGUE, position="any")) == ids(filter_exercises(CATALOGUE))
    assert fits_position(CATALOGUE.exercises["wall-angels"], "floor")
    assert not fits_position(CATALOGUE.exercises["chin-tuck"], "floor")


def test_equipment_is_what_the_user_has() -> None:
    assert ids(filter_exercises(CATALOGUE, equipment=["none"])) == ["chin-tuck"]
    assert ids(filter_exercises(CATALOGUE, equipment=["WALL", "doorway"])) == [
        "chin-tuck", "doorway-pec-stretch", "wall-angels",
    ]  # fmt: skip
    assert not fits_equipment(CATALOGUE.exercises["foam-roll"], {"foam-roller"})
    assert fits_equipment(CATALOGUE.exercises["foam-roll"], {"foam-roller", "mat"})


def test_kind_and_search() -> None:
    assert ids(filter_exercises(CATALOGUE, kind="release")) == ["foam-roll"]
    assert ids(filter_exercises(CATALOGUE, search="FOREARMS")) == ["doorway-pec-stretch"]
    assert ids(filter_exercises(CATALOGUE, search="flexor")) == ["chin-tuck"]
    assert matches_search(CATALOGUE.exercises["wall-angels"], "angel")


@pytest.mark.parametrize(
    ("options", "message", "hint"),
    [
        ({"targets": ["upperback"]}, "unknown target 'upperback'", "did you mean 'upper-back'?"),
        ({"position": "seeted"}, "unknown position 'seeted'", "did you mean 'seated'?"),
        ({"kind": "strech"}, "unknown kind 'strech'", "did you mean 'stretch'?"),
        ({"kind": "zzz"}, "unknown kind 'zzz'", "see `stretchcoach list --help`"),
    ],
)
def test_unknown_filter_values_are_usage_errors(options: dict, message: str, hint: str) -> None:
    with pytest.raises(UsageError) as info:
        filter_exercises(CATALOGUE, **options)
    assert (info.value.message, info.value.hint, info.value.exit_code) == (message, hint, 2)


def test_lookup_prefers_routines_and_suggests() -> None:
    assert lookup(CATALOGUE, "desk-break").name == "Desk break"
    assert lookup(CATALOGUE, "chin-tuck").id == "chin-tuck"
    with pytest.raises(UsageError) as info:
        lookup(CATALOGUE, "chin-tuk")
    assert info.value.hint == "did you mean 'chin-tuck'?"
    assert did_you_mean("Wall-Angels", CATALOGUE.exercises) == "wall-angels"
