"""The reminder loop, driven by a fake clock and scripted keys: rings, snooze, skip, pause."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stretchcoach.remind import state
from stretchcoach.remind.facts import Facts
from stretchcoach.remind.loop import Devices, decode, live_line, run_reminders
from stretchcoach.remind.notify import Due
from stretchcoach.remind.schedule import reading
from stretchcoach.remind.settings import Settings

UTC = dt.timezone.utc
START = dt.datetime(2024, 6, 3, 10, 0, 0, tzinfo=UTC)


class World:
    """A fake wall clock, scripted keys (at seconds after START), and a fake history."""

    def __init__(self, script: list[tuple[float, str]], *, jumps: dict[int, float] | None = None):
        self.now = START
        self.script = list(script)
        self.jumps = jumps or {}  # read number -> seconds the clock leaps (a suspend)
        self.reads = 0
        self.facts = Facts()
        self.rings: list[Due] = []
        self.lines: list[str] = []
        self.shown: list[str] = []
        self.breaks: list[str] = []

    def clock(self) -> dt.datetime:
        return self.now

    def read(self, timeout: float) -> str | None:
        self.reads += 1
        assert self.reads < 10_000, "the loop spins"
        assert timeout >= 0
        if self.reads in self.jumps:
            self.now += dt.timedelta(seconds=self.jumps[self.reads])
            return None
        at = START + dt.timedelta(seconds=self.script[0][0]) if self.script else None
        if at is not None and at <= self.now + dt.timedelta(seconds=timeout):
            self.now = max(self.now, at)
            return self.script.pop(0)[1]
        self.now += dt.timedelta(seconds=timeout)
        return None

    def notify(self, due: Due) -> list[str]:
        self.rings.append(due)
        return []

    def run_break(self, routine: str) -> None:
        self.breaks.append(routine)
        self.now += dt.timedelta(seconds=60)  # a one-minute session, recorded
        self.facts = self.facts.replace(last_end=self.now, today_minutes=1.0)

    def devices(self, *, live: bool = True) -> Devices:
        return Devices(
            now=self.clock,
            keys=self,
            facts=lambda now: self.facts,
            notify=self.notify,
            log=self.lines.append,
            show=self.shown.append if live else None,
            run_break=self.run_break if live else None,
        )

    def ring_times(self) -> list[float]:
        return [(d - START).total_seconds() for d in self.ring_moments]

    @property
    def ring_moments(self) -> list[dt.datetime]:
        return [
            START + dt.timedelta(seconds=_seconds(line))
            for line in self.lines
            if "break due" in line
        ]


def _seconds(line: str) -> float:
    h, m, s = (int(x) for x in line[:8].split(":"))
    return (dt.datetime(2024, 6, 3, h, m, s, tzinfo=UTC) - START).total_seconds()


SETTINGS = Settings(every=600, snooze=120, postpone_limit=2, routine="micro-break")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "remind.state"


def test_a_due_break_rings_once_then_again_each_snooze_while_ignored(path: Path) -> None:
    world = World([(1000, "q")])
    assert run_reminders(SETTINGS, world.devices(), path, UTC) == 0
    assert world.ring_times() == [600, 720, 840, 960]
    assert [d.due_at for d in world.rings] == [START + dt.timedelta(seconds=600)] * 4
    assert world.lines[:2] == [
        "reminding every 10m; goal 15 min a day",
        "Keys: Enter start the break · z snooze · s skip · p pause/resume · q quit",
    ]
    assert world.lines[-1] == "10:16:40 reminders stopped"


def test_enter_runs_the_break_and_the_next_is_due_every_after_it(path: Path) -> None:
    world = World([(610, "enter"), (1400, "q")])
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.breaks == ["micro-break"]
    assert world.ring_times() == [600, 670 + 600, 670 + 720]  # the session ended at 670


def test_z_snoozes_up_to_the_postpone_limit(path: Path) -> None:
    world = World([(605, "z"), (730, "z"), (860, "z"), (865, "q")])
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.ring_times() == [600, 725, 850]
    assert world.lines[2:] == [
        "10:10:00 break due: stretchcoach run micro-break",
        "10:10:05 snoozed until 10:12:05",
        "10:12:05 break due: stretchcoach run micro-break",
        "10:12:10 snoozed until 10:14:10",
        "10:14:10 break due: stretchcoach run micro-break",
        "10:14:20 postponed 2 times already (the limit): take the break (Enter) or skip it (s)",
        "10:14:25 reminders stopped",
    ]


def test_s_skips_and_the_next_break_is_every_after_the_skip(path: Path) -> None:
    world = World([(650, "s"), (1300, "q")])
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.ring_times() == [600, 1250]
    assert "10:10:50 break skipped; the next one is due in 10m" in world.lines


def test_p_pauses_every_loop_and_p_again_resumes(path: Path) -> None:
    world = World([(100, "p"), (2000, "p"), (2130, "q")])
    run_reminders(SETTINGS, world.devices(), path, UTC)
    # Paused at 100 for an hour; the break due at 600 rings as soon as p resumes.
    assert world.ring_times() == [2000, 2120]
    assert "10:01:40 reminders paused until 11:01:40" in world.lines
    assert "10:33:20 reminders resumed" in world.lines
    assert state.load(path).paused_until is None


def test_a_pause_that_ends_lets_the_waiting_break_ring(path: Path) -> None:
    world = World([(100, "p"), (3710, "q")])
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.ring_times() == [3700]


def test_a_pause_from_another_process_silences_the_loop(path: Path) -> None:
    state.pause(path, START + dt.timedelta(hours=2))
    world = World([(3000, "q")])
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.rings == []
    assert world.shown[-1] == "paused for 1:10:01 · today 0/15 min · streak 0 days"


def test_a_long_clock_gap_rings_once_not_a_burst(path: Path) -> None:
    world = World([(5 * 3600 + 10, "q")], jumps={2: 5 * 3600})  # asleep for five hours
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.ring_times() == [1 + 5 * 3600]  # the first read waited 1 s, then the leap


def test_a_session_recorded_elsewhere_counts_as_the_break(path: Path) -> None:
    world = World([(900, "q")], jumps={3: 300})
    world.facts = Facts(last_end=START + dt.timedelta(seconds=500), today_minutes=3)
    run_reminders(SETTINGS, world.devices(), path, UTC)
    assert world.ring_times() == []  # due at 1100, after the loop stopped


def test_without_a_terminal_it_logs_events_and_waits_a_minute_at_most(path: Path) -> None:
    world = World([(700, "q")])
    run_reminders(SETTINGS.replace(every=3600), world.devices(live=False), path, UTC)
    assert world.shown == []
    assert world.lines == ["reminding every 1h; goal 15 min a day", "10:11:40 reminders stopped"]
    assert world.reads == 12  # woke once a minute, then read q


def test_the_live_line_shows_time_left_today_and_streak() -> None:
    s = Settings(every=3000)
    facts = Facts(last_end=START, today_minutes=6.4, streak_days=4)
    now = START + dt.timedelta(minutes=26, seconds=50)
    where = reading(now, s, UTC, last_end=START)
    line = live_line(now, where, facts, s, "micro-break")
    assert line == "next break in 23:10 · today 6/15 min · streak 4 days"
    due = reading(START + dt.timedelta(hours=1), s, UTC, last_end=START)
    assert live_line(START + dt.timedelta(hours=1), due, facts, s, "desk-break") == (
        "break due: desk-break — Enter to start · today 6/15 min · streak 4 days"
    )


def test_keys_are_decoded_and_escape_sequences_dropped() -> None:
    assert decode("\rzZsPq\x1b[A\n x") == ["enter", "z", "z", "s", "p", "q", "enter"]
