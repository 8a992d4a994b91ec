"""Where user files live: under STRETCHCOACH_HOME when set, else the platform's dirs."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

APP = "stretchcoach"
HISTORY_NAME = "history.sqlite3"


class Paths:
    """Where files live. A plain class, not a dataclass: `status` resolves paths on its fast
    path, and dataclasses costs it about 8 ms of imports."""

    __slots__ = ("cache_dir", "config_dir", "data_dir")

    def __init__(self, config_dir: Path, data_dir: Path, cache_dir: Path) -> None:
        self.config_dir = config_dir
        self.data_dir = data_dir
        self.cache_dir = cache_dir

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paths):
            return NotImplemented
        return (self.config_dir, self.data_dir, self.cache_dir) == (
            other.config_dir, other.data_dir, other.cache_dir,
        )  # fmt: skip

    def __hash__(self) -> int:
        return hash((self.config_dir, self.data_dir, self.cache_dir))

    def __repr__(self) -> str:
        return (
            f"Paths(config_dir={self.config_dir!r}, data_dir={self.data_dir!r}, "
            f"cache_dir={self.cache_dir!r})"
        )

    @property
    def catalogue_dir(self) -> Path:
        """The user's own catalogue files: every *.yaml / *.yml here is loaded."""
        return self.config_dir / "catalogue"

    @property
    def history_db(self) -> Path:
        return self.data_dir / HISTORY_NAME


def resolve(environ: Mapping[str, str]) -> Paths:
    """The paths for this environment; STRETCHCOACH_HOME puts everything in one folder."""
    from pathlib import Path  # here, not above: `status` resolves paths without pathlib

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


def fast_dirs(environ: Mapping[str, str]) -> tuple[str, str, str]:
    """(config, data, cache) folders as strings, without pathlib or platformdirs if possible.

    For `status`, which tmux runs every few seconds: importing platformdirs costs more than
    the whole status budget. On Linux the XDG rules are applied here (tests check they agree
    with platformdirs); elsewhere platformdirs answers.
    """
    import os
    import sys

    home = environ.get("STRETCHCOACH_HOME")
    if home:
        root = os.path.expanduser(home)
        return root, root, os.path.join(root, "cache")
    user_home = environ.get("HOME", "")
    if sys.platform.startswith("linux") and os.path.isabs(user_home):

        def xdg(variable: str, default: str) -> str:
            base = environ.get(variable, "")
            if not os.path.isabs(base):
                base = os.path.join(user_home, default)
            return os.path.join(base, APP)

        return (
            xdg("XDG_CONFIG_HOME", ".config"),
            xdg("XDG_DATA_HOME", ".local/share"),
            xdg("XDG_CACHE_HOME", ".cache"),
        )
    paths = resolve(environ)
    return str(paths.config_dir), str(paths.data_dir), str(paths.cache_dir)


def builtin_data_dir() -> Path:
    """The built-in catalogue: inside the installed package, or data/ in a source checkout."""
    from pathlib import Path

    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"
