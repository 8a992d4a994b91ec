"""Ctrl-Z arriving while a frame is being written: the guard's handler must not write to the
stream that is busy (a BufferedWriter raises "reentrant call" and the session crashed)."""

from __future__ import annotations

import io
import os
import select
import signal

import pytest

from stretchcoach.session import terminal
from stretchcoach.session.terminal import (
    ENTER_ALT_SCREEN,
    HIDE_CURSOR,
    LEAVE_ALT_SCREEN,
    SHOW_CURSOR,
    Guard,
)


class SlowRaw(io.RawIOBase):
    """The terminal under a BufferedWriter; the first write is 'interrupted' by Ctrl-Z."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.on_write: object = None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def write(self, data) -> int:  # type: ignore[override]
        handler, self.on_write = self.on_write, None
        if callable(handler):
            handler()  # the signal handler runs inside the buffered write, as Python would
        return os.write(self.fd, bytes(data))


def read_all(fd: int) -> bytes:
    out = b""
    while select.select([fd], [], [], 0.05)[0]:
        out += os.read(fd, 4096)
    return out


@pytest.mark.skipif(not hasattr(signal, "SIGTSTP"), reason="no job control")
def test_ctrl_z_inside_a_write_leaves_and_reenters_the_screen_by_the_descriptor(monkeypatch):
    master, slave = os.openpty()
    stops: list[int] = []
    monkeypatch.setattr(terminal.os, "kill", lambda pid, signum: stops.append(signum))
    raw = SlowRaw(slave)
    stream = io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=8), encoding="ascii")
    try:
        with Guard(stream, stream, keys=False, screen=True) as guard:
            read_all(master)  # the hidden cursor
            raw.on_write = lambda: guard._on_stop(signal.SIGTSTP, None)
            stream.write("a frame longer than the buffer")
            stream.flush()
            assert stops == [signal.SIGTSTP]  # the process stopped itself, as Ctrl-Z does
            assert guard.take_redraw()  # and redraws the whole screen once it is back
            out = read_all(master).decode("ascii")
        # The escapes went straight to the terminal, around the frame the stream was writing.
        assert out == (
            LEAVE_ALT_SCREEN + SHOW_CURSOR + HIDE_CURSOR + ENTER_ALT_SCREEN
            + "a frame longer than the buffer"
        )  # fmt: skip
        assert read_all(master).decode("ascii") == SHOW_CURSOR
    finally:
        stream.close()
        os.close(master)
