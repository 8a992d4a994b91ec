"""Reminder settings and the daily goal: defaults, config.toml, and command-line overrides."""

from __future__ import annotations

from stretchcoach.remind.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any, ClassVar

CONFIG_NAME = "config.toml"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOTIFY_CHOICES = ("auto", "desktop", "bell", "none")
# Article 004: about 15 minutes of stretching a day.
DEFAULT_GOAL_MINUTES = 15
# The hourly break (article 003's "move every hour"), and the longer one when behind the goal.
HOURLY_ROUTINE = "micro-break"
CATCH_UP_ROUTINE = "desk-break"

EXAMPLE = """\
[remind]
every = "50m"            # time between breaks, counted from the end of the last session
hours = "09:00-17:30"    # only inside these hours (local time); omit for any time
days = "mon-fri"         # only on these days; omit for every day
routine = "micro-break"  # what a break runs; omit to choose by the daily goal
notify = "auto"          # auto | desktop | bell | none
on_due = "echo due"      # a shell command run when a break is due
snooze = "5m"            # what z postpones a break by, and how soon an ignored one returns
postpone_limit = 3       # how many times z may postpone one break

[goal]
minutes = 15             # the daily goal, shown by status, stats and the session summary
"""


class Settings(Record):
    """What the reminder loop and status need; every duration in whole seconds."""

    __slots__ = (
        "days",
        "every",
        "goal_minutes",
        "hours",
        "notify",
        "on_due",
        "postpone_limit",
        "routine",
        "snooze",
    )  # fmt: skip
    _defaults: ClassVar[dict[str, Any]] = {
        "every": 50 * 60,
        "hours": None,
        "days": frozenset(range(7)),
        "routine": None,
        "notify": "auto",
        "on_due": None,
        "snooze": 5 * 60,
        "postpone_limit": 3,
        "goal_minutes": DEFAULT_GOAL_MINUTES,
    }
    every: int
    hours: tuple[int, int] | None  # minutes after local midnight: [start, end)
    days: frozenset[int]  # Monday is 0
    routine: str | None  # None: chosen by the daily goal
    notify: str
    on_due: str | None
    snooze: int
    postpone_limit: int
    goal_minutes: int


class SettingError(ValueError):
    """A setting's value is wrong; the message says what would be right."""


def parse_every(value: object) -> int:
    seconds = _duration(value)
    if seconds < 1:
        raise SettingError("the time between breaks must be at least 1 second")
    return seconds


def parse_hours(value: object) -> tuple[int, int]:
    """ "09:00-17:30" -> (540, 1050); the end may be 24:00."""
    if not isinstance(value, str) or value.count("-") != 1:
        raise SettingError(
            f"expected working hours as HH:MM-HH:MM, e.g. 09:00-17:30, not {value!r}"
        )
    start, end = (_clock(part.strip(), value) for part in value.split("-"))
    if end <= start:
        raise SettingError(f"working hours {value!r} end before they start")
    return start, end


def _clock(text: str, whole: str) -> int:
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise SettingError(
            f"expected working hours as HH:MM-HH:MM, e.g. 09:00-17:30, not {whole!r}"
        )
    total = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or total > 24 * 60:
        raise SettingError(f"{text!r} in {whole!r} is not a time of day")
    return total


def parse_days(value: object) -> frozenset[int]:
    """ "mon-fri", "mon,wed,fri", "sat-sun", "fri-mon" (wrapping) -> weekday numbers."""
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"expected days such as mon-fri or mon,wed,fri, not {value!r}")
    days: set[int] = set()
    for part in value.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        a, b = _day(first, value), _day(last or first, value)
        span = (b - a) % 7
        days.update((a + i) % 7 for i in range(span + 1))
    return frozenset(days)


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day(text: str, whole: str) -> int:
    for number, (short, full) in enumerate(zip(DAY_NAMES, _FULL_NAMES, strict=True)):
        if text in (short, full):
            return number
    raise SettingError(f"{text!r} in {whole!r} is not a day; use mon, tue, wed, thu, fri, sat, sun")


def parse_notify(value: object) -> str:
    if value not in NOTIFY_CHOICES:
        raise SettingError(f"notify must be one of {', '.join(NOTIFY_CHOICES)}, not {value!r}")
    return str(value)


def parse_snooze(value: object) -> int:
    seconds = _duration(value)
    if seconds < 1:
        raise SettingError("a snooze must be at least 1 second")
    return seconds


def parse_limit(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SettingError(f"postpone_limit must be a whole number, 0 or more, not {value!r}")
    return value


def parse_goal(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
        raise SettingError(f"the daily goal is whole minutes from 1 to 600, not {value!r}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"expected a non-empty string, not {value!r}")
    return value


def _duration(value: object) -> int:
    from stretchcoach.durations import DurationError, parse

    try:
        return parse(value)  # type: ignore[arg-type]  # parse rejects what is not str or int
    except DurationError as error:
        raise SettingError(str(error)) from None
    except (TypeError, AttributeError):
        raise SettingError(f'expected a duration such as "50m", not {value!r}') from None


# section -> key -> (Settings field, parser)
_KEYS: dict[str, dict[str, tuple[str, Any]]] = {
    "remind": {
        "every": ("every", parse_every),
        "hours": ("hours", parse_hours),
        "days": ("days", parse_days),
        "routine": ("routine", _text),
        "notify": ("notify", parse_notify),
        "on_due": ("on_due", _text),
        "snooze": ("snooze", parse_snooze),
        "postpone_limit": ("postpone_limit", parse_limit),
    },
    "goal": {"minutes": ("goal_minutes", parse_goal)},
}


def config_path(config_dir: str | PathLike[str]) -> str:
    import os

    return os.path.join(config_dir, CONFIG_NAME)


def load_settings(path: str | PathLike[str]) -> Settings:
    """The settings in force: defaults, overridden by the file at path when it exists."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise _config_error(
            str(path), [(1, 1, f"cannot read the file: {error.strerror or error}")]
        ) from None
    return parse_settings(data, str(path))


def parse_settings(data: bytes, name: str) -> Settings:
    """Settings from config.toml's bytes; every problem reported as FILE:LINE:COLUMN."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _config_error(name, [(line, 1, "the file is not UTF-8 text")]) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_position(str(error))
        message = str(error).split(" (at ")[0]
        raise _config_error(name, [(line, column, f"not valid TOML: {message}")]) from None
    problems: list[tuple[int, int, str]] = []
    values: dict[str, Any] = {}
    for section, content in table.items():
        keys = _KEYS.get(section)
        if keys is None or not isinstance(content, dict):
            known = ", ".join(f"[{s}]" for s in _KEYS)
            where = _locate(text, section, None)
            problems.append((*where, f"unknown section {section!r}; the sections are {known}"))
            continue
        for key, value in content.items():
            where = _locate(text, section, key)
            if key not in keys:
                known = ", ".join(keys)
                problems.append(
                    (*where, f"unknown key {key!r} in [{section}]; the keys are {known}")
                )
                continue
            field, parser = keys[key]
            try:
                values[field] = parser(value)
            except SettingError as error:
                problems.append((*where, f"{key}: {error}"))
    if problems:
        raise _config_error(name, problems)
    return Settings(**values)


def _config_error(name: str, problems: list[tuple[int, int, str]]) -> Exception:
    # The error family is imported only on failure: it costs `status` start-up time.
    from stretchcoach.errors import ConfigError, Problem

    return ConfigError(
        [Problem(name, line, column, message) for line, column, message in problems],
        hint="see `stretchcoach info` for the settings in force",
    )


def _toml_position(message: str) -> tuple[int, int]:
    # tomllib ends its messages with "(at line L, column C)" or "(at end of document)".
    if "(at line " in message:
        where = message.rsplit("(at line ", 1)[1].rstrip(")")
        line, _, column = where.partition(", column ")
        if line.isdigit() and column.isdigit():
            return int(line), int(column)
    return max(1, message.count("\n") + 1), 1


def _locate(text: str, section: str, key: str | None) -> tuple[int, int]:
    """The 1-based line and column of [section] or of key inside it (tomllib gives neither)."""
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and "]" in line:
            current = line.strip("[]").strip().strip('"')
            if key is None and current == section:
                return number, raw.index("[") + 1
            continue
        if key is not None and current == section:
            name = line.split("=", 1)[0].strip().strip('"')
            if "=" in line and name == key:
                return number, raw.index(line[0]) + 1
    return 1, 1


def override(settings: Settings, **given: Any) -> Settings:
    """Settings with each given (not None) command-line value in place of the file's."""
    names = set(Settings.__slots__)
    chosen = {k: v for k, v in given.items() if v is not None}
    unknown = set(chosen) - names
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    return settings.replace(**chosen)


def describe(settings: Settings) -> dict[str, Any]:
    """The settings as plain values, as `info` and `remind --help` show them."""
    from stretchcoach.durations import format_seconds

    hours = settings.hours
    return {
        "every": format_seconds(settings.every),
        "hours": None if hours is None else f"{_hhmm(hours[0])}-{_hhmm(hours[1])}",
        "days": ",".join(DAY_NAMES[d] for d in sorted(settings.days)),
        "routine": settings.routine,
        "notify": settings.notify,
        "on_due": settings.on_due,
        "snooze": format_seconds(settings.snooze),
        "postpone_limit": settings.postpone_limit,
        "goal_minutes": settings.goal_minutes,
    }


def summary_line(described: dict[str, Any]) -> str:
    """One line of the values in force, from describe(): what `info` shows."""
    hours = f"between {described['hours']}" if described["hours"] else "any time"
    days = described["days"]
    days = "every day" if days.count(",") == 6 else f"on {days}"
    return (
        f"every {described['every']}, {hours}, {days}, goal {described['goal_minutes']} min a day"
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
