"""Cues you can hear: which moments give which bell pattern and words, and the voice."""

from __future__ import annotations

import datetime as dt

import pytest

from stretchcoach.model import Dose, Exercise, PlanItem
from stretchcoach.plan.compile import compile_items
from stretchcoach.session import cues
from stretchcoach.session import loop as session
from stretchcoach.session.cues import Cue


class FakeClock:
    def __init__(self) -> None:
        self.start = self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def utc(self) -> dt.datetime:
        return dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)


class ScriptedKeys:
    """Keys at given session times; waiting moves the fake clock, nothing sleeps."""

    def __init__(self, clock: FakeClock, script: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.script = sorted(script)

    def read(self, timeout: float) -> str | None:
        if self.script and self.clock.start + self.script[0][0] <= self.clock.now + timeout:
            self.clock.now = max(self.clock.now, self.clock.start + self.script[0][0])
            return self.script.pop(0)[1]
        self.clock.now += timeout
        return None


def ex(ident: str, name: str, **dose) -> Exercise:
    return Exercise(id=ident, name=name, targets=("neck",), dose=Dose(**dose))


TILT = ex("tilt", "Neck tilt", hold=20, reps=2, sides="each")
TUCK = ex("tuck", "Chin tuck", hold=2, reps=10, work="reps", between=1)


def plan_of(*exercises, prepare=2, rest=3):
    items = [PlanItem(e, e.dose) for e in exercises]
    return compile_items(items, title="Short", prepare=prepare, rest=rest)


class Recorder:
    """A view that draws nothing and a bell and launcher that write down what they got."""

    def __init__(self) -> None:
        self.written: list[tuple[float, str]] = []
        self.spoken: list[list[str]] = []
        self.clock = FakeClock()

    def show(self, snap):
        return None

    def write(self, text: str) -> None:
        self.written.append((round(self.clock() - self.clock.start, 2), text))

    def launch(self, argv):
        self.spoken.append(list(argv))
        return Finished()


class Finished:
    def poll(self):
        return 0


def run(plan, script=(), *, bell=True, voice=True) -> Recorder:
    rec = Recorder()
    view = cues.CuedView(
        rec,
        bell=cues.Bell(rec.write) if bell else None,
        voice=cues.Voice(["say-it", "--fast"], launch=rec.launch) if voice else None,
    )
    keys = ScriptedKeys(rec.clock, list(script))
    session.run_session(plan, clock=rec.clock, keys=keys, view=view, now_utc=rec.clock.utc)
    return rec


def test_the_voice_speaks_each_moment_of_a_session():
    rec = run(plan_of(TILT, TUCK), bell=False)
    assert [argv[:2] for argv in rec.spoken] == [["say-it", "--fast"]] * len(rec.spoken)
    assert [argv[-1] for argv in rec.spoken] == [
        "Get ready: Neck tilt.",
        "Left side. Hold twenty seconds.",
        "Left side. Hold twenty seconds.",
        "Switch sides.",
        "Right side. Hold twenty seconds.",
        "Right side. Hold twenty seconds.",
        "Relax. Next: Chin tuck.",
        "Ten reps, two seconds each.",  # once for the set, not at every rep
        "Relax. That is the end of the session. Well done.",
    ]


def test_bell_patterns_one_to_start_two_to_switch_three_between_exercises_five_at_the_end():
    rec = run(plan_of(TILT, TUCK), voice=False)
    # prepare 2 s, holds at 2, 22; switch at 42; holds at 47, 67; rest at 87; tuck's reps at 92
    assert rec.written == [
        (2.0, "\a"),
        (22.0, "\a"),
        (42.0, "\a"),
        (42.3, "\a"),
        (47.0, "\a"),
        (67.0, "\a"),
        (87.0, "\a"),
        (87.3, "\a"),
        (87.6, "\a"),
        (92.0, "\a"),
        (121.0, "\a" * 5),  # the end: written at once, the session does not linger for it
    ]


def test_quitting_gives_no_end_of_session_cue_and_no_sound_means_none():
    rec = run(plan_of(TILT, TUCK), [(5.0, "q")])
    assert rec.written == [(2.0, "\a")]
    assert rec.spoken[-1][-1] == "Left side. Hold twenty seconds."
    quiet = run(plan_of(TILT, TUCK), bell=False, voice=False)
    assert (quiet.written, quiet.spoken) == ([], [])


def test_n_during_get_ready_starts_the_hold_and_cues_it():
    rec = run(plan_of(TILT, TUCK), [(0.5, "n"), (1.0, "q")], voice=True)
    assert [argv[-1] for argv in rec.spoken] == [
        "Get ready: Neck tilt.",
        "Left side. Hold twenty seconds.",
    ]
    assert rec.written == [(0.5, "\a")]


def test_two_cues_at_one_moment_are_one_utterance_and_their_bells_follow_each_other():
    plan = plan_of(TILT, TUCK, prepare=0, rest=0)
    rec = run(plan, [(1.0, "n"), (3.0, "q")])
    assert rec.spoken[-1][-1] == "Relax. Next: Chin tuck. Ten reps, two seconds each."
    assert rec.written == [(0.0, "\a"), (1.0, "\a"), (1.3, "\a"), (1.6, "\a"), (2.2, "\a")]


def test_a_late_tick_rings_the_bells_due_as_one():
    rung: list[str] = []
    bell = cues.Bell(rung.append)
    bell.ring(Cue.EXERCISE_END, 10.0)
    assert bell.tick(10.0) == pytest.approx(0.3)
    assert bell.tick(11.0) is None
    assert rung == ["\a", "\a"]


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "zero"), (1, "one"), (15, "fifteen"), (20, "twenty"), (45, "forty-five"),
     (100, "one hundred"), (125, "one hundred and twenty-five"), (1000, "1000")],
)  # fmt: skip
def test_number_words(n, words):
    assert cues.number_words(n) == words


def test_names_are_spoken_as_one_clean_argument():
    odd = ex("odd", "Chin\x1b[31m\ntuck", hold=5)
    rec = run(plan_of(odd, prepare=1, rest=0), bell=False)
    assert rec.spoken[0][-1] == "Get ready: Chin [31m tuck."


def which_of(*present):
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_the_first_engine_found_is_used_or_one_warning_says_none_was():
    assert cues.voice_command(None, which_of("espeak-ng", "say")) == (["espeak-ng"], None)
    assert cues.voice_command(None, which_of("spd-say", "say")) == (["spd-say"], None)
    argv, warning = cues.voice_command(None, which_of())
    assert argv is None
    assert warning == (
        "no speech engine found (spd-say, espeak-ng or say); "
        "name one with --voice-command CMD; continuing without voice"
    )


def test_a_voice_command_is_split_like_a_shell_and_must_exist():
    assert cues.voice_command("espeak-ng -s 150 -w '/tmp/a b.wav'", which_of("espeak-ng")) == (
        ["espeak-ng", "-s", "150", "-w", "/tmp/a b.wav"],
        None,
    )
    assert cues.voice_command("nope -x", which_of()) == (
        None,
        "speech command not found: nope; continuing without voice",
    )
    assert cues.voice_command("say 'unclosed", which_of("say"))[1] == (
        "--voice-command: No closing quotation; continuing without voice"
    )


def test_a_voice_that_fails_to_start_goes_quiet_and_says_why_once():
    calls = []

    def broken(argv):
        calls.append(argv)
        raise FileNotFoundError(2, "No such file or directory")

    voice = cues.Voice(["gone"], launch=broken)
    voice.say("one")
    voice.say("two")
    assert len(calls) == 1
    assert voice.failure == "speech command failed: No such file or directory; voice turned off"


def test_finished_speakers_are_reaped_and_running_ones_are_never_waited_for():
    class Running:
        def poll(self):
            return None

    procs = iter([Running(), Finished(), Running()])
    voice = cues.Voice(["x"], launch=lambda argv: next(procs))
    for words in ("a", "b", "c"):
        voice.say(words)
    assert len(voice.running) == 2  # "b" finished and was dropped; "a" and "c" still speak
