"""plan.py: routines compile into an exact timeline of phases."""

from __future__ import annotations

import pytest

from stretchcoach.errors import UsageError
from stretchcoach.model import (
    SWITCH_SECONDS,
    Dose,
    PhaseKind,
    Routine,
    RoutineItem,
)
from stretchcoach.plan.compile import compile_routine, single_exercise_routine
from stretchcoach.plan.compile import phases_seconds as item_seconds

from conftest import catalogue_of as catalogue
from conftest import make_exercise as exercise


def shape(plan):  # compact, readable form of a timeline
    return [(p.kind.value, p.item, p.seconds, p.side, p.rep, p.set) for p in plan.phases]


def test_each_side_puts_a_switch_between_left_and_right():
    ex = exercise("trap", hold=2, reps=2, sides="each")
    plan = compile_routine(single_exercise_routine(ex), catalogue(ex), prepare=3, rest=0)
    assert shape(plan) == [
        ("prepare", 0, 3, "left", 0, 0),
        ("work", 0, 2, "left", 1, 1),
        ("work", 0, 2, "left", 2, 1),
        ("switch", 0, SWITCH_SECONDS, "right", 0, 1),
        ("work", 0, 2, "right", 1, 1),
        ("work", 0, 2, "right", 2, 1),
    ]
    assert plan.total_seconds == 3 + 4 + SWITCH_SECONDS + 4


def test_alternate_takes_turns_without_switch_phases():
    ex = exercise("rot", hold=3, reps=2, sides="alternate")
    plan = compile_routine(single_exercise_routine(ex), catalogue(ex), prepare=0, rest=0)
    assert shape(plan) == [
        ("work", 0, 3, "left", 1, 1),
        ("work", 0, 3, "right", 1, 1),
        ("work", 0, 3, "left", 2, 1),
        ("work", 0, 3, "right", 2, 1),
    ]


def test_rest_between_sets_and_between_exercises_but_not_at_the_end():
    a = exercise("a", hold=5, reps=1, sets=2)
    b = exercise("b", hold=4)
    routine = Routine(
        id="r", name="R", items=(RoutineItem("a"), RoutineItem("b")), prepare=2, rest=7
    )
    plan = compile_routine(routine, catalogue(a, b))
    assert shape(plan) == [
        ("prepare", 0, 2, None, 0, 0),
        ("work", 0, 5, None, 1, 1),
        ("rest", 0, 7, None, 0, 2),
        ("work", 0, 5, None, 1, 2),
        ("rest", 1, 7, None, 0, 0),
        ("prepare", 1, 2, None, 0, 0),
        ("work", 1, 4, None, 1, 1),
    ]
    assert plan.total_seconds == 2 + 5 + 7 + 5 + 7 + 2 + 4
    assert plan.routine_id == "r" and plan.title == "R"


def test_item_overrides_replace_the_exercise_dose():
    ex = exercise("a", hold=30, reps=1, sides="each")
    routine = Routine(id="r", name="R", items=(RoutineItem("a", hold=20, reps=2, sides="none"),))
    plan = compile_routine(routine, catalogue(ex), prepare=0, rest=0)
    assert plan.items[0].dose == Dose(hold=20, reps=2, sets=1, sides="none")
    assert [p.seconds for p in plan.phases] == [20, 20]


def test_zero_prepare_and_rest_leave_only_work():
    ex = exercise("a", hold=1, reps=3)
    plan = compile_routine(single_exercise_routine(ex), catalogue(ex), prepare=0, rest=0)
    assert {p.kind for p in plan.phases} == {PhaseKind.WORK}
    assert plan.total_seconds == 3


def test_item_seconds_matches_the_compiled_item():
    dose = Dose(hold=10, reps=3, sets=2, sides="each")
    ex = exercise("a", hold=10, reps=3, sets=2, sides="each")
    plan = compile_routine(single_exercise_routine(ex), catalogue(ex), prepare=5, rest=10)
    assert item_seconds(dose, 5, 10) == plan.total_seconds == 5 + 2 * (30 + 5 + 30) + 10


def test_unknown_exercise_is_a_usage_error():
    routine = Routine(id="r", name="R", items=(RoutineItem("ghost"),))
    with pytest.raises(UsageError, match="unknown exercise 'ghost'"):
        compile_routine(routine, catalogue())


def test_between_puts_a_relax_phase_between_reps_on_each_side():
    ex = exercise("ais", hold=2, reps=3, sides="each", work="reps", between=2)
    plan = compile_routine(single_exercise_routine(ex), catalogue(ex), prepare=0, rest=0)
    assert shape(plan) == [
        ("work", 0, 2, "left", 1, 1),
        ("relax", 0, 2, "left", 2, 1),
        ("work", 0, 2, "left", 2, 1),
        ("relax", 0, 2, "left", 3, 1),
        ("work", 0, 2, "left", 3, 1),
        ("switch", 0, SWITCH_SECONDS, "right", 0, 1),
        ("work", 0, 2, "right", 1, 1),
        ("relax", 0, 2, "right", 2, 1),
        ("work", 0, 2, "right", 2, 1),
        ("relax", 0, 2, "right", 3, 1),
        ("work", 0, 2, "right", 3, 1),
    ]


def test_between_on_alternate_sides_comes_once_per_pair_and_never_after_the_last_rep():
    ex = exercise("alt", hold=3, reps=2, sides="alternate", between=1)
    plan = compile_routine(single_exercise_routine(ex), catalogue(ex), prepare=0, rest=0)
    assert shape(plan) == [
        ("work", 0, 3, "left", 1, 1),
        ("work", 0, 3, "right", 1, 1),
        ("relax", 0, 1, "left", 2, 1),
        ("work", 0, 3, "left", 2, 1),
        ("work", 0, 3, "right", 2, 1),
    ]


def test_a_routine_item_overrides_between_and_keeps_the_kind_of_work():
    ex = exercise("hk", hold=30, reps=3, work="hold", between=0)
    item = RoutineItem("hk", between=10)
    assert item.dose_for(ex) == Dose(hold=30, reps=3, work="hold", between=10)
    assert RoutineItem("hk").dose_for(ex).between == 0


@pytest.mark.parametrize("sides", ["none", "each", "alternate"])
@pytest.mark.parametrize("between", [0, 1, 3])
@pytest.mark.parametrize(("reps", "sets"), [(1, 1), (2, 1), (3, 2), (10, 3)])
@pytest.mark.parametrize(("prepare", "rest"), [(0, 0), (1, 1), (5, 10), (0, 7)])
def test_arithmetic_item_seconds_agrees_with_the_compiled_phases(
    sides, between, reps, sets, prepare, rest
):
    from stretchcoach.model import item_seconds as arithmetic

    dose = Dose(hold=4, reps=reps, sets=sets, sides=sides, between=between)
    assert arithmetic(dose, prepare, rest) == item_seconds(dose, prepare, rest)
