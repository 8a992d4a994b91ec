"""Text that reaches the terminal is inert: catalogue text refuses what would act on the
terminal or hide what it says, and names echoed back (files, paths, ids) are escaped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stretchcoach.catalogue.files import parse_file
from stretchcoach.cli import app
from stretchcoach.errors import CatalogueError
from stretchcoach.paths import Paths

from conftest import examples

HEAD = "schema: 1\nexercises:\n"
# One of every kind the issue names, and more of each kind beside it.
BIDI = [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
ZERO_WIDTH = [0x200B, 0x200C, 0x200D, 0x2060, 0x180E, 0x00AD]
BREAKS = [0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029]
CONTROLS = [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0x85), *range(0x86, 0xA0)]
FORBIDDEN = [*BIDI, *ZERO_WIDTH, *BREAKS, *CONTROLS, 0xFEFF]


def exercise(name: str, step: str = "Sit tall.", says: str = "hold 20 s") -> str:
    return (
        f"  - id: neck-tilt\n    name: {name}\n    targets: [neck]\n    hold: 20s\n"
        f"    steps: [{step}]\n"
        f"    source: [{{title: t, publisher: p, says: {says}}}]\n"
    )


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_file(path)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    code=st.sampled_from(FORBIDDEN),
    field=st.sampled_from(["name", "step", "says"]),
    before=st.text(alphabet="abc ", max_size=5),
)
def test_forbidden_characters_are_refused_where_they_stand(
    tmp_path: Path, code: int, field: str, before: str
) -> None:
    value = f'"{before}x\\u{code:04x}y"'  # a double-quoted YAML escape puts it anywhere
    text = {"name": exercise(value), "step": exercise("Tilt", step=value)}.get(
        field, exercise("Tilt", says=value)
    )
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    where = {"name": "4:11", "step": "7:13", "says": "8:45"}[field]
    key = {"name": "name", "step": "each of steps", "says": "says"}[field]
    [problem] = problems_of(path)
    assert problem.startswith(f"{where}: {key} contains ")
    assert f"U+{code:04X}" in problem


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (0x202E, "name contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE); "
                 "catalogue text must be plain, visible text"),
        (0x200B, "name contains the invisible character U+200B (ZERO WIDTH SPACE); "
                 "catalogue text must be plain, visible text"),
        (0xFEFF, "name contains the invisible character U+FEFF (ZERO WIDTH NO-BREAK SPACE); "
                 "catalogue text must be plain, visible text"),
        (0x2028, "name contains a line break (U+2028); write it on one line, one list item a line"),
        (0x0A, "name contains a line break (U+000A); write it on one line, one list item a line"),
        (0x1B, "name contains the control character U+001B; catalogue text must be plain text"),
    ],
)  # fmt: skip
def test_the_message_says_what_and_how(tmp_path: Path, code: int, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + exercise(f'"Neck \\u{code:04x}tilt"'), encoding="utf-8")
    assert problems_of(path) == [f"4:11: {message}"]


def test_visible_text_beyond_ascii_is_welcome(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + exercise("Étirement du cou — 颈部 (١٢)"), encoding="utf-8")
    (found,), _ = parse_file(path)
    assert found.name == "Étirement du cou — 颈部 (١٢)"


def test_a_literal_block_with_line_breaks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + exercise("|\n      Neck\n      tilt"), encoding="utf-8")
    assert problems_of(path) == [
        "4:11: name contains a line break (U+000A); write it on one line, one list item a line"
    ]


# ---------------------------------------------------------------- names echoed back

RAW = ("\x1b", "\x9b", "\u202e", "\u200b")


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


@pytest.mark.skipif(os.name != "posix", reason="control characters in file names")
def test_a_file_name_with_escapes_is_shown_escaped(home: Paths, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J\u202e.yaml"
    path.write_text("schema: 2\n", encoding="utf-8")
    result = invoke("list", "-c", str(path))
    assert result.exit_code == 2
    assert f"{tmp_path}/evil\\x1b[2J\\u202e.yaml:1:9: " in result.stderr
    assert not any(ch in result.output + result.stderr for ch in RAW)
    checked = invoke("validate", str(path))
    assert "evil\\x1b[2J\\u202e.yaml" in checked.stderr
    assert not any(ch in checked.stderr for ch in RAW)


def test_an_id_echoed_in_a_message_is_escaped(home: Paths) -> None:
    result = invoke("show", "\x1b[31mred\u202e")
    assert result.exit_code == 2
    assert "\\x1b[31mred\\u202e" in result.stderr or "'\\x1b[31mred\\u202e'" in result.stderr
    assert not any(ch in result.stderr for ch in RAW)


@pytest.mark.skipif(os.name != "posix", reason="control characters in file names")
def test_info_escapes_the_home_folder(home: Paths, tmp_path: Path) -> None:
    evil = str(tmp_path / "home\x1b]0;pwned\x07\u2067")
    result = invoke("info", env={"STRETCHCOACH_HOME": evil})
    assert result.exit_code == 0, result.stderr
    assert "home\\x1b]0;pwned\\x07\\u2067" in result.stdout
    assert not any(ch in result.stdout for ch in (*RAW, "\x07", "\u2067"))
    data = json.loads(invoke("info", "--json", env={"STRETCHCOACH_HOME": evil}).stdout)
    assert data["home"] == evil  # JSON stays lossless: escaped in the text, decoded back
    raw_json = invoke("info", "--json", env={"STRETCHCOACH_HOME": evil}).stdout
    assert not any(ch in raw_json for ch in (*RAW, "\x07", "\u2067"))
