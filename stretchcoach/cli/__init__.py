"""The command line: thin commands over the core, registered on one Typer app."""

from __future__ import annotations

from stretchcoach.cli import browse, imports, records, session  # noqa: F401  (each registers its commands)
from stretchcoach.cli.base import app, fit_streams

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `stretchcoach` script."""
    fit_streams()
    try:
        app(args=argv, prog_name="stretchcoach")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0
