"""The session loop with a fake clock, scripted keys and a capture console."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from rich.console import Console

from stretchcoach.model import PlanItem, SessionStatus
from stretchcoach.plan.compile import compile_items
from stretchcoach.session import loop as session
from stretchcoach.session.terminal import Interrupted

from conftest import EPOCH, FakeClock, ScriptedKeys, make_exercise


class CountingView:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls = 0

    def show(self, snap):
        self.calls += 1
        return self.inner.show(snap)


def make_plan(prepare: int = 2, rest: int = 3):
    items = [make_exercise("tilt", hold=2, reps=2, sides="each"), make_exercise("tuck", hold=3)]
    return compile_items(
        [PlanItem(e, e.dose) for e in items], title="Short", prepare=prepare, rest=rest
    )


def run(plan, script=(), view=None):
    clock = FakeClock()
    keys = ScriptedKeys(clock, list(script))
    lines: list[str] = []
    result = session.run_session(
        plan,
        clock=clock,
        keys=keys,
        view=view or session.PlainView(lines.append),
        now_utc=clock.utc,
    )
    return result, lines, clock, keys


def test_a_plain_session_prints_one_line_per_phase_and_completes_on_time():
    plan = make_plan()
    result, lines, clock, _keys = run(plan)
    assert lines == [
        "[0:00] Get ready: Tilt — LEFT first — 2s",
        "[0:02] Tilt — LEFT — rep 1/2 — hold 2s",
        "[0:04] Tilt — LEFT — rep 2/2 — hold 2s",
        "[0:06] Switch sides: RIGHT — 5s",
        "[0:11] Tilt — RIGHT — rep 1/2 — hold 2s",
        "[0:13] Tilt — RIGHT — rep 2/2 — hold 2s",
        "[0:15] Rest — 3s — next: Tuck",
        "[0:18] Get ready: Tuck — 2s",
        "[0:20] Tuck — rep 1/1 — hold 3s",
    ]
    assert result.status is SessionStatus.COMPLETED
    assert clock.now - clock.start == pytest.approx(plan.total_seconds, abs=0.01)
    assert (result.started_at, result.ended_at) == (EPOCH, clock.utc())
    assert [(e.exercise_id, e.done, e.active_seconds) for e in result.exercises] == [
        ("tilt", True, 8.0),
        ("tuck", True, 3.0),
    ]
    assert result.planned_seconds == 23 and result.title == "Short"


def test_the_loop_never_waits_more_than_half_a_second_and_never_spins():
    _, _, _, keys = run(make_plan())
    assert max(keys.waits) <= 0.5
    # About two wake-ups a second and one per whole second shown, not a busy loop.
    assert len(keys.waits) < 23 * 3


def test_pause_resume_skip_and_quit_from_the_keyboard():
    script = [(3.0, " "), (10.0, " "), (10.5, "n"), (13.0, "q")]
    result, lines, clock, _ = run(make_plan(), script)
    assert lines == [
        "[0:00] Get ready: Tilt — LEFT first — 2s",
        "[0:02] Tilt — LEFT — rep 1/2 — hold 2s",
        "[0:03] Paused",
        "[0:10] Resumed",
        "[0:10] Get ready: Tuck — 2s",
        "[0:12] Tuck — rep 1/1 — hold 3s",
    ]
    assert result.status is SessionStatus.STOPPED
    assert [(e.done, e.active_seconds) for e in result.exercises] == [(False, 1.5), (False, 0.5)]
    assert clock.now - clock.start == 13.0


@pytest.mark.parametrize(
    ("error", "code"),
    [(KeyboardInterrupt(), 130), (Interrupted(15), 143), (Interrupted(1), 129)],
)
def test_an_interruption_still_gives_the_result_with_its_exit_code(error, code):
    with pytest.raises(session.SessionInterrupted) as caught:
        run(make_plan(), [(5.0, error)])
    assert caught.value.exit_code == code
    result = caught.value.result
    assert result.status is SessionStatus.INTERRUPTED
    assert [(e.done, e.active_seconds) for e in result.exercises] == [(False, 3.0), (False, 0.0)]
    assert result.ended_at == EPOCH + dt.timedelta(seconds=5)


def test_the_live_view_redraws_once_a_second_not_on_every_wake():
    console = Console(
        file=io.StringIO(), width=80, height=24, force_terminal=True, color_system=None
    )
    plan = make_plan()
    live = session.LiveView(console)
    with live:
        view = CountingView(live)
        result, _, _, _keys = run(plan, view=view)
    assert result.status is SessionStatus.COMPLETED
    assert view.calls > live.frames
    # One frame per whole second of the plan, give or take the phase edges.
    assert plan.total_seconds - 2 <= live.frames <= plan.total_seconds + 2
    output = console.file.getvalue()
    assert "Tilt" in output and "Next: Tuck" in output


def test_the_live_view_draws_at_most_ten_frames_a_second_under_a_key_storm():
    console = Console(
        file=io.StringIO(), width=80, height=24, force_terminal=True, color_system=None
    )
    plan = make_plan()
    storm = [(1.0 + i * 0.02, "+" if i % 2 else "b") for i in range(100)]  # 50 keys a second
    live = session.LiveView(console)
    frames: list[float] = []
    with live:
        real_show = live.show

        def show(snap):
            drawn = live.frames
            due = real_show(snap)
            if live.frames > drawn:
                frames.append(live.drawn_at)
            return due

        live.show = show
        run(plan, [*storm, (4.0, "q")], view=live)
    gaps = [b - a for a, b in itertools.pairwise(frames)]
    assert min(gaps) >= session.MIN_FRAME - 1e-9


def test_the_live_view_redraws_after_a_resume_from_ctrl_z():
    console = Console(
        file=io.StringIO(), width=80, height=24, force_terminal=True, color_system=None
    )
    flags = iter([False, True] + [False] * 1000)
    live = session.LiveView(console, redraw_needed=lambda: next(flags))
    plan = make_plan()
    with live:
        run(plan, [(0.1, None), (0.2, "q")], view=live)
    assert live.frames == 2  # the first frame, then the forced one; q ends before a third


@pytest.mark.parametrize(
    ("answers", "expected", "written"),
    [
        (["7\n"], 7, ["Tension or pain now, 0 (none) to 10 (worst)? Enter skips: "]),
        (["\n"], None, ["Tension or pain now, 0 (none) to 10 (worst)? Enter skips: "]),
        ([""], None, ["Tension or pain now, 0 (none) to 10 (worst)? Enter skips: ", "\n"]),
        (
            ["11\n", "x\n", " 0 \n"],
            0,
            ["Tension or pain now, 0 (none) to 10 (worst)? Enter skips: ",
             "Type a whole number from 0 to 10, or press Enter to skip.\n"] * 2
            + ["Tension or pain now, 0 (none) to 10 (worst)? Enter skips: "],
        ),
    ],
)  # fmt: skip
def test_check_in_reads_a_rating_or_skips(answers, expected, written):
    feed = iter(answers)
    out: list[str] = []
    assert session.ask_check_in("now", read_line=lambda: next(feed), write=out.append) == expected
    assert out == written


def test_the_live_view_redraws_when_the_console_is_resized():
    from stretchcoach.session import runner

    console = Console(
        file=io.StringIO(), width=80, height=24, force_terminal=True, color_system=None
    )
    plan = make_plan()
    snap = runner.snapshot(runner.start(plan, 0.0), 0.0)
    later = runner.snapshot(runner.step(runner.start(plan, 0.0), 0.2), 0.2)  # same text
    with session.LiveView(console) as live:
        live.show(snap)
        assert live.show(later) is None
        console.size = (30, 5)
        live.show(runner.snapshot(runner.step(runner.start(plan, 0.0), 0.3), 0.3))
    assert live.frames == 2
    assert "\x1b[H\x1b[2J\x1b[1;1H2 LEFT Get ready: Tilt (1/2)" in console.file.getvalue()


class SlowView:
    """A view whose every drawing takes 8 ms of the fake clock, as a live frame can."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def show(self, snap):
        self.clock.now += 0.008
        return None


def test_drawing_time_does_not_make_the_session_end_late():
    plan = make_plan()
    clock = FakeClock()
    session.run_session(
        plan,
        clock=clock,
        keys=ScriptedKeys(clock),
        view=SlowView(clock),
        now_utc=clock.utc,
    )
    # The last wake is timed from after the drawing before it, and the phase's end is waited
    # for exactly, so only the final drawing's 8 ms remains.
    assert clock.now - clock.start == pytest.approx(plan.total_seconds + 0.008, abs=1e-6)
