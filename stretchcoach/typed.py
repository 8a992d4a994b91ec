"""Typed text split into keys: the one tokenizer behind the session's and the reminders' keys."""

from __future__ import annotations

import os
import select
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

ESC = "\x1b"
K = TypeVar("K")


def typed(data: str) -> Iterator[str]:
    """Each key in a chunk of typed text: one character, or an escape sequence as ESC plus its
    final character (ESC alone for Alt+key, whose key is dropped, or a sequence cut short)."""
    i = 0
    while i < len(data):
        if data[i] != ESC:
            yield data[i]
            i += 1
            continue
        # CSI / SS3: ESC [ or ESC O, parameters, then a final letter or ~.
        j = i + 1
        final = ""
        if j < len(data) and data[j] in "[O":
            j += 1
            while j < len(data) and not (data[j].isalpha() or data[j] == "~"):
                j += 1
            final = data[j] if j < len(data) else ""
        yield ESC + final
        i = j + 1


class FdKeys(Generic[K]):
    """Keys from a file descriptor, waiting at most `timeout` seconds for one: the one reader
    behind the session's and the reminders' keys, each with its own `decode`.

    `wake` gives extra descriptors that end a wait early (a signal latch's pipe) and are
    drained; `idle` waits out a timeout once the input has ended, without spinning on a
    readable EOF.
    """

    def __init__(
        self,
        fd: int,
        decode: Callable[[str], list[K]],
        *,
        wake: Callable[[], list[int]] = list,
        idle: Callable[[float], None] = time.sleep,
    ) -> None:
        self.fd = fd
        self.decode = decode
        self.wake = wake
        self.idle = idle
        self.pending: deque[K] = deque()
        self.closed = False

    def read(self, timeout: float) -> K | None:
        """The next key, or None when none came within `timeout` seconds."""
        if self.pending:
            return self.pending.popleft()
        if self.closed:
            self.idle(max(0.0, timeout))
            return None
        wake = self.wake()
        ready, _, _ = select.select([self.fd, *wake], [], [], max(0.0, timeout))
        if self.fd not in ready:
            drain(ready)
            return None
        try:
            data = os.read(self.fd, 64)
        except OSError:  # the terminal went away (hang-up)
            data = b""
        if not data:
            self.closed = True
            return None
        self.pending.extend(self.decode(data.decode("utf-8", "replace")))
        return self.pending.popleft() if self.pending else None


def drain(fds: list[int]) -> None:
    """Empty wake-up pipes that became readable, so the next wait really waits."""
    for fd in fds:
        try:
            while os.read(fd, 64):
                pass
        except OSError:  # empty (non-blocking) or closed
            pass
