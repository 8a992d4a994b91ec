"""YAML bytes -> a tree of nodes that keep where they start; tags and aliases refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeAlias

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


class Mark(Protocol):
    """Where the parser found something: a 0-based line and column."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


# A scalar is a plain tuple: (value, style, mark). The style is "" or None when the value was
# written plain, else the quote or block character; the mark is the parser's own (where()
# reads it). A 10,000-exercise file holds some 370,000 scalars, and a tuple of what the event
# already holds costs a fifth of an object with __init__ and its line and column worked out.
Scalar: TypeAlias = "tuple[str, str | None, Mark]"


class Branch(list["Node"]):
    """A list or mapping: its children, and the parser's mark of where it starts.

    A list itself, so that building the tree appends each child straight to it: creating a
    list costs under half what an object with __init__ does (a catalogue has some 80,000).
    """

    __slots__ = ("mark",)
    mark: Mark

    @property
    def line(self) -> int:
        return self.mark.line + 1

    @property
    def column(self) -> int:
        return self.mark.column + 1


class Seq(Branch):
    """A YAML list: its items, in order."""

    __slots__ = ()


class Map(Branch):
    """A YAML mapping: its keys and values alternating (the parser always gives both)."""

    __slots__ = ()

    @property
    def pairs(self) -> list[tuple[Node, Node]]:
        return list(zip(self[::2], self[1::2], strict=True))


class Built:
    """Stands where an item of a top-level list was: what on_item made of it, its nodes freed."""

    __slots__ = ("column", "line", "value")

    def __init__(self, value: object, line: int, column: int) -> None:
        self.value, self.line, self.column = value, line, column


class Reported:
    """Stands where a rejected value (an alias) was; its problem is already reported."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


Node: TypeAlias = "Scalar | Seq | Map | Built | Reported"


def where(node: Node) -> tuple[int, int]:
    """The node's 1-based line and column."""
    if isinstance(node, tuple):
        mark = node[2]
        return mark.line + 1, mark.column + 1
    return node.line, node.column


def is_null(node: Node) -> bool:
    """True for a scalar written as nothing, `~` or `null` (plain, not quoted)."""
    return type(node) is tuple and not node[1] and node[0] in NULLS


def describe(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, tuple):
        return "nothing" if is_null(node) else f"{node[0]!r}"
    return "an alias"


class FileReport:
    """One file being checked: its display name and the problems found so far."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def problem(self, node: Node, message: str) -> None:
        self.problem_at(*where(node), message)

    def problem_at(self, line: int, column: int, message: str) -> None:
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
        return Origin(self.name, *where(node))


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
    max_nodes = MAX_NODES
    nodes = 0
    documents = 0
    # The open lists and mappings, innermost last, under root: the list the file's node goes in.
    root: list[Node] = []
    stack: list[list[Node]] = [root]

    def check(event: Any, line: int, column: int) -> None:
        if event.anchor is not None:
            file.problem_at(
                line, column,
                f"anchors such as '&{event.anchor}' are not allowed; write the value out in full",
            )  # fmt: skip
        if event.tag is not None:
            file.problem_at(
                line, column,
                f"tags such as {tag_text(event.tag)!r} are not allowed; write a plain value",
            )  # fmt: skip

    # The hot loop (a 10,000-exercise file has some 520,000 events, seven in ten of them
    # scalars): one call per event (get_event, no check_event), the scalar branch first and
    # as short as it can be: one tuple appended to the innermost open list or mapping.
    get_event = loader.get_event
    append = root.append  # appends to the innermost open list or mapping
    scalar_event, stream_end = ev.ScalarEvent, ev.StreamEndEvent
    map_start, seq_start = ev.MappingStartEvent, ev.SequenceStartEvent
    map_end, seq_end = ev.MappingEndEvent, ev.SequenceEndEvent
    try:
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is scalar_event:
                node: Node = (event.value, event.style, event.start_mark)
                nodes += 1
                if nodes > max_nodes:
                    file.problem(node, _too_many_values())
                    return None
                if event.anchor is not None or event.tag is not None:
                    check(event, *where(node))
                append(node)
            elif kind is map_start or kind is seq_start:
                branch = Map() if kind is map_start else Seq()
                branch.mark = event.start_mark
                nodes += 1
                if nodes > max_nodes:
                    file.problem(branch, _too_many_values())
                    return None
                if len(stack) > MAX_DEPTH:
                    file.problem(
                        branch,
                        f"lists and mappings nested more than {MAX_DEPTH} deep; "
                        "a catalogue needs at most 5 levels",
                    )
                    return None
                if event.anchor is not None or event.tag is not None:
                    check(event, branch.line, branch.column)
                append(branch)
                stack.append(branch)
                append = branch.append
            elif kind is map_end or kind is seq_end:
                done = stack.pop()
                append = stack[-1].append
                if len(stack) == 3 and on_item is not None and type(done) is Map:
                    _, document, items = stack
                    # `exercises:` is a list in the top mapping, its key the one before it.
                    key = document[-2] if type(document) is Map else None
                    if type(items) is Seq and type(key) is tuple:
                        items[-1] = on_item(key[0], done)
            elif kind is stream_end:
                break
            elif kind is ev.AliasEvent:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                file.problem_at(
                    line, column,
                    f"aliases such as '*{event.anchor}' are not allowed; "
                    "write the value out in full",
                )  # fmt: skip
                append(Reported(line, column))
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    file.problem_at(
                        mark.line + 1, mark.column + 1,
                        "a catalogue file holds one YAML document; remove the second '---'",
                    )  # fmt: skip
                    break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or "invalid YAML"
        if error.context:
            message = f"{message} ({error.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        file.problem_at(line, column, f"YAML syntax error: {message}")
        return None
    except yaml.reader.ReaderError as error:
        file.problem_at(*position(data, error.position), f"unreadable text: {error.reason}")
        return None
    finally:
        loader.dispose()
    return root[0] if root else None


def tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def _too_many_values() -> str:
    return f"more than {MAX_NODES:,} values in one file; split it into several files"
