"""Where user files live: under STRETCHCOACH_HOME when set, else the platform's dirs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP = "stretchcoach"


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def catalogue_dir(self) -> Path:
        """The user's own catalogue files: every *.yaml / *.yml here is loaded."""
        return self.config_dir / "catalogue"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"


def resolve(environ: Mapping[str, str]) -> Paths:
    """The paths for this environment; STRETCHCOACH_HOME puts everything in one folder."""
    home = environ.get("STRETCHCOACH_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root, data_dir=root, cache_dir=root / "cache")
    import platformdirs  # imported here: only needed without STRETCHCOACH_HOME

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP, appauthor=False)),
    )


def builtin_data_dir() -> Path:
    """The built-in catalogue: inside the installed package, or data/ in a source checkout."""
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"
