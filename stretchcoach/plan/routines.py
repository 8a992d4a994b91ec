"""Plans as routines: the replay command line, the routine that compiles back, saving."""

from __future__ import annotations

import re
from collections.abc import Mapping

from stretchcoach.model import (
    Plan,
    Routine,
    RoutineItem,
)


def generation_command(generation: Mapping[str, object]) -> str:
    """The `stretchcoach plan` command line that replays a generation record."""
    words = ["stretchcoach", "plan", "--minutes", str(generation.get("minutes"))]
    for target in strings(generation.get("targets")):
        words += ["--target", quote(target)]
    for key in ("position", "kind"):
        if generation.get(key) is not None:
            words += [f"--{key}", quote(str(generation[key]))]
    equipment = generation.get("equipment")
    if equipment is not None:
        # "none" stands for an empty list: the user said they have nothing at all.
        for item in strings(equipment) or ["none"]:
            words += ["--equipment", quote(item)]
    for excluded in strings(generation.get("exclude")):
        words += ["--exclude", quote(excluded)]
    if generation.get("discreet"):
        words.append("--discreet")
    words += ["--seed", str(generation.get("seed"))]
    return " ".join(words)


def routine_from_plan(plan: Plan, routine_id: str) -> Routine:
    """The routine that compiles back to `plan`: every item with its full dose."""
    items = tuple(
        RoutineItem(
            exercise=item.exercise.id,
            hold=item.dose.hold,
            hold_text=item.dose.hold_text or None,
            reps=item.dose.reps,
            sets=item.dose.sets,
            between=item.dose.between if item.dose.between != item.exercise.dose.between else None,
        )
        for item in plan.items
    )
    if plan.generation is not None:
        summary = f"Generated with: {generation_command(plan.generation)}"
    else:
        summary = f"Saved from {plan.title}"
    return Routine(
        id=routine_id,
        name=plan.title,
        items=items,
        summary=summary,
        prepare=plan.prepare,
        rest=plan.rest,
    )


def strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def quote(word: str) -> str:
    return word if re.fullmatch(r"[\w.-]+", word) else "'" + word.replace("'", "'\\''") + "'"
