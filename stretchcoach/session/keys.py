"""The session's keys and what they do: the one source for the screen, plain mode and --help."""

from __future__ import annotations

from typing import Literal

# The keys the session runner acts on; the terminal maps what is typed (capitals, arrows) to
# these, and Ctrl-C read as a byte (ISIG off) to INTERRUPT_KEY, which the loop handles itself.
RunnerKey = Literal[" ", "n", "b", "+", "q"]
InterruptKey = Literal["\x03"]
Key = RunnerKey | InterruptKey
INTERRUPT_KEY: InterruptKey = "\x03"

# (key, what it does): `n` during get-ready or rest starts the upcoming exercise at once;
# during an exercise it moves to the next one.
KEY_HELP: tuple[tuple[RunnerKey, str], ...] = (
    (" ", "pause"),
    ("n", "next"),
    ("b", "back"),
    ("+", "10s"),
    ("q", "quit"),
)
RUNNER_KEYS: tuple[RunnerKey, ...] = tuple(key for key, _ in KEY_HELP)


def keys_line(*, paused: bool = False, short: bool = False) -> str:
    """The keys as one line: "space pause · n next · b back · + 10s · q quit"."""
    pairs = [(k, "resume" if paused and k == " " else what) for k, what in KEY_HELP]
    if short:
        return "·".join(f"{'spc' if k == ' ' else k} {what}" for k, what in pairs)
    return " · ".join(f"{'space' if k == ' ' else k} {what}" for k, what in pairs)


KEYS_HELP_TEXT = (
    f"Keys: {keys_line()}. During get-ready or rest, n starts the upcoming exercise at once; "
    "during an exercise it moves to the next one. b restarts this exercise (early in it, goes "
    "back one); + adds 10 seconds to this hold; q quits and still shows the summary."
)
