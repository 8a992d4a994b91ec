"""A generation request, checked and with its defaults filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from stretchcoach.catalogue.lookup import did_you_mean, known_targets, unknown
from stretchcoach.errors import UsageError
from stretchcoach.model import (
    AREAS,
    KINDS,
    POSITIONS,
    Catalogue,
    canonical_position,
)

MIN_MINUTES = 2
MAX_MINUTES = 60
DEFAULT_MINUTES = 5
DEFAULT_TARGETS = ("neck", "upper-back", "chest", "shoulders")
# With --discreet and no --target: what a meeting allows (no chest opener goes unnoticed).
DISCREET_TARGETS = ("neck", "upper-back", "wrists", "eyes")
# What every desk worker has to hand when --equipment is not given.
DESK_EQUIPMENT = ("chair", "desk", "wall")


@dataclass(frozen=True)
class Request:
    """What the user asked for; None and () mean the defaults described in the module doc."""

    minutes: int | None = None
    targets: tuple[str, ...] = ()
    position: str | None = None
    equipment: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    kind: str | None = None
    seed: int | None = None
    discreet: bool = False


# --- the request, checked and with its defaults filled in ----------------------------------


@dataclass(frozen=True)
class Spec:
    minutes: int
    targets: tuple[str, ...]
    position: str | None
    equipment: tuple[str, ...]
    equipment_given: bool
    exclude: tuple[str, ...]
    kind: str | None
    seed: int
    discreet: bool = False


def resolve(catalogue: Catalogue, request: Request, today: dt.date) -> Spec:
    minutes = DEFAULT_MINUTES if request.minutes is None else request.minutes
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise UsageError(
            f"--minutes must be between {MIN_MINUTES} and {MAX_MINUTES}, not {minutes}",
            hint=(
                f"--minutes {minutes} is too short for a session; ask for {MIN_MINUTES} or more"
                if minutes < MIN_MINUTES
                else "a short break every hour beats one long session "
                "(How to relieve upper back tension)"
            ),
        )
    targets: list[str] = []
    known: list[str] | None = None
    defaults = DISCREET_TARGETS if request.discreet else DEFAULT_TARGETS
    for raw in request.targets or defaults:
        target = raw.strip().lower()
        if target in targets:
            continue
        if target not in AREAS:
            known = known if known is not None else known_targets(catalogue)
            if target not in known:
                raise unknown("target", raw, [*AREAS, *known], "stretchcoach list")
        targets.append(target)
    given = request.position
    if given is not None and canonical_position(given) in POSITIONS:
        given = canonical_position(given)  # `sitting` is `seated`
    position = choice("position", given, POSITIONS)
    kind = choice("kind", request.kind, KINDS)
    for excluded in request.exclude:
        if excluded not in catalogue.exercises:
            suggestion = did_you_mean(excluded, catalogue.exercises)
            raise UsageError(
                f"cannot exclude {excluded!r}: there is no exercise with that id",
                hint=f"did you mean {suggestion!r}?" if suggestion else "see `stretchcoach list`",
            )
    equipment = DESK_EQUIPMENT if request.equipment is None else request.equipment
    return Spec(
        minutes=minutes,
        targets=tuple(targets),
        position=position,
        equipment=tuple(dict.fromkeys(e.strip().lower() for e in equipment)),
        equipment_given=request.equipment is not None,
        exclude=tuple(dict.fromkeys(request.exclude)),
        kind=kind,
        seed=int(today.strftime("%Y%m%d")) if request.seed is None else request.seed,
        discreet=request.discreet,
    )


def choice(what: str, value: str | None, choices: Sequence[str]) -> str | None:
    if value is None:
        return None
    word = value.strip().lower()
    if word not in choices:
        raise unknown(what, value, choices, f"stretchcoach list --{what} ...")
    return word
