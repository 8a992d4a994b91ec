"""Command: import a third-party exercise list into the user's catalogue folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from stretchcoach.cli.base import app, err_console, paths
from stretchcoach.errors import UsageError


@app.command("import")
def import_(
    source: Annotated[
        Path, typer.Argument(help="A free-exercise-db exercises.json file.", metavar="PATH")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Where to write the YAML (default: your catalogue folder).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
) -> None:
    """Import a free-exercise-db JSON file as a catalogue file of your own.

    Doses are filled by rule (stretches hold 15–30 s, strengthening 8–12 reps) where the
    records give none. The result is checked like any catalogue file before it is kept.

    \b
    Example:
      stretchcoach import exercises.json
    """
    from stretchcoach.catalogue.files import parse_file
    from stretchcoach.catalogue.importer import FORMAT, convert, parse_json, to_yaml

    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{source}: not UTF-8 text ({error.reason})") from None
    exercises = convert(parse_json(text, str(source)))
    target = output or paths().catalogue_dir / f"{FORMAT}.yaml"
    if target.exists() and not force:
        raise UsageError(f"{target} exists", hint="pass --force to replace it")
    note = f"Imported by stretchcoach from {source.name} ({FORMAT}); doses filled by rule."
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".yaml", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(to_yaml(exercises, note=note))
        parse_file(Path(tmp))  # never keep a file the loader would refuse
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    err_console().print(
        f"imported {len(exercises)} exercises into {target}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
