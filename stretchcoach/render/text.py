"""Text on its way to a terminal: untrusted text made inert, and ASCII stand-ins for the
characters we draw when the stream's encoding cannot show them. Used by every renderer and
by the CLI's output layer; imports neither Rich nor Typer."""

from __future__ import annotations

import codecs
import re
from typing import Any

# Categories that draw nothing or act on the terminal: controls (ESC, CSI), invisible format
# characters (bidirectional controls, zero-width characters, the BOM), line and paragraph
# separators, lone surrogates (undecodable bytes in a file name). Unassigned code points are
# kept: a Python with older Unicode tables would otherwise hide new emoji.
_INERT_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs"))


def _unsafe(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char) in _INERT_CATEGORIES


def _visible(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str) -> str:
    """`text` with every control or invisible character written out as \\x1b, \\u202e...:
    for file names, paths, ids and anything else echoed back from outside."""
    if text.isprintable():
        return text
    return "".join(_visible(ch) if _unsafe(ch) else ch for ch in text)


def clean(text: str) -> str:
    """Catalogue text made safe to show: control and invisible characters dropped.

    The loader already refuses them; this keeps a renderer safe whatever it is given."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if not _unsafe(ch))


# ---------------------------------------------------------------- JSON

# Inside JSON strings only (the structure is ASCII): what json.dumps leaves raw but a
# terminal would act on, written as \u escapes, which every JSON reader decodes back.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)


def json_text(data: Any, *, ascii_only: bool = False) -> str:
    """`data` as indented JSON, inert on a terminal and lossless; ASCII-only when asked."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=ascii_only)
    return text if ascii_only else _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ---------------------------------------------------------------- ASCII fallbacks

# The characters stretchcoach draws, and what stands in for them on a stream that cannot
# encode them. Block digits and bars keep their width, so a screen laid out for the
# original still fits; "…" (Rich's and our cropping mark) becomes "~" for the same reason.
ASCII = {
    "█": "#", "▓": "=", "▒": ":", "░": ".", "▀": "#", "▄": "#", "■": "#",
    "·": "-", "•": "*", "×": "x", "±": "+/-", "…": "~",
    "—": "--", "–": "-", "−": "-",
    "→": "->", "←": "<-", "↑": "^", "↓": "v", "⇒": "=>",
    "‘": "'", "’": "'", "“": '"', "”": '"', "«": "<<", "»": ">>",
    "✓": "v", "✔": "v", "✗": "x", "✘": "x",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}  # fmt: skip
ERRORS = "stretchcoach-ascii"


def ascii_for(char: str) -> str:
    """An ASCII stand-in for one character: ours from the table, box drawing as lines,
    accented letters without their accents, anything else '?'."""
    if char in ASCII:
        return ASCII[char]
    import unicodedata

    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(char, "")
        if " AND " in name:  # a corner or a crossing
            return "+"
        return "-" if "HORIZONTAL" in name else "|" if "VERTICAL" in name else "+"
    if 0x2580 <= code <= 0x259F:  # block elements
        return "#"
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return decomposed or "?"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ascii_for(ch) for ch in text), error.end


codecs.register_error(ERRORS, _fallback)


def speaks_unicode(stream: Any) -> bool:
    """Whether `stream` encodes all of Unicode (UTF-8, -16, -32)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def fit_stream(stream: Any) -> None:
    """Make writes to `stream` never fail on encoding: what it cannot encode is written as
    its ASCII stand-in. Decided once, from the stream's own encoding."""
    if speaks_unicode(stream):
        return
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors=ERRORS)
