"""Options shared by plan and run: what to run, generation options, get-ready and rest."""

from __future__ import annotations

from typing import Annotated

import typer

from stretchcoach.cli import complete


def _seconds(value: str | None) -> int | None:
    from stretchcoach.durations import DurationError, parse

    if value is None:
        return None
    try:
        return parse(value)
    except DurationError as error:
        raise typer.BadParameter(str(error)) from None


NameArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="ROUTINE|EXERCISE",
        help="A routine or exercise id; without one, a session is generated.",
        autocompletion=complete.names,
        show_default=False,
    ),
]
MinutesOption = Annotated[
    int | None, typer.Option("--minutes", "-m", metavar="N", help="Generate about N minutes.")
]
TargetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        "-t",
        metavar="AREA",
        help="Body area or muscle to cover (repeatable).",
        autocompletion=complete.targets,
    ),
]
EquipmentOption = Annotated[
    list[str] | None,
    typer.Option(
        "--equipment",
        "-e",
        metavar="THING",
        help="What you have (repeatable); `none` for nothing. Default: chair, desk, wall.",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        "-x",
        metavar="ID",
        help="Leave this exercise out (repeatable).",
        autocompletion=complete.exercises,
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", metavar="N", help="Seed for a repeatable choice; default: today."),
]
PrepareOption = Annotated[
    str | None,
    typer.Option(
        "--prepare",
        metavar="S",
        callback=_seconds,
        help='Get-ready time before each exercise, e.g. 5, "5s", "0:05".',
    ),
]
RestOption = Annotated[
    str | None,
    typer.Option(
        "--rest", metavar="S", callback=_seconds, help='Rest between exercises, e.g. 10, "10s".'
    ),
]
