"""Command: import a third-party exercise list into the user's catalogue folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stretchcoach.cli.base import app, paths, say


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
    records give none. An id already used by a built-in or your own exercise or routine is
    renamed with "-imported", and the renames are listed. The result is checked like any
    catalogue file before it is kept.

    \b
    Example:
      stretchcoach import exercises.json
    """
    from stretchcoach.catalogue.intake import import_file

    done = import_file(source, paths(), output, force=force)
    for renamed in done.renamed:
        say(f"renamed {renamed.old} to {renamed.new}: {renamed.old} is {renamed.taken_by}")
    say(f"imported {done.count} exercises into {done.target}")
