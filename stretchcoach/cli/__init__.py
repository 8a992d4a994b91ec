"""The command line: thin commands over the core, registered on one Typer app.

Each command's module is imported when the command runs (see cli.base.COMMAND_MODULES).
"""

from __future__ import annotations

import os
import sys

from stretchcoach.cli.base import app

__all__ = ["app", "main", "script"]


def main(argv: list[str] | None = None) -> int:
    """Run the app on argv; the exit code."""
    try:
        app(args=argv, prog_name="stretchcoach")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


def script() -> None:
    """Entry point of the `stretchcoach` script and `python -m stretchcoach`.

    After a success, with the output flushed, the history committed and no other thread
    running, the process ends at once: tearing down the interpreter's objects (the catalogue,
    Typer, Rich) takes longer than the command itself.
    """
    code = main()
    if code == 0:
        import threading

        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: let the normal exit report it
            sys.exit(code)
        if threading.active_count() == 1:
            os._exit(0)
    sys.exit(code)
