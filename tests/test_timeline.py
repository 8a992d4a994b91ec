"""A plan rendered for the `plan` command: JSON with stable keys, a table and plain lines."""

from __future__ import annotations

from stretchcoach.model import Dose, Exercise, PlanItem
from stretchcoach.plan.compile import compile_items
from stretchcoach.render import plan as timeline

TILT = Exercise(id="tilt", name="Neck tilt", targets=("neck",), dose=Dose(2, 2, 1, "each"))
TUCK = Exercise(
    id="tuck", name="Chin [b]tuck[/b]", targets=("neck",), dose=Dose(6, 3, 2, hold_text="1 breath")
)


def routine_plan():
    items = [PlanItem(TILT, TILT.dose), PlanItem(TUCK, TUCK.dose)]
    return compile_items(items, title="Short", prepare=5, rest=10, routine_id="short")


def generated_plan():
    items = [PlanItem(TILT, TILT.dose, reason="covers neck"), PlanItem(TUCK, TUCK.dose, "finish")]
    return compile_items(
        items, title="Generated", prepare=3, rest=0, generation={"minutes": 1, "seed": 42}
    )


def test_item_seconds_leave_out_the_rest_before_but_keep_rests_between_sets():
    plan = routine_plan()
    assert timeline.item_seconds(plan, 0) == 5 + 4 + 5 + 4
    assert timeline.item_seconds(plan, 1) == 5 + 18 + 10 + 18
    assert plan.total_seconds == 18 + 10 + 51


def test_plan_json_has_stable_keys_and_every_phase():
    data = timeline.plan_json(routine_plan())
    assert list(data) == [
        "title", "routine_id", "total_seconds", "prepare_seconds", "rest_seconds",
        "generation", "items", "phases",
    ]  # fmt: skip
    assert data["items"] == [
        {"exercise": "tilt", "name": "Neck tilt", "sides": "each", "hold_seconds": 2,
         "reps": 2, "sets": 1, "seconds": 18, "reason": ""},
        {"exercise": "tuck", "name": "Chin [b]tuck[/b]", "sides": "none", "hold_seconds": 6,
         "reps": 3, "sets": 2, "seconds": 51, "reason": ""},
    ]  # fmt: skip
    assert (data["total_seconds"], data["prepare_seconds"], data["rest_seconds"]) == (79, 5, 10)
    assert data["generation"] is None and data["routine_id"] == "short"
    assert data["phases"][:4] == [
        {"kind": "prepare", "item": 0, "seconds": 5, "side": "left", "rep": 0, "reps": 0,
         "set": 0, "sets": 0},
        {"kind": "work", "item": 0, "seconds": 2, "side": "left", "rep": 1, "reps": 2,
         "set": 1, "sets": 1},
        {"kind": "work", "item": 0, "seconds": 2, "side": "left", "rep": 2, "reps": 2,
         "set": 1, "sets": 1},
        {"kind": "switch", "item": 0, "seconds": 5, "side": "right", "rep": 0, "reps": 0,
         "set": 1, "sets": 1},
    ]  # fmt: skip
    assert sum(p["seconds"] for p in data["phases"]) == data["total_seconds"]


def test_plan_json_of_a_generated_plan_keeps_the_generation_and_reasons():
    data = timeline.plan_json(generated_plan())
    assert data["generation"] == {"minutes": 1, "seed": 42}
    assert data["routine_id"] is None
    assert [i["reason"] for i in data["items"]] == ["covers neck", "finish"]


def test_plan_text_lists_each_exercise_and_the_total():
    assert timeline.plan_text(routine_plan()) == (
        "Short (short)\n"
        "1. Neck tilt — each side — 2 × 2s — 18s\n"
        "2. Chin [b]tuck[/b] — both at once — 3 × 1 breath (6s) — 2 sets — 51s\n"
        "Get ready 5s before each exercise · rest 10s between · total 1m19s\n"
    )
    assert timeline.plan_text(generated_plan()) == (
        "Generated (generated, seed 42)\n"
        "1. Neck tilt — each side — 2 × 2s — 16s — why: covers neck\n"
        "2. Chin [b]tuck[/b] — both at once — 3 × 1 breath (6s) — 2 sets — 39s — why: finish\n"
        "Get ready 3s before each exercise · total 55s\n"
    )


def test_plan_table_shows_the_columns_and_text_literally():
    shown = timeline.plan_table(generated_plan(), width=100)
    assert shown.plain.splitlines() == [
        "Generated (generated, seed 42)",
        "#  exercise          sides         reps  sets           hold  time",
        "1  Neck tilt         each side        2     1             2s   16s",
        "   why: covers neck",
        "2  Chin [b]tuck[/b]  both at once     3     2  1 breath (6s)   39s",
        "   why: finish",
        "Get ready 3s before each exercise · total 55s",
    ]
    assert shown.ansi(color=True).startswith("\x1b[1mGenerated (generated, seed 42)\x1b[0m\n")


def test_plan_table_cuts_names_to_the_width():
    shown = timeline.plan_table(generated_plan(), width=60).plain.splitlines()
    assert shown[4] == "2  Chin [b]t…  both at once     3     2  1 breath (6s)   39s"
    assert max(len(line) for line in shown[1:-1]) == 60
