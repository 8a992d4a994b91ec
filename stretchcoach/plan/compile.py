"""Routine -> Plan: the timeline of phases, with every duration known."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from stretchcoach.errors import UsageError
from stretchcoach.model import (
    SWITCH_SECONDS,
    Catalogue,
    Dose,
    Exercise,
    Phase,
    PhaseKind,
    Plan,
    PlanItem,
    Routine,
    RoutineItem,
)


def compile_routine(
    routine: Routine,
    catalogue: Catalogue,
    *,
    prepare: int | None = None,
    rest: int | None = None,
    reasons: Sequence[str] = (),
    generation: Mapping[str, object] | None = None,
) -> Plan:
    """The plan for `routine`; `prepare`/`rest` override the routine's own when given."""
    items = []
    for index, item in enumerate(routine.items):
        exercise = catalogue.exercises.get(item.exercise)
        if exercise is None:
            raise UsageError(f"routine {routine.id!r} names unknown exercise {item.exercise!r}")
        reason = reasons[index] if index < len(reasons) else ""
        items.append(PlanItem(exercise=exercise, dose=item.dose_for(exercise), reason=reason))
    return compile_items(
        items,
        title=routine.name,
        prepare=routine.prepare if prepare is None else prepare,
        rest=routine.rest if rest is None else rest,
        routine_id=None if generation is not None else routine.id,
        generation=generation,
    )


def single_exercise_routine(exercise: Exercise) -> Routine:
    """A one-item routine, so that `run EXERCISE` and `run ROUTINE` share one path."""
    return Routine(id=exercise.id, name=exercise.name, items=(RoutineItem(exercise.id),))


def compile_items(
    items: Sequence[PlanItem],
    *,
    title: str,
    prepare: int,
    rest: int,
    routine_id: str | None = None,
    generation: Mapping[str, object] | None = None,
) -> Plan:
    """Lay the items out as phases: get ready, work (sides, reps, sets), rest between."""
    phases: list[Phase] = []
    for index, item in enumerate(items):
        if index > 0 and rest > 0:
            phases.append(Phase(PhaseKind.REST, index, rest))
        phases.extend(_item_phases(index, item.dose, prepare, rest))
    return Plan(
        title=title,
        items=tuple(items),
        phases=tuple(phases),
        prepare=prepare,
        rest=rest,
        routine_id=routine_id,
        generation=generation,
    )


def _item_phases(index: int, dose: Dose, prepare: int, rest: int) -> list[Phase]:
    first_side = None if dose.sides == "none" else "left"
    out: list[Phase] = []
    if prepare > 0:
        out.append(Phase(PhaseKind.PREPARE, index, prepare, side=first_side))
    for set_no in range(1, dose.sets + 1):
        if set_no > 1 and rest > 0:
            out.append(Phase(PhaseKind.REST, index, rest, set=set_no, sets=dose.sets))

        def work(side: str | None, rep: int, set_no: int = set_no) -> Phase:
            return Phase(
                PhaseKind.WORK, index, dose.hold, side=side,
                rep=rep, reps=dose.reps, set=set_no, sets=dose.sets,
            )  # fmt: skip

        def relax(side: str | None, rep: int, set_no: int = set_no) -> Phase:
            # The return between reps, announcing the rep that follows it.
            return Phase(
                PhaseKind.RELAX, index, dose.between, side=side,
                rep=rep, reps=dose.reps, set=set_no, sets=dose.sets,
            )  # fmt: skip

        def side_reps(side: str | None) -> list[Phase]:
            run: list[Phase] = []
            for rep in range(1, dose.reps + 1):
                if rep > 1 and dose.between > 0:
                    run.append(relax(side, rep))
                run.append(work(side, rep))
            return run

        if dose.sides == "none":
            out.extend(side_reps(None))
        elif dose.sides == "each":
            out.extend(side_reps("left"))
            out.append(
                Phase(PhaseKind.SWITCH, index, SWITCH_SECONDS, side="right",
                      set=set_no, sets=dose.sets)
            )  # fmt: skip
            out.extend(side_reps("right"))
        else:  # alternate: left and right take turns, rep by rep
            for rep in range(1, dose.reps + 1):
                if rep > 1 and dose.between > 0:
                    out.append(relax("left", rep))
                out.append(work("left", rep))
                out.append(work("right", rep))
    return out


def phases_seconds(dose: Dose, prepare: int, rest: int) -> int:
    """Seconds one item's phases add up to (model.item_seconds must agree; a test checks)."""
    return sum(p.seconds for p in _item_phases(0, dose, prepare, rest))
