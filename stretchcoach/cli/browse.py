"""Commands that read the catalogue: list, show, routines, validate, info, safety."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from stretchcoach import __version__
from stretchcoach.cli import complete
from stretchcoach.cli.base import (
    CatalogueOption,
    DiscreetOption,
    JsonOption,
    KindOption,
    PositionOption,
    app,
    is_terminal,
    paths,
    print_json,
    say,
    write,
)
from stretchcoach.cli.env import environment
from stretchcoach.errors import CatalogueError, Problem, StretchcoachError
from stretchcoach.model import Catalogue, Exercise
from stretchcoach.paths import builtin_data_dir


def _load(extra: list[Path] | None) -> Catalogue:
    from stretchcoach.catalogue.loader import load

    return load(paths(), extra or ())


def _show(styled: Any) -> None:
    """Styled on a terminal (colour as NO_COLOR and FORCE_COLOR say); exactly the text,
    unwrapped, anywhere else."""
    from stretchcoach.render.styled import color_wanted

    write(styled.ansi(color_wanted(sys.stdout)) if is_terminal() else styled.plain)


@app.command("list")
def list_(
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            "-t",
            metavar="AREA",
            help="Body area or muscle (repeatable: any of them).",
            autocompletion=complete.targets,
        ),
    ] = None,
    position: PositionOption = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            "--equipment",
            "-e",
            metavar="THING",
            help="What you have (repeatable); shows exercises that need nothing more. "
            "`none` for nothing.",
        ),
    ] = None,
    kind: KindOption = None,
    discreet: DiscreetOption = False,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", metavar="TEXT", help="Text in the id, name, muscles or steps."
        ),
    ] = None,
    wide: Annotated[
        bool,
        typer.Option("--wide", "-w", help="Every column: targets and position as well."),
    ] = False,
    catalogue: CatalogueOption = None,
    json: JsonOption = False,
) -> None:
    """List exercises, filtered by target, position, equipment, kind or text.

    \b
    Examples:
      stretchcoach list --target upper-back --position seated
      stretchcoach list --wide
    """
    from stretchcoach.catalogue.lookup import filter_exercises
    from stretchcoach.render.catalogue import exercise_json, list_plain_parts, list_screen_parts

    # The collector is paused for the command: loading and listing a large catalogue make
    # a few hundred thousand objects and no cycles, and its passes over them took 20-30 ms
    # of a warm 10,000-exercise list. When the process ends right after (cli.script), it
    # stays paused and the catalogue is left for the process's end, not freed object by
    # object: together 5-8 ms of that list, spent after its output was written.
    ends = environment().process_ends
    with _collector_paused(restore=not ends):
        loaded = _load(catalogue)
        if ends:
            _LEFT_FOR_EXIT.append(loaded)
        found = filter_exercises(
            loaded,
            targets=tuple(target or ()),
            position=position,
            equipment=equipment,
            kind=kind,
            search=search,
            discreet=discreet,
        )
        if json:
            print_json([exercise_json(e, loaded) for e in found])
            return
        if not found:
            say("No exercises match these filters; try fewer, or `stretchcoach list` for all.")
            return
        if is_terminal():
            from stretchcoach.render.styled import color_wanted, terminal_width

            width, color = terminal_width(), color_wanted(sys.stdout)
            parts = list_screen_parts(found, wide=wide, width=width, color=color)
        else:
            parts = list_plain_parts(found, wide=wide)
        sys.stdout.writelines(parts)  # a part at a time: see render.catalogue.PART_LINES


@contextmanager
def _collector_paused(*, restore: bool = True) -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled and restore:
            gc.enable()


# What a command leaves to the process's end (see list_).
_LEFT_FOR_EXIT: list[object] = []


@app.command()
def show(
    name: Annotated[
        str,
        typer.Argument(
            help="An exercise or routine id.", metavar="ID", autocompletion=complete.names
        ),
    ],
    catalogue: CatalogueOption = None,
    json: JsonOption = False,
) -> None:
    """Show every detail of an exercise (or routine): dose, time, steps, cautions, sources.

    \b
    Example:
      stretchcoach show upper-trapezius-stretch
    """
    from stretchcoach.catalogue.lookup import lookup
    from stretchcoach.render.catalogue import exercise_json, routine_json
    from stretchcoach.render.views import exercise_view, routine_view

    loaded = _load(catalogue)
    found = lookup(loaded, name)
    if isinstance(found, Exercise):
        if json:
            print_json(exercise_json(found, loaded))
        else:
            _show(exercise_view(found, loaded))
    elif json:
        print_json(routine_json(found, loaded))
    else:
        _show(routine_view(found, loaded, definition=True))


@app.command()
def routines(
    short: Annotated[
        bool,
        typer.Option("--short", help="One line each: id, name and time, shortest first."),
    ] = False,
    catalogue: CatalogueOption = None,
    json: JsonOption = False,
) -> None:
    """List the routines, each with its exercises and total time.

    \b
    Examples:
      stretchcoach routines --short
      stretchcoach routines --json
    """
    from stretchcoach.render.catalogue import ROUTINE_SHORT_HEADERS, plain_table, routine_json
    from stretchcoach.render.views import routine_rows, routines_table, routines_view

    loaded = _load(catalogue)
    if json:
        print_json([routine_json(r, loaded) for r in loaded.routines.values()])
    elif not loaded.routines:
        say("No routines are defined.")
    elif short:
        rows = routine_rows(loaded)
        if is_terminal():
            from stretchcoach.render.styled import terminal_width

            _show(routines_table(rows, width=terminal_width()))
        else:
            sys.stdout.write(plain_table(ROUTINE_SHORT_HEADERS, rows))
    else:
        _show(routines_view(loaded))


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalogue files or folders to check; default: your catalogue folder.",
            metavar="[PATH]...",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check catalogue files: every problem is listed as FILE:LINE:COLUMN; exit 2 if any.

    \b
    Examples:
      stretchcoach validate
      stretchcoach validate my-stretches.yaml
    """
    from stretchcoach.catalogue.loader import check
    from stretchcoach.render.views import ok_line

    problems: list[Problem] = []
    where = paths()
    own = not files
    if own and not where.catalogue_dir.is_dir():
        say(f"nothing to check: your catalogue folder {where.catalogue_dir} does not exist yet")
        return
    results = check(files or [where.catalogue_dir], where)
    for result in results:
        if result.problems:
            problems.extend(result.problems)
        else:
            write(ok_line(result.path, result.exercises, result.routines))
    if problems:
        raise CatalogueError(problems)
    if not results and own:
        say(f"nothing to check: your catalogue folder {where.catalogue_dir} has no *.yaml files")
    elif not results:
        raise StretchcoachError("no *.yaml or *.yml files found in the given folders")


@app.command()
def info(catalogue: CatalogueOption = None, json: JsonOption = False) -> None:
    """Show the version, where files are read and written, and what was loaded.

    \b
    Example:
      stretchcoach info
    """
    from stretchcoach.render.catalogue import info_json
    from stretchcoach.render.views import info_view

    where = paths()
    loaded: Catalogue | None = None
    failure: CatalogueError | None = None
    try:
        loaded = _load(catalogue)
    except CatalogueError as error:  # still say where things are, then show the problems
        failure = error
    data = info_json(
        version=__version__,
        home=os.environ.get("STRETCHCOACH_HOME") or None,
        paths=where,
        builtin_dir=str(builtin_data_dir()),
        catalogue=loaded,
    )
    settings_failure = _add_settings(data, where)
    if json:
        print_json(data)
    else:
        _show(info_view(data))
    if failure is not None:
        raise failure
    if settings_failure is not None:
        raise settings_failure


def _add_settings(data: dict[str, Any], where: Any) -> StretchcoachError | None:
    """The reminder settings file and the values in force; a bad file is returned to raise."""
    from stretchcoach.remind.settings import config_path, describe, load_settings

    path = config_path(where.config_dir)
    data["config_file"] = str(path)
    try:
        data["settings"] = describe(load_settings(path))
    except StretchcoachError as error:
        data["settings"] = None
        return error
    return None


@app.command()
def safety() -> None:
    """Read the safety advice: when to stop, and when to see a professional.

    \b
    Example:
      stretchcoach safety
    """
    path = builtin_data_dir() / "safety.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise StretchcoachError(
            f"cannot read the safety notes at {path}: {error.strerror or error}",
            hint="reinstall stretchcoach",
        ) from None
    write(text)
