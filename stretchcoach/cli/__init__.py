"""The command line: thin commands over the core, registered on one Typer app."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs `status` start-up time; annotations only
    from typing import Any

__all__ = ["app", "main"]


def _app() -> Any:
    # Imported on use: `status` must start without Typer (see main).
    from stretchcoach.cli import browse, imports, records, remind, session  # noqa: F401
    from stretchcoach.cli.base import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `stretchcoach` script."""
    args = sys.argv[1:] if argv is None else argv
    # tmux runs `status` every few seconds: a fast path without Typer, Rich or YAML.
    if args[:1] == ["status"] and not {"-h", "--help"} & set(args[1:]):
        from stretchcoach.remind.status import main as status

        return status(args[1:])
    from stretchcoach.cli.base import fit_streams

    fit_streams()
    try:
        _app()(args=argv, prog_name="stretchcoach")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0
