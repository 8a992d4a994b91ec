"""The session's keys and what they do: the one source for the screen, plain mode and --help."""

from __future__ import annotations

# (key as shown, what it does): `n` during get-ready or rest starts the upcoming exercise at
# once; during an exercise it moves to the next one.
KEY_HELP = (
    ("space", "pause"),
    ("n", "next"),
    ("b", "back"),
    ("+", "10s"),
    ("q", "quit"),
)


def keys_line(*, paused: bool = False, short: bool = False) -> str:
    """The keys as one line: "space pause · n next · b back · + 10s · q quit"."""
    pairs = [(k, "resume" if paused and k == "space" else what) for k, what in KEY_HELP]
    if short:
        return "·".join(f"{'spc' if k == 'space' else k} {what}" for k, what in pairs)
    return " · ".join(f"{k} {what}" for k, what in pairs)


KEYS_HELP_TEXT = (
    f"Keys: {keys_line()}. During get-ready or rest, n starts the upcoming exercise at once; "
    "during an exercise it moves to the next one. b restarts this exercise (early in it, goes "
    "back one); + adds 10 seconds to this hold; q quits and still shows the summary."
)
