"""Plain data: exercises, routines, the catalogue, plans and session results.

The records are NamedTuples, not frozen slotted dataclasses: the same fields, keyword
construction, equality, hashing, immutability and pickling, at a quarter of the import time
(dataclasses build each class by compiling code at every start). Change one with `_replace`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Literal, NamedTuple

AREAS = (
    "neck",
    "upper-back",
    "chest",
    "shoulders",
    "arms",
    "wrists",
    "lower-back",
    "core",
    "hips",
    "legs",
    "eyes",
    "full-body",
)
KINDS = ("stretch", "mobility", "strength", "posture", "release")
POSITIONS = ("seated", "standing", "kneeling", "floor", "any")
# Words users type for a position on the command line (--position), and the position meant.
POSITION_SYNONYMS = {"sitting": "seated"}


def canonical_position(word: str) -> str:
    """`word` as a position name: lower case, a synonym replaced by its position."""
    lowered = word.strip().lower()
    return POSITION_SYNONYMS.get(lowered, lowered)


SIDES = ("none", "each", "alternate")
# hold: a static hold; reps: a move done in repetitions, each lasting `hold` seconds.
WORKS = ("hold", "reps")

# The same words as types; the tuples above stay the runtime source (parsing, help, checks).
Kind = Literal["stretch", "mobility", "strength", "posture", "release"]
Position = Literal["seated", "standing", "kneeling", "floor", "any"]
Side = Literal["none", "each", "alternate"]
Work = Literal["hold", "reps"]

# Seconds given to change sides between the left and the right half of an exercise.
SWITCH_SECONDS = 5
DEFAULT_PREPARE = 5
DEFAULT_REST = 10


class Origin(NamedTuple):
    """Where a definition was written: a file and a 1-based line and column."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Source(NamedTuple):
    """A citation: the article an exercise is drawn from and the dose it gives."""

    title: str
    publisher: str
    says: str
    url: str | None = None


class Dose(NamedTuple):
    """How much of an exercise: seconds per rep, reps per side, sets, and sides."""

    hold: int
    reps: int = 1
    sets: int = 1
    sides: Side = "none"
    hold_text: str = ""  # as written, e.g. "5 breaths"; empty when plain seconds
    work: Work = "hold"
    between: int = 0  # seconds between reps: the return to the start, or a pause between holds

    @property
    def side_count(self) -> int:
        return 1 if self.sides == "none" else 2

    @property
    def work_seconds(self) -> int:
        """Seconds of work: every rep of every set on every side."""
        return self.hold * self.reps * self.sets * self.side_count

    @property
    def set_seconds(self) -> int:
        """Seconds one set takes: its reps on every side, the returns between reps, the switch."""
        seconds = self.hold * self.reps * self.side_count
        if self.between > 0 and self.reps > 1:
            # each side returns between its reps; alternating sides return once per pair
            seconds += self.between * (self.reps - 1) * (2 if self.sides == "each" else 1)
        if self.sides == "each":
            seconds += SWITCH_SECONDS
        return seconds


def item_seconds(dose: Dose, prepare: int, rest: int) -> int:
    """Seconds one item takes in a plan (get ready, sets, rests between sets), by arithmetic."""
    return max(prepare, 0) + dose.sets * dose.set_seconds + (dose.sets - 1) * max(rest, 0)


class Exercise(NamedTuple):
    id: str
    name: str
    targets: tuple[str, ...]
    dose: Dose
    kind: Kind = "stretch"
    muscles: tuple[str, ...] = ()
    position: Position = "any"
    equipment: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    origin: Origin | None = None
    discreet: bool = False  # doable in a meeting or on a video call without standing out


class RoutineItem(NamedTuple):
    """One exercise in a routine; any dose field set here overrides the exercise's."""

    exercise: str
    hold: int | None = None
    hold_text: str | None = None
    reps: int | None = None
    sets: int | None = None
    sides: Side | None = None
    origin: Origin | None = None
    between: int | None = None

    def dose_for(self, exercise: Exercise) -> Dose:
        base = exercise.dose
        return Dose(
            hold=self.hold if self.hold is not None else base.hold,
            reps=self.reps if self.reps is not None else base.reps,
            sets=self.sets if self.sets is not None else base.sets,
            sides=self.sides if self.sides is not None else base.sides,
            hold_text=((self.hold_text or "") if self.hold is not None else base.hold_text),
            work=base.work,
            between=self.between if self.between is not None else base.between,
        )


class Routine(NamedTuple):
    id: str
    name: str
    items: tuple[RoutineItem, ...]
    summary: str = ""
    prepare: int = DEFAULT_PREPARE
    rest: int = DEFAULT_REST
    origin: Origin | None = None


class LoadedFile(NamedTuple):
    """One catalogue file that was read, and what it defined."""

    path: str
    layer: str  # "built-in" | "user" | "option"
    exercises: int
    routines: int


class Catalogue(NamedTuple):
    """Everything loaded: exercises and routines by id, in load order."""

    exercises: Mapping[str, Exercise] = MappingProxyType({})  # read-only: one shared default
    routines: Mapping[str, Routine] = MappingProxyType({})
    files: tuple[LoadedFile, ...] = ()
    # ids defined more than once: the origins of the definitions no longer in force
    shadowed: Mapping[str, tuple[Origin, ...]] = MappingProxyType({})


class PhaseKind(str, Enum):
    PREPARE = "prepare"
    WORK = "work"
    SWITCH = "switch"
    REST = "rest"
    RELAX = "relax"  # between reps: return to the start, or pause between holds


class Phase(NamedTuple):
    """One timed step of a plan."""

    kind: PhaseKind
    item: int  # index into Plan.items
    seconds: int
    side: str | None = None  # "left" | "right" | None
    rep: int = 0  # 1-based on work phases, 0 elsewhere
    reps: int = 0
    set: int = 0  # 1-based on work phases, 0 elsewhere
    sets: int = 0


class PlanItem(NamedTuple):
    exercise: Exercise
    dose: Dose
    reason: str = ""  # why a generated plan chose it; empty for chosen routines


class Plan(NamedTuple):
    """A routine compiled into a timeline of phases, every duration known."""

    title: str
    items: tuple[PlanItem, ...]
    phases: tuple[Phase, ...]
    prepare: int
    rest: int
    routine_id: str | None = None  # None for a generated plan
    generation: Mapping[str, object] | None = None  # the options and seed that made it

    @property
    def total_seconds(self) -> int:
        return sum(p.seconds for p in self.phases)


class SessionStatus(str, Enum):
    COMPLETED = "completed"
    STOPPED = "stopped"  # the user quit with q
    INTERRUPTED = "interrupted"  # Ctrl-C, SIGTERM, SIGHUP
    SKIPPED = "skipped"  # ran to its end with every exercise skipped: not a completed session


class ExerciseResult(NamedTuple):
    exercise_id: str
    name: str
    targets: tuple[str, ...]
    done: bool  # every work phase ran to its end; False means skipped (maybe partly done)
    active_seconds: float  # seconds spent in its work phases, pauses excluded
    reached: bool = True  # False: the session ended before this exercise began


class SessionResult(NamedTuple):
    """What happened in one session; the history records it."""

    started_at: dt.datetime  # timezone-aware, UTC
    ended_at: dt.datetime
    status: SessionStatus
    title: str
    exercises: tuple[ExerciseResult, ...]
    planned_seconds: int
    routine_id: str | None = None
    generation: Mapping[str, object] | None = None
    check_in_before: int | None = None  # tension or pain 0-10
    check_in_after: int | None = None
    session_id: str | None = None  # stable from the start (a UUID): a journal merge is idempotent

    @property
    def active_seconds(self) -> float:
        return sum(e.active_seconds for e in self.exercises)
