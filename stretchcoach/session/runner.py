"""The session state machine: step(state, now, key) -> state, driven by deadlines; no I/O."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from stretchcoach.model import (
    Exercise,
    ExerciseResult,
    Phase,
    PhaseKind,
    Plan,
    SessionResult,
    SessionStatus,
)
from stretchcoach.session.keys import RUNNER_KEYS, RunnerKey

# Seconds `+` adds to the current hold.
EXTEND_SECONDS = 10
# `b` pressed this early in an exercise means "the one before", not "again".
BACK_GRACE = 2.0
# The loop ticks at least every MAX_WAIT seconds; a gap this much longer means the
# machine slept (or the process was stopped), and that time is not stretching.
MAX_WAIT = 0.5
SUSPEND_GAP = 5.0


@dataclass(frozen=True, slots=True)
class State:
    """Where a session is: the phase, its deadline, pauses and what has been done."""

    plan: Plan = field(repr=False, compare=False)
    index: int  # current phase; len(plan.phases) once finished
    started: float  # monotonic time the session began
    phase_start: float  # when the current phase was entered
    deadline: float  # when the current phase ends; pauses and `+` push it back
    last_tick: float
    active: tuple[float, ...]  # per item: seconds spent in its work phases
    completed: frozenset[int] = frozenset()  # work phases that ran to their end
    serial: int = 0  # counts phase entries, so a restarted phase is a new one
    extra: int = 0  # seconds `+` added to the current phase
    added: int = 0  # seconds `+` added over the whole session
    paused: bool = False
    paused_since: float = 0.0
    suspended: bool = False  # paused because the clock jumped (sleep, Ctrl-Z)
    furthest: int = 0  # the furthest item whose own phases (not the rest before it) began
    finished: bool = False
    status: SessionStatus | None = None
    ended: float | None = None  # monotonic time the session ended


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a view needs to draw one frame of the session."""

    title: str
    phase: Phase | None  # None once finished
    serial: int
    item: int  # 0-based index of the current exercise
    items: int
    exercise: Exercise | None
    hold_text: str
    work: str  # "hold" | "reps": how the exercise's work phases are done
    phase_seconds: int  # the phase's length, `+` included
    phase_left: float
    session_left: float
    session_seconds: int  # the plan's length, `+` included
    elapsed: float  # seconds since the session began, pauses included
    phase_elapsed_at: float  # `elapsed` when the current phase began
    next_exercise: Exercise | None
    paused: bool
    suspended: bool
    finished: bool
    status: SessionStatus | None

    @property
    def progress(self) -> float:
        """Share of the session behind us, in whole seconds so it moves with the clock."""
        if self.session_seconds <= 0:
            return 1.0
        left = math.ceil(self.session_left)
        return min(1.0, max(0.0, 1 - left / self.session_seconds))


def start(plan: Plan, now: float) -> State:
    """The state of a session of `plan` beginning at `now`."""
    state = State(
        plan=plan,
        index=0,
        started=now,
        phase_start=now,
        deadline=now + (plan.phases[0].seconds if plan.phases else 0),
        last_tick=now,
        active=(0.0,) * len(plan.items),
    )
    if not plan.phases:
        return replace(state, finished=True, status=SessionStatus.COMPLETED, ended=now)
    return _advance(state, plan, now)


def step(state: State, now: float, key: RunnerKey | None = None) -> State:
    """The state after time reaches `now` and `key` (or None) is pressed."""
    plan = state.plan
    if state.finished:
        return state
    if not state.paused and now - state.last_tick > SUSPEND_GAP:
        state = replace(state, paused=True, paused_since=state.last_tick, suspended=True)
    state = _advance(state, plan, now)
    if not state.finished and key in RUNNER_KEYS:  # any other key changes nothing
        state = _press(state, plan, now, key)
    return replace(state, last_tick=now)


def stop(state: State, now: float, status: SessionStatus) -> State:
    """The session ended at `now` by the user's or the system's will, with `status`."""
    plan = state.plan
    if state.finished:
        return state
    state = _advance(state, plan, now)
    if state.finished:
        return state
    state = _credit_partial(state, plan, now)
    return replace(state, finished=True, status=status, ended=now, last_tick=now)


def remaining(state: State, now: float) -> float:
    """Seconds left in the current phase; frozen while paused."""
    if state.finished:
        return 0.0
    at = state.paused_since if state.paused else now
    return max(0.0, state.deadline - at)


def wait_time(state: State, now: float) -> float:
    """How long the loop may wait before the display or the phase next changes."""
    if state.finished or state.paused:
        return MAX_WAIT
    left = state.deadline - now
    if left <= 0:
        return 0.0
    # Whole seconds are shown: the next change is when `left` crosses an integer, waited for
    # a millisecond past so the new second is drawn. The phase's end itself is waited for
    # exactly: a wake-up a little early only waits again, and the session ends on time.
    if left <= 1.0:
        return min(MAX_WAIT, left)
    to_change = left - math.floor(left) or 1.0
    return min(MAX_WAIT, to_change + 0.001)


def snapshot(state: State, now: float) -> Snapshot:
    """The view's data for `state` at `now`."""
    plan = state.plan
    finished = state.finished or state.index >= len(plan.phases)
    phase = None if finished else plan.phases[state.index]
    item = phase.item if phase else max(len(plan.items) - 1, 0)
    plan_item = plan.items[item] if plan.items else None
    left = remaining(state, now)
    later = sum(p.seconds for p in plan.phases[state.index + 1 :])
    return Snapshot(
        title=plan.title,
        phase=phase,
        serial=state.serial,
        item=item,
        items=len(plan.items),
        exercise=plan_item.exercise if plan_item else None,
        hold_text=plan_item.dose.hold_text if plan_item else "",
        work=plan_item.dose.work if plan_item else "hold",
        phase_seconds=(phase.seconds + state.extra) if phase else 0,
        phase_left=left,
        session_left=0.0 if finished else left + later,
        session_seconds=plan.total_seconds + state.added,
        elapsed=(state.ended if state.ended is not None else now) - state.started,
        phase_elapsed_at=state.phase_start - state.started,
        next_exercise=plan.items[item + 1].exercise if item + 1 < len(plan.items) else None,
        paused=state.paused,
        suspended=state.suspended,
        finished=finished,
        status=state.status,
    )


def is_done(state: State, item: int) -> bool:
    """True when every work phase of `item` has run to its end."""
    return all(
        i in state.completed
        for i, p in enumerate(state.plan.phases)
        if p.item == item and p.kind is PhaseKind.WORK
    )


def result(
    state: State,
    plan: Plan,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    status: SessionStatus,
) -> SessionResult:
    """The record of the session: each exercise done, skipped or not reached, with its time."""
    exercises = tuple(
        ExerciseResult(
            exercise_id=item.exercise.id,
            name=item.exercise.name,
            targets=item.exercise.targets,
            done=is_done(state, index),
            active_seconds=round(state.active[index], 3),
            reached=index <= state.furthest,
        )
        for index, item in enumerate(plan.items)
    )
    return SessionResult(
        started_at=started_at,
        ended_at=ended_at,
        status=status,
        title=plan.title,
        exercises=exercises,
        planned_seconds=plan.total_seconds,
        routine_id=plan.routine_id,
        generation=plan.generation,
    )


def _advance(state: State, plan: Plan, now: float) -> State:
    # Each elapsed phase ends exactly at its own deadline, so late ticks never drift.
    while not state.paused and not state.finished and now >= state.deadline:
        phase = plan.phases[state.index]
        if phase.kind is PhaseKind.WORK:
            state = _credit(state, phase.item, phase.seconds + state.extra)
            state = replace(state, completed=state.completed | {state.index})
        state = _enter(state, plan, state.index + 1, state.deadline)
    return state


def _enter(state: State, plan: Plan, index: int, at: float) -> State:
    """Begin phase `index` at time `at` (or finish when there is none)."""
    if index >= len(plan.phases):
        return replace(
            state,
            index=len(plan.phases),
            phase_start=at,
            deadline=at,
            extra=0,
            finished=True,
            status=SessionStatus.COMPLETED,
            ended=at,
        )
    phase = plan.phases[index]
    return replace(
        state,
        index=index,
        phase_start=at,
        deadline=at + phase.seconds,
        extra=0,
        serial=state.serial + 1,
        paused_since=at if state.paused else state.paused_since,
        furthest=state.furthest if _is_between_rest(phase) else max(state.furthest, phase.item),
    )


def _press(state: State, plan: Plan, now: float, key: RunnerKey) -> State:
    phase = plan.phases[state.index]
    if key == " ":
        if state.paused:
            shift = now - state.paused_since
            return replace(state, paused=False, suspended=False, deadline=state.deadline + shift)
        return replace(state, paused=True, paused_since=now)
    if key == "+":
        if phase.kind is not PhaseKind.WORK:
            return state
        return replace(
            state,
            deadline=state.deadline + EXTEND_SECONDS,
            extra=state.extra + EXTEND_SECONDS,
            added=state.added + EXTEND_SECONDS,
        )
    if key == "q":
        return stop(state, now, SessionStatus.STOPPED)
    if key == "n":
        state = _credit_partial(state, plan, now)
        if phase.kind in (PhaseKind.PREPARE, PhaseKind.REST):
            # Waiting for what comes next (get ready, rest): start it now, never skip it.
            return _enter(state, plan, _next_work(plan, state.index), now)
        return _enter(state, plan, _first_phase(plan, phase.item + 1), now)
    # "b"
    state = _credit_partial(state, plan, now)
    first = _first_phase(plan, phase.item)
    early = state.index == first and _elapsed(state, plan, now) < BACK_GRACE
    if (_is_between_rest(phase) or early) and phase.item > 0:
        return _enter(state, plan, _first_phase(plan, phase.item - 1), now)
    return _enter(state, plan, first, now)


def _elapsed(state: State, plan: Plan, now: float) -> float:
    duration = plan.phases[state.index].seconds + state.extra
    return max(0.0, duration - remaining(state, now))


def _credit_partial(state: State, plan: Plan, now: float) -> State:
    """Count the part of the current work phase already done as active time."""
    phase = plan.phases[state.index]
    if phase.kind is not PhaseKind.WORK:
        return state
    return _credit(state, phase.item, _elapsed(state, plan, now))


def _credit(state: State, item: int, seconds: float) -> State:
    active = list(state.active)
    active[item] += seconds
    return replace(state, active=tuple(active))


def _first_phase(plan: Plan, item: int) -> int:
    """Index of the first phase of `item` after the rest that precedes it."""
    for index, phase in enumerate(plan.phases):
        if phase.item == item and not _is_between_rest(phase):
            return index
    return len(plan.phases)


def _next_work(plan: Plan, index: int) -> int:
    """Index of the first work phase after `index`."""
    for later in range(index + 1, len(plan.phases)):
        if plan.phases[later].kind is PhaseKind.WORK:
            return later
    return len(plan.phases)


def _is_between_rest(phase: Phase) -> bool:
    # plan.py numbers rests between sets (set >= 2); the rest before an exercise has set 0.
    return phase.kind is PhaseKind.REST and phase.set == 0
