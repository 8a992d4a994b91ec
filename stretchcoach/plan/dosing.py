"""How much of each exercise a generated session gives: the articles' rules as doses."""

from __future__ import annotations

import math
from typing import Literal

from stretchcoach.model import (
    Dose,
    Exercise,
    item_seconds,
)

# Article 004 (Upper back pain exercises): "hold stretches for 15-30 seconds".
STATIC_HOLD = (15, 30)
# Article 004: "Aim for 8-12 reps per exercise" when strengthening.
STRENGTH_REPS = (8, 12)
SETS = (1, 3)
# Static stretches repeat at most this often per set; longer is the sets' job.
STATIC_REPS = (1, 3)
# Moves without an article-given range keep their catalogue dose within ±50%.
CATALOGUE_SPREAD = 0.5
# A stretch held this long (or done once) is a static hold; shorter repeated holds are the
# active, facilitated stretching of article 000 (Upper Back and Neck Tightness from Desk Work?).
STATIC_FROM_SECONDS = 10
BALANCE_KINDS = ("strength", "posture")
STATIC_NOTE = "held 15–30 s (Upper back pain exercises)"
STRENGTH_NOTE = "8–12 reps (Upper back pain exercises)"
SOURCE_NOTE = "dose as its source gives it"
# Words in a citation's `says` that mark a dose taken from a general rule, not from the source.
GENERAL_RULE_WORDS = ("general rule", "article 004")


# How the generator may dose an exercise: as its source states, by the static-hold or the
# strengthening rule, or within the catalogue's dose.
Dosing = Literal["source", "static", "strength", "catalogue"]


def dosing(exercise: Exercise) -> Dosing:
    """How the generator may dose `exercise`: "source", "static", "strength" or "catalogue"."""
    dose = exercise.dose
    if source_dose(exercise):
        return "source"
    if held_stretch(exercise):
        return "static"
    # 8-12 reps is a rule for repetitions; a posture held 30 s three times (article 001's
    # half-kneeling) keeps its own count, or one exercise would swallow the session.
    if exercise.kind in BALANCE_KINDS and dose.reps > 1 and dose.hold < STATIC_FROM_SECONDS:
        return "strength"
    return "catalogue"


def held_stretch(exercise: Exercise) -> bool:
    """A static stretch: held 10 s or more, or held once; not a move done in repetitions."""
    dose = exercise.dose
    return (
        exercise.kind == "stretch"
        and dose.work == "hold"
        and (dose.hold >= STATIC_FROM_SECONDS or dose.reps == 1)
    )


def source_dose(exercise: Exercise) -> bool:
    """True when the exercise's citations state its dose (none of them names a general rule).

    Issue 12: a generated session keeps an article's own dose - shrugs 3 x 10, the AIS
    stretches 2 s x 10 a side, half-kneeling 30 s x 3, cross-body 30 s, door-frame 10 s. A
    citation that took a general rule instead says "general rule" or names article 004.
    Exercises without citations (a user's own) stay flexible.
    """
    if not exercise.sources:
        return False
    says = " ".join(s.says.lower() for s in exercise.sources)
    return not any(words in says for words in GENERAL_RULE_WORDS)


def dose_bounds(exercise: Exercise) -> tuple[range, range, range]:
    """The holds, reps and sets a generated plan may give `exercise`."""
    dose = exercise.dose
    sets = range(SETS[0], SETS[1] + 1)
    if exercise.kind == "posture" and dose.work == "hold":
        # a held posture never gets more sets than it has: a posture check is one check,
        # never three in a row
        sets = range(SETS[0], max(SETS[0], dose.sets) + 1)
    style = dosing(exercise)
    if style == "source":
        # The source's hold and reps stay; a one-set prescription may be done again to fill a
        # long session, one with its own sets (shrugs 3 x 10) keeps them.
        if dose.sets > 1:
            sets = range(dose.sets, dose.sets + 1)
        return range(dose.hold, dose.hold + 1), range(dose.reps, dose.reps + 1), sets
    if style == "static":
        reps = clamp(dose.reps, *STATIC_REPS)
        return range(STATIC_HOLD[0], STATIC_HOLD[1] + 1), range(reps, reps + 1), sets
    if style == "strength":
        return range(dose.hold, dose.hold + 1), range(STRENGTH_REPS[0], STRENGTH_REPS[1] + 1), sets
    if dose.reps > 1:
        return range(dose.hold, dose.hold + 1), spread(dose.reps), sets
    return spread(dose.hold), range(1, 2), sets


def natural_dose(exercise: Exercise) -> Dose:
    """The catalogue's dose brought within the generator's bounds."""
    holds, reps, sets = dose_bounds(exercise)
    base = exercise.dose
    hold = clamp(base.hold, holds[0], holds[-1])
    return Dose(
        hold=hold,
        reps=clamp(base.reps, reps[0], reps[-1]),
        sets=clamp(base.sets, sets[0], sets[-1]),
        sides=base.sides,
        hold_text=base.hold_text if hold == base.hold else "",
        work=base.work,
        between=base.between,
    )


dose_seconds = item_seconds  # the generator weighs thousands of doses: arithmetic, not phases


def distance(dose: Dose, natural: Dose) -> tuple[int, int, int]:
    return (
        abs(dose.sets - natural.sets),
        abs(dose.reps - natural.reps),
        abs(dose.hold - natural.hold),
    )


def least_seconds(exercise: Exercise, prepare: int, rest: int) -> int:
    holds, reps, _ = dose_bounds(exercise)
    shortest = Dose(
        holds[0], reps[0], 1, exercise.dose.sides,
        work=exercise.dose.work, between=exercise.dose.between,
    )  # fmt: skip
    return dose_seconds(shortest, prepare, rest)


# --- small helpers -------------------------------------------------------------------------


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def spread(value: int) -> range:
    return range(max(1, math.ceil(value * (1 - CATALOGUE_SPREAD))),
                 max(1, math.floor(value * (1 + CATALOGUE_SPREAD))) + 1)  # fmt: skip
