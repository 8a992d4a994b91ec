"""Shell completion of ids and names from the loaded catalogue.

Each call loads the catalogue as any command does: parsed files come from the parse cache, so
a key press costs a warm load, not a YAML parse. A catalogue that fails to load completes
nothing rather than printing an error into the user's prompt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stretchcoach.model import AREAS, KINDS, POSITION_SYNONYMS, POSITIONS, Catalogue


def _catalogue(ctx: Any) -> Catalogue | None:
    from stretchcoach.catalogue.loader import load
    from stretchcoach.errors import StretchcoachError
    from stretchcoach.paths import resolve

    extra = [Path(p) for p in (ctx.params.get("catalogue") or ())] if ctx is not None else []
    try:
        return load(resolve(os.environ), extra)
    except (StretchcoachError, OSError):
        return None


def _starting(words: Iterable[str], incomplete: str) -> list[str]:
    lowered = incomplete.lower()
    return [w for w in dict.fromkeys(words) if w.lower().startswith(lowered)]


def names(ctx: Any, incomplete: str) -> list[str]:
    """Routine ids, then exercise ids."""
    loaded = _catalogue(ctx)
    if loaded is None:
        return []
    return _starting([*loaded.routines, *loaded.exercises], incomplete)


def exercises(ctx: Any, incomplete: str) -> list[str]:
    """Exercise ids."""
    loaded = _catalogue(ctx)
    return [] if loaded is None else _starting(loaded.exercises, incomplete)


def targets(ctx: Any, incomplete: str) -> list[str]:
    """Body areas, then the muscles the catalogue names."""
    from stretchcoach.catalogue.lookup import known_targets

    loaded = _catalogue(ctx)
    # Muscles named in more than one word would need quoting at a prompt; areas cover them.
    muscles = [m for m in known_targets(loaded) if " " not in m] if loaded is not None else []
    return _starting([*AREAS, *muscles], incomplete)


def positions(incomplete: str) -> list[str]:
    """Positions, and the synonyms the command line accepts."""
    return _starting([*POSITIONS, *POSITION_SYNONYMS], incomplete)


def kinds(incomplete: str) -> list[str]:
    return _starting(KINDS, incomplete)
