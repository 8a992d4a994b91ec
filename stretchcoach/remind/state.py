"""The reminder state every loop and `status` share: a pause, a snooze, the last reset.

A small text file of `key=value` lines in the data folder (not the history, which the waiting
loop and `status` never create). Readers need no lock: a writer replaces the whole file in one
rename after an fsync. Writers take an exclusive lock around read-change-write, so two
processes pausing and resuming at once never lose each other's change.
"""

from __future__ import annotations

import datetime as dt
import os

from stretchcoach.remind.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from os import PathLike

    Path = str | PathLike[str]

STATE_NAME = "remind.state"
UTC = dt.timezone.utc
_KEYS = ("paused_until", "snoozed_until", "reset_at")
# A writer holds the lock for one small file write; waiting longer means something is stuck.
LOCK_WAIT_S = 5.0


class State(Record):
    """Times in UTC; None when unset."""

    __slots__ = _KEYS
    _defaults = dict.fromkeys(_KEYS)
    paused_until: dt.datetime | None
    snoozed_until: dt.datetime | None
    reset_at: dt.datetime | None  # a loop started or a break was skipped


def state_path(data_dir: Path) -> str:
    return os.path.join(data_dir, STATE_NAME)


def format_utc(moment: dt.datetime) -> str:
    """ISO 8601 UTC with a Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> dt.datetime:
    """The inverse of format_utc (Python 3.10's fromisoformat does not read Z)."""
    moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if moment.tzinfo is None:
        raise ValueError(f"no time zone in {text!r}")
    return moment.astimezone(UTC)


def load(path: Path) -> State:
    """The state at path; a missing, unreadable or damaged file (or line) counts as unset."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return State()
    values: dict[str, dt.datetime] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in _KEYS:
            try:
                values[key.strip()] = parse_utc(value.strip())
            except ValueError:
                continue
    return State(**values)


def dump(state: State) -> str:
    lines = ["# stretchcoach reminder state: written by remind, pause and resume"]
    for key in _KEYS:
        value = getattr(state, key)
        if value is not None:
            lines.append(f"{key}={format_utc(value)}")
    return "\n".join(lines) + "\n"


def update(path: Path, change: Callable[[State], State]) -> State:
    """Apply change to the state under an exclusive lock and store the result durably."""
    path = os.fspath(path)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd = _lock(path + ".lock")
    try:
        new = change(load(path))
        _write_atomically(path, dump(new))
    finally:
        os.close(fd)  # closing releases the lock
    return new


def pause(path: Path, until: dt.datetime) -> State:
    return update(path, lambda s: s.replace(paused_until=until))


def resume(path: Path) -> State:
    """End a pause and any snooze: the next break is due as the schedule says."""
    return update(path, lambda s: s.replace(paused_until=None, snoozed_until=None))


def _lock(lock_path: str) -> int:
    """An open descriptor holding an exclusive lock on lock_path; waits LOCK_WAIT_S at most."""
    import time

    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the rename alone keeps files whole
        return fd
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                from stretchcoach.errors import StretchcoachError

                raise StretchcoachError(
                    f"the reminder state {lock_path.removesuffix('.lock')} stayed locked "
                    f"for {LOCK_WAIT_S:.0f} s by another stretchcoach",
                    hint="try again; if it persists, look for a hung stretchcoach process",
                ) from None
            time.sleep(0.01)  # another writer holds it for a moment: one small file write
        except BaseException:
            os.close(fd)
            raise


def _write_atomically(path: str, text: str) -> None:
    from stretchcoach.atomic import write_atomic

    write_atomic(path, text)
