"""A parsed copy of config.toml in the cache folder, for `status`.

tomllib's imports cost a third of the status budget, so `status` reads this copy while the
file's size and modification time are unchanged, and rewrites it (atomically, best effort)
when they change.
"""

from __future__ import annotations

from stretchcoach.remind.settings import Settings, load_settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CACHE_NAME = "settings.cache"
_CACHE_INTS = ("every", "snooze", "postpone_limit", "goal_minutes")
_CACHE_TEXTS = ("routine", "notify", "on_due")


def load_settings_cached(path: str, cache_dir: str) -> Settings:
    """load_settings, through the parsed copy in cache_dir while the file is unchanged."""
    import os

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Settings()
    except OSError:
        return load_settings(path)  # says what is wrong
    stamp = f"{info.st_mtime_ns} {info.st_size}"
    cache = os.path.join(cache_dir, CACHE_NAME)
    cached = _read_cache(cache, stamp)
    if cached is not None:
        return cached
    settings = load_settings(path)
    _write_cache(cache, stamp, settings)
    return settings


def _read_cache(cache: str, stamp: str) -> Settings | None:
    try:
        with open(cache, encoding="utf-8") as file:
            lines = file.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != f"source={stamp}":
        return None
    values: dict[str, Any] = {}
    try:
        for line in lines[1:]:
            key, sep, text = line.partition("=")
            if not sep:
                continue
            if key in _CACHE_INTS:
                values[key] = int(text)
            elif key in _CACHE_TEXTS:
                values[key] = text
            elif key == "hours":
                start, _, end = text.partition("-")
                values[key] = (int(start), int(end))
            elif key == "days":
                values[key] = frozenset(int(day) for day in text.split(","))
        return Settings(**values)
    except (ValueError, TypeError):
        return None


def _write_cache(cache: str, stamp: str, settings: Settings) -> None:
    import os

    texts = [getattr(settings, key) for key in _CACHE_TEXTS]
    if any(text is not None and ("\n" in text or "\r" in text) for text in texts):
        return  # a multi-line hook: read from the file each time
    lines = [f"source={stamp}"]
    lines += [f"{key}={getattr(settings, key)}" for key in _CACHE_INTS]
    lines += [
        f"{key}={value}"
        for key, value in zip(_CACHE_TEXTS, texts, strict=True)
        if value is not None
    ]
    if settings.hours is not None:
        lines.append(f"hours={settings.hours[0]}-{settings.hours[1]}")
    lines.append("days=" + ",".join(str(day) for day in sorted(settings.days)))
    from stretchcoach.atomic import write_atomic

    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        write_atomic(cache, "\n".join(lines) + "\n", durable=False)
    except OSError:
        pass  # a cache that cannot be written is skipped
