"""The session runner's edges the mutation job found unpinned: whole snapshots and records,
deadlines met exactly, the suspend limit, keys at the end, what finishing resets."""

from __future__ import annotations

import datetime as dt

import pytest

from stretchcoach.model import ExerciseResult, PlanItem, SessionResult, SessionStatus
from stretchcoach.plan.compile import compile_items
from stretchcoach.session import runner

from conftest import EPOCH, make_exercise

T0 = 1000.0  # the monotonic clock never starts at zero
TILT = make_exercise("tilt", hold=2, reps=2, sides="each", hold_text="2s")
TUCK = make_exercise("tuck", hold=3)
ROLL = make_exercise("roll", hold=1)
COMPLETED, STOPPED = SessionStatus.COMPLETED, SessionStatus.STOPPED


def three(prepare: int = 2):  # type: ignore[no-untyped-def]
    """tilt: get ready 2, L 2, L 2, switch 5, R 2, R 2 | rest 3, tuck 2+3 | rest 3, roll 2+1."""
    return compile_items(
        [PlanItem(e, e.dose) for e in (TILT, TUCK, ROLL)], title="Short", prepare=prepare, rest=3,
        routine_id="short", generation={"seed": 1},
    )  # fmt: skip


def run_to(state: runner.State, until: float, key: str | None = None) -> runner.State:
    """Tick every 0.5 s, as the loop does, then press `key` at `until`."""
    now = state.last_tick
    while now + 0.5 < until:
        now += 0.5
        state = runner.step(state, now)
    return runner.step(state, until, key)


def test_an_empty_plan_is_finished_the_moment_it_starts() -> None:
    plan = compile_items([], title="Nothing", prepare=0, rest=0)
    state = runner.start(plan, T0)
    assert (state.finished, state.status, state.ended, state.deadline) == (True, COMPLETED, T0, T0)
    assert runner.snapshot(state, T0 + 7) == runner.Snapshot(
        title="Nothing", phase=None, serial=0, item=0, items=0, exercise=None, hold_text="",
        work="hold",
        phase_seconds=0, phase_left=0.0, session_left=0.0, session_seconds=0, elapsed=0.0,
        phase_elapsed_at=0.0, next_exercise=None, paused=False, suspended=False,
        finished=True, status=COMPLETED,
    )  # fmt: skip


def test_a_first_phase_of_no_seconds_is_passed_at_start() -> None:
    still = make_exercise("still", hold=0)
    plan = compile_items([PlanItem(still, still.dose), PlanItem(TUCK, TUCK.dose)],
                         title="Zero", prepare=0, rest=0)  # fmt: skip
    state = runner.start(plan, T0)
    assert (state.index, state.serial, state.deadline, state.completed) == (1, 1, T0 + 3, {0})


def test_a_snapshot_mid_hold_has_every_field() -> None:
    plan = three()
    state = runner.step(runner.start(plan, T0), T0 + 3.5)
    assert runner.snapshot(state, T0 + 3.5) == runner.Snapshot(
        title="Short", phase=plan.phases[1], serial=1, item=0, items=3, exercise=TILT,
        hold_text="2s", work="hold",
        phase_seconds=2, phase_left=0.5, session_left=25.5, session_seconds=29,
        elapsed=3.5, phase_elapsed_at=2.0, next_exercise=TUCK, paused=False, suspended=False,
        finished=False, status=None,
    )  # fmt: skip


def test_a_finished_snapshot_shows_the_last_exercise_and_nothing_left() -> None:
    plan = three()
    state = run_to(runner.start(plan, T0), T0 + 40)
    assert (state.index, state.phase_start, state.deadline, state.extra, state.ended) == (
        12, T0 + 29, T0 + 29, 0, T0 + 29
    )  # fmt: skip
    assert (state.finished, state.status, state.last_tick) == (True, COMPLETED, T0 + 29)
    assert runner.snapshot(state, T0 + 50) == runner.Snapshot(
        title="Short", phase=None, serial=11, item=2, items=3, exercise=ROLL, hold_text="",
        work="hold",
        phase_seconds=0, phase_left=0.0, session_left=0.0, session_seconds=29, elapsed=29.0,
        phase_elapsed_at=29.0, next_exercise=None, paused=False, suspended=False,
        finished=True, status=COMPLETED,
    )  # fmt: skip
    assert runner.remaining(state, T0 + 50) == 0.0


def test_a_snapshot_after_quitting_has_no_phase_nothing_left_and_the_last_item() -> None:
    plan = three()
    state = runner.stop(run_to(runner.start(plan, T0), T0 + 2.0), T0 + 2.5, STOPPED)
    assert (state.last_tick, state.ended, state.index) == (T0 + 2.5, T0 + 2.5, 1)
    snap = runner.snapshot(state, T0 + 9)
    assert (snap.phase, snap.item, snap.session_left, snap.elapsed, snap.finished) == (
        None, 2, 0.0, 2.5, True
    )  # fmt: skip


def test_the_record_of_a_quit_session_rounds_active_seconds_to_milliseconds() -> None:
    plan = three()
    state = runner.start(plan, T0)
    state = run_to(state, T0 + 2 + 1.23456, "q")
    ended = EPOCH + dt.timedelta(seconds=3)
    assert runner.result(state, plan, EPOCH, ended, STOPPED) == SessionResult(
        started_at=EPOCH,
        ended_at=ended,
        status=STOPPED,
        title="Short",
        exercises=(
            ExerciseResult("tilt", "Tilt", ("neck",), False, 1.235),
            ExerciseResult("tuck", "Tuck", ("neck",), False, 0.0, reached=False),
            ExerciseResult("roll", "Roll", ("neck",), False, 0.0, reached=False),
        ),
        planned_seconds=29,
        routine_id="short",
        generation={"seed": 1},
    )


def test_wait_time_is_zero_at_and_after_a_missed_deadline() -> None:
    state = runner.start(three(), T0)  # the first phase ends at T0 + 2
    assert runner.wait_time(state, T0 + 1.75) == pytest.approx(0.25)  # no margin past the end
    assert runner.wait_time(state, T0 + 1.0) == runner.MAX_WAIT
    assert runner.wait_time(state, T0 + 2.0) == 0.0
    assert runner.wait_time(state, T0 + 2.7) == 0.0


def test_finishing_resets_the_extra_and_the_deadline() -> None:
    plan = three()  # roll's get-ready runs from T0 + 26 to 28, its one hold to 29
    state = run_to(runner.start(plan, T0), T0 + 27.9)
    passed = runner.step(state, T0 + 29.5)  # enters the hold (a cue) and ends it in one step
    assert passed.finished
    extended = run_to(runner.start(plan, T0), T0 + 28.5, "+")
    done = run_to(extended, T0 + 39.5)
    assert (done.finished, done.extra, done.added, done.ended) == (True, 0, 10, T0 + 39)
    skipped = runner.step(run_to(runner.start(plan, T0), T0 + 28.25), T0 + 28.5, "n")
    assert (skipped.finished, skipped.deadline, skipped.ended) == (True, T0 + 28.5, T0 + 28.5)


def test_a_phase_ends_at_its_deadline_exactly() -> None:
    state = runner.start(three(), T0)
    assert runner.step(state, T0 + 1.999).index == 0
    assert runner.step(state, T0 + 2.0).index == 1


def test_a_gap_of_exactly_the_suspend_limit_is_not_a_suspension() -> None:
    plan = three(prepare=20)
    state = runner.start(plan, T0)
    assert runner.step(state, T0 + runner.SUSPEND_GAP).suspended is False
    assert runner.step(state, T0 + runner.SUSPEND_GAP + 0.01).suspended is True


def test_an_unknown_key_changes_nothing() -> None:
    state = runner.step(runner.start(three(), T0), T0 + 2.5)
    assert runner.step(state, T0 + 2.6, "x") == runner.step(state, T0 + 2.6)


def test_a_key_in_the_step_that_finishes_the_session_is_ignored() -> None:
    state = run_to(runner.start(three(), T0), T0 + 28.5)
    done = runner.step(state, T0 + 29, "b")
    assert (done.finished, done.status, done.index) == (True, COMPLETED, 12)


def test_resuming_clears_paused_and_suspended() -> None:
    plan = three(prepare=20)
    state = runner.step(runner.start(plan, T0), T0 + 9)  # a 9 s gap: suspended
    assert (state.paused, state.suspended) == (True, True)
    resumed = runner.snapshot(runner.step(state, T0 + 9.5, " "), T0 + 9.5)
    assert resumed.paused is False
    assert resumed.suspended is False


def test_back_within_two_seconds_goes_to_the_previous_exercise_and_at_two_restarts() -> None:
    plan = three(prepare=5)  # tuck's get-ready is phase 7, from T0 + 21 to T0 + 26
    state = run_to(runner.start(plan, T0), T0 + 21)
    assert (state.index, plan.phases[state.index].item) == (7, 1)
    assert runner.step(state, T0 + 22.9, "b").index == 0
    assert runner.step(state, T0 + 23.0, "b").index == 7


def test_time_added_with_plus_counts_when_skipping_on() -> None:
    plan = three()
    state = runner.step(runner.start(plan, T0), T0 + 2.5, "+")  # 12 s left in this hold
    state = runner.step(state, T0 + 3.0, "n")
    assert state.active[0] == 1.0
    assert runner.snapshot(state, T0 + 3.0).phase_seconds == 2  # the extra ended with its hold
