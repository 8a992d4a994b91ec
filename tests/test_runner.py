"""The session state machine under a hand-advanced clock."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.model import Exercise, PhaseKind, Plan, PlanItem, SessionStatus
from stretchcoach.plan.compile import compile_items
from stretchcoach.session import runner

from conftest import examples, make_exercise

T0 = 1000.0  # the monotonic clock never starts at zero


def exercise(ident: str, hold: int = 2, **dose: Any) -> Exercise:
    return make_exercise(ident, hold=hold, **dose)


def make_plan(*exercises: Exercise, prepare: int = 5, rest: int = 10) -> Plan:
    items = [PlanItem(e, e.dose) for e in exercises]
    return compile_items(items, title="Test", prepare=prepare, rest=rest)


def kinds(plan: Plan) -> list[tuple[str, int]]:
    return [(p.kind.value, p.item) for p in plan.phases]


def run_to(state: runner.State, until: float, tick: float = 0.1) -> runner.State:
    now = state.last_tick
    while now < until and not state.finished:
        now = min(until, now + tick)
        state = runner.step(state, now)
    return state


def phase_of(state: runner.State):
    return state.plan.phases[state.index]


# A: prepare 5, work 2x2 left, switch 5, work 2x2 right; rest 10; B: prepare 5, 2 sets of 3s
# with a rest between.
SIDED = exercise("a", hold=2, reps=2, sides="each")
SETS = exercise("b", hold=3, reps=1, sets=2)


def test_the_layout_these_tests_rely_on():
    plan = make_plan(SIDED, SETS)
    assert kinds(plan) == [
        ("prepare", 0), ("work", 0), ("work", 0), ("switch", 0), ("work", 0), ("work", 0),
        ("rest", 1), ("prepare", 1), ("work", 1), ("rest", 1), ("work", 1),
    ]  # fmt: skip
    assert plan.total_seconds == 5 + 4 + 5 + 4 + 10 + 5 + 3 + 10 + 3


def test_start_waits_in_the_first_phase():
    state = runner.start(make_plan(SIDED), T0)
    assert (state.index, state.deadline, state.finished) == (0, T0 + 5, False)


def test_start_without_get_ready_is_in_the_work_phase():
    state = runner.start(make_plan(SIDED, prepare=0), T0)
    assert phase_of(state).kind is PhaseKind.WORK


def test_an_empty_plan_is_finished_at_once():
    state = runner.start(make_plan(), T0)
    assert state.finished and state.status is SessionStatus.COMPLETED


def test_a_session_left_alone_completes_on_time_with_everything_done():
    plan = make_plan(SIDED, SETS)
    state = run_to(runner.start(plan, T0), T0 + 1000)
    assert state.finished and state.status is SessionStatus.COMPLETED
    assert state.ended == T0 + plan.total_seconds
    assert state.active == (8.0, 6.0)
    assert [runner.is_done(state, i) for i in range(2)] == [True, True]


def test_phases_elapsed_between_two_ticks_each_end_at_their_own_deadline():
    state = runner.step(runner.start(make_plan(SIDED), T0), T0 + 4.9)
    state = runner.step(state, T0 + 9.5)  # prepare 5, two reps of 2, into the switch
    assert state.index == 3
    assert state.phase_start == T0 + 9
    assert state.deadline == T0 + 14
    assert state.active == (4.0,)


def test_reps_and_sides_are_counted_in_the_snapshot():
    plan = make_plan(SIDED, SETS)
    state = runner.start(plan, T0)
    seen = []
    now = T0
    while not state.finished:
        snap = runner.snapshot(state, now)
        entry = (snap.phase.kind.value, snap.phase.side, snap.phase.rep, snap.phase.set)
        if not seen or seen[-1] != entry:
            seen.append(entry)
        now += 0.5
        state = runner.step(state, now)
    assert seen == [
        ("prepare", "left", 0, 0),
        ("work", "left", 1, 1), ("work", "left", 2, 1),
        ("switch", "right", 0, 1),
        ("work", "right", 1, 1), ("work", "right", 2, 1),
        ("rest", None, 0, 0), ("prepare", None, 0, 0),
        ("work", None, 1, 1), ("rest", None, 0, 2), ("work", None, 1, 2),
    ]  # fmt: skip


def test_snapshot_counts_the_time_left_in_the_phase_and_the_session():
    plan = make_plan(SIDED, SETS)
    state = run_to(runner.start(plan, T0), T0 + 6.25)  # 0.75 s into rep 1
    snap = runner.snapshot(state, T0 + 6.25)
    assert snap.item == 0 and snap.items == 2
    assert snap.phase_left == pytest.approx(0.75)
    assert snap.session_left == pytest.approx(plan.total_seconds - 6.25)
    assert snap.next_exercise is SETS
    assert snap.exercise is SIDED
    assert snap.phase_elapsed_at == 5.0
    assert snap.progress == pytest.approx(1 - 43 / 49)


def test_pause_freezes_the_countdown_and_resume_shifts_the_deadline():
    state = runner.start(make_plan(SIDED), T0)
    state = runner.step(state, T0 + 1, " ")
    assert state.paused
    state = run_to(state, T0 + 4)  # paused: nothing moves
    assert runner.remaining(state, T0 + 4) == 4.0
    assert state.index == 0
    state = runner.step(state, T0 + 4, " ")
    assert not state.paused and state.deadline == T0 + 8
    state = runner.step(state, T0 + 6, " ")
    state = runner.step(state, T0 + 6.5, " ")  # a second cycle adds its 0.5 s
    assert state.deadline == T0 + 8.5


def test_many_pause_cycles_add_exactly_the_paused_time_to_the_end():
    plan = make_plan(SIDED, SETS)
    state = runner.start(plan, T0)
    now = T0
    paused_total = 0.0
    for _ in range(20):
        now += 1.3
        state = runner.step(state, now, " ")
        now += 0.7
        paused_total += 0.7
        state = runner.step(state, now, " ")
    state = run_to(state, T0 + 500)
    assert state.ended == pytest.approx(T0 + plan.total_seconds + paused_total, abs=1e-9)
    assert state.active == (8.0, 6.0)


def test_plus_adds_ten_seconds_to_a_hold_and_counts_as_active():
    plan = make_plan(SIDED, prepare=0)
    state = runner.step(run_to(runner.start(plan, T0), T0 + 1), T0 + 1, "+")
    assert (state.deadline, state.extra, state.added) == (T0 + 12, 10, 10)
    snap = runner.snapshot(state, T0 + 1)
    assert (snap.phase_seconds, snap.phase_left, snap.session_seconds) == (12, 11.0, 23)
    state = run_to(state, T0 + 100)
    assert state.active == (18.0,)
    assert state.ended == T0 + 23


@pytest.mark.parametrize("index", [0, 3, 6, 7])  # prepare, switch, rest, prepare
def test_plus_does_nothing_outside_work(index):
    plan = make_plan(SIDED, SETS)
    at = T0 + sum(p.seconds for p in plan.phases[:index]) + 0.5
    state = run_to(runner.start(plan, T0), at)
    assert state.index == index
    assert runner.step(state, at + 0.1, "+").deadline == state.deadline


def time_in(plan: Plan, index: int, offset: float = 2.5) -> float:
    return T0 + sum(p.seconds for p in plan.phases[:index]) + offset


# phase index -> where `n` lands: (new index, is item 0 done)
@pytest.mark.parametrize(
    ("index", "offset", "lands"),
    [
        (0, 2.5, 1),  # prepare of A: A's first hold starts at once, A is not skipped
        (1, 0.5, 7),  # work: on to B's prepare (past the rest)
        (3, 2.5, 7),  # switch: part of A, so on to B
        (6, 2.5, 8),  # the rest before B: B's first hold starts at once
        (7, 2.5, 8),  # B's prepare: B's first hold starts at once
        (9, 2.5, 10),  # the rest between B's sets: the next set starts at once
        (10, 1.5, 11),  # B's last hold: B is the last, the session ends
    ],
)
def test_next_from_every_phase_kind(index, offset, lands):
    plan = make_plan(SIDED, SETS)
    state = run_to(runner.start(plan, T0), time_in(plan, index, offset))
    assert state.index == index
    state = runner.step(state, time_in(plan, index, offset) + 0.1, "n")
    assert state.index == lands
    assert runner.is_done(state, 0) is (index >= 6)
    if lands == 11:
        assert state.finished and state.status is SessionStatus.COMPLETED
        assert not runner.is_done(state, 1)
    else:
        assert state.phase_start == time_in(plan, index, offset) + 0.1
        assert state.deadline == state.phase_start + plan.phases[lands].seconds


def test_next_during_a_hold_keeps_the_part_done_as_active_time():
    plan = make_plan(SIDED, SETS)
    state = run_to(runner.start(plan, T0), time_in(plan, 4, 1.5))
    state = runner.step(state, time_in(plan, 4, 1.5), "n")
    assert state.active == (4.0 + 1.5, 0.0)
    assert not runner.is_done(state, 0)


@pytest.mark.parametrize(
    ("index", "offset", "lands"),
    [
        (0, 1.0, 0),  # early in A's prepare, but A is the first: restart A
        (0, 3.0, 0),  # prepare: restart A
        (1, 1.0, 0),  # work: restart A
        (3, 1.0, 0),  # switch: restart A
        (6, 1.0, 0),  # the rest before B: back to A
        (7, 1.0, 0),  # within the first 2 s of B: back to A
        (7, 3.0, 7),  # later in B's prepare: restart B
        (9, 1.0, 7),  # the rest between B's sets: restart B
        (10, 1.0, 7),  # B's second set: restart B
    ],
)
def test_back_from_every_phase_kind(index, offset, lands):
    plan = make_plan(SIDED, SETS)
    at = time_in(plan, index, offset)
    state = run_to(runner.start(plan, T0), at)
    assert state.index == index
    serial = state.serial
    state = runner.step(state, at, "b")
    assert (state.index, state.phase_start, state.serial) == (lands, at, serial + 1)
    assert state.deadline == at + plan.phases[lands].seconds


def test_an_exercise_done_then_revisited_with_back_and_skipped_stays_done():
    plan = make_plan(SIDED, SETS)
    at = time_in(plan, 6, 1.0)
    state = run_to(runner.start(plan, T0), at)
    state = runner.step(state, at, "b")
    state = runner.step(state, at + 1, "n")  # from A's get-ready into A's first hold
    assert state.index == 1
    state = runner.step(state, at + 2, "n")
    assert runner.is_done(state, 0)
    assert state.index == 7


def test_keys_while_paused_keep_the_pause_and_the_new_phase_stays_full():
    plan = make_plan(SIDED, SETS)
    state = runner.step(runner.start(plan, T0), T0 + 1, " ")
    state = runner.step(state, T0 + 3, "n")
    assert state.paused and state.index == 1
    assert runner.remaining(state, T0 + 50) == 2.0
    state = runner.step(state, T0 + 60, " ")
    assert state.deadline == T0 + 62


def test_quit_stops_and_credits_the_hold_so_far():
    plan = make_plan(SIDED, SETS)
    state = runner.step(run_to(runner.start(plan, T0), T0 + 6.5), T0 + 6.5, "q")
    assert state.finished and state.status is SessionStatus.STOPPED
    assert state.ended == T0 + 6.5
    assert state.active == (1.5, 0.0)
    assert runner.step(state, T0 + 100, " ") is state


def test_stop_interrupted_first_counts_the_phases_that_ended():
    plan = make_plan(SIDED, SETS)
    state = runner.start(plan, T0)
    state = runner.stop(state, T0 + 7.25, SessionStatus.INTERRUPTED)
    assert state.status is SessionStatus.INTERRUPTED
    assert state.active == (2.25, 0.0)


def test_a_gap_between_ticks_pauses_at_the_last_tick_and_is_not_counted():
    plan = make_plan(SIDED, SETS)
    state = run_to(runner.start(plan, T0), T0 + 6.0)  # 1 s into rep 1
    state = runner.step(state, T0 + 6.4)
    state = runner.step(state, T0 + 3600)  # the laptop slept for an hour
    assert state.paused and state.suspended
    assert state.index == 1
    assert runner.remaining(state, T0 + 3600) == pytest.approx(0.6)
    snap = runner.snapshot(state, T0 + 3600)
    assert snap.suspended and snap.paused
    state = runner.step(state, T0 + 3700, " ")
    assert not state.suspended and not state.paused
    state = run_to(state, T0 + 5000)
    assert state.active == (8.0, 6.0)
    assert state.ended == pytest.approx(T0 + plan.total_seconds + 3700 - 6.4)


def test_a_gap_while_paused_changes_nothing():
    state = runner.step(runner.start(make_plan(SIDED), T0), T0 + 1, " ")
    state = runner.step(state, T0 + 100)
    assert state.paused and not state.suspended


def test_wait_time_lands_just_after_the_next_whole_second():
    state = runner.start(make_plan(SIDED), T0)
    assert runner.wait_time(state, T0) == runner.MAX_WAIT
    assert runner.wait_time(state, T0 + 0.7) == pytest.approx(0.301)
    assert runner.wait_time(state, T0 + 4.9) == pytest.approx(0.1)  # the phase's end: exactly
    paused = runner.step(state, T0 + 1, " ")
    assert runner.wait_time(paused, T0 + 1.7) == runner.MAX_WAIT


def test_no_drift_after_thousands_of_irregular_ticks():
    # Ten minutes of one-second holds: 600 phases, ticked at random moments.
    plan = make_plan(exercise("long", hold=1, reps=600), prepare=0)
    assert plan.total_seconds == 600
    rng = random.Random(7)
    state = runner.start(plan, T0)
    now = T0
    ticks = 0
    while not state.finished:
        now += rng.uniform(0.001, runner.MAX_WAIT)
        state = runner.step(state, now)
        ticks += 1
    assert ticks > 2000
    assert abs(state.ended - (T0 + 600)) < 0.05
    assert now - (T0 + 600) < runner.MAX_WAIT
    assert state.active == (600.0,)


def test_result_lists_each_exercise_done_or_skipped():
    plan = make_plan(SIDED, SETS)
    state = run_to(runner.start(plan, T0), time_in(plan, 8, 1))
    state = runner.step(state, time_in(plan, 8, 1), "q")
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    end = start + dt.timedelta(seconds=33)
    out = runner.result(state, plan, start, end, SessionStatus.STOPPED)
    assert [(e.exercise_id, e.done, e.active_seconds) for e in out.exercises] == [
        ("a", True, 8.0),
        ("b", False, 1.0),
    ]
    assert (out.status, out.planned_seconds, out.title) == (SessionStatus.STOPPED, 49, "Test")
    assert out.active_seconds == 9.0


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 7.0), st.sampled_from([None, None, " ", "n", "b", "+", "q"])),
        max_size=60,
    )
)
def test_any_ticks_and_keys_keep_the_state_sound(events):
    plan = make_plan(SIDED, SETS)
    state = runner.start(plan, T0)
    now = T0
    for gap, key in events:
        now += gap
        state = runner.step(state, now, key)
        assert 0 <= state.index <= len(plan.phases)
        assert all(a >= 0 for a in state.active)
        # Active time cannot exceed the time that has passed.
        assert sum(state.active) <= now - T0 + 1e-9
        snap = runner.snapshot(state, now)
        assert snap.phase_left >= 0 and snap.session_left >= 0
        assert 0.0 <= snap.progress <= 1.0
    state = runner.stop(state, now + 1, SessionStatus.INTERRUPTED)
    assert state.finished
