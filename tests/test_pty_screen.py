"""The coach's screen in a real terminal: digit sizes, wrapped steps, `n` in a rest, the
summary, and a voiced session through a fake speech command. Every wait is on an event."""

from __future__ import annotations

import os
import re
import select
import shutil
import stat
import sys
from pathlib import Path

import pytest

from conftest import close_when_exited

pexpect = pytest.importorskip("pexpect")

pytestmark = [pytest.mark.pty, pytest.mark.skipif(sys.platform == "win32", reason="no pty")]

SCRIPT = Path(sys.executable).parent / "stretchcoach"
LONG_STEP = (
    "Sit tall at the front of the chair with both feet flat and your knees right over "
    "your ankles, then let your shoulders drop away from your ears."
)
CATALOGUE = f"""\
schema: 1
exercises:
  - id: quick
    name: Quick shrug
    targets: [neck]
    hold: 1s
  - id: chin-tuck
    name: Chin tuck
    targets: [neck]
    hold: 30s
    steps:
      - {LONG_STEP}
      - Breathe.
  - id: neck-tilt
    name: Neck tilt
    targets: [neck]
    hold: 30s
routines:
  - id: rested
    name: Rested routine
    prepare: 0
    rest: 60
    items:
      - exercise: quick
      - exercise: chin-tuck
      - exercise: neck-tilt
  - id: long
    name: Long hold
    prepare: 0
    rest: 0
    items:
      - exercise: chin-tuck
      - exercise: neck-tilt
"""


@pytest.fixture
def env(tmp_path):
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STRETCHCOACH_HOME": str(tmp_path / "home"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }


def spawn(tmp_path, env, *args, rows=24, columns=80):
    child = pexpect.spawn(
        str(SCRIPT), ["run", *args, "--catalogue", "cat.yaml"], cwd=str(tmp_path), env=env,
        dimensions=(rows, columns), encoding="utf-8", timeout=15,
    )  # fmt: skip
    return child


def quit_and_finish(child) -> str:
    child.send("q")
    child.expect("Session stopped early")
    child.expect(pexpect.EOF)
    close_when_exited(child)
    assert child.exitstatus == 0
    return child.before


def runs(text: str) -> set[int]:
    """The lengths of the runs of block characters in what was written."""
    return {len(m.group(0)) for m in re.finditer("█+", text)}


@pytest.mark.parametrize(
    ("rows", "columns", "stroke"),
    [(24, 80, 6), (40, 120, 12), (50, 200, 18)],  # a full row of a digit: 3 cells wide
)
def test_the_digits_grow_with_the_terminal(tmp_path, env, rows, columns, stroke):
    child = spawn(tmp_path, env, "long", "--no-log", rows=rows, columns=columns)
    child.expect("Chin tuck")
    child.expect("q quit")  # the first frame is complete
    frame = child.before
    quit_and_finish(child)
    lengths = runs(frame.split("Breathe")[0])
    assert stroke in lengths  # the top of 3 or 2 (30 s, 29 s...) at this size
    assert max(lengths - {columns, columns - 5}) == stroke  # nothing larger but the bar


def test_steps_wrap_at_80_columns_instead_of_being_cut(tmp_path, env):
    child = spawn(tmp_path, env, "long", "--no-log")
    child.expect("1. Sit tall at the front of the chair with both feet flat and your knees right")
    child.expect("   over your ankles, then let your shoulders drop away from your ears.")
    child.expect("2. Breathe.")
    child.expect("q quit")
    written = child.before
    quit_and_finish(child)
    assert "…" not in written


def test_n_during_rest_starts_the_upcoming_exercise_and_the_summary_says_what_happened(
    tmp_path, env
):
    child = spawn(tmp_path, env, "rested", "--check-in")
    child.expect("Tension or pain now")
    child.send("6\r")
    child.expect("next: Chin tuck")  # the 1 s shrug is over: the 60 s rest before the tuck
    # The rest already shows what follows the tuck; only changed lines are sent, so this
    # line is not sent again when the tuck begins.
    child.expect("Next: Neck tilt")
    child.send("n")
    child.expect("rep 1 of 1")  # the tuck's hold began at once; it was not skipped
    child.send("q")
    child.expect("Tension or pain after the session")
    child.send("3\r")
    child.expect("Session stopped early: Rested routine")
    child.expect(pexpect.EOF)
    close_when_exited(child)
    assert child.exitstatus == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)  # the summary's colours
    summary = [line.strip() for line in text.splitlines() if line.strip()]
    assert summary[0].startswith("Done 1 of 3 · skipped 1 · not reached 1 · active time")
    assert summary[1] == "Tension 6 → 3 (0-10)"
    assert summary[2].startswith("Today: ")
    assert summary[3] == "done         Quick shrug  1s"
    assert summary[4].startswith("skipped      Chin tuck    ")
    assert summary[5] == "not reached  Neck tilt    0s"


SPEAKER = """\
#!/bin/sh
# A fake speech engine: the words are the last argument; one line each to a FIFO.
for words; do :; done
printf '%s|%s\\n' "$1" "$words" > "$SPOKEN"
"""


def read_lines(fd: int, count: int, timeout: float = 15.0) -> list[str]:
    """`count` lines from a FIFO, waiting for each as it is written."""
    data = b""
    while data.count(b"\n") < count:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"no speech after {data!r}"
        data += os.read(fd, 4096)
    return data.decode().splitlines()


def test_a_voiced_session_speaks_through_the_voice_command(tmp_path, env):
    speaker = tmp_path / "speak"
    speaker.write_text(SPEAKER, encoding="utf-8")
    speaker.chmod(speaker.stat().st_mode | stat.S_IXUSR)
    fifo = tmp_path / "spoken"
    os.mkfifo(fifo)
    # Read and write ends in one: the reader never sees end-of-file between speakers.
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        env = {**env, "SPOKEN": str(fifo)}
        child = spawn(tmp_path, env, "long", "--no-log", "--voice-command", f"{speaker} --rate 1")
        assert read_lines(fd, 1) == ["--rate|Hold thirty seconds."]
        child.expect("q quit")
        child.send("n")
        # Two cues at one moment are one utterance: engines never talk over each other.
        assert read_lines(fd, 1) == ["--rate|Relax. Next: Neck tilt. Hold thirty seconds."]
        quit_and_finish(child)
    finally:
        os.close(fd)


def test_a_missing_speech_engine_is_one_warning_and_the_session_runs(tmp_path, env):
    child = spawn(tmp_path, env, "long", "--no-log", "--voice-command", "no-such-speaker")
    child.expect("warning: speech command not found: no-such-speaker; continuing without voice")
    child.expect("Chin tuck")
    quit_and_finish(child)


ESPEAK = shutil.which("espeak-ng")


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")
def test_espeak_ng_writes_the_cues_to_a_wav_file(tmp_path, env):
    wav = tmp_path / "cue.wav"
    fifo = tmp_path / "done"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    # espeak-ng -w FILE, then a line to the FIFO once the file is written: an event to wait on.
    command = f"sh -c 'espeak-ng -w {wav} \"$0\" && echo written > {fifo}'"
    try:
        child = spawn(tmp_path, env, "long", "--no-log", "--plain", "--voice-command", command)
        child.expect("Chin tuck")
        assert read_lines(fd, 1) == ["written"]
        quit_and_finish(child)
    finally:
        os.close(fd)
    assert wav.read_bytes()[:4] == b"RIFF"
