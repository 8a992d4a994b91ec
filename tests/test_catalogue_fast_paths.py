"""The checker's fast paths accept exactly what its exact checks accept, and give the same
result: a file reads the same, problem for problem, with every fast path turned off."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.catalogue.files import parse_bytes
from stretchcoach.catalogue.schema import Checker
from stretchcoach.catalogue.values import EXERCISE_KEYS, SOURCE_KEYS, Parsed, Values, unsafe
from stretchcoach.catalogue.yamltree import (
    NULLS,
    FileReport,
    Map,
    Node,
    Seq,
    TooManyProblems,
    tree,
)
from stretchcoach.errors import Problem
from stretchcoach.model import AREAS, KINDS, POSITIONS, SIDES, WORKS
from stretchcoach.paths import builtin_data_dir

from conftest import examples


class ExactChecker(Checker):
    """The checker with every fast path off: the exact checks alone."""

    def fields(self, node: Map, allowed: dict[str, None], what: str) -> dict[str, Node]:
        return self.fields_exact(node, allowed, what)

    def text(self, node: Node, key: str, *, required: bool = True) -> str | None:
        return self.text_exact(node, key, required=required)

    def choice(self, node: Node, key: str, choices: Sequence[str], noun: str = "") -> str | None:
        return self.choice_exact(node, key, choices, noun)

    def count(self, node: Node, key: str, limit: int) -> int | None:
        return self.count_exact(node, key, limit)

    def duration(self, node: Node, key: str, minimum: int) -> tuple[int, str] | None:
        return self.duration_exact(node, key, minimum)

    def texts(self, node: Node, key: str) -> tuple[str, ...] | None:
        if not isinstance(node, Seq):
            self.wrong(node, key, f"a list, e.g. {self.example_list(key)}")
            return None
        out = [self.text_exact(item, f"each of {key}") for item in node]
        if any(v is None for v in out):
            return None
        return self.share(tuple(v for v in out if v is not None))

    def choices(
        self, node: Node, key: str, choices: Sequence[str], noun: str
    ) -> tuple[str, ...] | None:
        if not isinstance(node, Seq):
            self.wrong(node, key, f"a list, e.g. {self.example_list(key)}")
            return None
        out = [self.choice_exact(item, key, choices, noun) for item in node]
        if any(v is None for v in out):
            return None
        return self.share(tuple(v for v in out if v is not None))

    @staticmethod
    def example_list(key: str) -> str:
        from stretchcoach.catalogue.values import EXAMPLES

        return EXAMPLES.get(key, "[...]").split(": ", 1)[1]


def exact_parse(data: bytes, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    """files.parse_bytes with ExactChecker in place of Checker."""
    file = FileReport(name)
    try:
        checker = ExactChecker(file, require_source)
        root = tree(data, file, on_item=checker.item_of)
        if file.problems and root is None:
            return ((), ()), file.problems
        parsed = checker.document(root)
    except TooManyProblems:
        return ((), ()), file.problems
    file.problems.sort(key=lambda p: (p.line, p.column))
    return parsed, file.problems


def both(data: bytes, require_source: bool = False) -> tuple[Parsed, list[Problem]]:
    fast = parse_bytes(data, "c.yaml", require_source)
    assert fast == exact_parse(data, "c.yaml", require_source)
    return fast


# ---------------------------------------------------------------- text


def test_every_printable_character_passes_the_exact_text_check() -> None:
    # A string is printable when each of its characters is, and unsafe() refuses a string for
    # one character: so printable text (text()'s fast path) never holds what unsafe() refuses.
    printable = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isprintable())
    assert len(printable) > 100_000
    assert unsafe(printable) is None


def scalar(value: str, style: str | None) -> Node:
    return (value, style, SimpleNamespace(line=2, column=4))


STYLES = st.sampled_from(["", None, "'", '"', "|", ">"])
TRICKY = st.sampled_from(
    [*NULLS, " ", "\t", "a\tb", " neck ", "neck", "x\u200by", "\u00a0", "a\nb", "\x1b[2J"]
)
TEXTS = st.one_of(TRICKY, st.text(max_size=12), st.text(alphabet=" \t\u00a0\u2028ab~", max_size=6))


@settings(max_examples=examples(400))
@given(value=TEXTS, style=STYLES, required=st.booleans())
def test_text_and_the_exact_text_check_agree(value: str, style: str | None, required: bool) -> None:
    fast, exact = Values(FileReport("f"), False), Values(FileReport("f"), False)
    node = scalar(value, style)
    assert fast.text(node, "name", required=required) == exact.text_exact(
        node, "name", required=required
    )
    assert fast.file.problems == exact.file.problems


@settings(max_examples=examples(200))
@given(
    value=st.one_of(st.sampled_from([*AREAS, *SIDES, "Neck", " neck", "yes"]), TEXTS), style=STYLES
)
def test_choice_and_the_exact_choice_agree(value: str, style: str | None) -> None:
    fast, exact = Values(FileReport("f"), False), Values(FileReport("f"), False)
    node = scalar(value, style)
    for choices in (AREAS, SIDES):
        assert fast.choice(node, "x", choices) == exact.choice_exact(node, "x", choices)
    assert fast.file.problems == exact.file.problems


def test_every_choice_is_what_text_would_read_it_as() -> None:
    # choice()'s fast path returns the value as written when it is a choice: a choice must
    # therefore be text that the text check keeps as it is.
    for choice in (*AREAS, *KINDS, *POSITIONS, *SIDES, *WORKS):
        assert choice not in NULLS and choice == choice.strip() and choice.isprintable()


@settings(max_examples=examples(200))
@given(
    value=st.one_of(
        st.sampled_from(["1", "010", "0", "100", "101", "30s", "1:30", "5 breaths", "~", ""]),
        st.text(alphabet="0123456789 s:", max_size=5),
    ),
    style=STYLES,
)
def test_counts_and_durations_read_twice_read_the_same(value: str, style: str | None) -> None:
    # A later reading may come from what an earlier one kept: the same text written plain,
    # then written as drawn (perhaps quoted, which a count refuses).
    fast, exact = Values(FileReport("f"), False), Values(FileReport("f"), False)
    for node in (scalar(value, ""), scalar(value, style), scalar(value, style)):
        assert fast.count(node, "reps", 100) == exact.count_exact(node, "reps", 100)
        assert fast.count(node, "sets", 10) == exact.count_exact(node, "sets", 10)
        assert fast.duration(node, "hold", 1) == exact.duration_exact(node, "hold", 1)
        assert fast.duration(node, "rest", 0) == exact.duration_exact(node, "rest", 0)
    assert fast.file.problems == exact.file.problems


# ---------------------------------------------------------------- whole files

WORDS = [
    *AREAS[:4], *KINDS[:2], *SIDES, "seated", "hold", "reps", "true", "false", "yes", "no",
    "neck-roll", "Neck roll", "NECK", "30s", "0", "5 breaths", "1:30", "10", "010", "101",
    "~", "null", "https://example.org", "ftp://x",
]  # fmt: skip


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: any character, escaped where it must be."""
    return (
        '"'
        + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text)
        + '"'
    )


SCALARS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: f"'{w}'"),
    st.sampled_from(WORDS).map(quoted),
    st.text(max_size=8).map(quoted),
    st.just(""),
)
FLOW = st.lists(SCALARS, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
KEYS = st.one_of(
    st.sampled_from([*EXERCISE_KEYS, "nmae", "targets"]),
    st.sampled_from(["'id'", '"name"', "[]", "[id]", "{}", "{id: a}", "~"]),
)
SOURCE = st.lists(
    st.tuples(st.sampled_from([*SOURCE_KEYS, "title", "tilte"]), SCALARS), max_size=5
).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
VALUES = st.one_of(SCALARS, FLOW, SOURCE, SOURCE.map(lambda s: f"[{s}]"))
EXERCISE = st.lists(st.tuples(KEYS, VALUES), max_size=8).map(
    lambda pairs: (
        "".join(
            f"{'  - ' if i == 0 else '    '}{key}: {value}\n"
            for i, (key, value) in enumerate(pairs)
        )
        or "  - {}\n"
    )
)
# Mostly valid: each value is likely right, and now and then a little wrong.
NAMES = st.one_of(st.sampled_from(["Neck roll", "'Neck roll'", "Chin tuck"]), SCALARS)
VALID = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b-2", "c"]),
        "name": NAMES,
        "targets": st.lists(st.sampled_from([*AREAS[:3], "'neck'"]), min_size=1, max_size=3).map(
            lambda items: "[" + ", ".join(items) + "]"
        )
        | FLOW,
        "hold": st.sampled_from(["30s", "20", "'1:30'", "5 breaths", '"45s"']) | SCALARS,
    },
    optional={
        "kind": st.sampled_from(KINDS) | SCALARS,
        "sides": st.sampled_from(SIDES) | SCALARS,
        "reps": st.sampled_from(["1", "10", "010"]) | SCALARS,
        "steps": st.lists(NAMES, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        "source": st.just("[{title: T, publisher: P, says: S}]") | SOURCE.map(lambda s: f"[{s}]"),
    },
).map(lambda d: "  - " + "\n    ".join(f"{k}: {v}" for k, v in d.items()) + "\n")


ITEM = st.one_of(
    st.sampled_from(["a", "c", "B"]),
    st.lists(
        st.tuples(
            st.sampled_from(["exercise", "reps", "sets", "hold", "sides", "between"]), SCALARS
        ),
        max_size=4,
    ).map(lambda pairs: "{exercise: a, " + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"),
)
ROUTINE = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["r", "a", "R"]),
        "name": NAMES,
        "items": st.lists(ITEM, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    },
    optional={"prepare": SCALARS, "rest": SCALARS, "summary": SCALARS, "nmae": SCALARS},
).map(lambda d: "  - " + "\n    ".join(f"{k}: {v}" for k, v in d.items()) + "\n")


@settings(max_examples=examples(300), deadline=None)
@given(
    exercises=st.lists(st.one_of(EXERCISE, VALID, VALID), min_size=1, max_size=4),
    routines=st.lists(ROUTINE, max_size=2),
    sourced=st.booleans(),
)
def test_a_file_reads_the_same_with_every_fast_path_off(
    exercises: list[str], routines: list[str], sourced: bool
) -> None:
    text = "schema: 1\nexercises:\n" + "".join(exercises)
    if routines:
        text += "routines:\n" + "".join(routines)
    both(text.encode(), require_source=sourced)


def test_valid_exercises_read_the_same_with_every_fast_path_off() -> None:
    text = "schema: 1\nexercises:\n" + "".join(
        f"  - id: e{i}\n    name: Exercise {i}\n    kind: {KINDS[i % 5]}\n"
        f"    targets: [{AREAS[i % 11]}, {AREAS[(i + 3) % 11]}]\n"
        f"    hold: {['30s', '5 breaths', 20][i % 3]}\n    reps: {i % 7 + 1}\n"
        f"    sides: {SIDES[i % 3]}\n    steps: [Sit tall., 'Breathe out.']\n"
        f"    source: [{{title: T{i}, publisher: P, says: S, url: 'https://example.org/{i}'}}]\n"
        for i in range(50)
    )
    (exercises, _routines), problems = both(text.encode())
    assert problems == [] and len(exercises) == 50


@pytest.mark.skipif(
    not (builtin_data_dir() / "exercises.yaml").is_file(), reason="built-in data not present"
)
@pytest.mark.parametrize("name", ["exercises.yaml", "routines.yaml"])
def test_the_built_in_catalogue_reads_the_same_with_every_fast_path_off(name: str) -> None:
    data = Path(builtin_data_dir() / name).read_bytes()
    (exercises, routines), problems = both(data, require_source=True)
    assert problems == [] and (exercises or routines)
