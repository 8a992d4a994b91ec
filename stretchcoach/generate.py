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
- A dose its source states is kept exactly (issue 12): shrugs 3 × 10, the AIS stretches
  2 s × 10 a side, half-kneeling 30 s × 3, cross-body 30 s, door-frame rotation 10 s; only a
  one-set prescription may be done again, as another set, to fill a long session. The
  catalogue says which doses those are: a citation that took a general rule instead says
  "general rule" or names article 004 in its `says`; an exercise with citations and none of
  them so worded keeps its dose. Exercises without citations (a user's own) stay flexible.
- A held posture (kind posture, `work: hold`) keeps its sets: a posture check is one check,
  never three in a row.
- discreet: only exercises marked `discreet: true`, doable in a meeting or on a video call;
  without --target it covers neck, upper-back, wrists and eyes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import os
import random
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .durations import format_clock
from .errors import UsageError
from .model import (
    AREAS,
    DEFAULT_PREPARE,
    KINDS,
    POSITIONS,
    Catalogue,
    Dose,
    Exercise,
    Plan,
    PlanItem,
    Routine,
    RoutineItem,
    item_seconds,
)
from .paths import Paths
from .plan import compile_items
from .select import did_you_mean, known_targets, unknown

MIN_MINUTES = 2
MAX_MINUTES = 60
DEFAULT_MINUTES = 5
DEFAULT_TARGETS = ("neck", "upper-back", "chest", "shoulders")
# With --discreet and no --target: what a meeting allows (no chest opener goes unnoticed).
DISCREET_TARGETS = ("neck", "upper-back", "wrists", "eyes")
# What every desk worker has to hand when --equipment is not given.
DESK_EQUIPMENT = ("chair", "desk", "wall")
GENERATED_PREPARE = DEFAULT_PREPARE
GENERATED_REST = 5
# The tightest transitions a short session may fall back to: a moment to read the next name.
TIGHT_PREPARE = 3
TIGHT_REST = 0
# DESIGN.md: within 10% of the minutes asked for, and never more than 30 s over.
FIT_FRACTION = 0.10
FIT_MAX_OVER = 30

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
# Articles 000 and 003 (How To Relieve Upper Back Tension): desk posture tightens the front and
# weakens the back, so stretch the chest and strengthen the upper back (rhomboids, trapezius).
BACK_TARGETS = ("upper-back", "rhomboids", "middle trapezius", "mid trapezius", "lower trapezius")
BALANCE_KINDS = ("strength", "posture")

WARM_UP_RULE = "warm-up: dynamic move before static holds (article 004)"
BALANCE_RULE = "balance: works the upper back against the chest stretches (articles 000, 003)"
FINISH_RULE = "finish: a calm static stretch to end on"
FILL_RULE = "fills the time"
STATIC_NOTE = "held 15–30 s (article 004)"
STRENGTH_NOTE = "8–12 reps (article 004)"
SOURCE_NOTE = "dose as its source gives it"
# Words in a citation's `says` that mark a dose taken from a general rule, not from the source.
GENERAL_RULE_WORDS = ("general rule", "article 004")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


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


def generate(
    catalogue: Catalogue,
    request: Request,
    *,
    today: dt.date,
    prepare: int | None = None,
    rest: int | None = None,
) -> Plan:
    """A plan that follows the rules and fits the minutes; UsageError saying what is missing."""
    spec = _resolve(catalogue, request, today)
    for name, value in (("--prepare", prepare), ("--rest", rest)):
        if value is not None and value < 0:
            raise UsageError(f"{name} cannot be negative: {value}")
    pool = _Pool.build(catalogue, spec)
    for target in spec.targets:
        if not pool.by_target[target]:
            raise _uncovered(catalogue, spec, target)

    budget = spec.minutes * 60
    low = math.ceil(budget * (1 - FIT_FRACTION))
    high = min(math.floor(budget * (1 + FIT_FRACTION)), budget + FIT_MAX_OVER)
    failures: list[_Failure] = []
    selections: dict[tuple[bool, bool, bool], _Selection] = {}
    for p, r in _transitions(prepare, rest):
        for rules in _RULE_SETS:
            if rules not in selections:
                warm_up, balance, compact = rules
                selections[rules] = pool.select(warm_up=warm_up, balance=balance, compact=compact)
            outcome = _fill(selections[rules], pool, p, r, low, high, budget)
            if isinstance(outcome, _Failure):
                failures.append(outcome)
                continue
            return _build(spec, outcome, p, r)
    raise _explain(spec, failures)


# What a session keeps when time is short, tried in order: every rule; then without the
# back-strengthening move ("when time allows"); then without the warm-up; last, the shortest
# exercises that still cover every target. Each runs first with the comfortable transitions.
_RULE_SETS = (
    (True, True, False),
    (True, False, False),
    (False, False, False),
    (False, False, True),
)


def dosing(exercise: Exercise) -> str:
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
    """True when the exercise's citations state its dose (none of them names a general rule)."""
    if not exercise.sources:
        return False
    says = " ".join(s.says.lower() for s in exercise.sources)
    return not any(words in says for words in GENERAL_RULE_WORDS)


def dose_bounds(exercise: Exercise) -> tuple[range, range, range]:
    """The holds, reps and sets a generated plan may give `exercise`."""
    dose = exercise.dose
    sets = range(SETS[0], SETS[1] + 1)
    if exercise.kind == "posture" and dose.work == "hold":
        sets = range(dose.sets, dose.sets + 1)
    style = dosing(exercise)
    if style == "source":
        # The source's hold and reps stay; a one-set prescription may be done again to fill a
        # long session, one with its own sets (shrugs 3 x 10) keeps them.
        if dose.sets > 1:
            sets = range(dose.sets, dose.sets + 1)
        return range(dose.hold, dose.hold + 1), range(dose.reps, dose.reps + 1), sets
    if style == "static":
        reps = _clamp(dose.reps, *STATIC_REPS)
        return range(STATIC_HOLD[0], STATIC_HOLD[1] + 1), range(reps, reps + 1), sets
    if style == "strength":
        return range(dose.hold, dose.hold + 1), range(STRENGTH_REPS[0], STRENGTH_REPS[1] + 1), sets
    if dose.reps > 1:
        return range(dose.hold, dose.hold + 1), _spread(dose.reps), sets
    return _spread(dose.hold), range(1, 2), sets


def natural_dose(exercise: Exercise) -> Dose:
    """The catalogue's dose brought within the generator's bounds."""
    holds, reps, sets = dose_bounds(exercise)
    base = exercise.dose
    hold = _clamp(base.hold, holds[0], holds[-1])
    return Dose(
        hold=hold,
        reps=_clamp(base.reps, reps[0], reps[-1]),
        sets=_clamp(base.sets, sets[0], sets[-1]),
        sides=base.sides,
        hold_text=base.hold_text if hold == base.hold else "",
        work=base.work,
        between=base.between,
    )


dose_seconds = item_seconds  # the generator weighs thousands of doses: arithmetic, not phases


def generation_command(generation: Mapping[str, object]) -> str:
    """The `stretchcoach plan` command line that replays a generation record."""
    words = ["stretchcoach", "plan", "--minutes", str(generation.get("minutes"))]
    for target in _strings(generation.get("targets")):
        words += ["--target", _quote(target)]
    for key in ("position", "kind"):
        if generation.get(key) is not None:
            words += [f"--{key}", _quote(str(generation[key]))]
    equipment = generation.get("equipment")
    if equipment is not None:
        # "none" stands for an empty list: the user said they have nothing at all.
        for item in _strings(equipment) or ["none"]:
            words += ["--equipment", _quote(item)]
    for excluded in _strings(generation.get("exclude")):
        words += ["--exclude", _quote(excluded)]
    if generation.get("discreet"):
        words.append("--discreet")
    words += ["--seed", str(generation.get("seed"))]
    return " ".join(words)


def save_routine(plan: Plan, routine_id: str, paths: Paths) -> Path:
    """Write `plan` as a schema-1 routine file in the user's catalogue folder; its path."""
    from .catalogue import load  # the loader is only needed when saving
    from .routine_yaml import dump

    if not _SLUG.fullmatch(routine_id):
        raise UsageError(
            f"{routine_id!r} is not a valid routine id",
            hint="use lowercase letters, digits and single hyphens, e.g. 'my-break'",
        )
    catalogue = load(paths)
    for what, defined in (("routine", catalogue.routines), ("exercise", catalogue.exercises)):
        if routine_id in defined:
            origin = defined[routine_id].origin
            where = f" (defined at {origin})" if origin else ""
            raise UsageError(
                f"{routine_id!r} is already the id of a {what}{where}",
                hint="choose another id for --save",
            )
    # A routine naming an exercise the folder cannot resolve would break every later load.
    missing = sorted({i.exercise.id for i in plan.items} - set(catalogue.exercises))
    if missing:
        raise UsageError(
            f"cannot save {routine_id!r}: it uses exercises that are neither built in nor in "
            f"your catalogue folder: {', '.join(missing)}",
            hint=f"copy the file that defines them into {paths.catalogue_dir} first",
        )
    folder = paths.catalogue_dir
    target = folder / f"{routine_id}.yaml"
    if target.exists():
        raise UsageError(
            f"{target} already exists", hint="choose another id for --save, or remove the file"
        )
    text = dump(routine_from_plan(plan, routine_id))
    folder.mkdir(parents=True, exist_ok=True)
    # A temp file in the same folder, then one rename: readers never see half a routine, and
    # the ".tmp" suffix keeps the loader from reading it meanwhile.
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{routine_id}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


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


# --- the request, checked and with its defaults filled in ----------------------------------


@dataclass(frozen=True)
class _Spec:
    minutes: int
    targets: tuple[str, ...]
    position: str | None
    equipment: tuple[str, ...]
    equipment_given: bool
    exclude: tuple[str, ...]
    kind: str | None
    seed: int
    discreet: bool = False


def _resolve(catalogue: Catalogue, request: Request, today: dt.date) -> _Spec:
    minutes = DEFAULT_MINUTES if request.minutes is None else request.minutes
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise UsageError(
            f"--minutes must be between {MIN_MINUTES} and {MAX_MINUTES}, not {minutes}",
            hint="a short break every hour beats one long session (article 003)",
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
    position = _choice("position", request.position, POSITIONS)
    kind = _choice("kind", request.kind, KINDS)
    for excluded in request.exclude:
        if excluded not in catalogue.exercises:
            suggestion = did_you_mean(excluded, catalogue.exercises)
            raise UsageError(
                f"cannot exclude {excluded!r}: there is no exercise with that id",
                hint=f"did you mean {suggestion!r}?" if suggestion else "see `stretchcoach list`",
            )
    equipment = DESK_EQUIPMENT if request.equipment is None else request.equipment
    return _Spec(
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


def _choice(what: str, value: str | None, choices: Sequence[str]) -> str | None:
    if value is None:
        return None
    word = value.strip().lower()
    if word not in choices:
        raise unknown(what, value, choices, f"stretchcoach list --{what} ...")
    return word


# --- the pool: every exercise the request allows, indexed once -----------------------------


@dataclass(frozen=True)
class _Candidate:
    exercise: Exercise
    covers: tuple[str, ...]  # requested targets it matches, in request order
    rank: int  # its place in the seed's shuffle of the whole catalogue


@dataclass
class _Pool:
    spec: _Spec
    covering: list[_Candidate]  # candidates covering a requested target, by rank
    by_target: dict[str, list[_Candidate]]
    warm_ups: list[_Candidate]
    statics: list[_Candidate]
    backs: list[_Candidate]

    @classmethod
    def build(cls, catalogue: Catalogue, spec: _Spec) -> _Pool:
        # One shuffle of the whole catalogue, by id, so a plan does not depend on file order
        # and excluding one exercise does not reshuffle the others.
        rng = random.Random(spec.seed)
        ids = sorted(catalogue.exercises)
        keys = [rng.random() for _ in ids]
        rank = {
            ex_id: place for place, (_, ex_id) in enumerate(sorted(zip(keys, ids, strict=True)))
        }
        wanted = set(spec.targets)
        covering: list[_Candidate] = []
        backs: list[_Candidate] = []
        for exercise in catalogue.exercises.values():
            if not _allowed(exercise, spec):
                continue
            names = {n.lower() for n in (*exercise.targets, *exercise.muscles)}
            hits = names & wanted
            covers = tuple(t for t in spec.targets if t in hits)
            candidate = _Candidate(exercise, covers, rank[exercise.id])
            if covers:
                covering.append(candidate)
            if exercise.kind in BALANCE_KINDS and names.intersection(BACK_TARGETS):
                backs.append(candidate)
        covering.sort(key=lambda c: c.rank)
        backs.sort(key=lambda c: c.rank)
        return cls(
            spec=spec,
            covering=covering,
            by_target={t: [c for c in covering if t in c.covers] for t in spec.targets},
            # Article 004: "Dynamic stretching is key before exercising" — a mobility move first.
            warm_ups=[c for c in covering if c.exercise.kind == "mobility"],
            statics=[c for c in covering if held_stretch(c.exercise)],
            backs=backs,
        )

    def select(self, *, warm_up: bool, balance: bool, compact: bool) -> _Selection:
        """The exercises the rules require: warm-up, calm finish, coverage, balance."""
        chosen: dict[str, _Pick] = {}
        uncovered = list(self.spec.targets)

        def take(candidate: _Candidate, rule: str) -> _Pick:
            pick = chosen.get(candidate.exercise.id)
            if pick is None:
                pick = chosen[candidate.exercise.id] = _Pick(candidate)
                for target in candidate.covers:
                    if target in uncovered:
                        uncovered.remove(target)
            if rule:
                pick.rules.append(rule)
            return pick

        def best(candidates: list[_Candidate]) -> _Candidate | None:
            # Greedy set cover keeps short sessions short; the seed's rank breaks ties.
            fresh = [c for c in candidates if c.exercise.id not in chosen]
            if not fresh:
                return None

            def key(c: _Candidate) -> tuple[int, int, int]:
                gain = -sum(t in uncovered for t in c.covers)
                return (gain, _least_seconds(c.exercise, 0, 0) if compact else 0, c.rank)

            return min(fresh, key=key)

        first = self.warm_ups[0] if warm_up and self.warm_ups else None
        if first is not None:
            take(first, WARM_UP_RULE)
        finisher = best(self.statics)
        last = take(finisher, FINISH_RULE) if finisher is not None else None
        while uncovered:
            candidate = best(self.by_target[uncovered[0]])
            if candidate is None:  # cannot happen: every target was checked to have one
                break
            take(candidate, "")
        chest = "chest" in self.spec.targets or _stretches_chest(chosen.values())
        if balance and self.backs and chest:
            back_ids = {c.exercise.id for c in self.backs}
            done = [p for p in chosen.values() if p.candidate.exercise.id in back_ids]
            if done:
                done[0].rules.append(BALANCE_RULE)
            else:
                spare = [c for c in self.backs if c.exercise.id not in chosen]
                take(spare[0], BALANCE_RULE)
        return _Selection(
            first=first.exercise.id if first else None,
            last=last.candidate.exercise.id if last else None,
            picks=tuple(chosen.values()),
        )


@dataclass
class _Pick:
    candidate: _Candidate
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Selection:
    first: str | None
    last: str | None
    picks: tuple[_Pick, ...]


def _allowed(exercise: Exercise, spec: _Spec) -> bool:
    dose = exercise.dose
    return (
        dose.hold > 0
        and dose.reps > 0
        and exercise.id not in spec.exclude
        and (spec.kind is None or exercise.kind == spec.kind)
        and (not spec.discreet or exercise.discreet)
        and (spec.position is None or exercise.position in (spec.position, "any"))
        and all(e.lower() in spec.equipment for e in exercise.equipment)
    )


def _stretches_chest(picks: Iterable[_Pick]) -> bool:
    return any(
        p.candidate.exercise.kind == "stretch"
        and "chest" in {t.lower() for t in p.candidate.exercise.targets}
        for p in picks
    )


# --- fitting the time ----------------------------------------------------------------------


class _Option:
    """One chosen exercise and every dose it may take, as distinct totals in seconds."""

    __slots__ = ("doses", "natural", "pick", "seconds")

    def __init__(self, pick: _Pick, prepare: int, rest: int) -> None:
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
                    if kept is None or _distance(dose, natural) < _distance(kept, natural):
                        by_seconds[seconds] = dose
        self.seconds = sorted(by_seconds)
        self.doses = [by_seconds[s] for s in self.seconds]
        target = dose_seconds(natural, prepare, rest)
        self.natural = self.seconds.index(target)
        self.doses[self.natural] = natural  # keeps its "5 breaths" wording

    @property
    def least(self) -> int:
        return self.seconds[0]


def _distance(dose: Dose, natural: Dose) -> tuple[int, int, int]:
    return (
        abs(dose.sets - natural.sets),
        abs(dose.reps - natural.reps),
        abs(dose.hold - natural.hold),
    )


def _least_seconds(exercise: Exercise, prepare: int, rest: int) -> int:
    holds, reps, _ = dose_bounds(exercise)
    shortest = Dose(
        holds[0], reps[0], 1, exercise.dose.sides,
        work=exercise.dose.work, between=exercise.dose.between,
    )  # fmt: skip
    return dose_seconds(shortest, prepare, rest)


@dataclass(frozen=True)
class _Fitted:
    options: tuple[_Option, ...]
    indexes: tuple[int, ...]
    first: str | None
    last: str | None
    fills: frozenset[str]


@dataclass(frozen=True)
class _Failure:
    # "short": the required exercises alone overrun; "unfilled": too few to fill the time;
    # "gapped": the totals the doses allow jump over the band around the minutes asked for
    why: str
    seconds: int  # the least ("short") or most ("unfilled") the plan could take


def _fill(
    selection: _Selection, pool: _Pool, prepare: int, rest: int, low: int, high: int, aim: int
) -> _Fitted | _Failure:
    """Add exercises until the doses can be fitted into [low, high]; terminates: each
    candidate is considered at most once."""
    options = [_Option(p, prepare, rest) for p in selection.picks]
    least = sum(o.least for o in options) + rest * (len(options) - 1)
    if least > high:
        return _Failure("short", least)
    natural = sum(o.seconds[o.natural] for o in options) + rest * (len(options) - 1)
    taken = {p.candidate.exercise.id for p in selection.picks}
    spares: Iterator[_Candidate] = (c for c in pool.covering if c.exercise.id not in taken)
    fills: set[str] = set()
    held_back: list[_Option] = []

    def next_spare() -> _Option | None:
        nonlocal least
        if held_back:
            option = held_back.pop()
            least += rest + option.least
            fills.add(option.pick.candidate.exercise.id)
            return option
        for candidate in spares:
            smallest = _least_seconds(candidate.exercise, prepare, rest)
            if least + rest + smallest <= high:
                least += rest + smallest
                fills.add(candidate.exercise.id)
                return _Option(_Pick(candidate, [FILL_RULE]), prepare, rest)
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
        status, indexes = _fit(options, rest, low, high, aim)
        if status == 0:
            return _Fitted(tuple(options), tuple(indexes), selection.first, selection.last,
                           frozenset(fills))  # fmt: skip
        most = sum(o.seconds[-1] for o in options) + rest * (len(options) - 1)
        if status > 0 and options[-1].pick.candidate.exercise.id in fills:
            dropped = options.pop()  # too coarse to fit with it: try the next spare instead
            least -= rest + dropped.least
            most -= rest + dropped.seconds[-1]
            fills.discard(dropped.pick.candidate.exercise.id)
        option = next_spare()
        if option is None:
            return _Failure("unfilled", most) if most < low else _Failure("gapped", most)
        options.append(option)


def _fit(options: list[_Option], rest: int, low: int, high: int, aim: int) -> tuple[int, list[int]]:
    """Doses whose total lies in [low, high]: -1 too short, 0 fits, 1 too long. Moves each
    dose one notch at a time, smallest change first, in one direction only, so it ends."""
    indexes = [o.natural for o in options]
    total = sum(o.seconds[i] for o, i in zip(options, indexes, strict=True)) + rest * (
        len(options) - 1
    )
    up = total < aim
    heap: list[tuple[int, int]] = []
    for k, (o, i) in enumerate(zip(options, indexes, strict=True)):
        j = i + 1 if up else i - 1
        if 0 <= j < len(o.seconds):
            heap.append((abs(o.seconds[j] - o.seconds[i]), k))
    heapq.heapify(heap)
    while heap and (total < aim if up else total > aim):
        step, k = heapq.heappop(heap)
        if (total + step > high) if up else (total - step < low):
            break  # every other step is at least as large
        total += step if up else -step
        indexes[k] += 1 if up else -1
        o, i = options[k], indexes[k]
        j = i + 1 if up else i - 1
        if 0 <= j < len(o.seconds):
            heapq.heappush(heap, (abs(o.seconds[j] - o.seconds[i]), k))
    status = -1 if total < low else (1 if total > high else 0)
    if status != 0:
        # The nudging got stuck between coarse steps; an exact search settles whether any
        # combination of doses fits at all.
        exact = _fit_exactly(options, rest, low, high, aim)
        if exact is not None:
            return 0, exact
    return status, indexes


def _fit_exactly(
    options: list[_Option], rest: int, low: int, high: int, aim: int
) -> list[int] | None:
    """Doses with the total nearest `aim` within [low, high], if any: subset sums as bitsets."""
    base = rest * (len(options) - 1)
    lo, hi, goal = max(low - base, 0), high - base, aim - base
    if hi < 0:
        return None
    mask = (1 << (hi + 1)) - 1
    reach = [1]  # reach[k]: bit t set when the first k exercises can total t seconds
    for option in options:
        sums = 0
        for seconds in option.seconds:
            if seconds > hi:
                break
            sums |= reach[-1] << seconds
        reach.append(sums & mask)
    totals = [t for t in range(lo, hi + 1) if reach[-1] >> t & 1]
    if not totals:
        return None
    left = min(totals, key=lambda t: (abs(t - goal), t))
    indexes = [0] * len(options)
    for k in reversed(range(len(options))):
        option = options[k]
        fitting = [
            j
            for j, seconds in enumerate(option.seconds)
            if seconds <= left and reach[k] >> (left - seconds) & 1
        ]
        indexes[k] = min(fitting, key=lambda j: (abs(j - option.natural), j))
        left -= option.seconds[indexes[k]]
    return indexes


def _transitions(prepare: int | None, rest: int | None) -> list[tuple[int, int]]:
    prepares = [prepare] if prepare is not None else [GENERATED_PREPARE, TIGHT_PREPARE]
    rests = [rest] if rest is not None else [GENERATED_REST, TIGHT_REST]
    return [(p, r) for p in prepares for r in rests]


# --- the plan and its reasons ---------------------------------------------------------------


def _stage(exercise: Exercise) -> int:
    # Article 004: dynamic moves before static holds; strengthening between, holds last.
    if exercise.kind == "mobility":
        return 0
    if exercise.kind in BALANCE_KINDS:
        return 1
    return 3 if held_stretch(exercise) else 2


def _build(spec: _Spec, fitted: _Fitted, prepare: int, rest: int) -> Plan:
    chosen = [(o, o.doses[i]) for o, i in zip(fitted.options, fitted.indexes, strict=True)]

    def order(entry: tuple[_Option, Dose]) -> int:
        ex_id = entry[0].pick.candidate.exercise.id
        if ex_id == fitted.first:
            return -1
        if ex_id == fitted.last:
            return 9
        return _stage(entry[0].pick.candidate.exercise)

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


def _reason(pick: _Pick) -> str:
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


# --- saying what was missing ---------------------------------------------------------------


def _uncovered(catalogue: Catalogue, spec: _Spec, target: str) -> UsageError:
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


def _explain(spec: _Spec, failures: list[_Failure]) -> UsageError:
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


# --- small helpers -------------------------------------------------------------------------


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _spread(value: int) -> range:
    return range(max(1, math.ceil(value * (1 - CATALOGUE_SPREAD))),
                 max(1, math.floor(value * (1 + CATALOGUE_SPREAD))) + 1)  # fmt: skip


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _quote(word: str) -> str:
    return word if re.fullmatch(r"[\w.-]+", word) else "'" + word.replace("'", "'\\''") + "'"
