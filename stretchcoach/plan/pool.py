"""The pool: every exercise a request allows, indexed once, and the selection from it."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from stretchcoach.model import (
    Catalogue,
    Exercise,
)
from stretchcoach.plan.dosing import BALANCE_KINDS, held_stretch, least_seconds
from stretchcoach.plan.request import Spec

# Articles 000 and 003 (How To Relieve Upper Back Tension): desk posture tightens the front and
# weakens the back, so stretch the chest and strengthen the upper back (rhomboids, trapezius).
BACK_TARGETS = ("upper-back", "rhomboids", "middle trapezius", "mid trapezius", "lower trapezius")


WARM_UP_RULE = "warm-up: dynamic move before static holds (Upper back pain exercises)"
BALANCE_RULE = (
    "balance: works the upper back against the chest stretches "
    "(Neck tightness from desk work; How to relieve upper back tension)"
)
FINISH_RULE = "finish: a calm static stretch to end on"
FILL_RULE = "fills the time"


# --- the pool: every exercise the request allows, indexed once -----------------------------


@dataclass(frozen=True)
class Candidate:
    exercise: Exercise
    covers: tuple[str, ...]  # requested targets it matches, in request order
    rank: int  # its place in the seed's shuffle of the whole catalogue


@dataclass
class Pool:
    spec: Spec
    covering: list[Candidate]  # candidates covering a requested target, by rank
    by_target: dict[str, list[Candidate]]
    warm_ups: list[Candidate]
    statics: list[Candidate]
    backs: list[Candidate]

    @classmethod
    def build(cls, catalogue: Catalogue, spec: Spec) -> Pool:
        # One shuffle of the whole catalogue, by id, so a plan does not depend on file order
        # and excluding one exercise does not reshuffle the others.
        rng = random.Random(spec.seed)
        ids = sorted(catalogue.exercises)
        keys = [rng.random() for _ in ids]
        rank = {
            ex_id: place for place, (_, ex_id) in enumerate(sorted(zip(keys, ids, strict=True)))
        }
        wanted = set(spec.targets)
        covering: list[Candidate] = []
        backs: list[Candidate] = []
        for exercise in catalogue.exercises.values():
            if not allowed(exercise, spec):
                continue
            names = {n.lower() for n in (*exercise.targets, *exercise.muscles)}
            hits = names & wanted
            covers = tuple(t for t in spec.targets if t in hits)
            candidate = Candidate(exercise, covers, rank[exercise.id])
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

    def select(self, *, warm_up: bool, balance: bool, compact: bool) -> Selection:
        """The exercises the rules require: warm-up, calm finish, coverage, balance."""
        chosen: dict[str, Pick] = {}
        uncovered = list(self.spec.targets)

        def take(candidate: Candidate, rule: str) -> Pick:
            pick = chosen.get(candidate.exercise.id)
            if pick is None:
                pick = chosen[candidate.exercise.id] = Pick(candidate)
                for target in candidate.covers:
                    if target in uncovered:
                        uncovered.remove(target)
            if rule:
                pick.rules.append(rule)
            return pick

        def best(candidates: list[Candidate]) -> Candidate | None:
            # Greedy set cover keeps short sessions short; the seed's rank breaks ties.
            fresh = [c for c in candidates if c.exercise.id not in chosen]
            if not fresh:
                return None

            def key(c: Candidate) -> tuple[int, int, int]:
                gain = -sum(t in uncovered for t in c.covers)
                return (gain, least_seconds(c.exercise, 0, 0) if compact else 0, c.rank)

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
        chest = "chest" in self.spec.targets or stretches_chest(chosen.values())
        if balance and self.backs and chest:
            back_ids = {c.exercise.id for c in self.backs}
            done = [p for p in chosen.values() if p.candidate.exercise.id in back_ids]
            if done:
                done[0].rules.append(BALANCE_RULE)
            else:
                spare = [c for c in self.backs if c.exercise.id not in chosen]
                take(spare[0], BALANCE_RULE)
        return Selection(
            first=first.exercise.id if first else None,
            last=last.candidate.exercise.id if last else None,
            picks=tuple(chosen.values()),
        )


@dataclass
class Pick:
    candidate: Candidate
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Selection:
    first: str | None
    last: str | None
    picks: tuple[Pick, ...]


def allowed(exercise: Exercise, spec: Spec) -> bool:
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


def stretches_chest(picks: Iterable[Pick]) -> bool:
    return any(
        p.candidate.exercise.kind == "stretch"
        and "chest" in {t.lower() for t in p.candidate.exercise.targets}
        for p in picks
    )
