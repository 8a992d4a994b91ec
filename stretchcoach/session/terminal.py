"""The real clock, the key reader and the guard that always gives the terminal back."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable, Iterable
from types import FrameType, TracebackType
from typing import IO, Any

from stretchcoach.errors import exit_code_for_signal
from stretchcoach.session.keys import INTERRUPT_KEY, Key
from stretchcoach.typed import ESC, FdKeys, drain, typed

SHOW_CURSOR = "\x1b[?25h"
HIDE_CURSOR = "\x1b[?25l"
ENTER_ALT_SCREEN = "\x1b[?1049h"
LEAVE_ALT_SCREEN = "\x1b[?1049l"

# Keys as typed -> the session's keys (keys.py). Arrows move between exercises too.
_KEYS: dict[str, Key] = {
    INTERRUPT_KEY: INTERRUPT_KEY,
    " ": " ",
    "n": "n",
    "N": "n",
    "b": "b",
    "B": "b",
    "+": "+",
    "=": "+",
    "q": "q",
    "Q": "q",
}
_ARROWS: dict[str, Key] = {"C": "n", "D": "b"}


def clock() -> float:
    """Seconds on a monotonic clock that keeps counting while the machine sleeps."""
    # CLOCK_MONOTONIC stops during suspend on Linux; BOOTTIME does not, so a laptop
    # lid closed mid-session shows up as a gap the runner can refuse to count.
    if hasattr(time, "CLOCK_BOOTTIME"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.monotonic()


def decode(data: str) -> list[Key]:
    """The session keys in a chunk of typed text; escape sequences other than arrows dropped."""
    keys: list[Key] = []
    for key in typed(data):
        found = _ARROWS.get(key[1:]) if key.startswith(ESC) else _KEYS.get(key)
        if found is not None:
            keys.append(found)
    return keys


class KeyReader(FdKeys[Key]):
    """Session keys from a file descriptor; a signal under a SignalLatch ends a wait early."""

    def __init__(self, fd: int) -> None:
        super().__init__(fd, decode, wake=_wake_fds, idle=wait_for_signal)


class NoKeys:
    """A key source for sessions without a keyboard: it only waits."""

    def read(self, timeout: float) -> Key | None:
        wait_for_signal(timeout)
        return None


def wait_for_signal(timeout: float) -> None:
    """Sleep timeout seconds, or less when a signal arrives under a SignalLatch."""
    wake = _wake_fds()
    if not wake:
        time.sleep(max(0.0, timeout))
        return
    ready, _, _ = select.select(wake, [], [], max(0.0, timeout))
    drain(ready)


def _wake_fds() -> list[int]:
    return [] if _latch is None else [_latch.wake_fd]


# Signals that end a session. Handlers are process-wide, so one latch at most is active.
ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_latch: SignalLatch | None = None


class SignalLatch:
    """While active, SIGINT, SIGTERM and SIGHUP only note themselves: nothing is aborted half
    way (a frame, a journal write, an insert). The first one's exit code is kept; each also
    writes a byte to a pipe so a wait for keys returns at once."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.wake_fd = -1
        self._write_fd = -1
        self._old: dict[int, Any] = {}
        self._outer: SignalLatch | None = None

    @property
    def exit_code(self) -> int | None:
        """128 + the first signal's number, or None while none came."""
        return self.first

    def trip(self, exit_code: int) -> None:
        """Act as if a signal with this exit code came (a ^C byte read as a key)."""
        if self.first is None:
            self.first = exit_code

    def __enter__(self) -> SignalLatch:
        global _latch
        self.wake_fd, self._write_fd = os.pipe()
        os.set_blocking(self.wake_fd, False)
        os.set_blocking(self._write_fd, False)
        # Blocked while the handlers change, so none slips between two signal() calls.
        blocked = _block(ENDING_SIGNALS)
        try:
            self._old = _install(ENDING_SIGNALS, self._on_signal)
            self._outer, _latch = _latch, self
        finally:
            _unblock(blocked)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _latch
        blocked = _block(ENDING_SIGNALS)
        try:
            _restore(self._old)
            self._old = {}
            _latch = self._outer
        finally:
            _unblock(blocked)
        os.close(self.wake_fd)
        os.close(self._write_fd)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.trip(exit_code_for_signal(signum))
        with contextlib.suppress(OSError):  # the pipe is full: a wake-up is already waiting
            os.write(self._write_fd, b"\0")


def _install(signums: Iterable[int], handler: Any) -> dict[int, Any]:
    """Set handler for each signal; the handlers it replaced, for _restore."""
    return {signum: signal.signal(signum, handler) for signum in signums}


def _restore(old: dict[int, Any]) -> None:
    for signum, handler in old.items():
        signal.signal(signum, handler)


def _block(signums: tuple[int, ...]) -> set[int] | None:
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return {int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, signums)}


def _unblock(previous: set[int] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class RaisingSignals:
    """SIGTERM and SIGHUP raise Interrupted (SIGINT raises KeyboardInterrupt as usual):
    for waits that are safe to abandon, such as a prompt after the session is recorded."""

    def __init__(self) -> None:
        self._old: dict[int, Any] = {}

    def __enter__(self) -> RaisingSignals:
        sigint = getattr(signal, "SIGINT", None)
        self._old = _install((s for s in ENDING_SIGNALS if s != sigint), self._raise)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        _restore(self._old)

    @staticmethod
    def _raise(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)


class Interrupted(BaseException):
    """The session was ended by a signal; exit with `exit_code` once it is recorded."""

    # A BaseException like KeyboardInterrupt, so no `except Exception` swallows it.

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.exit_code = exit_code_for_signal(signum)


class Guard:
    """Terminal modes and Ctrl-Z for a session, restored on every way out."""

    def __init__(
        self,
        stdin: IO[Any],
        stdout: IO[Any],
        *,
        keys: bool,
        screen: bool,
    ) -> None:
        self.in_fd = stdin.fileno() if keys else -1
        self.stdout = stdout
        self.screen = screen  # a full-screen view: hide the cursor, alternate screen
        self.saved: list[Any] | None = None
        self.old_handlers: dict[int, Any] = {}
        self.redraw = False
        self.active = False
        self.in_handler = False  # inside _on_stop: write to the descriptor, not the stream

    def __enter__(self) -> Guard:
        if self.in_fd >= 0:
            import termios

            self.saved = termios.tcgetattr(self.in_fd)
        self.active = True
        # SIGINT, SIGTERM and SIGHUP are a SignalLatch's: the session loop polls it.
        if hasattr(signal, "SIGTSTP") and (self.saved is not None or self.screen):
            self._handle(signal.SIGTSTP, self._on_stop)
        self._enter_modes()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.active = False
        try:
            self._leave_modes(flush=True)
        finally:
            for signum, handler in self.old_handlers.items():
                signal.signal(signum, handler)
            self.old_handlers.clear()

    def take_redraw(self) -> bool:
        """True once after the process came back from Ctrl-Z: the screen must be redrawn."""
        redraw, self.redraw = self.redraw, False
        return redraw

    def _handle(self, signum: int, handler: Callable[[int, FrameType | None], None]) -> None:
        self.old_handlers[signum] = signal.signal(signum, handler)

    def _enter_modes(self) -> None:
        if self.saved is not None:
            import termios
            import tty

            # cbreak keeps ISIG: Ctrl-C still arrives as KeyboardInterrupt, Ctrl-Z as SIGTSTP.
            tty.setcbreak(self.in_fd, termios.TCSANOW)
        if self.screen:
            self._write(HIDE_CURSOR)

    def _leave_modes(self, *, flush: bool) -> None:
        if self.screen:
            self._write(SHOW_CURSOR)
        if self.saved is not None:
            import termios

            try:
                if flush:  # keys pressed during the session must not reach the shell
                    termios.tcflush(self.in_fd, termios.TCIFLUSH)
                termios.tcsetattr(self.in_fd, termios.TCSADRAIN, self.saved)
            except (OSError, termios.error):
                pass  # the terminal is gone (hang-up): nothing left to restore

    def _write(self, text: str) -> None:
        if self.in_handler:
            # The signal may have arrived inside a write to this very stream: writing to it
            # again raises "reentrant call inside BufferedWriter". The escapes go to the file
            # descriptor directly; what the stream still buffers follows, and is redrawn over.
            try:
                os.write(self.stdout.fileno(), text.encode("ascii"))
                return
            except (AttributeError, OSError, ValueError):
                pass  # no descriptor (a test's stream): written as usual below
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except (OSError, ValueError, RuntimeError):
            pass

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        self.in_handler = True
        try:
            if self.screen:
                self._write(LEAVE_ALT_SCREEN)
            self._leave_modes(flush=False)
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT (fg)
            signal.signal(signal.SIGTSTP, self._on_stop)
            if self.active:
                self._enter_modes()
                if self.screen:
                    self._write(ENTER_ALT_SCREEN)
                self.redraw = True
        finally:
            self.in_handler = False


def is_terminal(stream: IO[Any]) -> bool:
    """True when `stream` is an interactive terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
