"""Commands that build and run a session: plan, run."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stretchcoach.cli.base import (
    CatalogueOption,
    DiscreetOption,
    JsonOption,
    KindOption,
    PositionOption,
    app,
    draws_screens,
    is_terminal,
    out_console,
    paths,
    print_json,
    say,
    write,
)
from stretchcoach.cli.env import of as environment
from stretchcoach.cli.options import (
    EquipmentOption,
    ExcludeOption,
    MinutesOption,
    NameArgument,
    PrepareOption,
    RestOption,
    SeedOption,
    TargetOption,
)
from stretchcoach.errors import ConfigError, UsageError
from stretchcoach.session.keys import KEYS_HELP_TEXT

if TYPE_CHECKING:
    from stretchcoach.model import Plan, SessionResult
    from stretchcoach.session.cues import Voice


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
    discreet: bool = False,
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
        "--discreet": discreet,
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
        discreet=discreet,
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
    discreet: DiscreetOption = False,
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

    \b
    Examples:
      stretchcoach plan desk-break
      stretchcoach plan --minutes 7 --target neck
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
        discreet=discreet,
        prepare=prepare,  # type: ignore[arg-type]  # the callback made it seconds
        rest=rest,  # type: ignore[arg-type]
    )
    if save is not None:
        from stretchcoach.catalogue.save import save_routine
        from stretchcoach.plan.routines import routine_from_plan

        where = save_routine(routine_from_plan(plan, save), paths())
        say(f"Saved routine {save!r} to {where}; run it with: stretchcoach run {save}")
    from stretchcoach.render.plan import plan_json, plan_table, plan_text

    if json:
        print_json(plan_json(plan))
    elif is_terminal():
        from stretchcoach.render.styled import color_wanted, terminal_width

        write(plan_table(plan, terminal_width()).ansi(color_wanted(sys.stdout)))
    else:
        sys.stdout.write(plan_text(plan))


def _ask(when: str) -> int | None:
    from stretchcoach.session.loop import ask_check_in

    def write(text: str) -> None:
        sys.stderr.write(text)
        sys.stderr.flush()

    return ask_check_in(when, read_line=sys.stdin.readline, write=write)


def _tell(message: str) -> None:
    with contextlib.suppress(OSError):  # the terminal hung up: the message has no reader
        say(message)


RUN_HELP = f"""Run a guided session with a live countdown and cues you can hear.

{KEYS_HELP_TEXT}

\b
Examples:
  stretchcoach run desk-break
  stretchcoach run --minutes 3 --target wrists
  stretchcoach run desk-break --voice --check-in
"""


@app.command("run", help=RUN_HELP, short_help="Run a guided session with a live countdown.")
def run_command(
    ctx: typer.Context,
    name: NameArgument = None,
    minutes: MinutesOption = None,
    target: TargetOption = None,
    position: PositionOption = None,
    equipment: EquipmentOption = None,
    exclude: ExcludeOption = None,
    kind: KindOption = None,
    discreet: DiscreetOption = False,
    seed: SeedOption = None,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="One line per phase, no screen drawing (for screen readers)."),
    ] = False,
    prepare: PrepareOption = None,
    rest: RestOption = None,
    no_sound: Annotated[
        bool, typer.Option("--no-sound", help="No bells and no voice: mute every cue.")
    ] = False,
    voice: Annotated[
        bool,
        typer.Option("--voice", help="Speak the cues through spd-say, espeak-ng or say."),
    ] = False,
    voice_command: Annotated[
        str | None,
        typer.Option(
            "--voice-command",
            metavar="CMD",
            help="Speak through CMD (the words are its last argument); implies --voice.",
        ),
    ] = None,
    no_log: Annotated[
        bool, typer.Option("--no-log", help="Do not record this session in the history.")
    ] = False,
    check_in: Annotated[
        bool, typer.Option("--check-in", help="Rate tension 0-10 before and after.")
    ] = False,
    catalogue: CatalogueOption = None,
) -> None:
    """Run a guided session (help text: RUN_HELP, built from the one table of keys)."""
    from stretchcoach.history import journal
    from stretchcoach.session.record import Devices, Recording, run_and_record
    from stretchcoach.session.terminal import is_terminal

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
        discreet=discreet,
        prepare=prepare,  # type: ignore[arg-type]  # the callback made it seconds
        rest=rest,  # type: ignore[arg-type]
    )
    env = environment(ctx)
    stdin, stdout = env.stdin, env.stdout
    keys_on = is_terminal(stdin)
    # The live screen needs a real terminal that can address the cursor; anything else
    # (a pipe, a file, TERM=dumb) gets one line per phase.
    plain = plain or not (keys_on and is_terminal(stdout) and draws_screens(env.environ))
    cued, speaker = _cues(stdout, no_sound=no_sound, voice=voice, command=voice_command)
    console = out_console()  # the live screen's, then the summary's: made once, before
    devices = Devices(
        stdin=stdin,
        stdout=stdout,
        clock=env.clock,
        keys=env.keys(stdin, keys_on),
        now_utc=env.now,
        console=console,
        print_line=_print_line,
        tell=_tell,
        wrap_view=cued,
        keys_on=keys_on,
        plain=plain,
    )
    where = env.paths
    recording = Recording(
        history_db=None if no_log else where.history_db,
        journal=journal.folders(where),
        process_ends=env.process_ends,
    )
    # Read before the session, so the summary follows its end at once.
    goal = None if no_log else _goal_minutes()
    code = run_and_record(
        plan,
        devices,
        recording,
        ask=_ask if check_in else None,
        show_summary=lambda result, today: _show_summary(
            result, plain, today, None if today is None else goal, console
        ),
    )
    if speaker is not None and speaker.failure:
        _tell(f"warning: {speaker.failure}")
    _drop_broken_streams()
    if code:
        raise typer.Exit(code)


def _drop_broken_streams() -> None:
    """Point stdout/stderr at /dev/null if the terminal hung up, so Python's final flush does
    not fail and replace the session's exit code with 120."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stream.fileno())
                os.close(null)
            except (OSError, ValueError):
                pass


def _cues(
    stdout: Any, *, no_sound: bool, voice: bool, command: str | None
) -> tuple[Callable[[Any], Any], Voice | None]:
    """What wraps a view in the session's cues (bells on a terminal, the voice), and the voice."""
    from stretchcoach.session.cues import Bell, CuedView, Voice, voice_command
    from stretchcoach.session.terminal import is_terminal

    speaker = None
    if (voice or command is not None) and not no_sound:
        argv, warning = voice_command(command)
        if warning:  # said once, before the screen is drawn; the session goes on
            say(f"warning: {warning}")
        speaker = Voice(argv) if argv else None

    def write(text: str) -> None:
        stdout.write(text)
        stdout.flush()

    bell = None if no_sound or not is_terminal(stdout) else Bell(write)
    return (lambda view: CuedView(view, bell=bell, voice=speaker)), speaker


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _goal_minutes() -> int:
    """The daily goal from the settings; a bad settings file is reported by `info` and `remind`."""
    from stretchcoach.remind.settings import Settings, config_path, load_settings

    try:
        return load_settings(config_path(paths().config_dir)).goal_minutes
    except ConfigError:  # a session still ends with its summary
        return Settings().goal_minutes


def _show_summary(
    result: SessionResult, plain: bool, today: float | None, goal: int | None, console: Any
) -> None:
    from stretchcoach.render.session import summary, summary_lines

    try:
        if plain:
            lines = summary_lines(result, today_minutes=today, goal_minutes=goal)
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()
        else:
            console.print(summary(result, today_minutes=today, goal_minutes=goal))
    except OSError:
        pass  # the terminal hung up: the session is recorded, nobody is left to read this
