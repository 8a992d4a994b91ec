"""Finding things in a catalogue: lookup with did-you-mean, target matching, list filters."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Sequence

from stretchcoach.errors import UsageError
from stretchcoach.model import (
    AREAS,
    KINDS,
    POSITIONS,
    Catalogue,
    Exercise,
    Routine,
    canonical_position,
)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to `word`, if one is close enough to suggest."""
    pool = list(choices)
    lowered = word.lower()
    for choice in pool:  # a case slip, or a prefix the user stopped typing
        if choice.lower() == lowered:
            return choice
    close = difflib.get_close_matches(lowered, pool, n=1, cutoff=0.6)
    if close:
        return close[0]
    prefixed = sorted(c for c in pool if c.startswith(lowered) or lowered in c)
    return prefixed[0] if len(prefixed) == 1 else None


def unknown(what: str, word: str, choices: Iterable[str], listing: str) -> UsageError:
    """The error for an unknown name, with a did-you-mean when one fits."""
    suggestion = did_you_mean(word, choices)
    hint = f"did you mean {suggestion!r}?" if suggestion else f"see `{listing}`"
    return UsageError(f"unknown {what} {word!r}", hint=hint)


def lookup(catalogue: Catalogue, name: str) -> Routine | Exercise:
    """The routine, else the exercise, called `name`; UsageError with a suggestion if none."""
    if name in catalogue.routines:
        return catalogue.routines[name]
    if name in catalogue.exercises:
        return catalogue.exercises[name]
    choices = [*catalogue.routines, *catalogue.exercises]
    raise unknown("routine or exercise", name, choices, "stretchcoach routines")


def matches_target(exercise: Exercise, target: str) -> bool:
    """True when `target` names one of the exercise's areas or muscles (any case)."""
    wanted = target.strip().lower()
    return any(t.lower() == wanted for t in exercise.targets) or any(
        m.lower() == wanted for m in exercise.muscles
    )


def known_targets(catalogue: Catalogue) -> list[str]:
    """Every area and muscle named in the catalogue, for did-you-mean on --target."""
    seen: dict[str, None] = {}
    for exercise in catalogue.exercises.values():
        for name in (*exercise.targets, *exercise.muscles):
            seen.setdefault(name.lower(), None)
    return sorted(seen)


def fits_position(exercise: Exercise, position: str) -> bool:
    """True when the exercise can be done in `position`; `any` on either side fits all."""
    return position == "any" or exercise.position in ("any", position)


def fits_equipment(exercise: Exercise, have: Collection[str]) -> bool:
    """True when the exercise needs nothing beyond what the user has (`have`, lowercase)."""
    return all(item.lower() in have for item in exercise.equipment)


def matches_search(exercise: Exercise, text: str) -> bool:
    """True when `text` occurs (any case) in the id, name, muscles or steps."""
    wanted = text.strip().lower()
    fields = (exercise.id, exercise.name, *exercise.muscles, *exercise.steps)
    return any(wanted in field.lower() for field in fields)


def filter_exercises(
    catalogue: Catalogue,
    *,
    targets: Sequence[str] = (),
    position: str | None = None,
    equipment: Sequence[str] | None = None,
    kind: str | None = None,
    search: str | None = None,
    discreet: bool = False,
) -> list[Exercise]:
    """The exercises matching every filter given; UsageError naming an unknown value.

    `targets` match any of them; `equipment` is what the user has (`none` means nothing);
    `discreet` keeps those doable in a meeting or on a video call.
    """
    for target in targets:
        if target.strip().lower() not in _target_names(catalogue):
            raise unknown(
                "target", target, [*AREAS, *known_targets(catalogue)], "stretchcoach list"
            )
    if position is not None and canonical_position(position) in POSITIONS:
        position = canonical_position(position)
    if position is not None and position not in POSITIONS:
        raise unknown("position", position, POSITIONS, "stretchcoach list --help")
    if kind is not None and kind not in KINDS:
        raise unknown("kind", kind, KINDS, "stretchcoach list --help")
    have = None
    if equipment is not None:
        have = {e.strip().lower() for e in equipment} - {"none"}
    filtered = targets or position or have is not None or kind or search or discreet
    if not filtered:  # no filter given: every exercise, without testing each one
        return list(catalogue.exercises.values())
    out = []
    for exercise in catalogue.exercises.values():
        if targets and not any(matches_target(exercise, t) for t in targets):
            continue
        if position is not None and not fits_position(exercise, position):
            continue
        if have is not None and not fits_equipment(exercise, have):
            continue
        if kind is not None and exercise.kind != kind:
            continue
        if search and not matches_search(exercise, search):
            continue
        if discreet and not exercise.discreet:
            continue
        out.append(exercise)
    return out


def _target_names(catalogue: Catalogue) -> set[str]:
    return {*AREAS, *known_targets(catalogue)}
