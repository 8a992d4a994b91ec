"""Commands of the habit loop: remind, pause, resume, status."""

from __future__ import annotations

import datetime as dt
import enum
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from stretchcoach.cli.base import CatalogueOption, app, paths, say
from stretchcoach.cli.env import environment
from stretchcoach.errors import StretchcoachError, UsageError
from stretchcoach.remind import settings as config


def _setting(parser: Callable[[object], Any]) -> Callable[[str | None], Any]:
    def parse(value: str | None) -> Any:
        if value is None:
            return None
        try:
            return parser(value)
        except config.SettingError as error:
            raise typer.BadParameter(str(error)) from None

    return parse


class Notify(str, enum.Enum):
    auto = "auto"
    desktop = "desktop"
    bell = "bell"
    none = "none"


class Service(str, enum.Enum):
    systemd = "systemd"
    launchd = "launchd"


class Format(str, enum.Enum):
    text = "text"
    tmux = "tmux"
    json = "json"


def _say(message: str) -> None:
    say(message)


def _now() -> dt.datetime:
    return environment().now()


def _settings() -> config.Settings:
    return config.load_settings(config.config_path(paths().config_dir))


@app.command()
def remind(
    ctx: typer.Context,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="DURATION",
            callback=_setting(config.parse_every),
            help="Time between breaks, from the end of the last session. Default 50m.",
        ),
    ] = None,
    hours: Annotated[
        str | None,
        typer.Option(
            "--hours",
            metavar="HOURS",
            callback=_setting(config.parse_hours),
            help="Remind only inside these local hours, e.g. 09:00-17:30.",
        ),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            metavar="DAYS",
            callback=_setting(config.parse_days),
            help="Remind only on these days, e.g. mon-fri or mon,wed,fri.",
        ),
    ] = None,
    routine: Annotated[
        str | None,
        typer.Option(
            "--routine",
            metavar="ID",
            help="What a break runs. Default: micro-break, or desk-break when "
            "today's minutes are behind the daily goal.",
        ),
    ] = None,
    notify: Annotated[
        Notify | None,
        typer.Option(
            "--notify",
            metavar="CHANNELS",
            help="Built-in channels: auto (bell and desktop), desktop, bell or none.",
        ),
    ] = None,
    on_due: Annotated[
        str | None,
        typer.Option(
            "--on-due",
            metavar="CMD",
            help="Run CMD through the shell when a break is due, with "
            "STRETCHCOACH_ROUTINE and STRETCHCOACH_DUE_AT set.",
        ),
    ] = None,
    snooze: Annotated[
        str | None,
        typer.Option(
            "--snooze",
            metavar="DURATION",
            callback=_setting(config.parse_snooze),
            help="What z postpones a break by. Default 5m.",
        ),
    ] = None,
    postpone_limit: Annotated[
        int | None,
        typer.Option(
            "--postpone-limit",
            metavar="N",
            min=0,
            help="How many times one break may be snoozed. Default 3.",
        ),
    ] = None,
    service: Annotated[
        Service | None,
        typer.Option(
            "--service",
            metavar="KIND",
            help="Print a user service (systemd or launchd) that runs the reminders, and exit.",
        ),
    ] = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Remind you to take a break: bell, desktop notification, and a live line with keys.

    Keys: Enter start the break · z snooze · s skip · p pause/resume · q quit.
    Settings come from config.toml in the config folder (see `stretchcoach info`);
    options override them.

    \b
    Examples:
      stretchcoach remind --every 50m --hours 09:00-17:30 --days mon-fri
      stretchcoach remind --service systemd > ~/.config/systemd/user/stretchcoach-remind.service
    """
    where = paths()
    settings = config.override(
        _settings(),
        every=every,
        hours=hours,
        days=days,
        routine=routine,
        notify=None if notify is None else notify.value,
        on_due=on_due,
        snooze=snooze,
        postpone_limit=postpone_limit,
    )
    if service is not None:
        _print_service(service.value, where.data_dir / "remind.log")
        return
    if settings.routine:
        _check_routine(settings.routine, catalogue)
    _run_loop(ctx, settings, where, catalogue)


def _check_routine(name: str, catalogue: list[Path] | None) -> None:
    """A break that cannot run is refused now, not when it is due."""
    from stretchcoach.catalogue.loader import load
    from stretchcoach.catalogue.lookup import lookup

    lookup(load(paths(), catalogue or ()), name)


def _print_service(kind: str, log_path: Path) -> None:
    from stretchcoach.remind.service import render

    # The script beside this interpreter: a pipx or venv install keeps working without PATH.
    beside = Path(sys.executable).parent / "stretchcoach"
    program = str(beside) if beside.exists() else shutil.which("stretchcoach") or "stretchcoach"
    environ = {
        name: os.environ[name] for name in ("STRETCHCOACH_HOME", "TZ") if os.environ.get(name)
    }
    sys.stdout.write(render(kind, [program, "remind"], environ, str(log_path)))


def _run_loop(
    ctx: typer.Context, settings: config.Settings, where: Any, catalogue: list[Path] | None
) -> None:
    from stretchcoach.remind import facts, loop, notify, state
    from stretchcoach.session.terminal import Guard, Interrupted, RaisingSignals, is_terminal

    stdin, stdout = sys.stdin, sys.stdout
    live = is_terminal(stdin) and is_terminal(stdout)
    tz = facts.local_zone()

    def write(text: str) -> None:
        stdout.write(text)
        stdout.flush()

    def bell() -> None:
        write("\a")

    line = loop.StatusLine(write, lambda: shutil.get_terminal_size().columns)

    def run_break(routine: str) -> None:
        from stretchcoach.cli.session import run_command

        line.clear()
        try:
            run_command(ctx, name=routine, catalogue=catalogue)
        except StretchcoachError as error:  # e.g. the routine's file broke meanwhile
            for text in error.lines():
                line.log(text)

    devices = loop.Devices(
        now=_now,
        keys=loop.TerminalKeys(stdin.fileno()) if live else loop.Sleeper(),
        facts=lambda now: facts.read_facts(where.history_db, now, tz),
        notify=notify.Notifier(settings.notify, settings.on_due, bell=bell if live else None),
        log=line.log if live else (lambda text: write(text + "\n")),
        show=line.show if live else None,
        run_break=run_break if live else None,
    )
    try:
        # Waiting is safe to abandon: SIGTERM and SIGHUP end it at once, the terminal restored.
        with RaisingSignals(), Guard(stdin, stdout, keys=live, screen=False):
            try:
                loop.run_reminders(settings, devices, state.state_path(where.data_dir), tz)
            finally:
                if live:
                    line.clear()
    except Interrupted as stopped:
        raise typer.Exit(stopped.exit_code) from None


def _pause_until(value: str, now: dt.datetime) -> dt.datetime:
    from stretchcoach.durations import DurationError, parse
    from stretchcoach.remind.facts import local_zone
    from stretchcoach.remind.schedule import next_local_midnight

    if value.strip().lower() == "until-tomorrow":
        return next_local_midnight(now, local_zone())
    try:
        seconds = parse(value)
    except DurationError as error:
        raise UsageError(
            f"{error}", hint="write a duration such as 45m or 2h, or until-tomorrow"
        ) from None
    if seconds < 1:
        raise UsageError("a pause must be at least 1 second")
    return now + dt.timedelta(seconds=seconds)


@app.command()
def pause(
    duration: Annotated[
        str,
        typer.Argument(
            metavar="[DURATION]",
            help="How long to silence reminders: a duration or until-tomorrow. Default 1h.",
        ),
    ] = "1h",
) -> None:
    """Silence reminders in every running `remind` for a while.

    \b
    Examples:
      stretchcoach pause 45m
      stretchcoach pause until-tomorrow
    """
    from stretchcoach.remind import state
    from stretchcoach.remind.facts import local_zone

    until = _pause_until(duration, _now())
    state.pause(state.state_path(paths().data_dir), until)
    local = until.astimezone(local_zone())
    _say(f"reminders paused until {local:%Y-%m-%d %H:%M}; `stretchcoach resume` ends the pause")


@app.command()
def resume() -> None:
    """End a pause (and any snooze): reminders follow the schedule again.

    \b
    Example:
      stretchcoach resume
    """
    from stretchcoach.remind import state

    path = state.state_path(paths().data_dir)
    was = state.load(path).paused_until
    state.resume(path)
    paused = was is not None and was > _now()
    _say("reminders resumed" if paused else "reminders were not paused")


@app.command()
def status(
    format_: Annotated[
        Format,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="text, tmux (with style markers) or json."
        ),
    ] = Format.text,
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="No symbols, for fonts without them.")
    ] = False,
) -> None:
    """One line for tmux, a shell prompt or a bar: the next break and today's minutes.

    \b
    Example:
      stretchcoach status                      # stretch in 12m · 6/15 min
      set -g status-right '#(stretchcoach status --format tmux)'
    """
    from stretchcoach.remind.status import main

    args = ["--format", format_.value] + (["--ascii"] if ascii_only else [])
    code = main(args)
    if code:
        raise typer.Exit(code)
