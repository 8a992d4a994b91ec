"""Typed text split into keys: the one tokenizer behind the session's and the reminders' keys."""

from __future__ import annotations

from collections.abc import Iterator

ESC = "\x1b"


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
