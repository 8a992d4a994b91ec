"""Saving a routine into the user's catalogue folder, only when every later load will accept it."""

from __future__ import annotations

from pathlib import Path

from stretchcoach.atomic import write_atomic
from stretchcoach.catalogue.loader import load
from stretchcoach.catalogue.routine_yaml import dump
from stretchcoach.catalogue.values import SLUG
from stretchcoach.errors import UsageError
from stretchcoach.model import Routine
from stretchcoach.paths import Paths


def save_routine(routine: Routine, paths: Paths) -> Path:
    """Write `routine` as a schema-1 file in the user's catalogue folder; its path."""
    routine_id = routine.id
    if not SLUG.fullmatch(routine_id):
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
    missing = sorted({i.exercise for i in routine.items} - set(catalogue.exercises))
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
    text = dump(routine)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)  # readers never see half a routine
    return target
