"""YAML files -> a validated Catalogue; every problem is reported as FILE:LINE:COLUMN.

The YAML is read at the event level with PyYAML's safe (C when available) parser and never
constructed by YAML's own resolver: every scalar is taken as its text and typed by our schema,
so `no`, `on`, `010` and `1:30` mean what the schema says (text, text, decimal 10, 90 seconds).
Tags, anchors and aliases are rejected. Parsed files are cached (pickle) in the user's cache
dir, keyed by path, size, mtime and code version, so a large catalogue loads fast the second
time.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from . import __version__, durations
from .errors import CatalogueError, Problem
from .model import (
    AREAS,
    DEFAULT_PREPARE,
    DEFAULT_REST,
    KINDS,
    POSITIONS,
    SIDES,
    WORKS,
    Catalogue,
    Dose,
    Exercise,
    LoadedFile,
    Origin,
    Routine,
    RoutineItem,
    Source,
)
from .paths import Paths, builtin_data_dir
from .select import did_you_mean

# Far above a 10,000-exercise catalogue (about 6 MiB), far below what hurts memory.
MAX_BYTES = 64 * 1024 * 1024
# A dose bigger than this is a typo, and would compile into an absurd number of phases.
MAX_REPS = 100
MAX_SETS = 10
# Bump when the parsed form or the rules change, so old cache entries are rebuilt.
CACHE_VERSION = 3

T = TypeVar("T")
Parsed = tuple[tuple[Exercise, ...], tuple[Routine, ...]]

EXERCISE_KEYS = (
    "id", "name", "kind", "targets", "muscles", "position", "equipment", "sides",
    "hold", "reps", "sets", "work", "between", "discreet", "steps", "cautions", "source",
)  # fmt: skip
ROUTINE_KEYS = ("id", "name", "summary", "prepare", "rest", "items")
ITEM_KEYS = ("exercise", "hold", "reps", "sets", "sides", "between")
SOURCE_KEYS = ("title", "publisher", "says", "url")
TOP_KEYS = ("schema", "exercises", "routines")

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

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_INT = re.compile(r"[0-9]+")
# C0/C1 controls (ESC starts terminal escape sequences) and bidi overrides (text that
# displays differently from what it says); newline and tab are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Words YAML 1.1 reads as booleans; we read them as text, and say so when they look wrong.
_YAML11_BOOLS = frozenset(
    w
    for word in ("yes", "no", "on", "off", "true", "false", "y", "n")
    for w in (word, word.capitalize(), word.upper())
)


# ---------------------------------------------------------------- the YAML tree


class _Node:
    __slots__ = ("column", "line")
    line: int
    column: int


class _Scalar(_Node):
    __slots__ = ("plain", "value")

    def __init__(self, value: str, plain: bool, line: int, column: int) -> None:
        self.value, self.plain, self.line, self.column = value, plain, line, column

    @property
    def null(self) -> bool:
        return self.plain and self.value in _NULLS


class _Seq(_Node):
    __slots__ = ("items",)

    def __init__(self, line: int, column: int) -> None:
        self.items: list[_Node] = []
        self.line, self.column = line, column


class _Map(_Node):
    __slots__ = ("key", "pairs")

    def __init__(self, line: int, column: int) -> None:
        self.pairs: list[tuple[_Node, _Node]] = []
        self.key: _Node | None = None
        self.line, self.column = line, column


class _Reported(_Node):
    """Stands where a rejected value (an alias) was; its problem is already reported."""

    __slots__ = ()

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


def _describe(node: _Node) -> str:
    if isinstance(node, _Map):
        return "a mapping"
    if isinstance(node, _Seq):
        return "a list"
    if isinstance(node, _Scalar):
        return "nothing" if node.null else f"{node.value!r}"
    return "an alias"


class _File:
    """One file being checked: its display name and the problems found so far."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def problem(self, node: _Node | tuple[int, int], message: str) -> None:
        line, column = (node.line, node.column) if isinstance(node, _Node) else node
        self.problems.append(Problem(self.name, line, column, message))

    def origin(self, node: _Node) -> Origin:
        return Origin(self.name, node.line, node.column)


def _tree(data: bytes, file: _File) -> _Node | None:
    """The document as a tree of nodes; tags, anchors and aliases become problems."""
    import yaml  # imported here: a cached load never needs it

    loader_class = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    loader = loader_class(data)
    ev = yaml.events
    root: _Node | None = None
    stack: list[_Node] = []
    documents = 0

    def attach(node: _Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, _Seq):
            parent.items.append(node)
        elif isinstance(parent, _Map):
            if parent.key is None:
                parent.key = node
            else:
                parent.pairs.append((parent.key, node))
                parent.key = None

    def check(event: Any, line: int, column: int) -> None:
        if event.anchor is not None:
            file.problem(
                (line, column),
                f"anchors such as '&{event.anchor}' are not allowed; write the value out in full",
            )
        if event.tag is not None:
            file.problem(
                (line, column),
                f"tags such as {_tag_text(event.tag)!r} are not allowed; write a plain value",
            )

    try:
        while loader.check_event():
            event: Any = loader.get_event()
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            kind = type(event)
            if kind is ev.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    check(event, line, column)
                attach(_Scalar(event.value, event.style in ("", None), line, column))
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    check(event, line, column)
                node: _Node = (
                    _Map(line, column) if kind is ev.MappingStartEvent else _Seq(line, column)
                )
                attach(node)
                stack.append(node)
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                stack.pop()
            elif kind is ev.AliasEvent:
                file.problem(
                    (line, column),
                    f"aliases such as '*{event.anchor}' are not allowed; "
                    "write the value out in full",
                )
                attach(_Reported(line, column))
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    file.problem(
                        (line, column),
                        "a catalogue file holds one YAML document; remove the second '---'",
                    )
                    break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or "invalid YAML"
        if error.context:
            message = f"{message} ({error.context})"
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        file.problem(where, f"YAML syntax error: {message}")
        return None
    except yaml.reader.ReaderError as error:
        file.problem(_position(data, error.position), f"unreadable text: {error.reason}")
        return None
    finally:
        loader.dispose()
    return root


def _tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


# ---------------------------------------------------------------- the schema


class _Checker:
    """Types the tree by schema 1, collecting every problem instead of stopping."""

    def __init__(self, file: _File, require_source: bool) -> None:
        self.file = file
        self.require_source = require_source
        # Equal values share one object: a large catalogue repeats most of its text, and
        # sharing makes the cached pickle several times smaller and faster to load.
        self.shared: dict[Any, Any] = {}

    def share(self, value: T) -> T:
        shared: T = self.shared.setdefault(value, value)
        return shared

    # -- structure

    def fields(self, node: _Map, allowed: Sequence[str], what: str) -> dict[str, _Node]:
        """The mapping's values by key; unknown and duplicate keys are problems."""
        out: dict[str, _Node] = {}
        first: dict[str, _Node] = {}
        for key_node, value in node.pairs:
            if not isinstance(key_node, _Scalar):
                if not isinstance(key_node, _Reported):
                    self.file.problem(
                        key_node, f"keys must be plain words, not {_describe(key_node)}"
                    )
                continue
            key = key_node.value
            if key in first:
                self.file.problem(
                    key_node,
                    f"duplicate key {key!r} (first at line {first[key].line}); remove one",
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

    def require(
        self, values: dict[str, _Node], keys: Iterable[str], node: _Node, what: str
    ) -> bool:
        ok = True
        for key in keys:
            if key not in values:
                self.file.problem(
                    node, f"{what} is missing required key {key!r} (e.g. {EXAMPLES[key]})"
                )
                ok = False
        return ok

    def wrong(self, node: _Node, key: str, expected: str) -> None:
        if isinstance(node, _Reported):
            return
        if isinstance(node, _Scalar) and node.null:
            self.file.problem(node, f"{key} has no value; write e.g. {EXAMPLES.get(key, expected)}")
        else:
            self.file.problem(node, f"{key} must be {expected}, not {_describe(node)}")

    # -- scalars

    def text(self, node: _Node, key: str, *, required: bool = True) -> str | None:
        if not isinstance(node, _Scalar) or node.null:
            self.wrong(node, key, "text")
            return None
        value = node.value.strip()
        if not value:
            if required:
                self.file.problem(node, f"{key} is empty; write e.g. {EXAMPLES.get(key, key)}")
            return None
        bad = _CONTROL.search(value)
        if bad:
            self.file.problem(
                node,
                f"{key} contains the control character U+{ord(bad.group()):04X}; "
                "catalogue text must be plain text",
            )
            return None
        return self.share(value)

    def slug(self, node: _Node, key: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if not _SLUG.fullmatch(value):
            fixed = "-".join(re.findall(r"[a-z0-9]+", value.lower())) or "my-exercise"
            self.file.problem(
                node,
                f"{key} {value!r} is not a lowercase slug; use lowercase letters, digits "
                f"and single hyphens, e.g. {fixed!r}",
            )
            return None
        return value

    def flag(self, node: _Node, key: str) -> bool | None:
        """`true` or `false`, exactly: YAML 1.1's yes/no/on/off are refused, not guessed."""
        value = self.text(node, key)
        if value is None:
            return None
        if value in ("true", "false"):
            return value == "true"
        self.file.problem(node, f"{key} must be true or false, not {value!r}")
        return None

    def choice(self, node: _Node, key: str, choices: Sequence[str], noun: str = "") -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if value in choices:
            return value
        options = ", ".join(choices[:-1]) + " or " + choices[-1]
        notes = []
        if isinstance(node, _Scalar) and node.plain and value in _YAML11_BOOLS:
            truth = value.lower() in ("yes", "on", "true", "y")
            notes.append(f"YAML 1.1 would read `{value}` as {'true' if truth else 'false'}")
        suggestion = did_you_mean(value, choices)
        if suggestion:
            notes.append(f"did you mean {suggestion!r}?")
        extra = f" ({'; '.join(notes)})" if notes else ""
        self.file.problem(node, f"unknown {noun or key} {value!r}; use {options}{extra}")
        return None

    def count(self, node: _Node, key: str, limit: int) -> int | None:
        if not isinstance(node, _Scalar) or node.null:
            self.wrong(node, key, "a whole number")
            return None
        if not node.plain:
            self.file.problem(
                node, f"{key} must be a whole number; remove the quotes around {node.value!r}"
            )
            return None
        value = node.value.strip()
        # Leading zeros are read as decimal: `010` is 10, never YAML 1.1's octal 8.
        if not _INT.fullmatch(value):
            self.file.problem(node, f"{key} must be a whole number, not {value!r}")
            return None
        number = int(value)
        if number < 1:
            self.file.problem(node, f"{key} must be at least 1, not {number}")
            return None
        if number > limit:
            self.file.problem(node, f"{key} must be at most {limit}, not {number}")
            return None
        return number

    def duration(self, node: _Node, key: str, minimum: int) -> tuple[int, str] | None:
        """Seconds and the text as written ("" when written as plain seconds)."""
        if not isinstance(node, _Scalar) or node.null:
            self.wrong(node, key, "a duration")
            return None
        text = node.value.strip()
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
        return seconds, ("" if text.isdigit() else text)

    def texts(self, node: _Node, key: str) -> tuple[str, ...] | None:
        if not isinstance(node, _Seq):
            self.wrong(node, key, f"a list, e.g. {EXAMPLES.get(key, '[...]').split(': ', 1)[1]}")
            return None
        out = [self.text(item, f"each of {key}") for item in node.items]
        if any(v is None for v in out):
            return None
        return self.share(tuple(v for v in out if v is not None))

    def choices(
        self, node: _Node, key: str, choices: Sequence[str], noun: str
    ) -> tuple[str, ...] | None:
        if not isinstance(node, _Seq):
            self.wrong(node, key, f"a list, e.g. {EXAMPLES[key].split(': ', 1)[1]}")
            return None
        out = [self.choice(item, key, choices, noun) for item in node.items]
        if any(v is None for v in out):
            return None
        return self.share(tuple(v for v in out if v is not None))

    # -- records

    def document(self, root: _Node | None) -> Parsed:
        if root is None or (isinstance(root, _Scalar) and root.null):
            self.file.problem((1, 1), "the file is empty; a catalogue starts with `schema: 1`")
            return (), ()
        if not isinstance(root, _Map):
            self.file.problem(
                root, f"a catalogue must be a mapping with `schema: 1`, not {_describe(root)}"
            )
            return (), ()
        values = self.fields(root, TOP_KEYS, "the catalogue")
        schema = values.get("schema")
        if schema is None:
            self.file.problem(root, "missing `schema: 1` at the top of the file")
        elif not (isinstance(schema, _Scalar) and schema.plain and schema.value.strip() == "1"):
            if isinstance(schema, _Scalar) and schema.value.strip() == "1":
                self.file.problem(schema, "schema must be the number 1; remove the quotes")
            else:
                self.file.problem(
                    schema,
                    f"unsupported schema {_describe(schema)}; this version of stretchcoach "
                    "reads schema 1",
                )
        exercises = self.records(values.get("exercises"), "exercises", "exercise", self.exercise)
        routines = self.records(values.get("routines"), "routines", "routine", self.routine)
        self.unique_ids(exercises, routines)
        return tuple(e for e, _ in exercises), tuple(r for r, _ in routines)

    def records(self, node: _Node | None, key: str, what: str, build: Any) -> list[Any]:
        if node is None or (isinstance(node, _Scalar) and node.null):
            return []  # `exercises:` with nothing under it yet
        if not isinstance(node, _Seq):
            self.wrong(node, key, f"a list of {key}")
            return []
        out = []
        for item in node.items:
            if not isinstance(item, _Map):
                self.wrong(item, f"each of {key}", f"a mapping of keys ({what} id, name, ...)")
                continue
            record = build(item)
            if record is not None:
                out.append((record, item))
        return out

    def unique_ids(
        self, exercises: list[tuple[Exercise, _Map]], routines: list[tuple[Routine, _Map]]
    ) -> None:
        seen: dict[str, tuple[str, int]] = {}
        for what, records in (("exercise", exercises), ("routine", routines)):
            for record, node in records:
                if record.id in seen:
                    first, line = seen[record.id]
                    shared = (
                        "" if first == what else "; exercises and routines share one set of ids"
                    )
                    self.file.problem(
                        node,
                        f"duplicate id {record.id!r} (the {first} at line {line}){shared}; "
                        "give each its own id",
                    )
                else:
                    seen[record.id] = (what, node.line)

    def exercise(self, node: _Map) -> Exercise | None:
        before = len(self.file.problems)
        values = self.fields(node, EXERCISE_KEYS, "an exercise")
        ident = self.slug(values["id"], "id") if "id" in values else None
        what = f"exercise {ident!r}" if ident else "exercise"
        required: tuple[str, ...] = ("id", "name", "targets", "hold")
        if self.require_source:
            required += ("source",)
        self.require(values, required, node, what)
        name = self.text(values["name"], "name") if "name" in values else None
        targets = (
            self.choices(values["targets"], "targets", AREAS, "target")
            if "targets" in values
            else None
        )
        if targets == ():
            self.file.problem(
                values["targets"], "targets is empty; name at least one body area, e.g. [neck]"
            )
        hold = self.duration(values["hold"], "hold", 1) if "hold" in values else None
        kind = self.choice(values["kind"], "kind", KINDS) if "kind" in values else "stretch"
        position = (
            self.choice(values["position"], "position", POSITIONS)
            if "position" in values
            else "any"
        )
        sides = self.choice(values["sides"], "sides", SIDES) if "sides" in values else "none"
        reps = self.count(values["reps"], "reps", MAX_REPS) if "reps" in values else 1
        sets = self.count(values["sets"], "sets", MAX_SETS) if "sets" in values else 1
        work = self.choice(values["work"], "work", WORKS) if "work" in values else "hold"
        between = self.duration(values["between"], "between", 0) if "between" in values else (0, "")
        discreet = self.flag(values["discreet"], "discreet") if "discreet" in values else False
        muscles = self.texts(values["muscles"], "muscles") if "muscles" in values else ()
        equipment = self.texts(values["equipment"], "equipment") if "equipment" in values else ()
        steps = self.texts(values["steps"], "steps") if "steps" in values else ()
        cautions = self.texts(values["cautions"], "cautions") if "cautions" in values else ()
        sources = self.sources(values["source"], what) if "source" in values else ()
        parts = (name, targets, hold, kind, position, sides, reps, sets, work, between, discreet)
        lists = (muscles, equipment, steps, cautions, sources)
        if len(self.file.problems) != before or ident is None or None in parts or None in lists:
            return None
        assert name and targets and hold and kind and position and sides and reps and sets
        assert muscles is not None and equipment is not None and steps is not None
        assert cautions is not None and sources is not None
        return Exercise(
            id=ident,
            name=name,
            targets=targets,
            dose=self.share(
                Dose(
                    hold=hold[0],
                    reps=reps,
                    sets=sets,
                    sides=sides,
                    hold_text=hold[1],
                    work=work,
                    between=between[0],
                )
            ),
            kind=kind,
            muscles=muscles,
            position=position,
            equipment=equipment,
            steps=steps,
            cautions=cautions,
            sources=sources,
            origin=self.file.origin(node),
            discreet=bool(discreet),
        )

    def sources(self, node: _Node, what: str) -> tuple[Source, ...] | None:
        if not isinstance(node, _Seq):
            self.wrong(node, "source", "a list of {title, publisher, says}")
            return None
        if not node.items and self.require_source:
            self.file.problem(
                node, f"{what} has no source; built-in exercises cite at least one article"
            )
            return None
        out = []
        for item in node.items:
            if not isinstance(item, _Map):
                self.wrong(item, "each source", "a mapping with title, publisher and says")
                continue
            values = self.fields(item, SOURCE_KEYS, "a source")
            if not self.require(values, ("title", "publisher", "says"), item, "source"):
                continue
            title = self.text(values["title"], "title")
            publisher = self.text(values["publisher"], "publisher")
            says = self.text(values["says"], "says")
            url = self.text(values["url"], "url") if "url" in values else None
            if url is not None and not url.startswith(("https://", "http://")):
                self.file.problem(values["url"], f"url {url!r} must start with https:// or http://")
                continue
            if title and publisher and says:
                out.append(self.share(Source(title, publisher, says, url)))
        return self.share(tuple(out)) if len(out) == len(node.items) else None

    def routine(self, node: _Map) -> Routine | None:
        before = len(self.file.problems)
        values = self.fields(node, ROUTINE_KEYS, "a routine")
        ident = self.slug(values["id"], "id") if "id" in values else None
        what = f"routine {ident!r}" if ident else "routine"
        self.require(values, ("id", "name", "items"), node, what)
        name = self.text(values["name"], "name") if "name" in values else None
        summary = (
            self.text(values["summary"], "summary", required=False) if "summary" in values else ""
        )
        prepare = (
            self.duration(values["prepare"], "prepare", 0)
            if "prepare" in values
            else (DEFAULT_PREPARE, "")
        )
        rest = self.duration(values["rest"], "rest", 0) if "rest" in values else (DEFAULT_REST, "")
        items: list[RoutineItem] = []
        if "items" in values:
            node_items = values["items"]
            if not isinstance(node_items, _Seq):
                self.wrong(node_items, "items", "a list, e.g. [{exercise: neck-roll}]")
            elif not node_items.items:
                self.file.problem(node_items, f"{what} has no items; list at least one exercise")
            else:
                for item in node_items.items:
                    built = self.item(item)
                    if built is not None:
                        items.append(built)
        if len(self.file.problems) != before or not (ident and name and prepare and rest):
            return None
        return Routine(
            id=ident,
            name=name,
            items=tuple(items),
            summary=summary or "",
            prepare=prepare[0],
            rest=rest[0],
            origin=self.file.origin(node),
        )

    def item(self, node: _Node) -> RoutineItem | None:
        if isinstance(node, _Scalar) and not node.null:
            # A bare id is shorthand for {exercise: id}.
            ident = self.slug(node, "exercise")
            return RoutineItem(ident, origin=self.file.origin(node)) if ident else None
        if not isinstance(node, _Map):
            self.wrong(node, "each item", "a mapping such as {exercise: neck-roll}")
            return None
        before = len(self.file.problems)
        values = self.fields(node, ITEM_KEYS, "a routine item")
        self.require(values, ("exercise",), node, "routine item")
        ident = self.slug(values["exercise"], "exercise") if "exercise" in values else None
        hold = self.duration(values["hold"], "hold", 1) if "hold" in values else None
        reps = self.count(values["reps"], "reps", MAX_REPS) if "reps" in values else None
        sets = self.count(values["sets"], "sets", MAX_SETS) if "sets" in values else None
        sides = self.choice(values["sides"], "sides", SIDES) if "sides" in values else None
        between = self.duration(values["between"], "between", 0) if "between" in values else None
        if len(self.file.problems) != before or ident is None:
            return None
        return RoutineItem(
            exercise=ident,
            hold=hold[0] if hold else None,
            hold_text=hold[1] if hold else None,
            reps=reps,
            sets=sets,
            sides=sides,
            origin=self.file.origin(node),
            between=between[0] if between else None,
        )


# ---------------------------------------------------------------- files


def _read(path: Path, name: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problems that stop it being read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                Problem(
                    name, 1, 1,
                    f"the file is {size / 1024 / 1024:.1f} MiB, over the "
                    f"{MAX_BYTES // 1024 // 1024} MiB cap for a catalogue file; "
                    "split it into several files",
                )
            ]  # fmt: skip
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(name, 1, 1, f"cannot read the file: {error.strerror or error}")]
    if len(data) > MAX_BYTES:  # it grew between stat and read
        return None, [
            Problem(name, 1, 1, f"the file is over the {MAX_BYTES // 1024 // 1024} MiB cap")
        ]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(name, 1, 1, "the file is UTF-16; save it as UTF-8")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        byte = data[error.start]
        return None, [
            Problem(
                name, line, column, f"invalid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
            )
        ]
    return data, []


def _parse(path: Path, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    data, problems = _read(path, name)
    if data is None:
        return ((), ()), problems
    file = _File(name)
    root = _tree(data, file)
    if file.problems and root is None:
        return ((), ()), file.problems
    parsed = _Checker(file, require_source).document(root)
    file.problems.sort(key=lambda p: (p.line, p.column))
    return parsed, file.problems


def parse_file(path: Path, *, require_source: bool = False) -> Parsed:
    """The exercises and routines of one file; CatalogueError listing every problem in it."""
    parsed, problems = _parse(path, str(path), require_source)
    if problems:
        raise CatalogueError(problems, hint=_HINT)
    return parsed


_HINT = "fix the lines above; `stretchcoach validate FILE` checks a file"


def _cache_file(
    cache_dir: Path, path: Path, name: str, require_source: bool
) -> tuple[Path, tuple[Any, ...]]:
    import hashlib

    absolute = os.path.abspath(path)
    stat = os.stat(absolute)
    key = (
        absolute,
        name,
        require_source,
        stat.st_size,
        stat.st_mtime_ns,
        __version__,
        CACHE_VERSION,
    )
    digest = hashlib.sha256(repr(key[:3]).encode()).hexdigest()[:32]
    return cache_dir / "catalogue" / f"{digest}.pickle", key


def _parse_cached(
    path: Path, name: str, require_source: bool, cache_dir: Path | None
) -> tuple[Parsed, list[Problem]]:
    """Like _parse, but served from and saved to the cache when it can be."""
    if cache_dir is None:
        return _parse(path, name, require_source)
    try:
        cache_path, key = _cache_file(cache_dir, path, name, require_source)
    except OSError:
        return _parse(path, name, require_source)  # _parse reports the unreadable file
    try:
        with open(cache_path, "rb") as handle:
            stored_key, parsed = pickle.load(handle)
        if stored_key == key:
            return parsed, []
    except Exception:  # a missing, stale or corrupt cache is rebuilt
        pass
    parsed, problems = _parse(path, name, require_source)
    if not problems:
        _store(cache_path, (key, parsed))
    return parsed, problems


def _store(cache_path: Path, value: object) -> None:
    """Write atomically; a cache that cannot be written is skipped silently."""
    import tempfile

    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache_path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, cache_path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass


def _yaml_files(folder: Path, patterns: Sequence[str] = ("*.yaml", "*.yml")) -> list[Path]:
    try:
        return sorted(p for pattern in patterns for p in folder.glob(pattern) if p.is_file())
    except OSError:
        return []


def _expand(path: Path) -> list[Path]:
    """A file, or every *.yaml / *.yml in a folder given on the command line."""
    return _yaml_files(path) if path.is_dir() else [path]


def _sources(
    paths: Paths, extra: Sequence[Path], include_user: bool
) -> list[tuple[Path, str, str]]:
    """(path, display name, layer) of every file to load, in load order, each once."""
    out: list[tuple[Path, str, str]] = []
    seen: set[str] = set()

    def add(path: Path, layer: str) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append((path, str(path), layer))

    for path in _yaml_files(builtin_data_dir(), ("*.yaml",)):
        add(path, "built-in")
    if include_user:
        for path in _yaml_files(paths.catalogue_dir):
            add(path, "user")
    for given in extra:
        for path in _expand(Path(given)):
            add(path, "option")
    return out


def load(
    paths: Paths,
    extra: Sequence[Path] = (),
    *,
    include_user: bool = True,
    use_cache: bool = True,
) -> Catalogue:
    """Built-in, then user, then `extra` files merged, later ids winning; CatalogueError."""
    cache_dir = paths.cache_dir if use_cache else None
    problems: list[Problem] = []
    exercises: dict[str, Exercise] = {}
    routines: dict[str, Routine] = {}
    shadowed: dict[str, list[Origin]] = {}
    files: list[LoadedFile] = []
    for path, name, layer in _sources(paths, extra, include_user):
        (file_exercises, file_routines), file_problems = _parse_cached(
            path, name, layer == "built-in", cache_dir
        )
        problems.extend(file_problems)
        files.append(LoadedFile(name, layer, len(file_exercises), len(file_routines)))
        _merge(file_exercises, exercises, routines, shadowed, problems)
        _merge(file_routines, routines, exercises, shadowed, problems)
    problems.extend(_unresolved(routines.values(), exercises))
    if problems:
        raise CatalogueError(problems, hint=_HINT)
    return Catalogue(
        exercises=MappingProxyType(exercises),
        routines=MappingProxyType(routines),
        files=tuple(files),
        shadowed=MappingProxyType({k: tuple(v) for k, v in shadowed.items()}),
    )


def _merge(
    records: Iterable[Exercise | Routine],
    into: dict[str, Any],
    others: dict[str, Any],
    shadowed: dict[str, list[Origin]],
    problems: list[Problem],
) -> None:
    for record in records:
        other = others.get(record.id)
        if other is not None and not _same_file(other, record):
            origin = record.origin or Origin("?", 1)
            kind = "exercise" if isinstance(other, Exercise) else "routine"
            problems.append(
                Problem(
                    origin.file, origin.line, origin.column,
                    f"id {record.id!r} is already used by the {kind} at {other.origin}; "
                    "exercises and routines share one set of ids",
                )
            )  # fmt: skip
            continue
        old = into.get(record.id)
        if old is not None and old.origin is not None:
            shadowed.setdefault(record.id, []).append(old.origin)
        into[record.id] = record


def _same_file(a: Exercise | Routine, b: Exercise | Routine) -> bool:
    # The file's own check already reported an id shared inside one file.
    return a.origin is not None and b.origin is not None and a.origin.file == b.origin.file


def _unresolved(routines: Iterable[Routine], exercises: dict[str, Exercise]) -> list[Problem]:
    out = []
    for routine in routines:
        for item in routine.items:
            if item.exercise in exercises:
                continue
            origin = item.origin or routine.origin or Origin("?", 1)
            suggestion = did_you_mean(item.exercise, exercises)
            fix = (
                f"did you mean {suggestion!r}?"
                if suggestion
                else "define it, or load the file that does with --catalogue"
            )
            out.append(
                Problem(
                    origin.file, origin.line, origin.column,
                    f"routine {routine.id!r} names unknown exercise {item.exercise!r}; {fix}",
                )
            )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Checked:
    """The result of validating one file: what it defines and what is wrong with it."""

    path: str
    exercises: int
    routines: int
    problems: tuple[Problem, ...]


def check(files: Sequence[Path], paths: Paths) -> list[Checked]:
    """Each file checked alone, its routines resolved against built-in + user + `files`."""
    builtin = os.path.realpath(builtin_data_dir())
    parsed: list[tuple[str, Parsed, list[Problem]]] = []
    for given in files:
        for path in _expand(Path(given)):
            inside = os.path.realpath(path).startswith(builtin + os.sep)
            result, problems = _parse(path, str(path), inside)
            parsed.append((str(path), result, problems))
    known: dict[str, Exercise] = {}
    for path, _name, layer in _sources(paths, (), include_user=True):
        # Context only: a broken file here is reported when it is itself validated or loaded.
        (exercises, _routines), _ = _parse_cached(
            path, str(path), layer == "built-in", paths.cache_dir
        )
        known.update((e.id, e) for e in exercises)
    for _name, (exercises, _routines), _ in parsed:
        known.update((e.id, e) for e in exercises)
    out = []
    for name, (exercises, routines), problems in parsed:
        found = sorted(problems + _unresolved(routines, known), key=lambda p: (p.line, p.column))
        out.append(Checked(name, len(exercises), len(routines), tuple(found)))
    return out


def validate(files: Sequence[Path], paths: Paths) -> list[Problem]:
    """Every problem in `files`, each checked alone and its routines resolved in context."""
    return [problem for checked in check(files, paths) for problem in checked.problems]
