"""Styled text without Rich: colour rules, control characters, tables that fit the terminal."""

from __future__ import annotations

import io

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.render.catalogue import list_table
from stretchcoach.render.styled import Styled, color_wanted, table, terminal_width


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "wanted"),
    [
        (Tty(), {}, True),
        (Tty(), {"TERM": "dumb"}, False),
        (Tty(), {"NO_COLOR": "1"}, False),
        (io.StringIO(), {}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, True),
        (io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_follows_no_color_force_color_and_the_terminal(stream, environ, wanted):
    assert color_wanted(stream, environ) is wanted


def test_width_comes_from_columns():
    assert terminal_width({"COLUMNS": "100"}) == 100
    assert terminal_width({"COLUMNS": "3"}) == 20


def test_styles_are_ansi_per_line_and_control_characters_never_pass():
    text = Styled([("bold", "a\nb"), " [red]x[/]\x1b[2J\x07", ("cyan bold", "id")])
    assert text.plain == "a\nb [red]x[/][2Jid"
    assert text.ansi(color=True) == (
        "\x1b[1ma\x1b[0m\n\x1b[1mb\x1b[0m [red]x[/][2J\x1b[36;1mid\x1b[0m"
    )
    assert text.ansi(color=False) == text.plain
    assert Styled.join(", ", [Styled(["a"]), Styled([("bold", "b")])]).plain == "a, b"


def test_a_table_cuts_the_widest_shrinkable_column_until_it_fits():
    rows = [("x", "a" * 30, "b" * 20, "1:00")]
    shown = table(("id", "name", "dose", "time"), rows, right=("time",), width=40,
                  shrink=("name", "dose")).plain  # fmt: skip
    assert shown.splitlines() == [
        "id  name            dose            time",
        "x   " + "a" * 13 + "…  " + "b" * 13 + "…  1:00",
    ]
    assert max(len(line) for line in shown.splitlines()) == 40


def test_the_list_shows_id_name_dose_time_or_every_column_when_wide():
    rows = [("chin-tuck", "Chin tuck", "neck", "seated", "3s × 10", "0:35")]
    assert list_table(rows).plain == (
        "id         name       dose     time\nchin-tuck  Chin tuck  3s × 10  0:35\n"
    )
    assert list_table(rows, wide=True).plain.splitlines()[0] == (
        "id         name       targets  position  dose     time"
    )


def test_list_on_a_terminal_fits_80_columns(home):
    result = CliRunner().invoke(app, ["list"], env={"FORCE_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "\x1b[1mid                               name                 dose" + (
        "                  time\x1b[0m"
    )
    assert lines[1].split() == ["upper-trapezius-stretch", "Upper", "trapezius", "st…", "10",
                                "reps", "of", "2s", "each", "…", "1:26"]  # fmt: skip
    assert max(len(line) for line in lines[1:]) <= 80


def test_the_stats_heatmap_shades_in_colour_and_stops_at_today():
    import datetime as dt

    from stretchcoach.render.history import heatmap

    monday = dt.date(2024, 5, 6)
    calendar = [(monday + dt.timedelta(days=n), 12.0 if n == 1 else 0.0) for n in range(7)]
    shown = heatmap(calendar, today=monday + dt.timedelta(days=2))
    assert shown.plain.splitlines()[1:4] == ["Mon ·", "Tue ▓", "Wed ·"]
    assert shown.plain.splitlines()[4] == "Thu"
    assert "Tue \x1b[1;32m▓\x1b[0m\n" in shown.ansi(color=True)
