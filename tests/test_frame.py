"""The live view sends only the cells that changed; a resize or Ctrl-Z/fg redraws all."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
from test_session_loop import make_plan

from stretchcoach.render import frame
from stretchcoach.session import loop as session
from stretchcoach.session import runner


def console(width: int = 80, height: int = 24) -> Console:
    return Console(
        file=io.StringIO(), width=width, height=height, force_terminal=True, color_system=None
    )


def sent(out: Console, since: int) -> str:
    return out.file.getvalue()[since:]  # type: ignore[attr-defined]


def test_a_tick_that_changes_the_countdown_sends_only_the_changed_cells():
    out = console()
    state = runner.start(make_plan(), 0.0)
    with session.LiveView(out) as live:
        live.show(runner.snapshot(state, 0.0))
        mark = len(out.file.getvalue())
        live.show(runner.snapshot(runner.step(state, 1.0), 1.0))
        tick = sent(out, mark)
    # The header's time left, the rows of the digit that changed (2 -> 1), the bar's end.
    assert tick == (
        "\x1b[1;1HExercise 1 of 2 · Short\x1b[1;72H0:22 left"
        "\x1b[6;38H  ██  \x1b[7;38H████  \x1b[8;38H  ██  \x1b[9;38H  ██"
        "\x1b[12;1H███\x1b[12;79H4%"
    )
    assert live.frames == 2


def test_the_same_text_sends_nothing():
    out = console()
    state = runner.start(make_plan(), 0.0)
    with session.LiveView(out) as live:
        live.show(runner.snapshot(state, 0.0))
        mark = len(out.file.getvalue())
        live.show(runner.snapshot(runner.step(state, 0.5), 0.5))
        assert sent(out, mark) == ""
    assert live.frames == 1


def first_frame(width: int, height: int, snap: runner.Snapshot) -> str:
    out = console(width, height)
    view = session.LiveView(out)
    view.show(snap)
    return sent(out, 0)


def test_a_resize_clears_and_redraws_everything():
    out = console()
    state = runner.start(make_plan(), 0.0)
    with session.LiveView(out) as live:
        live.show(runner.snapshot(state, 0.0))
        mark = len(out.file.getvalue())
        out.size = (50, 14)  # the compact layout
        later = runner.snapshot(runner.step(state, 1.0), 1.0)
        live.show(later)
        redrawn = sent(out, mark)
    assert redrawn.startswith(frame.CLEAR_SCREEN)
    assert redrawn == first_frame(50, 14, later)
    assert "\x1b[11;1H" in redrawn  # the last of the compact layout's eleven rows


def test_a_return_from_ctrl_z_redraws_everything():
    out = console()
    flags = iter([False, True, False])
    state = runner.start(make_plan(), 0.0)
    snap = runner.snapshot(state, 0.0)
    with session.LiveView(out, redraw_needed=lambda: next(flags)) as live:
        live.show(snap)
        mark = len(out.file.getvalue())
        live.show(snap)  # the same text, but the terminal showed the shell meanwhile
        assert sent(out, mark) == first_frame(80, 24, snap)
    assert live.frames == 2


def test_long_unchanged_graphics_are_stepped_over_but_words_are_written_whole():
    out = console(20, 2)
    old = frame.rows(out, [Text("Next: Chin tuck"), Text("█" * 12 + "░" * 8)], 20)
    new = frame.rows(out, [Text("Next: Neck tilt"), Text("█" * 13 + "░" * 7)], 20)
    assert frame.changes(old, new, out) == "\x1b[1;1HNext: Neck tilt\x1b[2;13H█"


def test_styles_are_sent_with_the_changed_cells_and_colour_follows_no_color():
    out = Console(file=io.StringIO(), width=10, height=1, force_terminal=True,
                  color_system="standard")  # fmt: skip
    old = frame.blank(10, 1)
    new = frame.rows(out, [Text("ab", style="bold red")], 10)
    assert frame.changes(old, new, out) == "\x1b[1;1H\x1b[1;31mab\x1b[0m"
    out.no_color = True
    assert frame.changes(old, new, out) == "\x1b[1;1H\x1b[1mab\x1b[0m"


def test_wide_characters_take_two_cells():
    out = console(8, 1)
    old = frame.rows(out, [Text("    語x")], 8)
    new = frame.rows(out, [Text("    本x")], 8)
    assert len(old[0]) == 8
    assert frame.changes(old, new, out) == "\x1b[1;5H本x"
