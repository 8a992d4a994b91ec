"""Frames of the live screen at fixed sizes, plain lines and the summary."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console

from stretchcoach.model import (
    Dose,
    Exercise,
    ExerciseResult,
    PlanItem,
    SessionResult,
    SessionStatus,
)
from stretchcoach.plan.compile import compile_items
from stretchcoach.render import session as screen
from stretchcoach.session import runner

T0 = 50.0
TRAP = Exercise(
    id="upper-trapezius-stretch",
    name="Upper trapezius stretch",
    targets=("neck",),
    dose=Dose(hold=30, reps=2, sides="each"),
    steps=(
        "Sit tall and let your shoulders drop.",
        "Tilt your right ear toward your right shoulder.",
        "Breathe slowly.",
    ),
)
TUCK = Exercise(id="chin-tuck", name="Chin tuck", targets=("neck",), dose=Dose(hold=5, reps=10))
# Catalogue text is data: markup and escapes must come out as harmless text.
NASTY = Exercise(
    id="nasty",
    name="[bold red]Loud[/] \x1b[31mred\x1b[0m stretch",
    targets=("neck",),
    dose=Dose(hold=5, sets=2),
    steps=("[link=http://x]click[/link]",),
)


def snap_at(seconds: float, *exercises: Exercise, keys: dict[float, str] | None = None):
    exercises = exercises or (TRAP, TUCK)
    plan = compile_items(
        [PlanItem(e, e.dose) for e in exercises], title="Desk break", prepare=5, rest=10
    )
    state = runner.start(plan, T0)
    now = T0
    pending = dict(keys or {})
    while now < T0 + seconds:
        now = min(T0 + seconds, now + 0.25)
        key = next((k for at, k in pending.items() if at <= now - T0), None)
        if key is not None:
            pending = {at: k for at, k in pending.items() if at > now - T0}
        state = runner.step(state, now, key)
    return runner.snapshot(state, now)


def render(snap: runner.Snapshot, width: int, height: int) -> list[str]:
    console = Console(
        file=io.StringIO(), width=width, height=height, force_terminal=True, color_system=None
    )
    console.print(screen.renderable(screen.layout(snap, width, height)))
    return console.file.getvalue().splitlines()


def test_full_frame_at_80x24():
    lines = [line.rstrip() for line in render(snap_at(12.25), 80, 24)]  # rep 1, 23 s left
    assert len(lines) == 24
    assert lines[:12] == [
        "Exercise 1 of 2 · Desk break                                           3:03 left",
        "",
        "Upper trapezius stretch",
        "LEFT · rep 1 of 2 · set 1 of 1",
        "",
        "                                 ██████  ██████",
        "                                     ██      ██",
        "                                 ██████  ██████",
        "                                 ██          ██",
        "                                 ██████  ██████",
        "",
        "█████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░   6%",
    ]
    assert lines[13:16] == [
        "1. Sit tall and let your shoulders drop.",
        "2. Tilt your right ear toward your right shoulder.",
        "3. Breathe slowly.",
    ]
    assert lines[-2:] == ["Next: Chin tuck", "space pause · n next · b back · + 10s · q quit"]


def test_compact_frame_at_40x12():
    lines = [line.rstrip() for line in render(snap_at(12.25), 40, 12)]
    assert lines == [
        "1/2                            3:03 left",
        "Upper trapezius stretch",
        "LEFT · rep 1 of 2 · set 1 of 1",
        "             ██████  ██████",
        "                 ██      ██",
        "             ██████  ██████",
        "             ██          ██",
        "             ██████  ██████",
        "██░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░   6%",
        "Next: Chin tuck",
        "spc pause·n next·b back·+ 10s·q quit",
    ]


def test_one_line_below_40x12():
    assert render(snap_at(12.25), 30, 5) == ["23 LEFT 1/2 Upper trapezius s…"]
    assert render(snap_at(12.25), 80, 11) == ["23 LEFT 1/2 Upper trapezius stretch (1/2)".ljust(80)]


def test_paused_frames_say_so_at_every_size():
    snap = snap_at(8, keys={7.0: " "})
    assert snap.paused
    full = render(snap, 80, 24)
    assert full[0].rstrip().endswith("PAUSED · 3:08 left")
    assert "PAUSED: press space to resume." in [line.rstrip() for line in full]
    assert full[-1].startswith("space resume")
    compact = render(snap, 40, 12)
    assert "PAUSED: press space to resume." in [line.rstrip() for line in compact]
    assert render(snap, 30, 5)[0].startswith("PAUSED 28 LEFT")


def test_a_suspended_session_explains_the_pause():
    plan = compile_items([PlanItem(TUCK, TUCK.dose)], title="T", prepare=5, rest=0)
    state = runner.step(runner.start(plan, T0), T0 + 1)
    state = runner.step(state, T0 + 100)
    lines = [line.rstrip() for line in render(runner.snapshot(state, T0 + 100), 100, 24)]
    assert screen.SUSPENDED_NOTICE in lines


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20), (59, 30), (40, 12), (30, 5)])
@pytest.mark.parametrize("seconds", [0.5, 6, 37, 70, 80])  # prepare, work, switch, rest, prepare
def test_no_line_is_wider_than_the_console_or_wraps(width, height, seconds):
    long = Exercise(
        id="long",
        name="A stretch with a very long name that would wrap on any small terminal " * 2,
        targets=("neck",),
        dose=Dose(hold=30, reps=2, sides="each"),
        steps=("A step that goes on and on " * 10,) * 8,
    )
    lines = render(snap_at(seconds, long, TUCK), width, height)
    assert len(lines) <= height
    assert all(len(line) <= width for line in lines)
    assert len(lines) == len(screen.layout(snap_at(seconds, long, TUCK), width, height))


def test_catalogue_text_is_never_markup_or_escapes():
    snap = snap_at(6, NASTY)
    text = "\n".join(render(snap, 80, 24))
    assert "[bold red]Loud[/] [31mred[0m stretch" in text
    assert "[link=http://x]click[/link]" in text
    assert "\x1b" not in text
    assert (
        screen.plain_line(snap)
        == "[0:05] [bold red]Loud[/] [31mred[0m stretch — rep 1/1 — set 1/2 — hold 5s"
    )


def test_titles_and_details_for_each_phase_kind():
    got = []
    for seconds in (1, 6, 67, 72, 135, 142):
        snap = snap_at(seconds)
        got.append((screen._title(snap), screen._detail(snap)))
    assert got == [
        ("Get ready: Upper trapezius stretch", "LEFT side first"),
        ("Upper trapezius stretch", "LEFT · rep 1 of 2 · set 1 of 1"),
        ("Switch sides: Upper trapezius stretch", "now RIGHT"),
        ("Upper trapezius stretch", "RIGHT · rep 1 of 2 · set 1 of 1"),
        ("Rest", "next: Chin tuck"),
        ("Get ready: Chin tuck", "get into position"),
    ]


def test_rest_between_sets_names_the_next_set():
    snap = snap_at(11, NASTY)  # prepare 5, set 1 of 5 s, then the rest before set 2
    assert screen._title(snap) == "Rest between sets: [bold red]Loud[/] [31mred[0m stretch"
    assert screen._detail(snap) == "set 2 of 2 next"
    assert screen.plain_line(snap) == "[0:10] Rest before set 2/2 — 10s"


def test_plain_lines_for_each_phase_kind():
    lines = [screen.plain_line(snap_at(s)) for s in (0, 5, 65, 135, 142, 147)]
    assert lines == [
        "[0:00] Get ready: Upper trapezius stretch — LEFT first — 5s",
        "[0:05] Upper trapezius stretch — LEFT — rep 1/2 — hold 30s",
        "[1:05] Switch sides: RIGHT — 5s",
        "[2:10] Rest — 10s — next: Chin tuck",
        "[2:20] Get ready: Chin tuck — 5s",
        "[2:25] Chin tuck — rep 1/10 — hold 5s",
    ]


def test_plain_pause_lines():
    assert screen.plain_pause(snap_at(8, keys={7.0: " "})) == "[0:08] Paused"
    assert screen.plain_pause(snap_at(9, keys={7.0: " ", 8.5: " "})) == "[0:09] Resumed"


@pytest.mark.parametrize(
    ("left", "shown"), [(30.0, "30"), (29.9, "30"), (29.0, "29"), (0.2, "1"), (75.0, "1:15")]
)
def test_countdown_rounds_up_whole_seconds(left, shown):
    assert screen.countdown(left) == shown


def test_summary_counts_done_and_skipped_and_active_time():
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
    result = SessionResult(
        started_at=start,
        ended_at=start + dt.timedelta(seconds=312),
        status=SessionStatus.STOPPED,
        title="Desk break",
        exercises=(
            ExerciseResult("a", "Upper trapezius stretch", ("neck",), True, 120.0),
            ExerciseResult("b", "Chin tuck", ("neck",), False, 12.4),
        ),
        planned_seconds=400,
    )
    assert screen.summary_lines(result) == [
        "Session stopped early: Desk break",
        "Done 1 of 2 · skipped 1 · active time 2m12s · took 5m12s",
        "  done     Upper trapezius stretch  2m",
        "  skipped  Chin tuck                12s",
    ]
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(screen.summary(result))
    assert console.file.getvalue().splitlines() == screen.summary_lines(result)
