"""The session loop: a clock, a key source and a view drive the runner to a SessionResult."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from stretchcoach.errors import EXIT_INTERRUPTED
from stretchcoach.model import Plan, SessionResult, SessionStatus
from stretchcoach.render import frame
from stretchcoach.render import session as screen
from stretchcoach.session import runner
from stretchcoach.session.keys import INTERRUPT_KEY, Key
from stretchcoach.session.terminal import Interrupted

# At most ten frames a second, whatever the keys do.
MIN_FRAME = 0.1


class Keys(Protocol):
    def read(self, timeout: float) -> Key | None:
        """The next key, or None after `timeout` seconds without one."""


class View(Protocol):
    def show(self, snap: runner.Snapshot) -> float | None:
        """Draw `snap` if it differs from what is shown; seconds until a held-back frame is due."""


class SessionInterrupted(Exception):
    """A signal or Ctrl-C ended the session; the result is still worth recording."""

    def __init__(
        self, result: SessionResult, exit_code: int, crash: Exception | None = None
    ) -> None:
        super().__init__(f"session interrupted (exit {exit_code})")
        self.result = result
        self.exit_code = exit_code
        self.crash = crash  # the error that ended it, to raise once the result is recorded


def run_session(
    plan: Plan,
    *,
    clock: Callable[[], float],
    keys: Keys,
    view: View,
    now_utc: Callable[[], dt.datetime],
    stop_requested: Callable[[], int | None] = lambda: None,
    session_id: str | None = None,
) -> SessionResult:
    """Run `plan` to its end (or `q`); SessionInterrupted carries the result of an interruption.

    stop_requested gives an exit code once a signal asked to stop (a SignalLatch's); it is
    read before every frame, so a signal never lands in the middle of drawing one.
    """
    session_id = session_id or uuid.uuid4().hex
    started_at = now_utc()
    state = runner.start(plan, clock())
    try:
        while True:
            code = stop_requested()
            if code is not None:
                raise _Stop(code)
            now = clock()
            due = view.show(runner.snapshot(state, now))
            if state.finished:
                break
            # Waited from after the drawing, which takes milliseconds: measured from before
            # it, every wake (and so the session's end) would come that much late.
            drawn = clock()
            timeout = runner.wait_time(state, drawn)
            if due is not None:
                timeout = min(timeout, due - (drawn - now))
            key = keys.read(max(0.0, timeout))
            if key == INTERRUPT_KEY:  # Ctrl-C read as a byte: the terminal did not signal it
                raise _Stop(EXIT_INTERRUPTED)
            state = runner.step(state, clock(), key)
    except (KeyboardInterrupt, Interrupted, _Stop, Exception) as ending:
        crash = None
        if isinstance(ending, KeyboardInterrupt):
            code = EXIT_INTERRUPTED
        elif isinstance(ending, (Interrupted, _Stop)):
            code = ending.exit_code
        else:
            # The terminal went away mid-frame (its SIGHUP is then already noted), output
            # failed, or a bug: what was done still counts, and the error is raised after.
            code = stop_requested() or 1
            crash = None if stop_requested() else ending
        state = runner.stop(state, clock(), SessionStatus.INTERRUPTED)
        result = runner.result(state, plan, started_at, now_utc(), SessionStatus.INTERRUPTED)
        raise SessionInterrupted(result._replace(session_id=session_id), code, crash) from None
    status = state.status or SessionStatus.COMPLETED
    result = runner.result(state, plan, started_at, now_utc(), status)
    if status is SessionStatus.COMPLETED and not any(e.done for e in result.exercises):
        status = SessionStatus.SKIPPED  # ran to its end with every exercise skipped
    return result._replace(status=status, session_id=session_id)


class _Stop(Exception):
    """Internal: leave the loop as interrupted with this exit code."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


class LiveView:
    """The full-screen view on the alternate screen: only the cells that changed are sent."""

    def __init__(self, console: Any, *, redraw_needed: Callable[[], bool] = lambda: False):
        self.console = console
        self.redraw_needed = redraw_needed
        self.shown: tuple[frame.Row, ...] | None = None  # the cells on the terminal now
        self.drawn_at = float("-inf")
        self.frames = 0  # frames written, full or partial

    def __enter__(self) -> LiveView:
        self.console.set_alt_screen(True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            self.console.set_alt_screen(False)
        except OSError:
            # The terminal hung up; an error here must not hide the session's own ending.
            if error is None:
                raise

    def show(self, snap: runner.Snapshot) -> float | None:
        """Send what changed, at most ten times a second; everything after a resize or fg."""
        if snap.finished:
            return None
        width, height = self.console.size
        cells = frame.rows(self.console, screen.layout(snap, width, height), width)
        force = self.redraw_needed()
        if cells == self.shown and not force:
            return None
        # The snapshot's own clock paces frames, so a fake clock paces them in tests too.
        wait = self.drawn_at + MIN_FRAME - snap.elapsed
        if wait > 0 and not force:
            return wait
        old = self.shown
        if force or old is None or len(old) != len(cells) or len(old[0]) != width:
            # First frame, a new size, or back from Ctrl-Z: the screen holds nothing we know.
            text = frame.CLEAR_SCREEN + frame.changes(
                frame.blank(width, len(cells)), cells, self.console
            )
        else:
            text = frame.changes(old, cells, self.console)
        self.console.file.write(text)
        self.console.file.flush()
        self.shown = cells
        self.drawn_at = snap.elapsed
        self.frames += 1
        return None


class PlainView:
    """One line per phase and per pause, no escape codes: for pipes, logs and screen readers."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.serial = -1
        self.paused = False

    def show(self, snap: runner.Snapshot) -> float | None:
        """Write a line when a phase begins or a pause starts or ends."""
        if snap.finished:
            return None
        if snap.serial != self.serial:
            self.serial = snap.serial
            self.write(screen.plain_line(snap))
        if snap.paused != self.paused:
            self.paused = snap.paused
            self.write(screen.plain_pause(snap))
        return None


CHECK_IN_RANGE = range(0, 11)


def ask_check_in(
    when: str, *, read_line: Callable[[], str], write: Callable[[str], None]
) -> int | None:
    """A 0-10 tension rating typed by the user, or None when they press Enter or input ends."""
    question = f"Tension or pain {when}, 0 (none) to 10 (worst)? Enter skips: "
    for _ in range(3):
        write(question)
        answer = read_line()
        if not answer:  # end of input
            write("\n")
            return None
        text = answer.strip()
        if not text:
            return None
        if text.isdigit() and int(text) in CHECK_IN_RANGE:
            return int(text)
        write("Type a whole number from 0 to 10, or press Enter to skip.\n")
    return None
