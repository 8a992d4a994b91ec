"""Cues you can hear: bell patterns and spoken words for the moments of a session.

Which cue a change of phase gives is pure (`cues_between`); the bell and the voice are thin
adapters around a write function and a process launcher, both passed in.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from stretchcoach.model import PhaseKind, SessionStatus
from stretchcoach.session.runner import Snapshot

# Engines tried in order when --voice names none.
ENGINES = ("spd-say", "espeak-ng", "say")
# Seconds between the bells of one pattern, so a terminal does not merge them into one.
BELL_GAP = 0.3


class Cue(str, Enum):
    WORK = "work"  # a hold or a set of reps begins
    SWITCH = "switch"  # switch sides
    EXERCISE_END = "exercise-end"  # an exercise is over, another follows
    SESSION_END = "session-end"  # the session ran to its end
    GET_READY = "get-ready"  # the first exercise is about to begin (spoken only)


# Bells per cue: one to start, two to switch, three at the end of an exercise, five at the end.
BELLS = {Cue.WORK: 1, Cue.SWITCH: 2, Cue.EXERCISE_END: 3, Cue.SESSION_END: 5, Cue.GET_READY: 0}


@dataclass(frozen=True, slots=True)
class Said:
    """One cue and the words that go with it."""

    cue: Cue
    words: str


def cues_between(last: Snapshot | None, snap: Snapshot) -> list[Said]:
    """The cues for going from `last` (None at the start) to `snap`; none if nothing began."""
    if last is not None and snap.serial == last.serial and snap.finished == last.finished:
        return []
    if snap.finished:
        if snap.status is SessionStatus.COMPLETED:
            return [Said(Cue.SESSION_END, "Relax. That is the end of the session. Well done.")]
        return []
    phase = snap.phase
    if phase is None:
        return []
    out: list[Said] = []
    name = _clean(snap.exercise.name) if snap.exercise else ""
    if last is not None and not last.finished and snap.item > last.item:
        out.append(Said(Cue.EXERCISE_END, f"Relax. Next: {name}."))
    if phase.kind is PhaseKind.WORK:
        if snap.work == "hold" or phase.rep == 1:
            out.append(Said(Cue.WORK, _work_words(snap)))
    elif phase.kind is PhaseKind.SWITCH:
        out.append(Said(Cue.SWITCH, "Switch sides."))
    elif phase.kind is PhaseKind.PREPARE and not out and (last is None or last.item != snap.item):
        # After the rest before it, "Next: ..." already named the exercise.
        out.append(Said(Cue.GET_READY, f"Get ready: {name}."))
    return out


def _work_words(snap: Snapshot) -> str:
    phase = snap.phase
    assert phase is not None
    side = f"{phase.side.capitalize()} side. " if phase.side else ""
    seconds = snap.phase_seconds
    if snap.work == "reps":
        each = f", {number_words(seconds)} {_unit(seconds)} each"
        return f"{side}{number_words(phase.reps).capitalize()} reps{each}."
    return f"{side}Hold {number_words(seconds)} {_unit(seconds)}."


def _unit(seconds: int) -> str:
    return "second" if seconds == 1 else "seconds"


def _clean(text: str) -> str:
    # Words go to another program as one argument: no control characters, no newlines.
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """A whole number as English words for a speech engine: 20 -> "twenty", 45 -> "forty-five"."""
    if n < 0 or n >= 1000:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    head = f"{_ONES[hundreds]} hundred"
    return head if rest == 0 else f"{head} and {number_words(rest)}"


# ---------------------------------------------------------------- the bell


class Bell:
    """Bell patterns written through `write`, the bells of a pattern BELL_GAP seconds apart."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.pending: list[float] = []  # when each bell still to ring is due (session time)

    def ring(self, cue: Cue, at: float, *, at_once: bool = False) -> None:
        """Queue the pattern for `cue` from `at`; `at_once` writes it all now (the session ends)."""
        count = BELLS[cue]
        if at_once:
            if count:
                self.write("\a" * count)
            return
        if self.pending:  # a second pattern at the same moment follows the first, apart
            at = max(at, self.pending[-1] + 2 * BELL_GAP)
        self.pending.extend(at + i * BELL_GAP for i in range(count))

    def tick(self, now: float) -> float | None:
        """Ring what is due at `now`; seconds until the next bell, or None."""
        due = [t for t in self.pending if t <= now + 1e-6]
        if due:
            self.pending = self.pending[len(due) :]
            self.write("\a")  # several due at once (a late tick) ring as one, not a burst
        return (self.pending[0] - now) if self.pending else None


# ---------------------------------------------------------------- the voice


class Launch(Protocol):
    def __call__(self, argv: Sequence[str]) -> Any:
        """Start `argv` in the background; return an object with poll(), or raise OSError."""


def background(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start a speech command detached from the terminal: no input, its output discarded."""
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C on the session is not the speech engine's business
    )


def voice_command(
    command: str | None, which: Callable[[str], str | None] = shutil.which
) -> tuple[list[str] | None, str | None]:
    """The speech command as argv (the words are appended), or None and a warning why not."""
    if command is not None:
        try:
            argv = shlex.split(command)
        except ValueError as error:
            return None, f"--voice-command: {error}; continuing without voice"
        if not argv:
            return None, "--voice-command is empty; continuing without voice"
        if which(argv[0]) is None:
            return None, f"speech command not found: {argv[0]}; continuing without voice"
        return argv, None
    for engine in ENGINES:
        if which(engine) is not None:
            return [engine], None
    return None, (
        "no speech engine found (spd-say, espeak-ng or say); "
        "name one with --voice-command CMD; continuing without voice"
    )


class Voice:
    """Speaks through `argv + [words]`, never waiting: finished speakers are reaped later."""

    def __init__(self, argv: Sequence[str], launch: Launch = background) -> None:
        self.argv = list(argv)
        self.launch = launch
        self.running: list[Any] = []
        self.failure: str | None = None

    def say(self, words: str) -> None:
        """Start speaking `words`; after a failure to start, stay quiet and remember why."""
        self.running = [p for p in self.running if p.poll() is None]
        if self.failure is not None:
            return
        try:
            self.running.append(self.launch([*self.argv, words]))
        except OSError as error:
            self.failure = f"speech command failed: {error.strerror or error}; voice turned off"


# ---------------------------------------------------------------- the view


class View(Protocol):
    def show(self, snap: Snapshot) -> float | None: ...


class CuedView:
    """A view that gives the cues for each change of phase, then lets `view` draw it."""

    def __init__(self, view: View, *, bell: Bell | None = None, voice: Voice | None = None):
        self.view = view
        self.bell = bell
        self.voice = voice
        self.last: Snapshot | None = None

    def show(self, snap: Snapshot) -> float | None:
        """Cue what began, draw, and say when the next bell of a pattern is due."""
        cued = cues_between(self.last, snap)
        if self.bell is not None:
            for said in cued:
                self.bell.ring(said.cue, snap.elapsed, at_once=snap.finished)
        if self.voice is not None and cued:
            # One utterance per moment: two engines talking at once would garble both.
            self.voice.say(" ".join(said.words for said in cued))
        self.last = snap
        due = self.view.show(snap)
        if self.bell is None or snap.finished:
            return due
        bell_due = self.bell.tick(snap.elapsed)
        if bell_due is None:
            return due
        return bell_due if due is None else min(due, bell_due)
