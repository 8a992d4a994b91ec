"""Commands that build and run a session: plan, run."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stretchcoach.cli.base import (
    CatalogueOption,
    JsonOption,
    KindOption,
    PositionOption,
    app,
    err_console,
    out_console,
    paths,
)
from stretchcoach.errors import UsageError

if TYPE_CHECKING:
    from stretchcoach.model import Plan, SessionResult
    from stretchcoach.session.loop import Keys


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
        show_default=False,
    ),
]
MinutesOption = Annotated[
    int | None, typer.Option("--minutes", "-m", metavar="N", help="Generate about N minutes.")
]
TargetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--target", "-t", metavar="AREA", help="Body area or muscle to cover (repeatable)."
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
    typer.Option("--exclude", "-x", metavar="ID", help="Leave this exercise out (repeatable)."),
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


def _build_plan(
    name: str | None,
    catalogue: list[Path] | None,
    *,
    minutes: int | None,
    target: list[str] | None,
    position: str | None,
    equipment: list[str] | None,
    exclude: list[str] | None,
    kind: str | None,
    seed: int | None,
    prepare: int | None,
    rest: int | None,
) -> Plan:
    """The plan for a named routine or exercise, or a generated one."""
    from stretchcoach.catalogue.loader import load
    from stretchcoach.model import Routine
    from stretchcoach.plan.compile import compile_routine, single_exercise_routine

    given = {
        "--minutes": minutes is not None,
        "--target": bool(target),
        "--position": position is not None,
        "--equipment": equipment is not None,
        "--exclude": bool(exclude),
        "--kind": kind is not None,
        "--seed": seed is not None,
    }
    loaded = load(paths(), catalogue or ())
    if name is not None:
        used = [option for option, on in given.items() if on]
        if used:
            raise UsageError(
                f"{', '.join(used)} cannot be combined with a routine or exercise ({name!r})",
                hint=f"run `stretchcoach plan {name}` as it is, or drop {name!r} to generate",
            )
        from stretchcoach.catalogue.lookup import lookup

        found = lookup(loaded, name)
        routine = found if isinstance(found, Routine) else single_exercise_routine(found)
        return compile_routine(routine, loaded, prepare=prepare, rest=rest)

    from stretchcoach.plan.generate import generate
    from stretchcoach.plan.request import Request

    request = Request(
        minutes=minutes,
        targets=tuple(target or ()),
        position=position,
        equipment=(
            None if equipment is None else tuple(e for e in equipment if e.lower() != "none")
        ),
        exclude=tuple(exclude or ()),
        kind=kind,
        seed=seed,
    )
    return generate(loaded, request, today=dt.date.today(), prepare=prepare, rest=rest)


@app.command("plan")
def plan_command(
    name: NameArgument = None,
    minutes: MinutesOption = None,
    target: TargetOption = None,
    position: PositionOption = None,
    equipment: EquipmentOption = None,
    exclude: ExcludeOption = None,
    kind: KindOption = None,
    seed: SeedOption = None,
    prepare: PrepareOption = None,
    rest: RestOption = None,
    json: JsonOption = False,
    save: Annotated[
        str | None,
        typer.Option(
            "--save", metavar="ID", help="Save the plan as a routine in your catalogue folder."
        ),
    ] = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Show the timeline of a session: each exercise, its dose and time, and the total.

    Example:  stretchcoach plan desk-break      stretchcoach plan --minutes 7 --target neck
    """
    plan = _build_plan(
        name,
        catalogue,
        minutes=minutes,
        target=target,
        position=position,
        equipment=equipment,
        exclude=exclude,
        kind=kind,
        seed=seed,
        prepare=prepare,  # type: ignore[arg-type]  # the callback made it seconds
        rest=rest,  # type: ignore[arg-type]
    )
    if save is not None:
        from stretchcoach.catalogue.save import save_routine
        from stretchcoach.plan.routines import routine_from_plan

        where = save_routine(routine_from_plan(plan, save), paths())
        err_console().print(
            f"Saved routine {save!r} to {where}; run it with: stretchcoach run {save}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    from stretchcoach.render.plan import plan_json, plan_table, plan_text

    if json:
        import json as json_

        sys.stdout.write(json_.dumps(plan_json(plan), indent=2, ensure_ascii=False) + "\n")
    elif sys.stdout.isatty():
        from stretchcoach.render.styled import color_wanted, terminal_width

        sys.stdout.write(plan_table(plan, terminal_width()).ansi(color_wanted(sys.stdout)) + "\n")
    else:
        sys.stdout.write(plan_text(plan))


def _devices(
    stdin: Any, with_keys: bool
) -> tuple[Callable[[], float], Keys, Callable[[], dt.datetime]]:
    """The real clock, key source and UTC clock (tests put fakes here)."""
    from stretchcoach.session.terminal import KeyReader, NoKeys, clock

    keys: Keys = KeyReader(stdin.fileno()) if with_keys else NoKeys()
    return clock, keys, lambda: dt.datetime.now(dt.timezone.utc)


def _ask(when: str) -> int | None:
    from stretchcoach.session.loop import ask_check_in

    def write(text: str) -> None:
        sys.stderr.write(text)
        sys.stderr.flush()

    return ask_check_in(when, read_line=sys.stdin.readline, write=write)


@app.command("run")
def run_command(
    name: NameArgument = None,
    minutes: MinutesOption = None,
    target: TargetOption = None,
    position: PositionOption = None,
    equipment: EquipmentOption = None,
    exclude: ExcludeOption = None,
    kind: KindOption = None,
    seed: SeedOption = None,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="One line per phase, no screen drawing (for screen readers)."),
    ] = False,
    prepare: PrepareOption = None,
    rest: RestOption = None,
    no_sound: Annotated[
        bool, typer.Option("--no-sound", help="No bell at each hold and side switch.")
    ] = False,
    no_log: Annotated[
        bool, typer.Option("--no-log", help="Do not record this session in the history.")
    ] = False,
    check_in: Annotated[
        bool, typer.Option("--check-in", help="Rate tension 0-10 before and after.")
    ] = False,
    catalogue: CatalogueOption = None,
) -> None:
    """Run a guided session with a live countdown; keys: space n b + q.

    Example:  stretchcoach run desk-break      stretchcoach run --minutes 3 --target wrists
    """
    from stretchcoach.session.loop import LiveView, PlainView, SessionInterrupted, run_session
    from stretchcoach.session.terminal import Guard, Interrupted, is_terminal

    plan = _build_plan(
        name,
        catalogue,
        minutes=minutes,
        target=target,
        position=position,
        equipment=equipment,
        exclude=exclude,
        kind=kind,
        seed=seed,
        prepare=prepare,  # type: ignore[arg-type]  # the callback made it seconds
        rest=rest,  # type: ignore[arg-type]
    )
    stdin, stdout = sys.stdin, sys.stdout
    keys_on = is_terminal(stdin)
    plain = plain or not (keys_on and is_terminal(stdout))
    history = None
    if not no_log:  # opened first: a broken database is reported before anyone stretches
        from stretchcoach.history.store import open_history

        history = open_history(paths().history_db)
        for notice in history.notices:
            err_console().print(notice, markup=False, highlight=False, soft_wrap=True)
    code = 0
    try:
        before = _ask("now") if check_in else None
        clock, keys, now_utc = _devices(stdin, keys_on)
        bell = None if no_sound or not is_terminal(stdout) else _bell(stdout)
        try:
            with Guard(stdin, stdout, keys=keys_on, screen=not plain) as guard:
                if plain:
                    view: Any = PlainView(_print_line)
                    if keys_on:
                        _print_line("Keys: space pause · n next · b back · + 10s · q quit")
                    result = run_session(
                        plan, clock=clock, keys=keys, view=view, bell=bell, now_utc=now_utc
                    )
                else:
                    with LiveView(out_console(), redraw_needed=guard.take_redraw) as view:
                        result = run_session(
                            plan, clock=clock, keys=keys, view=view, bell=bell, now_utc=now_utc
                        )
        except SessionInterrupted as stopped:
            result, code = stopped.result, stopped.exit_code
        except Interrupted as stopped:  # before the first tick: nothing to record
            raise typer.Exit(stopped.exit_code) from None
        after = _ask("after the session") if check_in and code == 0 else None
        result = result._replace(check_in_before=before, check_in_after=after)
        if history is not None:
            history.record(result)
    finally:
        if history is not None:
            history.close()
    _show_summary(result, plain)
    if code:
        raise typer.Exit(code)


def _bell(stdout: Any) -> Callable[[], None]:
    def ring() -> None:
        stdout.write("\a")
        stdout.flush()

    return ring


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _show_summary(result: SessionResult, plain: bool) -> None:
    from stretchcoach.render.session import summary, summary_lines

    try:
        if plain:
            sys.stdout.write("\n".join(summary_lines(result)) + "\n")
            sys.stdout.flush()
        else:
            out_console().print(summary(result))
    except OSError:
        pass  # the terminal hung up: the session is recorded, nobody is left to read this
