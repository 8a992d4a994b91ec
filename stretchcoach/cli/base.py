"""The Typer app, the shared options, and the one place errors become exit codes."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from stretchcoach import __version__
from stretchcoach.cli import complete
from stretchcoach.cli.env import Environment, current, environment
from stretchcoach.errors import EXIT_INTERRUPTED, StretchcoachError
from stretchcoach.paths import Paths

# The module of stretchcoach.cli that defines each command, in the order --help lists them (the
# order a new user meets them). Only the invoked command's module is imported and only its
# parameters are built: Typer would otherwise build every command at every start.
COMMAND_MODULES = {
    "run": "session", "plan": "session", "list": "browse", "show": "browse",
    "routines": "browse", "history": "records", "stats": "records", "export": "records",
    "remind": "remind", "status": "remind", "pause": "remind", "resume": "remind",
    "validate": "browse", "import": "imports", "info": "browse", "safety": "browse",
}  # fmt: skip
COMMAND_ORDER = tuple(COMMAND_MODULES)


class Group(TyperGroup):
    """Builds commands on first use; turns the error family into a message and an exit code."""

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            self._build(cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        self._build_all()
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in COMMAND_MODULES:
            self._build_all()  # an unknown name: "did you mean" needs every command
        return super().resolve_command(ctx, args)

    def _build(self, name: str) -> None:
        from typer.main import get_command_from_info, get_command_name

        importlib.import_module(f"stretchcoach.cli.{COMMAND_MODULES[name]}")
        for info in app.registered_commands:
            callback_name = info.callback.__name__ if info.callback else ""
            if (info.name or get_command_name(callback_name)) == name:
                command = get_command_from_info(
                    info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )
                self.add_command(command, name)
                return

    def _build_all(self) -> None:
        for name in COMMAND_MODULES:
            if name not in self.commands:
                self._build(name)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # a click Context
        fit_streams()  # again here: a test runner swaps the streams after main() set them
        try:
            return super().invoke(ctx)
        except StretchcoachError as error:
            if _debug(ctx):
                raise
            show_error(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            say("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except OSError as error:
            if _debug(ctx):
                raise
            where = f": {error.filename}" if getattr(error, "filename", None) else ""
            show_error(StretchcoachError(f"{error.strerror or error}{where}"))
            raise typer.Exit(1) from None
        except Exception as error:  # a bug: say so briefly, full story with --debug
            if _debug(ctx) or _is_usage_error(error):
                raise
            show_error(
                StretchcoachError(
                    f"unexpected {type(error).__name__}: {error}",
                    hint="run again with --debug for the traceback, and report it",
                )
            )
            raise typer.Exit(1) from None
        finally:
            current.set(None)  # helpers outside a command see the process's own environment


def _is_usage_error(error: Exception) -> bool:
    # Typer's bundled click raises its own exceptions for bad options; let them through.
    return type(error).__module__.startswith(("typer", "click"))


def _debug(ctx: typer.Context) -> bool:
    obj = ctx.find_root().obj
    return isinstance(obj, Environment) and obj.debug


def show_error(error: StretchcoachError) -> None:
    for line in error.lines():
        say(line)


# ---------------------------------------------------------------- the output layer
# Every command writes through these: data to stdout (text, JSON or a Rich renderable),
# messages to stderr, both inert (escaped) and never failing on the stream's encoding.


def is_terminal(stream: Any = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether output to `stream` (stdout) is styled: Rich's own rule, decided without
    importing Rich so piped output stays fast. TTY_COMPATIBLE, then FORCE_COLOR, then isatty."""
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def draws_screens(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal can address the cursor: `TERM=dumb` (Emacs shells, some IDE
    consoles) cannot, and gets the plain line-per-phase session."""
    environ = os.environ if environ is None else environ
    return environ.get("TERM", "").strip().lower() not in ("dumb", "unknown", "emacs")


def write(text: str) -> None:
    """Text as data on stdout, ending in one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def print_json(data: Any) -> None:
    """The one JSON printer: indented, stable, inert on a terminal, ASCII where needed."""
    from stretchcoach.render.text import json_text, speaks_unicode

    write(json_text(data, ascii_only=not speaks_unicode(sys.stdout)))


def say(message: str) -> None:
    """The one stderr helper: a message, escaped, never markup, never wrapped."""
    from stretchcoach.render.text import escape

    # Straight to stderr: a Rich console would cost more than most commands.
    sys.stderr.write(escape(message) + "\n")
    sys.stderr.flush()


def out_console() -> Any:
    """The console for data (stdout). Colour follows Rich, so NO_COLOR is honoured."""
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, force_terminal=is_terminal())


def fit_streams() -> None:
    """Set once at start: stdout and stderr write ASCII stand-ins for what they cannot encode."""
    from stretchcoach.render.text import fit_stream

    for stream in (sys.stdout, sys.stderr):
        fit_stream(stream)


def paths() -> Paths:
    """Where files live, from the running command's Environment."""
    return environment().paths


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stretchcoach {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=Group,
    name="stretchcoach",
    help=(
        "A stretch coach for people who sit at a desk all day.\n\n"
        "Start with:  stretchcoach run desk-break\n\n"
        "Stop on pain, tingling or numbness; see `stretchcoach safety`."
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion; ids via cli/complete.py
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for unexpected errors.")
    ] = False,
) -> None:
    """A stretch coach for people who sit at a desk all day."""
    given = ctx.obj  # a test's environment, or a factory run now that its streams are set
    if not isinstance(given, Environment):
        given = Environment.from_os() if given is None else given()
    ctx.obj = replace(given, debug=debug)
    current.set(ctx.obj)


CatalogueOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue",
        "-c",
        help="Also load this catalogue file (repeatable); later files win.",
        metavar="PATH",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON with stable keys.")]
PositionOption = Annotated[
    str | None,
    typer.Option(
        "--position",
        "-p",
        metavar="POSITION",
        help="seated (or sitting), standing, kneeling, floor or any.",
        autocompletion=complete.positions,
    ),
]
DiscreetOption = Annotated[
    bool,
    typer.Option("--discreet", help="Only moves you can do in a meeting or on a video call."),
]
KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="stretch, mobility, strength, posture or release.",
        autocompletion=complete.kinds,
    ),
]
