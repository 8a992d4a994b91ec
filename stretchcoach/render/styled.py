"""Styled text without Rich: (style, text) pieces written as plain text or with ANSI codes.

Browse commands print a few lines and exit; Rich's console and tables cost more to import than
the whole command. Text is never interpreted: `[bold]` prints as written, and control
characters (escape sequences included) are dropped before anything reaches the terminal.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

# The few styles the browse views use, as SGR codes.
STYLES = {"bold": "1", "dim": "2", "green": "32", "cyan": "36"}
_RESET = "\x1b[0m"
# C0 and C1 control characters except newline and tab: escape sequences cannot get through.
_CONTROLS = {c: None for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}

Piece = tuple[str, str] | str  # (style, text) or unstyled text


def clean(text: str) -> str:
    """text without control characters other than newline and tab."""
    return text.translate(_CONTROLS)


def color_wanted(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour as Rich decides it: NO_COLOR wins, FORCE_COLOR forces, else a terminal not dumb."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and environ.get("TERM") != "dumb"


def terminal_width(environ: Mapping[str, str] = os.environ) -> int:
    """$COLUMNS, else the terminal's width, else 80."""
    try:
        return max(int(environ["COLUMNS"]), 20)
    except (KeyError, ValueError):
        return shutil.get_terminal_size((80, 24)).columns


class Styled:
    """A sequence of pieces; `plain` is the text, `ansi(color)` what a terminal gets."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: Iterable[Piece] = ()) -> None:
        self.pieces: list[Piece] = list(pieces)

    @property
    def plain(self) -> str:
        return clean("".join(p if isinstance(p, str) else p[1] for p in self.pieces))

    def ansi(self, color: bool) -> str:
        if not color:
            return self.plain
        out = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(clean(piece))
            else:
                style, text = piece
                code = ";".join(STYLES[s] for s in style.split())
                # Each line styled on its own: a pager or a cut line never leaks the style.
                out.append(
                    "\n".join(
                        f"\x1b[{code}m{t}{_RESET}" if t else t for t in clean(text).split("\n")
                    )
                )
        return "".join(out)

    @staticmethod
    def join(separator: str, parts: Iterable[Styled]) -> Styled:
        out = Styled()
        for i, part in enumerate(parts):
            if i:
                out.pieces.append(separator)
            out.pieces.extend(part.pieces)
        return out


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[str] = (),
    width: int | None = None,
    shrink: Sequence[str] = (),
) -> Styled:
    """Columns two spaces apart under bold headers; over `width`, the `shrink` columns are cut
    with "…", a character at a time from the widest, so no line wraps into a mess."""
    rows = [[clean(cell) for cell in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    last = len(headers) - 1
    if width is not None:
        over = sum(widths) + 2 * last - width
        floors = {headers.index(name): max(len(name), 8) for name in shrink}
        while over > 0:
            cuttable = [i for i, floor in floors.items() if widths[i] > floor]
            if not cuttable:
                break
            widths[max(cuttable, key=lambda i: widths[i])] -= 1
            over -= 1

    def cells(row: Sequence[str]) -> list[str]:
        out = []
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                cell = cell[: widths[i] - 1] + "…"
            if headers[i] in right:
                out.append(cell.rjust(widths[i]))
            else:
                out.append(cell if i == last else cell.ljust(widths[i]))
        return out

    pieces: list[Piece] = [("bold", "  ".join(cells(headers)).rstrip()), "\n"]
    for row in rows:
        pieces += ["  ".join(cells(row)).rstrip(), "\n"]
    return Styled(pieces)
