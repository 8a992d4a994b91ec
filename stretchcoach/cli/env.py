"""The environment a command runs in: streams, variables, clocks, keys and paths, in one value.

The root command builds it (`Environment.from_os()`) and keeps it in Typer's context object;
commands read what they need from there. A test passes its own as the runner's `obj`: a
factory, called inside the run, once the test runner's streams are in place.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from stretchcoach.paths import Paths, resolve

if TYPE_CHECKING:
    from stretchcoach.session.loop import Keys


def monotonic() -> float:
    """The session clock: monotonic, counting while the machine sleeps (see terminal.clock)."""
    from stretchcoach.session.terminal import clock

    return clock()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def key_reader(stdin: Any, with_keys: bool) -> Keys:
    """Keys typed on stdin, or a source that only waits when there is no keyboard."""
    from stretchcoach.session.terminal import KeyReader, NoKeys

    return KeyReader(stdin.fileno()) if with_keys else NoKeys()


@dataclass(frozen=True)
class Environment:
    """What a command may touch of the outside world, as httpie's Environment."""

    stdin: Any
    stdout: Any
    stderr: Any
    environ: Mapping[str, str]
    paths: Paths
    clock: Callable[[], float] = monotonic  # seconds on a monotonic clock
    now: Callable[[], dt.datetime] = utc_now  # the UTC time
    keys: Callable[[Any, bool], Keys] = key_reader  # (stdin, keyboard?) -> the key source
    debug: bool = False
    # The console script ends the process at once after a success (cli.script): what would
    # only tidy up for later in this process, such as the history's checkpoint, can be left.
    process_ends: bool = False

    @classmethod
    def from_os(cls, **changes: Any) -> Environment:
        """The process's own streams, variables and paths; `changes` replace any field."""
        env = cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            environ=os.environ,
            paths=resolve(os.environ),
        )
        return replace(env, **changes)


# The Environment of the command running now: set by the root command, read by helpers that
# have no Typer context at hand (paths(), the reminder loop's clock).
current: ContextVar[Environment | None] = ContextVar("stretchcoach_environment", default=None)


def environment() -> Environment:
    """The running command's Environment, or the process's own outside a command."""
    return current.get() or Environment.from_os()


def of(ctx: Any) -> Environment:
    """The environment of the command running in ctx (a Typer context)."""
    found = ctx.find_root().obj
    if isinstance(found, Environment):
        return found
    return Environment.from_os()  # a command called outside the app, as in some tests
