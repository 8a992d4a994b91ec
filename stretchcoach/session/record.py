"""A session from start to history: open the history, check in, run, record once whatever the
ending, summarise. The terminal, clock, keys, console and paths are all parameters."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stretchcoach.errors import EXIT_INTERRUPTED, HistoryError
from stretchcoach.history import journal
from stretchcoach.history.connection import HistoryBusy
from stretchcoach.history.store import History, open_history
from stretchcoach.model import Plan, SessionResult
from stretchcoach.session.keys import keys_line
from stretchcoach.session.loop import (
    Keys,
    LiveView,
    PlainView,
    SessionInterrupted,
    View,
    run_session,
)
from stretchcoach.session.terminal import Guard, Interrupted, RaisingSignals, SignalLatch

# Another process's lock: waited on quietly for a moment, then with a message for up to
# LOCK_WAIT_SECONDS (another session's insert takes milliseconds), then the journal keeps it.
QUIET_WAIT_SECONDS = 0.5
LOCK_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Devices:
    """The outside world of one session."""

    stdin: IO[Any]
    stdout: IO[Any]
    clock: Callable[[], float]
    keys: Keys
    now_utc: Callable[[], dt.datetime]
    console: Any  # a Rich console for the live view
    print_line: Callable[[str], None]  # one line of plain output
    tell: Callable[[str], None]  # one message line for the user (stderr)
    wrap_view: Callable[[View], View] | None = None  # the cues: bells, the voice
    keys_on: bool = False  # stdin is a terminal: read keys, cbreak mode
    plain: bool = True  # one line per phase instead of the live screen


@dataclass(frozen=True)
class Recording:
    """Where the session goes: the history (None with --no-log) and the journal's folders."""

    history_db: Path | None
    journal: Sequence[Path] = ()
    first_wait: float = QUIET_WAIT_SECONDS
    lock_wait: float = LOCK_WAIT_SECONDS  # then this long, after saying so
    # The process ends at once after this (the CLI's script): leave the history's -wal for
    # the next opener instead of checkpointing it now (History.leave).
    process_ends: bool = False


def run_and_record(
    plan: Plan,
    devices: Devices,
    recording: Recording,
    *,
    ask: Callable[[str], int | None] | None = None,
    show_summary: Callable[[SessionResult, float | None], None],
) -> int:
    """Run plan and record it; return the exit code (0, or the first signal's 128+N).

    A finished session is written to the journal, then inserted, before the "after" question;
    the summary (with today's minutes when the history has them) always shows.
    """
    history = _open(recording, devices.tell)
    try:
        before = ask("now") if ask is not None else None
        session_id = uuid.uuid4().hex
        with SignalLatch() as latch:
            crash: Exception | None = None
            try:
                result, code = _run(plan, devices, latch, session_id)
            except _Crashed as crashed:
                result, code, crash = crashed.result, 1, crashed.error
            result = result._replace(check_in_before=before)
            waiting: Path | None = None
            if recording.history_db is not None:
                waiting = _record(result, history, recording, devices.tell)
            if crash is not None:
                show_summary(result, _today_minutes(history, result, waiting))
                raise crash  # shown by the CLI's one error handler (a traceback with --debug)
            # A signal that came while recording still ends the command with its code.
            code = code or latch.exit_code or 0
        if code == 0 and ask is not None:
            code, after = _ask_after(result, history, waiting, recording, ask, devices.tell)
            result = result._replace(check_in_after=after)
        show_summary(result, _today_minutes(history, result, waiting))
    finally:
        if history is not None and recording.process_ends:
            history.leave()
        elif history is not None:
            history.close()
    return code


def _open(recording: Recording, tell: Callable[[str], None]) -> History | None:
    # Opened first: a broken database is reported before anyone stretches.
    if recording.history_db is None:
        return None
    history = open_history(recording.history_db, pending=journal.merger(recording.journal))
    for notice in history.notices:
        tell(notice)
    journal.ready(recording.journal)
    return history


def _run(
    plan: Plan, devices: Devices, latch: SignalLatch, session_id: str
) -> tuple[SessionResult, int]:
    """The session itself, in the guarded terminal; (result, exit code of its ending)."""
    wrap = devices.wrap_view or (lambda view: view)
    try:
        with Guard(
            devices.stdin, devices.stdout, keys=devices.keys_on, screen=not devices.plain
        ) as guard:
            kwargs: dict[str, Any] = {
                "clock": devices.clock,
                "keys": devices.keys,
                "now_utc": devices.now_utc,
                "stop_requested": lambda: latch.exit_code,
                "session_id": session_id,
            }
            if devices.plain:
                view: View = PlainView(devices.print_line)
                if devices.keys_on:
                    devices.print_line(f"Keys: {keys_line()}")
                return run_session(plan, view=wrap(view), **kwargs), 0
            with LiveView(devices.console, redraw_needed=guard.take_redraw) as live:
                return run_session(plan, view=wrap(live), **kwargs), 0
    except SessionInterrupted as stopped:
        if stopped.crash is not None:
            raise _Crashed(stopped.result, stopped.crash) from None
        return stopped.result, stopped.exit_code


class _Crashed(Exception):
    """The session ended by an error; its result is recorded before the error goes on."""

    def __init__(self, result: SessionResult, error: Exception) -> None:
        super().__init__(str(error))
        self.result = result
        self.error = error


def _record(
    result: SessionResult,
    history: History | None,
    recording: Recording,
    tell: Callable[[str], None],
) -> Path | None:
    """Journal first, then the history; the journal entry that still waits, if any."""
    try:
        entry: Path | None = journal.write(result, recording.journal)
    except HistoryError as error:
        entry = None  # nowhere to keep it: the history is the last chance
        tell(f"warning: {error.message}")
    if history is None:
        return entry
    try:
        _insert(result, history, recording, tell)
    except HistoryError as error:
        if entry is None:
            tell(f"error: {error.message}; this session could not be kept")
        else:
            tell(
                f"{error.message}: this session waits in {entry} "
                "and will be merged into the history by the next stretchcoach command"
            )
        return entry
    if entry is not None:
        # If it stays, the next merge finds the id already stored: harmless.
        with contextlib.suppress(OSError):
            journal.retire(entry)
    return None


def _insert(
    result: SessionResult, history: History, recording: Recording, tell: Callable[[str], None]
) -> None:
    history.wait_for_locks(recording.first_wait)
    try:
        history.record(result)
    except HistoryBusy:
        tell(
            f"the history database {history.path} is locked by another process; "
            f"waiting up to {recording.lock_wait:g} s to record this session"
        )
        history.wait_for_locks(recording.lock_wait)
        history.record(result)


def _ask_after(
    result: SessionResult,
    history: History | None,
    waiting: Path | None,
    recording: Recording,
    ask: Callable[[str], int | None],
    tell: Callable[[str], None],
) -> tuple[int, int | None]:
    """The after-session rating, added to the session already recorded; (exit code, rating)."""
    try:
        with RaisingSignals():
            after = ask("after the session")
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED, None
    except Interrupted as stopped:
        return stopped.exit_code, None
    if after is None or recording.history_db is None:
        return 0, after
    rated = result._replace(check_in_after=after)
    if waiting is None and history is not None:
        try:
            history.wait_for_locks(recording.first_wait)
            assert result.session_id is not None
            if history.set_check_in_after(result.session_id, after):
                return 0, after
        except HistoryError:
            pass
    try:
        entry = journal.write(rated, recording.journal)
    except HistoryError as error:
        tell(f"error: {error.message}; the rating could not be kept")
        return 1, after
    tell(f"the rating waits in {entry} and will be merged by the next stretchcoach command")
    return 0, after


def _today_minutes(
    history: History | None, result: SessionResult, waiting: Path | None
) -> float | None:
    """Active minutes of the sessions begun on this one's local day, this one included."""
    if history is None:
        return None
    day = result.started_at.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        minutes = history.active_seconds_since(day.astimezone(dt.timezone.utc)) / 60
    except HistoryError:
        return None
    if waiting is not None:  # not in the database yet, but done today all the same
        minutes += result.active_seconds / 60
    return float(minutes)
