"""A plan shown before it is run: a table for people and JSON with stable keys."""

from __future__ import annotations

from typing import Any

from stretchcoach.durations import describe, format_seconds
from stretchcoach.model import Dose, Plan, PlanItem
from stretchcoach.render.styled import Piece, Styled, table
from stretchcoach.render.text import clean

SIDES_WORDS = {"none": "both at once", "each": "each side", "alternate": "alternating"}


def item_seconds(plan: Plan, item: int) -> int:
    """Seconds the plan spends on `item`, not counting the rest before it."""
    return sum(
        p.seconds
        for p in plan.phases
        if p.item == item and not (p.kind.value == "rest" and p.set == 0)
    )


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data with stable keys."""
    return {
        "title": plan.title,
        "routine_id": plan.routine_id,
        "total_seconds": plan.total_seconds,
        "prepare_seconds": plan.prepare,
        "rest_seconds": plan.rest,
        "generation": dict(plan.generation) if plan.generation is not None else None,
        "items": [_item_json(plan, index, item) for index, item in enumerate(plan.items)],
        "phases": [
            {
                "kind": p.kind.value,
                "item": p.item,
                "seconds": p.seconds,
                "side": p.side,
                "rep": p.rep,
                "reps": p.reps,
                "set": p.set,
                "sets": p.sets,
            }
            for p in plan.phases
        ],
    }


def _item_json(plan: Plan, index: int, item: PlanItem) -> dict[str, Any]:
    return {
        "exercise": item.exercise.id,
        "name": item.exercise.name,
        "sides": item.dose.sides,
        "hold_seconds": item.dose.hold,
        "reps": item.dose.reps,
        "sets": item.dose.sets,
        "seconds": item_seconds(plan, index),
        "reason": item.reason,
    }


def heading(plan: Plan) -> str:
    """The line above the table: the title and where the plan came from."""
    if plan.routine_id is not None:
        return f"{clean(plan.title)} ({plan.routine_id})"
    seed = plan.generation.get("seed") if plan.generation else None
    return (
        f"{clean(plan.title)} (generated, seed {seed})" if seed is not None else clean(plan.title)
    )


def footer(plan: Plan) -> str:
    """The line below the table: get-ready and rest times, and the total."""
    parts = []
    if plan.prepare:
        parts.append(f"get ready {format_seconds(plan.prepare)} before each exercise")
    if plan.rest:
        parts.append(f"rest {format_seconds(plan.rest)} between")
    parts.append(f"total {format_seconds(plan.total_seconds)}")
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def plan_table(plan: Plan, width: int = 80) -> Styled:
    """The plan for people: each exercise with its dose and time, the reason a generated plan
    chose it on the line below (wrapped within `width`), then the total."""
    import textwrap

    headers = ("#", "exercise", "sides", "reps", "sets", "hold", "time")
    rows = [
        (
            str(index + 1),
            clean(item.exercise.name),
            SIDES_WORDS.get(item.dose.sides, item.dose.sides),
            str(item.dose.reps),
            str(item.dose.sets),
            _each(item.dose),
            format_seconds(item_seconds(plan, index)),
        )
        for index, item in enumerate(plan.items)
    ]
    right = ("#", "reps", "sets", "hold", "time")
    body = table(headers, rows, right=right, width=width, shrink=("exercise",)).pieces
    indent = " " * (len(str(len(rows))) + 2)
    pieces: list[Piece] = [("bold", heading(plan)), "\n", *body[:2]]
    for index, item in enumerate(plan.items):
        pieces += body[2 + 2 * index : 4 + 2 * index]
        if item.reason:
            why = textwrap.wrap(f"why: {clean(item.reason)}", max(width - len(indent), 20))
            pieces += [("dim", "\n".join(indent + line for line in why)), "\n"]
    return Styled([*pieces, footer(plan)])


def _each(dose: Dose) -> str:
    """The hold column: the hold, or the time of one rep of a move done in reps."""
    if dose.work == "reps":
        return f"{format_seconds(dose.hold)} a rep"
    return describe(dose.hold, dose.hold_text)


def _amount(dose: Dose) -> str:
    """Reps and their time: "3 × 30s" for holds, "10 reps of 2s" for moves done in reps."""
    if dose.work == "reps":
        return f"{dose.reps} rep{'' if dose.reps == 1 else 's'} of {format_seconds(dose.hold)}"
    return f"{dose.reps} × {describe(dose.hold, dose.hold_text)}"


def plan_text(plan: Plan) -> str:
    """The plan as plain lines for pipes: tab-free, one exercise a line."""
    lines = [heading(plan)]
    for index, item in enumerate(plan.items):
        dose = item.dose
        parts = [
            f"{index + 1}. {clean(item.exercise.name)}",
            SIDES_WORDS.get(dose.sides, dose.sides),
            _amount(dose),
        ]
        if dose.sets > 1:
            parts.append(f"{dose.sets} sets")
        parts.append(format_seconds(item_seconds(plan, index)))
        if item.reason:
            parts.append(f"why: {clean(item.reason)}")
        lines.append(" — ".join(parts))
    lines.append(footer(plan))
    return "\n".join(lines) + "\n"
