"""Finding things in a catalogue: lookup by id with did-you-mean, and target matching."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .errors import UsageError
from .model import Catalogue, Exercise, Routine


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
