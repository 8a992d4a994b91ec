"""A screen as a grid of styled cells, and the bytes that turn one screen into the next.

The live view sends only what changed between two frames: each changed stretch of a row is
written after a cursor move; long unchanged runs of blanks and block graphics (the digits'
margins, the filled part of the progress bar) are stepped over, while words are always
written whole, so a line of text reaches the terminal in one piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import COLOR_SYSTEMS
from rich.style import Style
from rich.text import Text

Cell = tuple[str, Style]  # the character ("" for the right half of a wide one) and its style
Row = tuple[Cell, ...]

NULL = Style.null()
BLANK: Cell = (" ", NULL)
# Unchanged cells that may be stepped over; text never is, so words are written whole.
GRAPHIC = frozenset(" █░")
# A cursor move costs about eight bytes: shorter unchanged runs are rewritten instead.
MIN_SKIP = 4
CLEAR_SCREEN = "\x1b[H\x1b[2J"


def rows(console: Any, lines: Sequence[Text], width: int) -> tuple[Row, ...]:
    """Each line as exactly `width` cells: cropped as the console crops it, padded with blanks."""
    options = console.options.update_width(width)
    out = []
    for line in lines:
        rendered = console.render_lines(line, options, pad=False)
        cells: list[Cell] = []
        for segment in rendered[0] if rendered else ():
            if segment.control:
                continue
            style = segment.style or NULL
            for char in segment.text:
                size = cell_len(char)
                if size == 0:
                    continue
                cells.append((char, style))
                if size == 2:
                    cells.append(("", style))
        del cells[width:]
        if cells and cells[-1][0] and cell_len(cells[-1][0]) == 2:
            cells[-1] = BLANK  # a wide character cut in half at the edge
        # Trailing spaces whose style shows nothing on a blank (bold padding) are blanks.
        end = len(cells)
        while end and cells[end - 1][0] == " " and not _visible(cells[end - 1][1]):
            end -= 1
        del cells[end:]
        cells.extend([BLANK] * (width - len(cells)))
        out.append(tuple(cells))
    return tuple(out)


def _visible(style: Style) -> bool:
    """True when a space in this style looks different from an erased cell."""
    return bool(
        style.bgcolor or style.reverse or style.underline or style.underline2
        or style.strike or style.overline or style.conceal or style.link
    )  # fmt: skip


def blank(width: int, height: int) -> tuple[Row, ...]:
    """The cells of a cleared screen."""
    return ((BLANK,) * width,) * height


def changes(old: Sequence[Row], new: Sequence[Row], console: Any) -> str:
    """The bytes that turn the screen `old` into `new` (same size): cursor moves and text."""
    system = COLOR_SYSTEMS.get(console.color_system or "")
    out: list[str] = []
    for number, (before, after) in enumerate(zip(old, new, strict=True), 1):
        if before == after:
            continue
        for start, end in _spans(before, after):
            out.append(f"\x1b[{number};{start + 1}H")
            out.append(_styled(after[start:end], system, no_color=console.no_color))
    return "".join(out)


def _spans(before: Row, after: Row) -> list[tuple[int, int]]:
    """[start, end) column ranges to write: all of `after` but long unchanged graphic runs."""
    width = len(after)
    spans: list[tuple[int, int]] = []
    column = 0
    while column < width:
        skip = _skippable(before, after, column)
        end = column
        while end < width and _skippable(before, after, end) == skip:
            end += 1
        # A short unchanged run is cheaper to rewrite than to step over; a trailing one is not.
        if not skip or (end - column < MIN_SKIP and end < width):
            if spans and spans[-1][1] == column:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((column, end))
        column = end
    return spans  # the right half of a wide character is text: never a span's first cell


def _skippable(before: Row, after: Row, column: int) -> bool:
    cell = after[column]
    return cell == before[column] and cell[0] in GRAPHIC


def _styled(cells: Sequence[Cell], system: Any, *, no_color: bool) -> str:
    """The cells as text, each run of one style wrapped in that style's escape codes."""
    out: list[str] = []
    start = 0
    for index in range(1, len(cells) + 1):
        if index == len(cells) or cells[index][1] != cells[start][1]:
            text = "".join(char for char, _ in cells[start:index])
            out.append(_render(text, cells[start][1], system, no_color))
            start = index
    return "".join(out)


def _render(text: str, style: Style, system: Any, no_color: bool) -> str:
    if no_color:
        style = style.without_color
    return style.render(text, color_system=system) if system is not None else text
