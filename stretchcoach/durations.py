"""Durations as people write them ("30s", "1m30s", "1:30", "5 breaths") <-> whole seconds."""

from __future__ import annotations

import re

# A slow, deliberate breath while holding a stretch: about ten a minute.
BREATH_SECONDS = 6
# Nothing in a stretch session lasts longer than this; larger values are typos.
MAX_SECONDS = 24 * 60 * 60

_UNITS = {
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_PART = re.compile(r"(\d+)\s*([a-z]+)")
_UNIT_FORM = re.compile(r"(?:\d+\s*[a-z]+\s*)+")
_CLOCK_FORM = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_BREATHS_FORM = re.compile(r"(\d+)\s*breaths?")

EXAMPLES = '30, "30s", "1m30s", "1:30" or "5 breaths"'


class DurationError(ValueError):
    """The text is not a duration; the message says what would be."""


def parse(value: str | int) -> int:
    """Whole seconds that `value` stands for; DurationError if it is not a duration."""
    if isinstance(value, bool):
        raise DurationError(f"expected a duration such as {EXAMPLES}, not {value!r}")
    seconds = value if isinstance(value, int) else _parse_text(value)
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative: {value!r}")
    if seconds > MAX_SECONDS:
        raise DurationError(f"{value!r} is longer than a day; write a shorter duration")
    return seconds


def _parse_text(value: str) -> int:
    text = value.strip().lower()
    if not text.isascii():  # str.isdigit() and \d accept "²" and other scripts' digits
        raise DurationError(f"{value!r} is not a duration; write {EXAMPLES}")
    if not text:
        raise DurationError(f"expected a duration such as {EXAMPLES}, got an empty value")
    if len(text) > 40:  # also keeps int() from numbers too long to convert
        raise DurationError(f"{value[:20]!r}... is too long for a duration; write {EXAMPLES}")
    if text.isdigit():
        return int(text)
    if text.startswith("-") and text[1:].strip().isdigit():
        raise DurationError(f"a duration cannot be negative: {value!r}")
    if m := _BREATHS_FORM.fullmatch(text):
        return int(m.group(1)) * BREATH_SECONDS
    if m := _CLOCK_FORM.fullmatch(text):
        a, b, c = m.groups()
        if c is None:  # m:ss
            return int(a) * 60 + int(b)
        return int(a) * 3600 + int(b) * 60 + int(c)  # h:mm:ss
    if _UNIT_FORM.fullmatch(text):
        total = 0
        seen: set[int] = set()
        for number, unit in _PART.findall(text):
            size = _UNITS.get(unit)
            if size is None:
                raise DurationError(
                    f"unknown unit {unit!r} in {value!r}; use h, m, s or breaths ({EXAMPLES})"
                )
            if size in seen:
                raise DurationError(f"{value!r} gives the same unit twice")
            seen.add(size)
            total += int(number) * size
        return total
    if re.fullmatch(r"\d+[.,]\d+\s*[a-z]*", text):
        raise DurationError(f"durations are whole seconds: {value!r} has a fraction")
    raise DurationError(f"{value!r} is not a duration; write {EXAMPLES}")


def is_breaths(value: str | int) -> bool:
    """True when `value` is written in breaths, so its seconds are an estimate worth showing."""
    return isinstance(value, str) and _BREATHS_FORM.fullmatch(value.strip().lower()) is not None


def format_seconds(seconds: float) -> str:
    """Compact form that parse() reads back: 45s, 2m, 1m30s, 1h5m."""
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = f"{hours}h" if hours else ""
    if minutes:
        out += f"{minutes}m"
    if secs:
        out += f"{secs}s"
    return out


def format_clock(seconds: float) -> str:
    """Clock form for countdowns and totals: 0:05, 4:30, 1:02:03."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def describe(seconds: int, text: str = "") -> str:
    """A hold as shown to people: "30s", or "5 breaths (30s)" when written in breaths."""
    if text and is_breaths(text):
        return f"{text.strip()} ({format_seconds(seconds)})"
    return format_seconds(seconds)
