"""The reminder loop: wait for the next break, announce it, and act on the user's keys.

The wall clock, the keys, the history reader, the notifier and the session runner are
parameters, so tests drive it with a fake clock. It wakes at the next event or after TICK
at most, so a suspended laptop is noticed soon after it wakes; a due break rings once, then
again every `snooze` while ignored — a long gap never produces a burst.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from os import PathLike
from typing import Protocol

from stretchcoach.remind import state as shared
from stretchcoach.remind.facts import Facts
from stretchcoach.remind.notify import Due
from stretchcoach.remind.schedule import Reading, reading, routine_for
from stretchcoach.remind.settings import Settings
from stretchcoach.typed import ESC, FdKeys, typed

# The longest wait between looks at the clock: once a second on a terminal (the countdown),
# once a minute in the background.
LIVE_TICK = 1.0
LOG_TICK = 60.0
# What `p` and a bare `stretchcoach pause` pause for.
DEFAULT_PAUSE_S = 60 * 60
KEYS_HELP = "Keys: Enter start the break · z snooze · s skip · p pause/resume · q quit"


class Keys(Protocol):
    def read(self, timeout: float) -> str | None:
        """The next key (enter, z, s, p, q), or None after `timeout` seconds without one."""


@dataclass(frozen=True, slots=True)
class Devices:
    """The outside world of the loop."""

    now: Callable[[], dt.datetime]  # the wall clock, UTC
    keys: Keys
    facts: Callable[[dt.datetime], Facts]  # reads the history; never creates it
    notify: Callable[[Due], list[str]]  # returns warnings to show
    log: Callable[[str], None]  # one line per event
    show: Callable[[str], None] | None = None  # the live line; None without a terminal
    run_break: Callable[[str], None] | None = None  # runs (and records) a session


def run_reminders(
    settings: Settings, devices: Devices, state_path: str | PathLike[str], tz: dt.tzinfo
) -> int:
    """Remind until `q` (exit code 0); signals and Ctrl-C propagate to the caller."""
    live = devices.show is not None
    tick = LIVE_TICK if live else LOG_TICK
    now = devices.now()
    # Counting starts now: a loop started in the morning does not ring for yesterday.
    shared.update(state_path, lambda s: s.replace(reset_at=max(now, s.reset_at or now)))
    devices.log(_announce(settings))
    if live:
        devices.log(KEYS_HELP)
    rang_at: dt.datetime | None = None
    snoozes = 0
    seen_base: dt.datetime | None = None
    while True:
        now = devices.now()
        facts = devices.facts(now)
        current = shared.load(state_path)
        where = reading(
            now,
            settings,
            tz,
            last_end=facts.last_end,
            reset_at=current.reset_at,
            paused_until=current.paused_until,
            snoozed_until=current.snoozed_until,
        )
        bases = [t for t in (facts.last_end, current.reset_at) if t is not None]
        base = max(bases) if bases else None
        if base != seen_base:  # a break was taken (anywhere) or skipped: a fresh break
            seen_base, rang_at, snoozes = base, None, 0
        routine = routine_for(now, settings, tz, facts.today_minutes)
        if where.due and (rang_at is None or now >= rang_at + _seconds(settings.snooze)):
            rang_at = now
            devices.log(f"{_clock(now, tz)} break due: stretchcoach run {routine}")
            for warning in devices.notify(Due(routine, where.due_at or now)):
                devices.log(f"warning: {warning}")
        if devices.show is not None:
            devices.show(live_line(now, where, facts, settings, routine))
        key = devices.keys.read(_wait(now, where, rang_at, settings, tick))
        if key is None:
            continue
        now = devices.now()
        if key == "q":
            devices.log(f"{_clock(now, tz)} reminders stopped")
            return 0
        if key == "enter":
            if devices.run_break is None:
                continue
            devices.run_break(routine)
            rang_at = devices.now()  # not recorded (quit at once)? it comes back after snooze
        elif key == "z":
            before, snoozes = (
                snoozes,
                _snooze(now, where, snoozes, settings, state_path, tz, devices.log),
            )
            if snoozes > before:  # ring again when the snooze ends
                rang_at = None
        elif key == "s":
            shared.update(
                state_path, partial(shared.State.replace, reset_at=now, snoozed_until=None)
            )
            devices.log(
                f"{_clock(now, tz)} break skipped; the next one is due in "
                f"{_minutes(settings.every)}"
            )
        elif key == "p":
            if where.paused_until is not None:
                shared.resume(state_path)
                devices.log(f"{_clock(now, tz)} reminders resumed")
            else:
                until = now + _seconds(DEFAULT_PAUSE_S)
                shared.pause(state_path, until)
                devices.log(f"{_clock(now, tz)} reminders paused until {_clock(until, tz)}")


def _snooze(
    now: dt.datetime,
    where: Reading,
    snoozes: int,
    settings: Settings,
    state_path: str | PathLike[str],
    tz: dt.tzinfo,
    log: Callable[[str], None],
) -> int:
    """Postpone a due break by `snooze`, up to the postpone limit; the new snooze count."""
    if not where.due:
        log(f"{_clock(now, tz)} no break is due yet; nothing to snooze")
        return snoozes
    if snoozes >= settings.postpone_limit:
        log(
            f"{_clock(now, tz)} postponed {snoozes} times already (the limit): "
            "take the break (Enter) or skip it (s)"
        )
        return snoozes
    until = now + _seconds(settings.snooze)
    shared.update(state_path, lambda s: s.replace(snoozed_until=until))
    log(f"{_clock(now, tz)} snoozed until {_clock(until, tz)}")
    return snoozes + 1


def _wait(
    now: dt.datetime,
    where: Reading,
    rang_at: dt.datetime | None,
    settings: Settings,
    tick: float,
) -> float:
    """Seconds until something can change: the break, the pause's end, the next ring."""
    if where.paused_until is not None:
        event: dt.datetime | None = where.paused_until
    elif where.due:
        event = None if rang_at is None else rang_at + _seconds(settings.snooze)
    else:
        event = where.due_at
    if event is None:
        return tick
    return max(0.0, min(tick, (event - now).total_seconds()))


def live_line(
    now: dt.datetime, where: Reading, facts: Facts, settings: Settings, routine: str
) -> str:
    """`next break in 23:10 · today 6/15 min · streak 4 days`, or what is due or paused."""
    from stretchcoach.durations import format_clock

    if where.paused_until is not None:
        head = f"paused for {format_clock((where.paused_until - now).total_seconds() + 0.999)}"
    elif where.due_at is None:
        head = "no working days set: no reminders"
    elif where.due:
        head = f"break due: {routine} — Enter to start"
    else:
        head = f"next break in {format_clock(where.seconds_left(now) or 0)}"
    days = "day" if facts.streak_days == 1 else "days"
    return (
        f"{head} · today {int(facts.today_minutes + 1e-9)}/{settings.goal_minutes} min"
        f" · streak {facts.streak_days} {days}"
    )


def _announce(settings: Settings) -> str:
    from stretchcoach.remind.settings import describe

    shown = describe(settings)
    hours = f" between {shown['hours']}" if shown["hours"] else ""
    days = "" if len(settings.days) == 7 else f" on {shown['days']}"
    return f"reminding every {shown['every']}{hours}{days}; goal {settings.goal_minutes} min a day"


def _seconds(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=value)


def _minutes(seconds: int) -> str:
    from stretchcoach.durations import format_seconds

    return format_seconds(seconds)


def _clock(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M:%S")


# Keys as typed -> the loop's keys.
_KEYS = {"\r": "enter", "\n": "enter", "z": "z", "s": "s", "p": "p", "q": "q"}


def decode(data: str) -> list[str]:
    """The loop's keys in a chunk of typed text; escape sequences dropped."""
    keys: list[str] = []
    for key in typed(data):
        if key.startswith(ESC):  # an arrow or function key: ignored
            continue
        found = _KEYS.get(key.lower() if key.isalpha() else key)
        if found:
            keys.append(found)
    return keys


class TerminalKeys(FdKeys[str]):
    """The loop's keys from a terminal's file descriptor, waiting at most `timeout` seconds."""

    def __init__(self, fd: int) -> None:
        super().__init__(fd, decode)


class Sleeper:
    """A key source without a keyboard (a service, a pipe): it only waits."""

    def read(self, timeout: float) -> str | None:
        time.sleep(max(0.0, timeout))
        return None


class StatusLine:
    """One line redrawn in place on a terminal; event lines are printed above it."""

    def __init__(self, write: Callable[[str], None], width: Callable[[], int]) -> None:
        self.write = write
        self.width = width
        self.shown = ""

    def show(self, line: str) -> None:
        line = line[: max(1, self.width() - 1)]
        if line != self.shown:
            self.write(f"\r{line}\x1b[K")
            self.shown = line

    def log(self, message: str) -> None:
        self.write(f"\r\x1b[K{message}\n")
        self.shown = ""

    def clear(self) -> None:
        if self.shown:
            self.write("\r\x1b[K")
            self.shown = ""
