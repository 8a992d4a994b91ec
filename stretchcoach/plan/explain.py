"""Saying what was missing when no plan fits a request."""

from __future__ import annotations

from collections.abc import Callable

from stretchcoach.durations import format_clock
from stretchcoach.errors import UsageError
from stretchcoach.model import (
    Catalogue,
    Exercise,
)
from stretchcoach.plan.fit import Failure
from stretchcoach.plan.request import Spec

# --- saying what was missing ---------------------------------------------------------------


def uncovered_error(catalogue: Catalogue, spec: Spec, target: str) -> UsageError:
    """The error for a target no allowed exercise covers, naming the constraint that emptied it."""
    left = [
        e
        for e in catalogue.exercises.values()
        if target in {n.lower() for n in (*e.targets, *e.muscles)}
    ]
    if not left:
        return UsageError(
            f"no exercise in the catalogue targets {target!r}",
            hint="see `stretchcoach list` for the targets there are, or add a --catalogue file",
        )
    left = [e for e in left if e.id not in spec.exclude]
    if not left:
        return UsageError(
            f"every exercise for target {target!r} is excluded", hint="exclude fewer exercises"
        )
    have = ", ".join(spec.equipment) or "none"
    checks: list[tuple[str, Callable[[Exercise], bool]]] = []
    if spec.kind is not None:
        checks.append((f"kind {spec.kind!r}", lambda e: e.kind == spec.kind))
    if spec.discreet:
        checks.append(("--discreet", lambda e: e.discreet))
    if spec.position is not None:
        checks.append(
            (f"position {spec.position!r}", lambda e: e.position in (spec.position, "any"))
        )
    default = "" if spec.equipment_given else " (the desk default)"
    checks.append(
        (
            f"equipment {have}{default}",
            lambda e: all(x.lower() in spec.equipment for x in e.equipment),
        )
    )
    checks.append(("a usable dose", lambda e: e.dose.hold > 0 and e.dose.reps > 0))
    applied: list[str] = []
    for label, keep in checks:
        applied.append(label)
        kept = [e for e in left if keep(e)]
        if kept:
            left = kept
            continue
        if label.startswith("equipment"):
            needed = sorted({x.lower() for e in left for x in e.equipment} - set(spec.equipment))
            hint = (
                f"its exercises need {', '.join(needed)}; "
                f"say what you have, e.g. --equipment {needed[0]}"
            )
        elif label == "a usable dose":
            hint = "give its exercises a hold and reps above zero"
        elif label == "--discreet":
            hint = "leave out --discreet, or choose another target"
        else:
            option = label.split()[0]
            hint = f"leave out --{option}, or choose another"
        return UsageError(
            f"no exercise for target {target!r} fits " + " and ".join(applied), hint=hint
        )
    return UsageError(f"no exercise for target {target!r} fits the request")


def explain_failures(spec: Spec, failures: list[Failure]) -> UsageError:
    targets = ", ".join(spec.targets)
    if any(f.why == "gapped" for f in failures):
        return UsageError(
            f"no doses of the exercises that fit the request come within 10% of "
            f"{spec.minutes} minutes",
            hint="ask for a few minutes more or less, or widen --target/--position/--equipment",
        )
    unfilled = [f for f in failures if f.why == "unfilled"]
    if unfilled:
        most = max(f.seconds for f in unfilled)
        return UsageError(
            f"not enough distinct exercises to fill {spec.minutes} minutes for {targets}: "
            f"the ones that fit the request last at most {format_clock(most)} without repeats",
            hint="ask for fewer --minutes, more --target areas, or widen --position/--equipment",
        )
    least = min(f.seconds for f in failures)
    return UsageError(
        f"{spec.minutes} minutes is too short to cover {targets}: "
        f"the shortest plan that does takes {format_clock(least)}",
        hint="ask for more --minutes or fewer --target areas",
    )
