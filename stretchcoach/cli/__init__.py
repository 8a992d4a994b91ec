"""The command line: thin commands over the core, registered on one Typer app.

Each command's module is imported when the command runs (see cli.base.COMMAND_MODULES), and
`status` starts without Typer at all (see main).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs `status` start-up time; annotations only
    from typing import Any

__all__ = ["app", "main", "script"]


def _app() -> Any:
    from stretchcoach.cli.base import app  # imported on use: `status` never loads Typer

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None, *, process_ends: bool = False) -> int:
    """Run the app on argv; the exit code. process_ends: the caller ends the process at once
    after a success, so the command may skip tidying that only later code would need."""
    args = sys.argv[1:] if argv is None else argv
    # tmux runs `status` every few seconds: a fast path without Typer, Rich or YAML.
    if args[:1] == ["status"] and not {"-h", "--help"} & set(args[1:]):
        from stretchcoach.remind.status import main as status

        return status(args[1:])
    from stretchcoach.cli.base import fit_streams

    fit_streams()
    extra: dict[str, Any] = {}
    if process_ends:
        from stretchcoach.cli.env import Environment

        extra["obj"] = lambda: Environment.from_os(process_ends=True)
    try:
        _app()(args=argv, prog_name="stretchcoach", **extra)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


def script() -> None:
    """Entry point of the `stretchcoach` script and `python -m stretchcoach`.

    After a success, with the output flushed, the history committed and no other thread
    running, the process ends at once: tearing down the interpreter's objects (the catalogue,
    Typer, Rich) takes longer than the command itself.
    """
    code = main(process_ends=True)
    if code == 0:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: let the normal exit report it
            sys.exit(code)
        # No threads unless threading was imported; importing it only to ask costs `status`.
        threading = sys.modules.get("threading")
        if threading is None or threading.active_count() == 1:
            os._exit(0)
    sys.exit(code)
