"""Generated sessions: minutes, targets, position, equipment and a seed -> an explained Plan.

The rules come from the seed articles (titles as in ../shared/seeds/README.md) and are named
below. Where issue 4 is silent, this module decides:

- `minutes` defaults to 5 and must be 2..60; `targets` default to neck, upper-back, chest and
  shoulders. A target is an area or a muscle, any case; areas count as known even when no
  exercise names them (then the message says no exercise targets it).
- get-ready defaults to model.DEFAULT_PREPARE (5 s); rest defaults to 5 s, shorter than a chosen
  routine's 10 s, because every generated exercise already opens with a get-ready phase. Only
  when a short session cannot keep its rules otherwise are a 0 s rest and a 3 s get-ready tried,
  and only for the values the caller did not set.
- equipment not given: a desk worker with a chair, a desk and a wall, so only exercises needing
  at most those. Given: exactly what the user has (an empty tuple means nothing at all).
- position given: only exercises done in that position or in `any` (`any` given: only `any`).
- kind given: only exercises of that kind; rules that need another kind are skipped.
- no seed: the seed follows the date (YYYYMMDD), so a daily user sees variety and a re-run on
  the same day repeats. Plan.generation records the seed used.
- every exercise in the plan covers a requested target, except the back-strengthening or
  posture move, added when the chest is a target or a chosen stretch works it. A plan is never
  padded with repeats: when the distinct exercises cannot fill the time, the request is refused.
- When time is short, rules are dropped in this order: the back move, the warm-up; then the
  shortest exercises are preferred; only then do get-ready and rest shrink. Coverage and the
  calm finish stay.
- Fitting nudges doses one notch at a time from the catalogue's own dose (smallest change
  first); when coarse steps leave it stuck, an exact subset-sum search over the allowed doses
  settles it. Both are bounded, so generation always ends.
- A stretch held 10 s or more, or done once, is a static hold (15–30 s); a stretch repeated with
  shorter holds, or marked `work: reps`, is an active one (Active Isolated Stretching, article
  000) and keeps its own dose within ±50%, like mobility, release and held posture moves.
- A dose its source states is kept exactly (issue 12; dosing.source_dose says which): shrugs
  3 × 10, the AIS stretches 2 s × 10 a side, half-kneeling 30 s × 3, cross-body 30 s, door-frame
  rotation 10 s; only a one-set prescription may be done again, as another set, to fill a long
  session. A held posture never gets more sets than it has: a posture check is one check.
- discreet: only exercises marked `discreet: true`, doable in a meeting or on a video call;
  without --target it covers neck, upper-back, wrists and eyes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

from stretchcoach.errors import UsageError
from stretchcoach.model import (
    DEFAULT_PREPARE,
    Catalogue,
    Dose,
    Exercise,
    Plan,
    PlanItem,
)
from stretchcoach.plan.compile import compile_items
from stretchcoach.plan.dosing import (
    BALANCE_KINDS,
    SOURCE_NOTE,
    STATIC_NOTE,
    STRENGTH_NOTE,
    distance,
    dose_bounds,
    dose_seconds,
    dosing,
    held_stretch,
    least_seconds,
    natural_dose,
)
from stretchcoach.plan.explain import explain_failures, uncovered_error
from stretchcoach.plan.fit import FIT_FRACTION, FIT_MAX_OVER, Failure, fit
from stretchcoach.plan.pool import FILL_RULE, Candidate, Pick, Pool, Selection
from stretchcoach.plan.request import Request, Spec, resolve

GENERATED_PREPARE = DEFAULT_PREPARE
GENERATED_REST = 5
# The tightest transitions a short session may fall back to: a moment to read the next name.
TIGHT_PREPARE = 3
TIGHT_REST = 0


def generate(
    catalogue: Catalogue,
    request: Request,
    *,
    today: dt.date,
    prepare: int | None = None,
    rest: int | None = None,
) -> Plan:
    """A plan that follows the rules and fits the minutes; UsageError saying what is missing."""
    spec = resolve(catalogue, request, today)
    for name, value in (("--prepare", prepare), ("--rest", rest)):
        if value is not None and value < 0:
            raise UsageError(f"{name} cannot be negative: {value}")
    pool = Pool.build(catalogue, spec)
    for target in spec.targets:
        if not pool.by_target[target]:
            raise uncovered_error(catalogue, spec, target)

    budget = spec.minutes * 60
    low = math.ceil(budget * (1 - FIT_FRACTION))
    high = min(math.floor(budget * (1 + FIT_FRACTION)), budget + FIT_MAX_OVER)
    failures: list[Failure] = []
    selections: dict[tuple[bool, bool, bool], Selection] = {}
    for p, r in _transitions(prepare, rest):
        for rules in _RULE_SETS:
            if rules not in selections:
                warm_up, balance, compact = rules
                selections[rules] = pool.select(warm_up=warm_up, balance=balance, compact=compact)
            outcome = fill(selections[rules], pool, p, r, low, high, budget)
            if isinstance(outcome, Failure):
                failures.append(outcome)
                continue
            return _build(spec, outcome, p, r)
    raise explain_failures(spec, failures)


# What a session keeps when time is short, tried in order: every rule; then without the
# back-strengthening move ("when time allows"); then without the warm-up; last, the shortest
# exercises that still cover every target. Each runs first with the comfortable transitions.
_RULE_SETS = (
    (True, True, False),
    (True, False, False),
    (False, False, False),
    (False, False, True),
)


# --- fitting the time ----------------------------------------------------------------------


class Option:
    """One chosen exercise and every dose it may take, as distinct totals in seconds."""

    __slots__ = ("doses", "natural", "pick", "seconds")

    def __init__(self, pick: Pick, prepare: int, rest: int) -> None:
        self.pick = pick
        exercise = pick.candidate.exercise
        natural = natural_dose(exercise)
        holds, reps, sets = dose_bounds(exercise)
        by_seconds: dict[int, Dose] = {}
        for s in sets:
            for r in reps:
                for h in holds:
                    text = exercise.dose.hold_text if h == exercise.dose.hold else ""
                    dose = Dose(
                        hold=h, reps=r, sets=s, sides=natural.sides, hold_text=text,
                        work=natural.work, between=natural.between,
                    )  # fmt: skip
                    seconds = dose_seconds(dose, prepare, rest)
                    kept = by_seconds.get(seconds)
                    if kept is None or distance(dose, natural) < distance(kept, natural):
                        by_seconds[seconds] = dose
        self.seconds = sorted(by_seconds)
        self.doses = [by_seconds[s] for s in self.seconds]
        target = dose_seconds(natural, prepare, rest)
        self.natural = self.seconds.index(target)
        self.doses[self.natural] = natural  # keeps its "5 breaths" wording

    @property
    def least(self) -> int:
        return self.seconds[0]


@dataclass(frozen=True)
class Fitted:
    options: tuple[Option, ...]
    indexes: tuple[int, ...]
    first: str | None
    last: str | None
    fills: frozenset[str]


def fill(
    selection: Selection, pool: Pool, prepare: int, rest: int, low: int, high: int, aim: int
) -> Fitted | Failure:
    """Add exercises until the doses can be fitted into [low, high]; terminates: each
    candidate is considered at most once."""
    options = [Option(p, prepare, rest) for p in selection.picks]
    least = sum(o.least for o in options) + rest * (len(options) - 1)
    if least > high:
        return Failure("short", least)
    natural = sum(o.seconds[o.natural] for o in options) + rest * (len(options) - 1)
    taken = {p.candidate.exercise.id for p in selection.picks}
    spares: Iterator[Candidate] = (c for c in pool.covering if c.exercise.id not in taken)
    fills: set[str] = set()
    held_back: list[Option] = []

    def next_spare() -> Option | None:
        nonlocal least
        if held_back:
            option = held_back.pop()
            least += rest + option.least
            fills.add(option.pick.candidate.exercise.id)
            return option
        for candidate in spares:
            smallest = least_seconds(candidate.exercise, prepare, rest)
            if least + rest + smallest <= high:
                least += rest + smallest
                fills.add(candidate.exercise.id)
                return Option(Pick(candidate, [FILL_RULE]), prepare, rest)
        return None

    # Cheap first pass on natural doses: add while an exercise brings the total nearer the aim;
    # one that would overshoot by more than it fills is held back for the fitting below.
    while natural < aim:
        option = next_spare()
        if option is None:
            break
        grown = natural + rest + option.seconds[option.natural]
        if grown - aim > aim - natural:
            least -= rest + option.least
            fills.discard(option.pick.candidate.exercise.id)
            held_back.append(option)
            break
        options.append(option)
        natural = grown
    while True:
        status, indexes = fit(options, rest, low, high, aim)
        if status == 0:
            return Fitted(tuple(options), tuple(indexes), selection.first, selection.last,
                           frozenset(fills))  # fmt: skip
        most = sum(o.seconds[-1] for o in options) + rest * (len(options) - 1)
        if status > 0 and options[-1].pick.candidate.exercise.id in fills:
            dropped = options.pop()  # too coarse to fit with it: try the next spare instead
            least -= rest + dropped.least
            most -= rest + dropped.seconds[-1]
            fills.discard(dropped.pick.candidate.exercise.id)
        option = next_spare()
        if option is None:
            return Failure("unfilled", most) if most < low else Failure("gapped", most)
        options.append(option)


def _transitions(prepare: int | None, rest: int | None) -> list[tuple[int, int]]:
    prepares = [prepare] if prepare is not None else [GENERATED_PREPARE, TIGHT_PREPARE]
    rests = [rest] if rest is not None else [GENERATED_REST, TIGHT_REST]
    return [(p, r) for p in prepares for r in rests]


# --- the plan and its reasons ---------------------------------------------------------------


def stage(exercise: Exercise) -> int:
    # Article 004: dynamic moves before static holds; strengthening between, holds last.
    if exercise.kind == "mobility":
        return 0
    if exercise.kind in BALANCE_KINDS:
        return 1
    return 3 if held_stretch(exercise) else 2


def _build(spec: Spec, fitted: Fitted, prepare: int, rest: int) -> Plan:
    chosen = [(o, o.doses[i]) for o, i in zip(fitted.options, fitted.indexes, strict=True)]

    def order(entry: tuple[Option, Dose]) -> int:
        ex_id = entry[0].pick.candidate.exercise.id
        if ex_id == fitted.first:
            return -1
        if ex_id == fitted.last:
            return 9
        return stage(entry[0].pick.candidate.exercise)

    chosen.sort(key=order)  # stable: within a stage, the order of choice
    items = tuple(
        PlanItem(exercise=o.pick.candidate.exercise, dose=dose, reason=_reason(o.pick))
        for o, dose in chosen
    )
    generation: dict[str, object] = {
        "minutes": spec.minutes,
        "targets": list(spec.targets),
        "position": spec.position,
        "equipment": list(spec.equipment) if spec.equipment_given else None,
        "exclude": list(spec.exclude),
        "kind": spec.kind,
        "seed": spec.seed,
    }
    if spec.discreet:  # only when asked, so earlier records and JSON keep their keys
        generation["discreet"] = True
    title = f"{spec.minutes}-minute session: {', '.join(spec.targets)}"
    return compile_items(items, title=title, prepare=prepare, rest=rest, generation=generation)


def _reason(pick: Pick) -> str:
    parts = list(pick.rules)
    if pick.candidate.covers:
        parts.append("covers " + ", ".join(pick.candidate.covers))
    style = dosing(pick.candidate.exercise)
    if style == "static":
        parts.append(STATIC_NOTE)
    elif style == "strength":
        parts.append(STRENGTH_NOTE)
    elif style == "source":
        parts.append(SOURCE_NOTE)
    return "; ".join(parts)
