"""The big countdown on its fixed grid at every size, wrapped steps, reps, and the summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from rich.console import Console

from stretchcoach.model import (
    Dose,
    Exercise,
    ExerciseResult,
    PlanItem,
    SessionResult,
    SessionStatus,
)
from stretchcoach.plan.compile import compile_items
from stretchcoach.render import session as screen
from stretchcoach.session import runner

# Each digit drawn by hand, cell by cell, "#" filled: the test's own copy, not the font's.
PICTURES = {
    "0": "### # # # # # # ###",
    "1": " #  ##   #   #  ###",
    "2": "###   # ### #   ###",
    "3": "###   # ###   # ###",
    "4": "# # # # ###   #   #",
    "5": "### #   ###   # ###",
    "6": "### #   ### # # ###",
    "7": "###   #   #   #   #",
    "8": "### # # ### # # ###",
    "9": "### # # ###   # ###",
}


def picture(digit: str) -> list[str]:
    cells = PICTURES[digit].replace(" ", ".")
    rows = [cells[i : i + 3] for i in range(0, 19, 4)]
    return [row.replace(".", " ") for row in rows]


def blocks(rows: list[str], columns: int = 1, height: int = 1) -> tuple[str, ...]:
    out: list[str] = []
    for row in rows:
        line = "".join(("█" if c == "#" else " ") * columns for c in row)
        out += [line] * height
    return tuple(out)


@pytest.mark.parametrize("digit", list(PICTURES))
@pytest.mark.parametrize("cell", screen.CELLS)
def test_each_digit_on_its_fixed_grid_cell_by_cell(digit, cell):
    drawn = screen.big_digits(digit, cell=cell)
    assert drawn == blocks(picture(digit), *cell)
    assert {len(row) for row in drawn} == {3 * cell[0]}  # blanks kept: never stripped


def test_the_left_strokes_of_5_6_2_and_1_stay_left():
    assert screen.big_digits("5")[1] == "█  "
    assert screen.big_digits("6")[1] == "█  "
    assert screen.big_digits("2")[3] == "█  "
    assert screen.big_digits("1")[1] == "██ "


def test_multi_digit_numbers_and_clocks_cell_by_cell():
    assert screen.big_digits("10:05") == (
        " █  ███   ███ ███",
        "██  █ █ █ █ █ █  ",
        " █  █ █   █ █ ███",
        " █  █ █ █ █ █   █",
        "███ ███   ███ ███",
    )
    wide = screen.big_digits("25", cell=(2, 1))
    assert wide == tuple(
        a + "  " + b for a, b in zip(blocks(picture("2"), 2), blocks(picture("5"), 2), strict=True)
    )


def snap_left(seconds: int, *, name: str = "Chin tuck") -> runner.Snapshot:
    tuck = Exercise(id="t", name=name, targets=("neck",), dose=Dose(hold=60))
    plan = compile_items([PlanItem(tuck, tuck.dose)], title="T", prepare=0, rest=0)
    state = runner.start(plan, 0.0)
    for tick in range(1, 61 - seconds):  # one tick a second: no gap looks like a sleep
        state = runner.step(state, float(tick))
    return runner.snapshot(state, 60.0 - seconds)


def render(snap: runner.Snapshot, width: int, height: int) -> list[str]:
    console = Console(
        file=io.StringIO(), width=width, height=height, force_terminal=True, color_system=None
    )
    console.print(screen.renderable(screen.layout(snap, width, height)))
    return console.file.getvalue().splitlines()


def digit_rows(lines: list[str]) -> list[str]:
    return [line for line in lines if "█" in line and "░" not in line]


@pytest.mark.parametrize(
    ("width", "height", "cell"),
    [(80, 24, (2, 1)), (120, 40, (4, 2)), (200, 50, (6, 3)), (40, 12, (2, 1)), (59, 30, (2, 1))],
)
@pytest.mark.parametrize("left", [5, 21, 16, 47])
def test_the_screen_draws_the_digits_as_one_block_sized_to_the_terminal(width, height, left, cell):
    lines = render(snap_left(left), width, height)
    rows = digit_rows(lines)
    expected = screen.big_digits(str(left), cell=cell)
    margin = (width - len(expected[0])) // 2
    assert len(rows) == 5 * cell[1]
    assert [row[margin:].rstrip() for row in rows] == [row.rstrip() for row in expected]
    assert all(row[:margin] == " " * margin for row in rows)


def test_digits_shrink_to_the_width_before_they_overflow():
    assert screen.digits_cell("1:05", 200, 15) == (6, 3)
    assert screen.digits_cell("1:05", 60, 15) == (4, 2)
    assert screen.digits_cell("1:05", 30, 15) == (2, 1)
    assert screen.digits_cell("1:05", 10, 15) == (1, 1)


LONG_STEPS = (
    "Sit tall at the front of the chair with both feet flat and your knees over your ankles.",
    "Lace your fingers behind your head and open your elbows wide, then lift your chest "
    "gently toward the ceiling without arching your lower back.",
    "Breathe out.",
    "Hold the position while breathing slowly through the nose for the whole of the hold, "
    "and ease off at once if anything tingles or hurts.",
)


def test_steps_wrap_to_80_columns_and_only_whole_steps_show():
    long = Exercise(
        id="l",
        name="Seated extension",
        targets=("upper-back",),
        dose=Dose(hold=30),
        steps=LONG_STEPS,
    )
    plan = compile_items([PlanItem(long, long.dose)], title="T", prepare=0, rest=0)
    snap = runner.snapshot(runner.start(plan, 0.0), 1.0)
    lines = [line.rstrip() for line in render(snap, 80, 21)]  # room for six lines of steps
    start = lines.index(
        "1. Sit tall at the front of the chair with both feet flat and your knees over"
    )
    assert lines[start : start + 6] == [
        "1. Sit tall at the front of the chair with both feet flat and your knees over",
        "   your ankles.",
        "2. Lace your fingers behind your head and open your elbows wide, then lift your",
        "   chest gently toward the ceiling without arching your lower back.",
        "3. Breathe out.",
        "",
    ]
    assert not any("…" in line for line in lines)
    # step 4 needs two lines and only one is left: it is left out, never cut
    assert not any(line.startswith("4.") for line in lines)
    assert len(screen.wrap_steps(LONG_STEPS, 80, 7)) == 7


def test_wrap_steps_keeps_whole_steps_in_the_room_given():
    assert screen.wrap_steps(("a b c d", "e"), 5, 3) == []
    assert screen.wrap_steps(("a b c d", "e"), 5, 4) == ["1. a", "   b", "   c", "   d"]
    assert screen.wrap_steps(("a b c d", "e"), 5, 5) == ["1. a", "   b", "   c", "   d", "2. e"]
    assert screen.wrap_steps(("a", "b c d e f"), 6, 3) == ["1. a"]
    assert screen.wrap_steps(("a", "b"), 6, 0) == []


CURL = Exercise(
    id="curl",
    name="Chin tuck",
    targets=("neck",),
    dose=Dose(hold=2, reps=10, work="reps", between=1),
)


def curl_snap(at: float) -> runner.Snapshot:
    plan = compile_items([PlanItem(CURL, CURL.dose)], title="T", prepare=5, rest=0)
    state = runner.start(plan, 0.0)
    tick = 0.0
    while tick < at:
        tick = min(at, tick + 0.25)
        state = runner.step(state, tick)
    return runner.snapshot(state, at)


def test_reps_show_as_reps_with_their_time_and_the_return_between():
    rep3 = curl_snap(5 + 2 * 3 + 0.5)  # prepare, reps 1-2 with their returns, into rep 3
    assert screen._detail(rep3) == "rep 3 of 10 · 2s · set 1 of 1"
    assert screen.plain_line(rep3) == "[0:11] Chin tuck — rep 3/10 · 2s"
    back = curl_snap(5 + 2 + 0.5)
    assert screen._title(back) == "Return: Chin tuck"
    assert screen._detail(back) == "return to the start · rep 2 of 10 next"
    assert screen.plain_line(back) == "[0:07] Return: Chin tuck — 1s"


def test_holds_still_show_as_holds():
    held = CURL._replace(dose=Dose(hold=5, reps=3, between=2))
    plan = compile_items([PlanItem(held, held.dose)], title="T", prepare=0, rest=0)
    state = runner.start(plan, 0.0)
    for tick in (2.0, 4.0, 5.5):
        state = runner.step(state, tick)
    snap = runner.snapshot(state, 5.5)
    assert screen._title(snap) == "Relax: Chin tuck"
    assert screen._detail(snap) == "relax · rep 2 of 3 next"
    first = runner.snapshot(runner.start(plan, 0.0), 0.5)
    assert screen.plain_line(first) == "[0:00] Chin tuck — rep 1/3 — hold 5s"


@pytest.mark.parametrize("began", [44.9999999, 45.0, 45.003, 45.4])
def test_plain_lines_stamp_the_second_the_phase_began_not_one_early(began):
    snap = dataclasses.replace(snap_left(30), phase_elapsed_at=began)
    assert screen.plain_line(snap).startswith("[0:45] ")


START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def result(**extra) -> SessionResult:
    return SessionResult(
        started_at=START,
        ended_at=START + dt.timedelta(seconds=150),
        status=SessionStatus.STOPPED,
        title="Desk break",
        exercises=(
            ExerciseResult("a", "Neck tilt", ("neck",), True, 60.0),
            ExerciseResult("b", "Chin tuck", ("neck",), False, 12.0),
            ExerciseResult("c", "Doorway stretch", ("chest",), False, 0.0, reached=False),
        ),
        planned_seconds=300,
        **extra,
    )


def test_the_summary_says_not_reached_tension_and_today():
    lines = screen.summary_lines(
        result(check_in_before=6, check_in_after=3), today_minutes=12.5, goal_minutes=15
    )
    assert lines == [
        "Session stopped early: Desk break",
        "Done 1 of 3 · skipped 1 · not reached 1 · active time 1m12s · took 2m30s",
        "Tension 6 → 3 (0-10)",
        "Today: 12m30s of your 15-minute goal",
        "  done         Neck tilt        1m",
        "  skipped      Chin tuck        12s",
        "  not reached  Doorway stretch  0s",
    ]
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(
        screen.summary(
            result(check_in_before=6, check_in_after=3), today_minutes=12.5, goal_minutes=15
        )
    )
    assert console.file.getvalue().splitlines() == lines


def test_the_summary_shows_only_what_it_was_given():
    lines = screen.summary_lines(result(check_in_before=4), today_minutes=3.0)
    assert lines[2:4] == ["Tension before: 4 (0-10)", "Today: 3m"]
    assert screen.summary_lines(result())[2] == "  done         Neck tilt        1m"


def test_the_runner_marks_exercises_the_session_never_began_as_not_reached():
    a, b, c = (
        Exercise(id=x, name=x, targets=("neck",), dose=Dose(hold=10)) for x in ("a", "b", "c")
    )
    plan = compile_items([PlanItem(e, e.dose) for e in (a, b, c)], title="T", prepare=5, rest=10)
    state = runner.step(runner.start(plan, 0.0), 1.0, "n")  # a's get-ready: a starts now
    state = runner.step(state, 2.0, "n")  # a's hold: on to b's get-ready, b has begun
    for tick in (5.0, 8.0, 11.0, 14.0, 17.0):  # b's get-ready and hold run out
        state = runner.step(state, tick)
    state = runner.step(state, 18.0, "q")  # quit in the rest before c: c never began
    got = runner.result(state, plan, START, START, SessionStatus.STOPPED)
    assert [(e.exercise_id, e.done, e.reached) for e in got.exercises] == [
        ("a", False, True),
        ("b", True, True),
        ("c", False, False),
    ]


def test_plan_and_catalogue_words_show_reps_with_their_time_and_keep_holds():
    from stretchcoach.render import plan as timeline
    from stretchcoach.render.catalogue import dose_text, dose_words

    reps = Dose(hold=2, reps=10, sides="each", work="reps", between=1)
    holds = Dose(hold=30, reps=3, between=5)
    assert dose_text(reps) == "10 reps of 2s each side"
    assert (
        dose_words(reps) == "10 reps of 2s each, 1s to return between them on each side "
        "(left, then right)"
    )
    assert dose_text(reps._replace(reps=1, sides="none", sets=3)) == "1 rep of 2s, 3 sets"
    assert dose_text(holds) == "30s × 3"
    assert dose_words(holds) == "hold 30s, 3 times, 5s to relax between"
    curl = CURL._replace(dose=reps)
    plan = compile_items([PlanItem(curl, reps)], title="T", prepare=0, rest=0)
    assert (
        timeline.plan_text(plan)
        .splitlines()[1]
        .startswith("1. Chin tuck — each side — 10 reps of 2s — ")
    )
    assert "2s a rep" in timeline.plan_table(plan, width=100).plain
