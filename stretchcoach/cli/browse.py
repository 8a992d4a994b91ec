"""Commands that read the catalogue: list, show, routines, validate, info, safety."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from stretchcoach import __version__
from stretchcoach.cli.base import (
    CatalogueOption,
    JsonOption,
    KindOption,
    PositionOption,
    app,
    paths,
)
from stretchcoach.errors import CatalogueError, Problem, StretchcoachError
from stretchcoach.model import Catalogue, Exercise
from stretchcoach.paths import builtin_data_dir


def _load(extra: list[Path] | None) -> Catalogue:
    from stretchcoach.catalogue.loader import load

    return load(paths(), extra or ())


def _terminal() -> bool:
    # Decided without importing Rich, so piped output stays fast; FORCE_COLOR as Rich reads it.
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _print_json(data: Any) -> None:
    import json

    _write(json.dumps(data, indent=2, ensure_ascii=False))


def _show(styled: Any) -> None:
    """Styled on a terminal (colour as NO_COLOR and FORCE_COLOR say); exactly the text,
    unwrapped, anywhere else."""
    from stretchcoach.render.styled import color_wanted

    _write(styled.ansi(color_wanted(sys.stdout)) if _terminal() else styled.plain)


def _say(message: str) -> None:
    """A one-line message on stderr (no Rich: it would cost more than the command)."""
    sys.stderr.write(message + "\n")


@app.command("list")
def list_(
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target", "-t", metavar="AREA", help="Body area or muscle (repeatable: any of them)."
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
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-s", metavar="TEXT", help="Text in the id, name, muscles or steps."
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    json: JsonOption = False,
) -> None:
    """List exercises, filtered by target, position, equipment, kind or text.

    Example:  stretchcoach list --target upper-back --position seated
    """
    from stretchcoach.catalogue.lookup import filter_exercises
    from stretchcoach.render.catalogue import (
        LIST_HEADERS,
        exercise_json,
        list_rows,
        list_table,
        plain_table,
    )

    loaded = _load(catalogue)
    found = filter_exercises(
        loaded,
        targets=tuple(target or ()),
        position=position,
        equipment=equipment,
        kind=kind,
        search=search,
    )
    if json:
        _print_json([exercise_json(e, loaded) for e in found])
        return
    if not found:
        _say("No exercises match these filters; try fewer, or `stretchcoach list` for all.")
        return
    rows = list_rows(found)
    if _terminal():
        from stretchcoach.render.styled import terminal_width

        _show(list_table(rows, width=terminal_width()))
    else:
        sys.stdout.write(plain_table(LIST_HEADERS, rows))


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="An exercise or routine id.", metavar="ID")],
    catalogue: CatalogueOption = None,
    json: JsonOption = False,
) -> None:
    """Show every detail of an exercise (or routine): dose, time, steps, cautions, sources.

    Example:  stretchcoach show upper-trapezius-stretch
    """
    from stretchcoach.catalogue.lookup import lookup
    from stretchcoach.render.catalogue import (
        exercise_json,
        exercise_view,
        routine_json,
        routine_view,
    )

    loaded = _load(catalogue)
    found = lookup(loaded, name)
    if isinstance(found, Exercise):
        if json:
            _print_json(exercise_json(found, loaded))
        else:
            _show(exercise_view(found, loaded))
    elif json:
        _print_json(routine_json(found, loaded))
    else:
        _show(routine_view(found, loaded, definition=True))


@app.command()
def routines(catalogue: CatalogueOption = None, json: JsonOption = False) -> None:
    """List the routines, each with its exercises and total time.

    Example:  stretchcoach routines --json
    """
    from stretchcoach.render.catalogue import routine_json, routines_view

    loaded = _load(catalogue)
    if json:
        _print_json([routine_json(r, loaded) for r in loaded.routines.values()])
    elif not loaded.routines:
        _say("No routines are defined.")
    else:
        _show(routines_view(loaded))


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Catalogue files or folders to check.", metavar="PATH..."),
    ],
) -> None:
    """Check catalogue files: every problem is listed as FILE:LINE:COLUMN; exit 2 if any.

    Example:  stretchcoach validate my-stretches.yaml
    """
    from stretchcoach.catalogue.loader import check
    from stretchcoach.render.catalogue import ok_line

    problems: list[Problem] = []
    results = check(files, paths())
    for result in results:
        if result.problems:
            problems.extend(result.problems)
        else:
            _write(ok_line(result.path, result.exercises, result.routines))
    if problems:
        raise CatalogueError(problems)
    if not results:
        raise StretchcoachError("no *.yaml or *.yml files found in the given folders")


@app.command()
def info(catalogue: CatalogueOption = None, json: JsonOption = False) -> None:
    """Show the version, where files are read and written, and what was loaded.

    Example:  stretchcoach info
    """
    from stretchcoach.render.catalogue import info_json, info_view

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
    if json:
        _print_json(data)
    else:
        _show(info_view(data))
    if failure is not None:
        raise failure


@app.command()
def safety() -> None:
    """Read the safety advice: when to stop, and when to see a professional.

    Example:  stretchcoach safety
    """
    path = builtin_data_dir() / "safety.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise StretchcoachError(
            f"cannot read the safety notes at {path}: {error.strerror or error}",
            hint="reinstall stretchcoach",
        ) from None
    _write(text)
