"""Nothing lost: simultaneous recorders both land; SIGKILL mid-write leaves a sound database."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stretchcoach.history.store import open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="needs POSIX signals and fork"
)

WAIT = 30  # seconds: every wait has a limit; these normally finish in well under one


def make_session(title: str, exercises: int = 3) -> SessionResult:
    start = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone.utc)
    return SessionResult(
        started_at=start,
        ended_at=start + dt.timedelta(minutes=5),
        status=SessionStatus.COMPLETED,
        title=title,
        exercises=tuple(
            ExerciseResult(f"ex-{n}", f"Exercise {n}", ("neck",), True, 30.0)
            for n in range(exercises)
        ),
        planned_seconds=300,
    )


def record_after_barrier(
    path: str, name: str, rounds: int, barrier: multiprocessing.synchronize.Barrier
) -> None:
    # Open at the same moment too: both may find no database and race to create it.
    barrier.wait(WAIT)
    with open_history(Path(path)) as history:
        for n in range(rounds):
            barrier.wait(WAIT)
            history.record(make_session(f"{name} {n}"))


def test_two_processes_recording_at_the_same_moment_both_land(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    rounds = 25
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=record_after_barrier, args=(str(path), name, rounds, barrier))
        for name in ("left", "right")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(WAIT)
    assert [w.exitcode for w in workers] == [0, 0]
    with open_history(path) as history:
        titles = sorted(s.result.title for s in history.all_sessions())
        assert history.notices == []
    expected = sorted(f"{name} {n}" for name in ("left", "right") for n in range(rounds))
    assert titles == expected


RECORDER = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from stretchcoach.history.store import open_history
    from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus

    start = dt.datetime(2024, 5, 1, 9, tzinfo=dt.timezone.utc)
    exercises = tuple(
        ExerciseResult(f"ex-{n}", f"Exercise {n} " + "x" * 200, ("neck", "chest"), True, 30.0)
        for n in range(40)
    )
    history = open_history(Path(sys.argv[1]))
    n = 0
    while True:
        n += 1
        session = SessionResult(start, start, SessionStatus.COMPLETED, f"kill {sys.argv[2]} {n}",
                                exercises, 300)
        print(history.record(session), flush=True)  # printed only once committed
    """
)


def test_sigkill_mid_write_keeps_the_database_sound_and_every_committed_session(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    rng = random.Random(20240501)
    committed: set[int] = set()
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for attempt in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(path), str(attempt)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        assert child.stdout is not None
        # Let it commit a random number of sessions, then kill it wherever it is by now.
        try:
            for _ in range(rng.randint(1, 40)):
                line = child.stdout.readline()
                assert line, child.stderr.read() if child.stderr else "recorder died"
                committed.add(int(line))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(WAIT)
        # Lines already in the pipe were committed too: collect them before checking.
        committed.update(int(line) for line in child.stdout.read().split())
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL

        raw = sqlite3.connect(path)
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in raw.execute("SELECT id FROM sessions")}
        orphans = raw.execute(
            "SELECT COUNT(*) FROM session_exercises"
            " WHERE session_id NOT IN (SELECT id FROM sessions)"
        ).fetchone()[0]
        per_session = set(
            raw.execute("SELECT COUNT(*) FROM session_exercises GROUP BY session_id").fetchall()
        )
        raw.close()
        assert committed <= stored
        # At most the session being written is lost: never a half-written one kept.
        assert orphans == 0
        assert per_session == {(40,)}
    with open_history(path) as history:
        assert history.notices == []
        assert history.count() >= len(committed)
