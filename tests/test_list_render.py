"""`list` drawn column by column: the same bytes as the row-by-row tables it replaced.

list_plain and list_screen build 10,000 rows in a few milliseconds by mapping over whole
columns; the references here are the straightforward forms (a format call per row for pipes,
`render.styled.table` and `Styled.ansi` for terminals), and every case must match them byte
for byte: odd text, escapes, wide and cut cells, every width.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.model import AREAS, Exercise
from stretchcoach.render.catalogue import (
    LIST_HEADERS,
    LIST_NARROW,
    list_plain,
    list_rows,
    list_screen,
    list_table,
    plain_table,
)
from stretchcoach.render.text import escape

from conftest import examples, make_exercise


def reference_plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """plain_table as it was written first: a format call per row."""
    widths = [len(h) for h in headers]
    if not "".join(["".join(row) for row in rows]).isprintable():
        rows = [[escape(cell) for cell in row] for row in rows]
    for i, column in enumerate(zip(*rows, strict=True)):
        widths[i] = max(widths[i], max(map(len, column)))
    line = "  ".join([*(f"{{:<{w}}}" for w in widths[:-1]), "{}"])
    return "\n".join(line.format(*row).rstrip() for row in (headers, *rows)) + "\n"


# Text that tests every branch: escapes and controls, invisible and wide characters, what
# a format string or markup would treat specially, spaces at either end.
ODD = "ab -[]{}%…×é漢\x1b\t\u200b\u00a0"
text = st.text(alphabet=ODD, min_size=1, max_size=40)
doses = st.fixed_dictionaries(
    {
        "hold": st.integers(1, 4000),
        "reps": st.integers(1, 12),
        "sets": st.integers(1, 3),
        "sides": st.sampled_from(("none", "each", "alternate")),
        "hold_text": st.sampled_from(("", "5 breaths", "1:30")),
        "work": st.sampled_from(("hold", "reps")),
        "between": st.integers(0, 5),
    }
)
exercise = st.builds(
    lambda ident, name, targets, position, dose: make_exercise(
        ident, name=name, targets=targets, position=position, **dose
    ),
    text,
    text,
    st.lists(st.sampled_from(AREAS), min_size=1, max_size=4, unique=True).map(tuple),
    st.sampled_from(("seated", "standing", "any")),
    doses,
)
shelves = st.lists(exercise, min_size=1, max_size=12)


@settings(max_examples=examples(200))
@given(shelves, st.booleans())
def test_the_piped_list_is_the_row_by_row_table(shelf: list[Exercise], wide: bool) -> None:
    headers = LIST_HEADERS if wide else LIST_NARROW
    expected = reference_plain_table(headers, list_rows(shelf, wide=wide))
    assert list_plain(shelf, wide=wide) == expected
    assert plain_table(headers, list_rows(shelf, wide=wide)) == expected


@settings(max_examples=examples(200))
@given(shelves, st.booleans(), st.integers(20, 200), st.booleans())
def test_the_list_on_a_terminal_is_the_styled_table(
    shelf: list[Exercise], wide: bool, width: int, color: bool
) -> None:
    expected = list_table(list_rows(shelf), wide=wide, width=width).ansi(color)
    assert list_screen(shelf, wide=wide, width=width, color=color) == expected


@settings(max_examples=examples(100))
@given(st.lists(st.lists(st.text(alphabet=ODD, max_size=8), min_size=3, max_size=3), max_size=6))
def test_a_plain_table_of_any_cells_is_the_row_by_row_table(rows: list[list[str]]) -> None:
    # Empty cells and cells ending in spaces too: each line's trailing whitespace is dropped.
    headers = ("one", "two", "three")
    assert plain_table(headers, rows) == reference_plain_table(headers, rows)


def test_a_narrow_terminal_cuts_the_name_with_an_ellipsis_to_fit() -> None:
    shelf = [make_exercise("chin-tuck", name="A very long name for a chin tuck", hold=3, reps=10)]
    assert list_screen(shelf, width=40, color=True) == (
        "\x1b[1mid         name            dose     time\x1b[0m\n"
        "chin-tuck  A very long n…  3s × 10  0:35\n"
    )


def test_lines_that_would_end_in_blanks_are_still_trimmed(monkeypatch) -> None:
    # A blank last column (no time) leaves the dose's padding at the end of the line: the
    # one-format path is not taken, each line is trimmed as plain_table trims it.
    from stretchcoach.render import catalogue

    monkeypatch.setattr(catalogue, "_clock", lambda seconds: "")
    shelf = [make_exercise("a", hold=3), make_exercise("bb", hold=3, reps=10)]
    expected = reference_plain_table(LIST_NARROW, list_rows(shelf, wide=False))
    assert (
        list_plain(shelf)
        == expected
        == ("id  name  dose     time\na   A     3s\nbb  Bb    3s × 10\n")
    )
    assert list_screen(shelf, color=False) == list_table(list_rows(shelf)).ansi(False)


def test_the_quick_printable_check_agrees_with_isprintable() -> None:
    from stretchcoach.render.catalogue import _printable

    for text in [*map(chr, range(0x300)), "\u200b", "\u2028", "\udc80", "漢", "", "ok text"]:
        for case in (text, f"plain {text} text"):
            assert _printable(case) == case.isprintable(), repr(case)


@pytest.mark.parametrize("blank_time", [False, True])
def test_a_list_in_several_parts_is_the_same_list(monkeypatch, blank_time: bool) -> None:
    from stretchcoach.render import catalogue

    shelf = [make_exercise(f"e{i}", hold=3 + i % 4, reps=1 + i % 3) for i in range(11)]
    if blank_time:  # the line-at-a-time path
        monkeypatch.setattr(catalogue, "_clock", lambda seconds: "")
    whole = (list_plain(shelf), list_screen(shelf, width=30, color=True))
    monkeypatch.setattr(catalogue, "PART_LINES", 4)
    parts = list(catalogue.list_plain_parts(shelf))
    assert len(parts) == 1 + 3  # the header, then 4 + 4 + 3 lines
    assert "".join(parts) == whole[0]
    assert list_screen(shelf, width=30, color=True) == whole[1]
    assert whole[0] == reference_plain_table(LIST_NARROW, list_rows(shelf, wide=False))
