"""Typed readers for single YAML nodes, reporting each problem at its line and column."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from stretchcoach import durations
from stretchcoach.catalogue.lookup import did_you_mean
from stretchcoach.catalogue.yamltree import (
    NULLS,
    FileReport,
    Map,
    Node,
    Reported,
    Scalar,
    Seq,
    describe,
    is_null,
    where,
)
from stretchcoach.model import (
    Exercise,
    Routine,
)

# A dose bigger than this is a typo, and would compile into an absurd number of phases.
MAX_REPS = 100
MAX_SETS = 10

T = TypeVar("T")
Parsed = tuple[tuple[Exercise, ...], tuple[Routine, ...]]

# The keys each mapping allows, in the order messages list them (dicts: quick to search).
EXERCISE_KEYS = dict.fromkeys((
    "id", "name", "kind", "targets", "muscles", "position", "equipment", "sides",
    "hold", "reps", "sets", "work", "between", "discreet", "steps", "cautions", "source",
))  # fmt: skip
ROUTINE_KEYS = dict.fromkeys(("id", "name", "summary", "prepare", "rest", "items"))
ITEM_KEYS = dict.fromkeys(("exercise", "hold", "reps", "sets", "sides", "between"))
SOURCE_KEYS = dict.fromkeys(("title", "publisher", "says", "url"))
TOP_KEYS = dict.fromkeys(("schema", "exercises", "routines"))

# What to write, shown in "missing" and "no value" messages.
EXAMPLES = {
    "id": "id: neck-roll",
    "name": "name: Neck roll",
    "kind": "kind: stretch",
    "targets": "targets: [neck]",
    "muscles": "muscles: [upper trapezius]",
    "position": "position: seated",
    "equipment": "equipment: [chair]",
    "sides": "sides: each",
    "hold": "hold: 30s",
    "reps": "reps: 10",
    "sets": "sets: 1",
    "work": "work: reps",
    "between": "between: 2s",
    "discreet": "discreet: true",
    "steps": "steps: [Sit tall.]",
    "cautions": "cautions: [Stop if it hurts.]",
    "source": "source: [{title: ..., publisher: ..., says: ...}]",
    "summary": "summary: Five minutes for the neck.",
    "prepare": "prepare: 5s",
    "rest": "rest: 10s",
    "items": "items: [{exercise: neck-roll}]",
    "exercise": "exercise: neck-roll",
    "title": "title: The article's title",
    "publisher": "publisher: Who published it",
    "says": "says: hold 30 s, 2 reps",
    "url": "url: https://example.org/article",
    "schema": "schema: 1",
}

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_INT = re.compile(r"[0-9]+")
# Catalogue text is one line of visible characters. Refused: C0/C1 controls (ESC starts
# terminal escapes; tab is ordinary text), line breaks of every kind (a name or step drawn
# on one line must stay one line), and invisible format characters: bidirectional controls
# (text that displays differently from what it says), zero-width characters, the BOM.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_INVISIBLE = frozenset(("Cf", "Zl", "Zp", "Cs"))


def unsafe(value: str) -> str | None:
    """Why `value` cannot be catalogue text, or None when it can."""
    bad = _CONTROL.search(value)
    char = bad.group() if bad else None
    if char is None and not value.isascii():
        import unicodedata  # only for text beyond ASCII

        char = next(
            (c for c in value if c in _BREAKS or unicodedata.category(c) in _INVISIBLE), None
        )
    if char is None:
        return None
    code = f"U+{ord(char):04X}"
    if char in _BREAKS:
        return f"contains a line break ({code}); write it on one line, one list item a line"
    if ord(char) < 0xA0:
        return f"contains the control character {code}; catalogue text must be plain text"
    import unicodedata

    name = unicodedata.name(char, "")
    return (
        f"contains the invisible character {code}{f' ({name})' if name else ''}; "
        "catalogue text must be plain, visible text"
    )


# Words YAML 1.1 reads as booleans; we read them as text, and say so when they look wrong.
_YAML11_BOOLS = frozenset(
    w
    for word in ("yes", "no", "on", "off", "true", "false", "y", "n")
    for w in (word, word.capitalize(), word.upper())
)


class Values:
    """Typed readers of single nodes: text, slugs, choices, counts, durations; each problem
    is reported at its node and the reader returns None.

    The readers most values go through (fields, text, choice, texts, choices) first try a
    fast path that accepts only what the exact check (fields_exact, text_exact, ...) would,
    with the same result; anything else, and so every problem, goes through the exact check.
    count and duration reuse what they read from the same text before."""

    def __init__(self, file: FileReport, require_source: bool) -> None:
        self.file = file
        self.require_source = require_source
        # Equal values share one object: a large catalogue repeats most of its text, and
        # sharing makes the cached pickle several times smaller and faster to load.
        self.shared: dict[Any, Any] = {}
        # Durations and counts read so far, by text and bound: a catalogue repeats a few dozen.
        self.durations: dict[tuple[str, int], tuple[int, str]] = {}
        self.counts: dict[tuple[str, int], int] = {}

    def share(self, value: T) -> T:
        shared: T = self.shared.setdefault(value, value)
        return shared

    # -- structure

    def fields(self, node: Map, allowed: dict[str, None], what: str) -> dict[str, Node]:
        """The mapping's values by key; unknown and duplicate keys are problems."""
        pairs = zip(node[::2], node[1::2], strict=True)
        out = {key[0]: value for key, value in pairs if type(key) is tuple}
        # Every key a scalar, none twice, all allowed: else the exact check finds which not.
        if len(out) * 2 == len(node) and out.keys() <= allowed.keys():
            return out
        return self.fields_exact(node, allowed, what)

    def fields_exact(self, node: Map, allowed: dict[str, None], what: str) -> dict[str, Node]:
        out: dict[str, Node] = {}
        first: dict[str, Scalar] = {}
        for key_node, value in node.pairs:
            if not isinstance(key_node, tuple):
                if not isinstance(key_node, Reported):
                    self.file.problem(
                        key_node, f"keys must be plain words, not {describe(key_node)}"
                    )
                continue
            key = key_node[0]
            if key in first:
                self.file.problem(
                    key_node,
                    f"duplicate key {key!r} (first at line {where(first[key])[0]}); remove one",
                )
                continue
            first[key] = key_node
            if key not in allowed:
                suggestion = did_you_mean(key, allowed)
                fix = (
                    f"did you mean {suggestion!r}?"
                    if suggestion
                    else "allowed: " + ", ".join(allowed)
                )
                self.file.problem(key_node, f"unknown key {key!r} in {what}; {fix}")
                continue
            out[key] = value
        return out

    def require(self, values: dict[str, Node], keys: Iterable[str], node: Node, what: str) -> bool:
        ok = True
        for key in keys:
            if key not in values:
                self.file.problem(
                    node, f"{what} is missing required key {key!r} (e.g. {EXAMPLES[key]})"
                )
                ok = False
        return ok

    def wrong(self, node: Node, key: str, expected: str) -> None:
        if isinstance(node, Reported):
            return
        if is_null(node):
            self.file.problem(node, f"{key} has no value; write e.g. {EXAMPLES.get(key, expected)}")
        else:
            self.file.problem(node, f"{key} must be {expected}, not {describe(node)}")

    # -- scalars

    def text(self, node: Node, key: str, *, required: bool = True) -> str | None:
        if type(node) is tuple:
            value = node[0]
            if value not in NULLS:
                value = value.strip()
                # Printable: no control, line break or invisible character (see unsafe).
                if value and value.isprintable():
                    shared: str = self.shared.setdefault(value, value)
                    return shared
        return self.text_exact(node, key, required=required)

    def text_exact(self, node: Node, key: str, *, required: bool = True) -> str | None:
        if not isinstance(node, tuple) or is_null(node):
            self.wrong(node, key, "text")
            return None
        value = node[0].strip()
        if not value:
            if required:
                self.file.problem(node, f"{key} is empty; write e.g. {EXAMPLES.get(key, key)}")
            return None
        why = unsafe(value)
        if why is not None:
            self.file.problem(node, f"{key} {why}")
            return None
        return self.share(value)

    def slug(self, node: Node, key: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if not SLUG.fullmatch(value):
            fixed = "-".join(re.findall(r"[a-z0-9]+", value.lower())) or "my-exercise"
            self.file.problem(
                node,
                f"{key} {value!r} is not a lowercase slug; use lowercase letters, digits "
                f"and single hyphens, e.g. {fixed!r}",
            )
            return None
        return value

    def flag(self, node: Node, key: str) -> bool | None:
        """`true` or `false`, exactly: YAML 1.1's yes/no/on/off are refused, not guessed."""
        value = self.text(node, key)
        if value is None:
            return None
        if value in ("true", "false"):
            return value == "true"
        self.file.problem(node, f"{key} must be true or false, not {value!r}")
        return None

    def choice(self, node: Node, key: str, choices: Sequence[str], noun: str = "") -> str | None:
        # Every choice is a slug, so a value that is one exactly is what text() would return.
        if type(node) is tuple and node[0] in choices:
            shared: str = self.shared.setdefault(node[0], node[0])
            return shared
        return self.choice_exact(node, key, choices, noun)

    def choice_exact(
        self, node: Node, key: str, choices: Sequence[str], noun: str = ""
    ) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if value in choices:
            return value
        options = ", ".join(choices[:-1]) + " or " + choices[-1]
        notes = []
        if isinstance(node, tuple) and not node[1] and value in _YAML11_BOOLS:
            truth = value.lower() in ("yes", "on", "true", "y")
            notes.append(f"YAML 1.1 would read `{value}` as {'true' if truth else 'false'}")
        suggestion = did_you_mean(value, choices)
        if suggestion:
            notes.append(f"did you mean {suggestion!r}?")
        extra = f" ({'; '.join(notes)})" if notes else ""
        self.file.problem(node, f"unknown {noun or key} {value!r}; use {options}{extra}")
        return None

    def count(self, node: Node, key: str, limit: int) -> int | None:
        if type(node) is tuple and not node[1]:
            known = self.counts.get((node[0], limit))
            if known is not None:
                return known
        return self.count_exact(node, key, limit)

    def count_exact(self, node: Node, key: str, limit: int) -> int | None:
        if not isinstance(node, tuple) or is_null(node):
            self.wrong(node, key, "a whole number")
            return None
        if node[1]:
            self.file.problem(
                node, f"{key} must be a whole number; remove the quotes around {node[0]!r}"
            )
            return None
        value = node[0].strip()
        # Leading zeros are read as decimal: `010` is 10, never YAML 1.1's octal 8.
        if not _INT.fullmatch(value):
            self.file.problem(node, f"{key} must be a whole number, not {value!r}")
            return None
        # More digits than the limit has: too big, and int() refuses thousands of digits.
        digits = value.lstrip("0") or "0"
        number = int(digits) if len(digits) <= len(str(limit)) else limit + 1
        if number < 1:
            self.file.problem(node, f"{key} must be at least 1, not {number}")
            return None
        if number > limit:
            self.file.problem(node, f"{key} must be at most {limit}, not {value}")
            return None
        # Only a plain number read without a problem is kept: a problem is reported each time.
        self.counts[node[0], limit] = number
        return number

    def duration(self, node: Node, key: str, minimum: int) -> tuple[int, str] | None:
        """Seconds and the text as written ("" when written as plain seconds)."""
        if type(node) is tuple:
            known = self.durations.get((node[0], minimum))
            if known is not None:
                return known
        return self.duration_exact(node, key, minimum)

    def duration_exact(self, node: Node, key: str, minimum: int) -> tuple[int, str] | None:
        if not isinstance(node, tuple) or is_null(node):
            self.wrong(node, key, "a duration")
            return None
        text = node[0].strip()
        try:
            seconds = durations.parse(text)
        except durations.DurationError as error:
            self.file.problem(node, f"bad {key}: {error}")
            return None
        except ValueError:  # durations.parse lets some non-ASCII digits ("²") through to int()
            self.file.problem(
                node, f"bad {key}: {text!r} is not a duration; write {durations.EXAMPLES}"
            )
            return None
        if seconds < minimum:
            unit = "second" if minimum == 1 else "seconds"
            self.file.problem(node, f"{key} must be at least {minimum} {unit}, not {text!r}")
            return None
        # Only a duration read without a problem is kept: a problem is reported at each place.
        read = self.durations[node[0], minimum] = (seconds, "" if text.isdigit() else text)
        return read

    def texts(self, node: Node, key: str) -> tuple[str, ...] | None:
        if type(node) is not Seq:
            self.wrong(node, key, f"a list, e.g. {EXAMPLES.get(key, '[...]').split(': ', 1)[1]}")
            return None
        out: list[str] = []
        ok = True
        setdefault = self.shared.setdefault
        for item in node:
            # text()'s fast path, inline: most lists are steps and cautions, a few items each.
            if type(item) is tuple and (value := item[0]) not in NULLS:
                value = value.strip()
                if value and value.isprintable():
                    out.append(setdefault(value, value))
                    continue
            exact = self.text_exact(item, f"each of {key}")
            if exact is None:
                ok = False
            else:
                out.append(exact)
        return self.share(tuple(out)) if ok else None

    def choices(
        self, node: Node, key: str, choices: Sequence[str], noun: str
    ) -> tuple[str, ...] | None:
        if type(node) is not Seq:
            self.wrong(node, key, f"a list, e.g. {EXAMPLES[key].split(': ', 1)[1]}")
            return None
        out: list[str] = []
        ok = True
        for item in node:
            value = self.choice(item, key, choices, noun)
            if value is None:
                ok = False
            else:
                out.append(value)
        return self.share(tuple(out)) if ok else None
