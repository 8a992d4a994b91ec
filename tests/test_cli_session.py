"""`stretchcoach plan` and `stretchcoach run` through Typer's CliRunner, with a fake clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.history.store import open_history
from stretchcoach.model import SessionStatus
from stretchcoach.session.terminal import Interrupted

from conftest import EPOCH, FakeDevices

CATALOGUE = """
schema: 1
exercises:
  - id: neck-tilt
    name: Neck tilt
    targets: [neck]
    hold: 1s
    reps: 2
    sides: each
    steps:
      - Sit tall.
  - id: chin-tuck
    name: Chin tuck
    targets: [neck]
    hold: 1s
routines:
  - id: tiny
    name: Tiny routine
    prepare: 0
    rest: 0
    items:
      - exercise: neck-tilt
      - exercise: chin-tuck
        reps: 2
"""


@pytest.fixture
def fake_devices():
    """A fake clock and keyboard for the commands run with env=; append the key script to it."""
    return FakeDevices()


@pytest.fixture
def tiny(home, write_yaml):
    return str(write_yaml(CATALOGUE))


def invoke(*args: str, input: str | None = None, env=None):
    return CliRunner().invoke(app, list(args), input=input, obj=env)


def recorded(home):
    history = open_history(home.history_db)
    try:
        return [s.result for s in history.sessions()]
    finally:
        history.close()


def test_plan_json_for_a_routine(tiny):
    out = invoke("plan", "tiny", "--catalogue", tiny, "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert (data["title"], data["routine_id"], data["total_seconds"]) == (
        "Tiny routine",
        "tiny",
        11,
    )
    assert [(i["exercise"], i["sides"], i["reps"], i["seconds"]) for i in data["items"]] == [
        ("neck-tilt", "each", 2, 9),
        ("chin-tuck", "none", 2, 2),
    ]
    assert [p["kind"] for p in data["phases"]] == [
        "work", "work", "switch", "work", "work", "work", "work",
    ]  # fmt: skip


def test_plan_text_for_an_exercise_with_overrides(tiny):
    out = invoke("plan", "chin-tuck", "--catalogue", tiny, "--prepare", "0:03", "--rest", "0")
    assert out.exit_code == 0, out.output
    assert out.stdout == (
        "Chin tuck (chin-tuck)\n"
        "1. Chin tuck — both at once — 1 × 1s — 4s\n"
        "Get ready 3s before each exercise · total 4s\n"
    )


def test_plan_generates_the_default_session_without_a_name(home):
    out = invoke("plan", "--json", "--seed", "3")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["routine_id"] is None
    assert data["generation"]["seed"] == 3
    assert all(item["reason"] for item in data["items"])
    assert abs(data["total_seconds"] - 300) <= 30


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tiny", "--minutes", "3"], "error: --minutes cannot be combined with a routine"),
        (["tiny", "--target", "neck", "--seed", "1"], "error: --target, --seed cannot be"),
        (["tinny"], "error: unknown routine or exercise 'tinny'\nhint: did you mean 'tiny'?"),
        (["tiny", "--prepare", "soon"], "Invalid value for '--prepare'"),
        (["tiny", "--rest", "-5"], "Invalid value for '--rest'"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "run"])
def test_bad_requests_exit_2_with_a_message(tiny, command, args, message):
    out = invoke(command, *args, "--catalogue", tiny)
    assert out.exit_code == 2
    assert message in out.output
    assert "Traceback" not in out.output


def test_a_broken_catalogue_is_reported_before_anything_runs(home, write_yaml, fake_devices):
    bad = write_yaml("schema: 1\nexercises:\n  - id: x\n    name: X\n", name="bad.yaml")
    out = invoke("run", "--catalogue", str(bad), env=fake_devices)
    assert out.exit_code == 2
    assert "bad.yaml:" in out.output
    assert not home.history_db.exists()


def test_plan_save_writes_a_routine_that_run_replays(home, fake_devices):
    out = invoke(
        "plan", "--minutes", "3", "--seed", "5", "--save", "my-break", "--json", env=fake_devices
    )
    assert out.exit_code == 0, out.output
    assert (home.catalogue_dir / "my-break.yaml").is_file()
    saved = json.loads(invoke("plan", "my-break", "--json", env=fake_devices).stdout)
    assert [i["exercise"] for i in saved["items"]] == [
        i["exercise"] for i in json.loads(out.stdout)["items"]
    ]
    again = invoke("plan", "--minutes", "3", "--save", "my-break", env=fake_devices)
    assert again.exit_code == 2


def test_run_in_plain_mode_prints_each_phase_and_records_the_session(tiny, home, fake_devices):
    out = invoke("run", "tiny", "--catalogue", tiny, env=fake_devices)
    assert out.exit_code == 0, out.output
    assert out.stdout == (
        "[0:00] Neck tilt — LEFT — rep 1/2 — hold 1s\n"
        "[0:01] Neck tilt — LEFT — rep 2/2 — hold 1s\n"
        "[0:02] Switch sides: RIGHT — 5s\n"
        "[0:07] Neck tilt — RIGHT — rep 1/2 — hold 1s\n"
        "[0:08] Neck tilt — RIGHT — rep 2/2 — hold 1s\n"
        "[0:09] Chin tuck — rep 1/2 — hold 1s\n"
        "[0:10] Chin tuck — rep 2/2 — hold 1s\n"
        "Session completed: Tiny routine\n"
        "Done 2 of 2 · skipped 0 · active time 6s · took 11s\n"
        "Today: 6s of your 15-minute goal\n"
        "  done     Neck tilt  4s\n"
        "  done     Chin tuck  2s\n"
    )
    assert "\x1b" not in out.output and "\a" not in out.output
    [result] = recorded(home)
    assert result.status is SessionStatus.COMPLETED
    assert (result.started_at, result.ended_at) == (EPOCH, EPOCH + dt.timedelta(seconds=11))
    assert result.routine_id == "tiny"
    assert [(e.exercise_id, e.done, e.active_seconds) for e in result.exercises] == [
        ("neck-tilt", True, 4.0),
        ("chin-tuck", True, 2.0),
    ]


def test_run_no_log_records_nothing(tiny, home, fake_devices):
    out = invoke("run", "tiny", "--catalogue", tiny, "--no-log", env=fake_devices)
    assert out.exit_code == 0, out.output
    assert not home.history_db.exists()


def test_quit_exits_0_and_records_a_stopped_session(tiny, home, fake_devices):
    fake_devices.append((2.5, "q"))
    out = invoke("run", "tiny", "--catalogue", tiny, env=fake_devices)
    assert out.exit_code == 0, out.output
    assert "Session stopped early: Tiny routine" in out.stdout
    [result] = recorded(home)
    assert result.status is SessionStatus.STOPPED
    assert [(e.done, e.active_seconds) for e in result.exercises] == [(False, 2.0), (False, 0.0)]


@pytest.mark.parametrize(
    ("error", "code"),
    [(KeyboardInterrupt(), 130), (Interrupted(15), 143), (Interrupted(1), 129)],
)
def test_interruptions_exit_with_their_code_and_are_recorded(tiny, home, fake_devices, error, code):
    fake_devices.append((1.5, error))
    out = invoke("run", "tiny", "--catalogue", tiny, env=fake_devices)
    assert out.exit_code == code
    assert "Session interrupted: Tiny routine" in out.stdout
    [result] = recorded(home)
    assert result.status is SessionStatus.INTERRUPTED
    assert result.exercises[0].active_seconds == 1.5


def test_check_in_asks_before_and_after_and_stores_both(tiny, home, fake_devices):
    out = invoke("run", "tiny", "--catalogue", tiny, "--check-in", input="6\n2\n", env=fake_devices)
    assert out.exit_code == 0, out.output
    assert out.stderr.count("Tension or pain") == 2
    [result] = recorded(home)
    assert (result.check_in_before, result.check_in_after) == (6, 2)


def test_check_in_enter_skips(tiny, home, fake_devices):
    out = invoke("run", "tiny", "--catalogue", tiny, "--check-in", input="\n\n", env=fake_devices)
    assert out.exit_code == 0, out.output
    [result] = recorded(home)
    assert (result.check_in_before, result.check_in_after) == (None, None)


def test_help_has_an_example():
    for command in ("plan", "run"):
        out = invoke(command, "--help")
        assert out.exit_code == 0
        assert f"Examples:\n    stretchcoach {command} " in out.output
