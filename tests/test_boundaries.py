"""Boundaries the mutation job found unpinned, one exact test each (see CONTRIBUTING.md);
the session runner's are in test_runner_edges.py.

Each test names the edge it holds: a comparison that could be off by one, a default that could
change, an order that a dict comparison would not notice.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from stretchcoach.catalogue.lookup import did_you_mean, filter_exercises, lookup
from stretchcoach.durations import EXAMPLES, MAX_SECONDS, DurationError, format_seconds, parse
from stretchcoach.errors import UsageError
from stretchcoach.history.stats import (
    Digest,
    minutes_by_day,
    minutes_by_target,
    summarize,
    week_minutes,
)
from stretchcoach.model import (
    Dose,
    Exercise,
    Phase,
    PhaseKind,
    PlanItem,
    Routine,
    RoutineItem,
)
from stretchcoach.plan import dosing
from stretchcoach.plan.compile import compile_items, compile_routine, single_exercise_routine
from stretchcoach.render.catalogue import list_rows, narrow_rows

from conftest import catalogue_of, make_exercise

UTC = dt.timezone.utc
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30: 20:00 UTC is already tomorrow there
TILT = make_exercise("tilt", hold=2, reps=2, sides="each")
TUCK = make_exercise("tuck", hold=3)
ROLL = make_exercise("roll", hold=1)


# --- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59, "59s"), (59.4, "59s"), (59.6, "1m"), (60, "1m"), (61, "1m1s"),
     (3599, "59m59s"), (3600, "1h"), (3601, "1h1s"), (3660, "1h1m")],
)  # fmt: skip
def test_format_seconds_switches_to_minutes_at_sixty(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "a duration cannot be negative: -1"),
        ("a5", "'a5' is not a duration; write " + EXAMPLES),
        ("²", "'²' is not a duration; write " + EXAMPLES),
    ],
)
def test_more_refusals_word_for_word(value: str | int, message: str) -> None:
    with pytest.raises(DurationError) as info:
        parse(value)
    assert str(info.value) == message


def test_the_one_day_cap_takes_a_day_and_refuses_a_second_more() -> None:
    assert MAX_SECONDS == 86_400
    assert parse(MAX_SECONDS) == parse("24h") == parse("24:00:00") == MAX_SECONDS
    assert parse(MAX_SECONDS - 1) == parse("23:59:59") == MAX_SECONDS - 1
    with pytest.raises(DurationError) as info:
        parse(MAX_SECONDS + 1)
    assert str(info.value) == "86401 is longer than a day; write a shorter duration"
    with pytest.raises(DurationError) as info:
        parse("24:00:01")
    assert str(info.value) == "'24:00:01' is longer than a day; write a shorter duration"


# --- lookup ---------------------------------------------------------------------------------


def test_a_case_slip_beats_a_closer_spelling() -> None:
    assert did_you_mean("UPPER-BACK", ["upper-bac", "Upper-Back"]) == "Upper-Back"


def test_a_unique_substring_is_suggested_when_nothing_is_close() -> None:
    assert did_you_mean("blade", ["shoulder-blade-squeeze", "chin-tuck"]) == (
        "shoulder-blade-squeeze"
    )
    assert did_you_mean("blade", ["shoulder-blade-squeeze", "blade-rows-with-a-band"]) is None


SHELF = catalogue_of(
    make_exercise("doorway-lean", equipment=("doorway",), position="standing"),
    make_exercise("wall-slide", equipment=("wall",), position="standing"),
    make_exercise("odd", equipment=("none",)),  # a user's file may name "none" as a thing
)


def test_without_a_suggestion_the_hint_names_the_listing() -> None:
    cases = [
        (lambda: lookup(SHELF, "zzz"), "unknown routine or exercise 'zzz'",
         "see `stretchcoach routines`"),
        (lambda: filter_exercises(SHELF, targets=["zzz"]), "unknown target 'zzz'",
         "see `stretchcoach list`"),
        (lambda: filter_exercises(SHELF, position="zzz"), "unknown position 'zzz'",
         "see `stretchcoach list --help`"),
    ]  # fmt: skip
    for call, message, hint in cases:
        with pytest.raises(UsageError) as info:
            call()
        assert (info.value.message, info.value.hint) == (message, hint)


def test_no_filter_is_every_exercise_in_order_and_the_narrow_rows_are_the_wide_ones_cut() -> None:
    everything = filter_exercises(SHELF)
    assert [e.id for e in everything] == ["doorway-lean", "wall-slide", "odd"]
    assert list_rows(everything, wide=False) == narrow_rows(list_rows(everything))


def test_equipment_filters_every_exercise_and_none_is_never_a_thing_you_have() -> None:
    assert [e.id for e in filter_exercises(SHELF, equipment=["wall"])] == ["wall-slide"]
    assert [e.id for e in filter_exercises(SHELF, equipment=["none"])] == []
    assert [e.id for e in filter_exercises(SHELF, equipment=["None", "wall"])] == ["wall-slide"]


# --- plan compiler ----------------------------------------------------------------------------


def phases_of(*exercises: Exercise, prepare: int, rest: int) -> list[Phase]:
    items = [PlanItem(e, e.dose) for e in exercises]
    return list(compile_items(items, title="T", prepare=prepare, rest=rest).phases)


def test_get_ready_and_rest_of_one_second_are_phases_and_of_zero_are_none() -> None:
    two_sets = make_exercise("a", hold=4, sets=2)
    assert phases_of(two_sets, ROLL, prepare=1, rest=1) == [
        Phase(PhaseKind.PREPARE, 0, 1),
        Phase(PhaseKind.WORK, 0, 4, rep=1, reps=1, set=1, sets=2),
        Phase(PhaseKind.REST, 0, 1, set=2, sets=2),
        Phase(PhaseKind.WORK, 0, 4, rep=1, reps=1, set=2, sets=2),
        Phase(PhaseKind.REST, 1, 1),
        Phase(PhaseKind.PREPARE, 1, 1),
        Phase(PhaseKind.WORK, 1, 1, rep=1, reps=1, set=1, sets=1),
    ]
    assert phases_of(two_sets, ROLL, prepare=0, rest=0) == [
        Phase(PhaseKind.WORK, 0, 4, rep=1, reps=1, set=1, sets=2),
        Phase(PhaseKind.WORK, 0, 4, rep=1, reps=1, set=2, sets=2),
        Phase(PhaseKind.WORK, 1, 1, rep=1, reps=1, set=1, sets=1),
    ]


def test_returns_between_reps_carry_the_rep_they_announce() -> None:
    returning = make_exercise("r", hold=3, reps=2, sets=2, work="reps", between=1)
    assert phases_of(returning, prepare=0, rest=0) == [
        Phase(PhaseKind.WORK, 0, 3, rep=1, reps=2, set=1, sets=2),
        Phase(PhaseKind.RELAX, 0, 1, rep=2, reps=2, set=1, sets=2),
        Phase(PhaseKind.WORK, 0, 3, rep=2, reps=2, set=1, sets=2),
        Phase(PhaseKind.WORK, 0, 3, rep=1, reps=2, set=2, sets=2),
        Phase(PhaseKind.RELAX, 0, 1, rep=2, reps=2, set=2, sets=2),
        Phase(PhaseKind.WORK, 0, 3, rep=2, reps=2, set=2, sets=2),
    ]


def test_compile_routine_gives_reasons_in_order_and_blank_after_them() -> None:
    routine = Routine(id="r", name="R", items=(RoutineItem("tuck"), RoutineItem("roll")), rest=10)
    plan = compile_routine(routine, catalogue_of(TUCK, ROLL), reasons=["warm-up"])
    assert [item.reason for item in plan.items] == ["warm-up", ""]
    assert (plan.routine_id, plan.generation, plan.rest) == ("r", None, 10)


def test_compile_routine_overrides_rest_and_marks_a_generated_plan() -> None:
    routine = Routine(id="r", name="R", items=(RoutineItem("tuck"), RoutineItem("roll")), rest=10)
    plan = compile_routine(routine, catalogue_of(TUCK, ROLL), rest=0, generation={"seed": 3})
    assert (plan.routine_id, plan.generation, plan.rest) == (None, {"seed": 3}, 0)


def test_a_single_exercise_routine_is_named_after_the_exercise() -> None:
    assert single_exercise_routine(TILT) == Routine(
        id="tilt", name="Tilt", items=(RoutineItem("tilt"),)
    )


# --- dosing rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "hold", "reps", "style"),
    [
        ("stretch", 10, 3, "static"),  # ten seconds is already a static hold
        ("stretch", 9, 3, "catalogue"),  # shorter repeated holds are active stretching
        ("stretch", 2, 1, "static"),  # done once: a static hold however short
        ("strength", 9, 2, "strength"),
        ("posture", 3, 10, "strength"),
        ("strength", 10, 10, "catalogue"),  # a held strength move keeps its own count
        ("posture", 3, 1, "catalogue"),
        ("mobility", 3, 10, "catalogue"),
        ("release", 30, 1, "catalogue"),
    ],
)
def test_which_rule_doses_an_exercise(kind: str, hold: int, reps: int, style: str) -> None:
    assert dosing.dosing(make_exercise("x", kind=kind, hold=hold, reps=reps)) == style


@pytest.mark.parametrize(
    ("kind", "hold", "reps", "bounds"),
    [
        ("stretch", 20, 5, (range(15, 31), range(3, 4), range(1, 4))),
        ("stretch", 40, 1, (range(15, 31), range(1, 2), range(1, 4))),
        ("strength", 3, 10, (range(3, 4), range(8, 13), range(1, 4))),
        ("mobility", 5, 10, (range(5, 6), range(5, 16), range(1, 4))),
        ("mobility", 3, 3, (range(3, 4), range(2, 5), range(1, 4))),
        ("release", 30, 1, (range(15, 46), range(1, 2), range(1, 4))),
        ("release", 1, 1, (range(1, 2), range(1, 2), range(1, 4))),
    ],
)
def test_the_holds_reps_and_sets_a_generated_plan_may_give(
    kind: str, hold: int, reps: int, bounds: tuple[range, range, range]
) -> None:
    assert dosing.dose_bounds(make_exercise("x", kind=kind, hold=hold, reps=reps)) == bounds


def test_the_natural_dose_is_the_catalogue_dose_within_bounds() -> None:
    long = make_exercise("x", hold=40, reps=5, sets=4, sides="each", hold_text="40s", between=2)
    assert dosing.natural_dose(long) == Dose(
        hold=30, reps=3, sets=3, sides="each", hold_text="", work="hold", between=2
    )
    breaths = make_exercise("y", hold=30, hold_text="5 breaths", work="reps")
    assert dosing.natural_dose(breaths) == Dose(hold=30, hold_text="5 breaths", work="reps")
    low = make_exercise("z", kind="strength", hold=3, reps=4, sets=0)
    assert dosing.natural_dose(low) == Dose(hold=3, reps=8, sets=1)


def test_least_seconds_is_the_shortest_dose_with_get_ready() -> None:
    sided = make_exercise("x", hold=20, reps=2, sides="each")
    # get ready 5 + two 15 s reps left + 5 s switch + two right; a static stretch keeps its reps
    assert dosing.least_seconds(sided, 5, 10) == 5 + 2 * 15 + 5 + 2 * 15
    returning = make_exercise("y", kind="strength", hold=3, reps=10, work="reps", between=2)
    # 8 reps of 3 s with 7 returns of 2 s
    assert dosing.least_seconds(returning, 0, 10) == 8 * 3 + 7 * 2


def test_distance_orders_sets_then_reps_then_hold() -> None:
    assert dosing.distance(Dose(hold=20, reps=3, sets=2), Dose(hold=15, reps=1, sets=1)) == (
        1, 2, 5
    )  # fmt: skip
    assert dosing.distance(Dose(hold=10), Dose(hold=15, reps=2, sets=3)) == (2, 1, 5)


# --- stats ------------------------------------------------------------------------------------


def test_a_session_under_a_second_still_counts_for_its_day() -> None:
    started = dt.datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert minutes_by_day([(started, 0.6)], UTC) == {dt.date(2024, 5, 1): 0.01}
    assert minutes_by_day([(started, 0.0)], UTC) == {}


def test_next_monday_is_in_neither_week_and_this_monday_is_in_this_one() -> None:
    today = dt.date(2025, 1, 1)  # a Wednesday; this week began on Monday 2024-12-30
    days = {
        dt.date(2024, 12, 23): 1.0,  # last Monday
        dt.date(2024, 12, 30): 2.0,  # this Monday
        dt.date(2025, 1, 5): 4.0,  # this Sunday
        dt.date(2025, 1, 6): 8.0,  # next Monday: a clock set wrong, counted nowhere
    }
    assert week_minutes(days, today) == (6.0, 1.0)


def test_minutes_by_target_lists_most_minutes_first() -> None:
    seconds = {("chest",): 60.0, ("neck",): 180.0, ("arms",): 120.0, ("wrists",): 120.0}
    assert list(minutes_by_target(seconds).items()) == [
        ("neck", 3.0),
        ("arms", 2.0),
        ("wrists", 2.0),
        ("chest", 1.0),
    ]


def test_summarize_counts_days_in_the_zone_it_is_given() -> None:
    late = dt.datetime(2024, 4, 30, 20, 0, tzinfo=UTC)  # 01:30 on May 1 in Kolkata
    reduced = Digest(starts=((late, 120.0),), done_starts=(late,), sessions_total=1)
    stats = summarize(reduced, today=dt.date(2024, 5, 1), tz=KOLKATA)
    assert stats.today == dt.date(2024, 5, 1)
    assert dict(stats.calendar)[dt.date(2024, 5, 1)] == 2.0
    assert dict(stats.calendar)[dt.date(2024, 4, 30)] == 0.0
    assert (stats.current_streak_days, stats.minutes_this_week) == (1, 2.0)
