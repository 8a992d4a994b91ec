"""YAML bytes -> a tree of nodes that keep their line and column; tags and aliases refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stretchcoach.errors import Problem
from stretchcoach.model import (
    Origin,
)

NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# A catalogue nests five deep (file, exercises, exercise, source, citation). Deeper input is
# refused as it is read: libyaml's scanner slows quadratically with flow nesting (`[[[[...`),
# and the events are pulled one by one, so stopping here stops the scanner too.
MAX_DEPTH = 20
# Values (scalars, lists, mappings) in one file: a 10,000-exercise catalogue holds about
# 400,000. The bound keeps a file of tiny values (`[a, a, a, ...`) from costing a node each
# until memory runs out.
MAX_NODES = 1_000_000
# Problems reported per file: past this, the rest are not worth the time or the screen.
MAX_PROBLEMS = 200
# Characters of one message: a value quoted back is cut in the middle past this.
MAX_MESSAGE = 600


class TooManyProblems(Exception):
    """Raised by FileReport once MAX_PROBLEMS are reported; the check stops there."""


# ---------------------------------------------------------------- the YAML tree


class Node:
    __slots__ = ("column", "line")
    line: int
    column: int


class Scalar(Node):
    __slots__ = ("plain", "value")

    def __init__(self, value: str, plain: bool, line: int, column: int) -> None:
        self.value, self.plain, self.line, self.column = value, plain, line, column

    @property
    def null(self) -> bool:
        return self.plain and self.value in NULLS


class Seq(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line, self.column = line, column


class Map(Node):
    __slots__ = ("key", "pairs")

    def __init__(self, line: int, column: int) -> None:
        self.pairs: list[tuple[Node, Node]] = []
        self.key: Node | None = None
        self.line, self.column = line, column


class Built(Node):
    """Stands where an item of a top-level list was: what on_item made of it, its nodes freed."""

    __slots__ = ("value",)

    def __init__(self, value: object, line: int, column: int) -> None:
        self.value, self.line, self.column = value, line, column


class Reported(Node):
    """Stands where a rejected value (an alias) was; its problem is already reported."""

    __slots__ = ()

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


def describe(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, Scalar):
        return "nothing" if node.null else f"{node.value!r}"
    return "an alias"


class FileReport:
    """One file being checked: its display name and the problems found so far."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def problem(self, node: Node | tuple[int, int], message: str) -> None:
        line, column = (node.line, node.column) if isinstance(node, Node) else node
        if len(message) > MAX_MESSAGE:  # a huge value quoted back: keep what and the fix
            message = f"{message[: MAX_MESSAGE // 2]} [...] {message[-MAX_MESSAGE // 3 :]}"
        self.problems.append(Problem(self.name, line, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(
                    self.name, line, column,
                    f"stopped after {MAX_PROBLEMS} problems; fix these and check the file again",
                )
            )  # fmt: skip
            raise TooManyProblems

    def origin(self, node: Node) -> Origin:
        return Origin(self.name, node.line, node.column)


def tree(
    data: bytes, file: FileReport, on_item: Callable[[str, Map], Node] | None = None
) -> Node | None:
    """The document as a tree of nodes; tags, anchors and aliases become problems.

    on_item(key, item) is called as each mapping in a top-level list (`exercises:`) ends;
    what it returns (a Built) replaces the item, so a big file never holds all its nodes.
    """
    import yaml  # imported here: a cached load never needs it

    loader_class = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    loader = loader_class(data)
    ev = yaml.events
    root: Node | None = None
    stack: list[Node] = []
    documents = 0
    nodes = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
        elif isinstance(parent, Map):
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
                f"tags such as {tag_text(event.tag)!r} are not allowed; write a plain value",
            )

    # The hot loop (a 10,000-exercise file has some 450,000 events): one call per event
    # (get_event, no check_event), scalars attached inline, the rest through attach().
    get_event = loader.get_event
    scalar_event, stream_end = ev.ScalarEvent, ev.StreamEndEvent
    plain_styles = ("", None)
    try:
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is stream_end:
                break
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            if kind is scalar_event:
                nodes += 1
                if nodes > MAX_NODES:
                    file.problem((line, column), _too_many_values())
                    return None
                if event.anchor is not None or event.tag is not None:
                    check(event, line, column)
                node: Node = Scalar(event.value, event.style in plain_styles, line, column)
                parent = stack[-1] if stack else None
                if type(parent) is Map:
                    if parent.key is None:
                        parent.key = node
                    else:
                        parent.pairs.append((parent.key, node))
                        parent.key = None
                elif type(parent) is Seq:
                    parent.items.append(node)
                else:
                    attach(node)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    file.problem((line, column), _too_many_values())
                    return None
                if len(stack) >= MAX_DEPTH:
                    file.problem(
                        (line, column),
                        f"lists and mappings nested more than {MAX_DEPTH} deep; "
                        "a catalogue needs at most 5 levels",
                    )
                    return None
                if event.anchor is not None or event.tag is not None:
                    check(event, line, column)
                node = Map(line, column) if kind is ev.MappingStartEvent else Seq(line, column)
                attach(node)
                stack.append(node)
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                done = stack.pop()
                if on_item is not None and len(stack) == 2 and type(done) is Map:
                    top, items = stack
                    key = top.pairs[-1][0] if type(top) is Map and top.pairs else None
                    if type(items) is Seq and type(key) is Scalar:
                        items.items[-1] = on_item(key.value, done)
            elif kind is ev.AliasEvent:
                file.problem(
                    (line, column),
                    f"aliases such as '*{event.anchor}' are not allowed; "
                    "write the value out in full",
                )
                attach(Reported(line, column))
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
        file.problem(position(data, error.position), f"unreadable text: {error.reason}")
        return None
    finally:
        loader.dispose()
    return root


def tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def _too_many_values() -> str:
    return f"more than {MAX_NODES:,} values in one file; split it into several files"
