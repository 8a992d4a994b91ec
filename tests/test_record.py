"""A finished session is never lost: journal first, then the history; locks, failed writes,
signals during recording and the after-session prompt. Fake clock and keys, nothing sleeps."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from stretchcoach.errors import HistoryError
from stretchcoach.history import journal
from stretchcoach.history.store import History, open_history
from stretchcoach.model import Dose, Exercise, PlanItem, SessionResult, SessionStatus
from stretchcoach.plan.compile import compile_items
from stretchcoach.session.record import Devices, Recording, run_and_record
from stretchcoach.session.terminal import INTERRUPT_KEY, Interrupted

from conftest import examples

EPOCH = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def utc(self) -> dt.datetime:
        return EPOCH + dt.timedelta(seconds=self.now - 100.0)


class ScriptedKeys:
    """Keys, or callables run, at given session times; waiting moves the fake clock."""

    def __init__(self, clock: FakeClock, script: list[tuple[float, object]]) -> None:
        self.clock = clock
        self.script = list(script)

    def read(self, timeout: float) -> str | None:
        if self.script and 100.0 + self.script[0][0] <= self.clock.now + timeout:
            at, key = self.script.pop(0)
            self.clock.now = max(self.clock.now, 100.0 + at)
            if callable(key):
                key()
                return None
            return str(key)
        self.clock.now += timeout
        return None


def make_plan():
    items = [
        Exercise(id="tilt", name="Tilt", targets=("neck",), dose=Dose(hold=2, reps=2)),
        Exercise(id="tuck", name="Tuck", targets=("neck",), dose=Dose(hold=3)),
    ]
    return compile_items([PlanItem(e, e.dose) for e in items], title="Short", prepare=0, rest=0)


class Session:
    """One run_and_record with fakes; what it told the user and what it summarised."""

    def __init__(self, tmp_path: Path, script: list[tuple[float, object]] = ()) -> None:
        self.clock = FakeClock()
        self.keys = ScriptedKeys(self.clock, list(script))
        self.told: list[str] = []
        self.lines: list[str] = []
        self.summaries: list[SessionResult] = []
        self.db = tmp_path / "data" / "history.sqlite3"
        self.folders = [tmp_path / "data" / "pending", tmp_path / "cache" / "pending"]

    def run(
        self,
        *,
        ask: Callable[[str], int | None] | None = None,
        log: bool = True,
        first_wait: float = 0.05,
        lock_wait: float = 0.05,
    ) -> int:
        stream = io.StringIO()
        devices = Devices(
            stdin=stream,
            stdout=stream,
            clock=self.clock,
            keys=self.keys,
            now_utc=self.clock.utc,
            console=None,
            print_line=self.lines.append,
            tell=self.told.append,
        )
        recording = Recording(
            history_db=self.db if log else None,
            journal=self.folders,
            first_wait=first_wait,
            lock_wait=lock_wait,
        )
        return run_and_record(
            make_plan(),
            devices,
            recording,
            ask=ask,
            show_summary=lambda result, today: self.summaries.append(result),
        )

    def recorded(self, *, merge: bool = False) -> list[SessionResult]:
        pending = journal.merger(self.folders) if merge else None
        with open_history(self.db, pending=pending) as history:
            return [s.result for s in history.all_sessions()]

    def waiting(self) -> list[Path]:
        return sorted(p for f in self.folders if f.exists() for p in f.glob("*.json"))


def test_a_session_is_recorded_once_and_leaves_no_journal_entry(tmp_path: Path) -> None:
    session = Session(tmp_path)
    assert session.run() == 0
    [result] = session.recorded()
    assert result.status is SessionStatus.COMPLETED
    assert result.session_id is not None and len(result.session_id) == 32
    assert session.summaries == [result]
    assert session.waiting() == [] and session.told == []


def set_aside(session: Session) -> list[str]:
    return sorted(p.name for f in session.folders if f.exists() for p in f.iterdir())


def test_a_recorded_entry_is_set_aside_and_the_next_session_removes_it(tmp_path: Path) -> None:
    # Unlinking a just-fsynced file is the slowest step of a session's end on ext4: the
    # entry is renamed aside instead, and removed before the next session starts.
    session = Session(tmp_path)
    assert session.run() == 0
    [first] = session.recorded()
    assert set_aside(session) == [f".{first.session_id}.json.recorded"]
    assert session.run() == 0
    second = next(r for r in session.recorded() if r.session_id != first.session_id)
    assert set_aside(session) == [f".{second.session_id}.json.recorded"]
    assert session.waiting() == [] and session.told == []


def test_an_entry_set_aside_is_never_merged(tmp_path: Path) -> None:
    session = Session(tmp_path)
    result = sample()._replace(session_id="a" * 32)
    journal.retire(journal.write(result, session.folders))
    with open_history(session.db, pending=journal.merger(session.folders)) as history:
        assert history.notices == [] and history.all_sessions() == []


def test_before_a_session_the_first_folder_that_takes_entries_is_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    folders = [blocker / "pending", tmp_path / "cache" / "pending", tmp_path / "other"]
    folders[2].mkdir()
    (folders[2] / ".a.json.recorded").write_text("{}")  # set aside in a fallback folder
    (folders[2] / "b.json").write_text("{}")  # waiting: kept
    journal.ready(folders)
    assert folders[1].is_dir()
    assert sorted(p.name for p in folders[2].iterdir()) == ["b.json"]


def hold_lock(db: Path) -> sqlite3.Connection:
    """Another process's write lock, held until closed."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_a_lock_held_past_the_wait_leaves_the_session_in_the_journal(tmp_path: Path) -> None:
    session = Session(tmp_path)
    locks: list[sqlite3.Connection] = []
    session.keys.script.append((1.0, lambda: locks.append(hold_lock(session.db))))
    assert session.run() == 0
    [entry] = session.waiting()
    assert entry == session.folders[0] / f"{session.summaries[0].session_id}.json"
    assert len(session.summaries) == 1  # the summary is always shown
    assert session.told == [
        f"the history database {session.db} is locked by another process; "
        "waiting up to 0.05 s to record this session",
        f"the history database {session.db} stayed locked by another process: this session "
        f"waits in {entry} and will be merged into the history by the next stretchcoach command",
    ]
    locks[0].close()
    # The next command that opens the history merges it, once, however often it runs.
    for _ in range(2):
        with open_history(session.db, pending=journal.merger(session.folders)) as history:
            assert [s.result for s in history.all_sessions()] == session.summaries
    assert session.waiting() == []


def test_a_failed_write_keeps_the_session_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: History, result: SessionResult) -> int:
        raise HistoryError(f"cannot use the history database {self.path}: database or disk is full")

    session = Session(tmp_path)
    monkeypatch.setattr(History, "record", full_disk)
    assert session.run() == 0
    [entry] = session.waiting()
    assert session.told[-1].endswith(
        f"database or disk is full: this session waits in {entry} "
        "and will be merged into the history by the next stretchcoach command"
    )
    monkeypatch.undo()
    assert session.recorded() == []
    assert session.recorded(merge=True) == session.summaries
    assert session.waiting() == []


def test_an_unwritable_data_folder_falls_back_to_the_next_folder(tmp_path: Path) -> None:
    session = Session(tmp_path)
    session.run()  # creates the history
    shutil.rmtree(session.folders[0])
    session.folders[0].write_text("not a folder")  # mkdir fails here, even as root
    entry = journal.write(session.summaries[0]._replace(session_id="f" * 32), session.folders)
    assert entry == session.folders[1] / f"{'f' * 32}.json"


def test_no_writable_folder_at_all_is_an_error_naming_each(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = sample()._replace(session_id="a" * 32)
    with pytest.raises(HistoryError, match="cannot write this session anywhere") as caught:
        journal.write(result, [blocker / "one", blocker / "two"])
    assert (
        str(blocker / "one") in caught.value.message
        and str(blocker / "two") in caught.value.message
    )


def test_two_signals_while_recording_do_not_abort_it_and_the_first_one_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_record = History.record

    def signalled_record(self: History, result: SessionResult) -> int:
        # What closing a terminal window does, landing in the middle of the insert.
        signal.raise_signal(signal.SIGHUP)
        signal.raise_signal(signal.SIGTERM)
        return real_record(self, result)

    session = Session(tmp_path, [(1.0, "q")])
    monkeypatch.setattr(History, "record", signalled_record)
    assert session.run() == 129
    monkeypatch.undo()
    [result] = session.recorded()
    assert result.status is SessionStatus.STOPPED
    assert session.waiting() == []


def test_a_signal_during_the_session_ends_it_as_interrupted_with_its_code(tmp_path: Path) -> None:
    session = Session(tmp_path, [(1.5, lambda: signal.raise_signal(signal.SIGINT))])
    assert session.run() == 130
    [result] = session.recorded()
    assert result.status is SessionStatus.INTERRUPTED
    assert result.exercises[0].active_seconds == 1.5


def test_a_ctrl_c_byte_read_as_a_key_interrupts(tmp_path: Path) -> None:
    session = Session(tmp_path, [(0.5, INTERRUPT_KEY)])
    assert session.run() == 130
    assert [r.status for r in session.recorded()] == [SessionStatus.INTERRUPTED]


def test_the_session_is_recorded_before_the_after_prompt(tmp_path: Path) -> None:
    session = Session(tmp_path)
    seen: list[list[SessionResult]] = []

    def ask(when: str) -> int | None:
        if when == "now":
            return 7
        seen.append(session.recorded())
        return 3

    assert session.run(ask=ask) == 0
    [[before_rating]] = seen
    assert (before_rating.check_in_before, before_rating.check_in_after) == (7, None)
    [after_rating] = session.recorded()
    assert (after_rating.check_in_before, after_rating.check_in_after) == (7, 3)


@pytest.mark.parametrize(
    ("ending", "code"), [(KeyboardInterrupt(), 130), (Interrupted(15), 143), (Interrupted(1), 129)]
)
def test_an_interruption_at_the_after_prompt_keeps_the_session(
    tmp_path: Path, ending: BaseException, code: int
) -> None:
    session = Session(tmp_path)

    def ask(when: str) -> int | None:
        if when == "now":
            return 5
        raise ending

    assert session.run(ask=ask) == code
    [result] = session.recorded()
    assert (result.status, result.check_in_before, result.check_in_after) == (
        SessionStatus.COMPLETED,
        5,
        None,
    )


def test_a_rating_that_cannot_be_stored_waits_in_the_journal(tmp_path: Path) -> None:
    session = Session(tmp_path)
    locks: list[sqlite3.Connection] = []

    def ask(when: str) -> int | None:
        if when == "now":
            return 6
        locks.append(hold_lock(session.db))
        return 2

    assert session.run(ask=ask) == 0
    [entry] = session.waiting()
    assert session.told == [
        f"the rating waits in {entry} and will be merged by the next stretchcoach command"
    ]
    locks[0].close()
    with open_history(session.db, pending=journal.merger(session.folders)) as history:
        [stored] = history.all_sessions()
    assert (stored.result.check_in_before, stored.result.check_in_after) == (6, 2)


def test_skipping_every_exercise_is_skipped_not_completed(tmp_path: Path) -> None:
    from stretchcoach.history.stats import summarize

    session = Session(tmp_path, [(0.5, "n"), (0.6, "n")])
    assert session.run() == 0
    [result] = session.recorded()
    assert result.status is SessionStatus.SKIPPED
    with open_history(session.db) as history:
        stats = summarize(history.digest(), today=EPOCH.date(), tz=dt.timezone.utc)
    assert (stats.current_streak_days, stats.longest_streak_days) == (0, 0)


def sample() -> SessionResult:
    from stretchcoach.model import ExerciseResult

    return SessionResult(
        started_at=EPOCH,
        ended_at=EPOCH + dt.timedelta(minutes=3),
        status=SessionStatus.STOPPED,
        title="Desk break «ünïcode»",
        exercises=(ExerciseResult("tilt", "Tilt", ("neck", "upper-back"), True, 12.5),),
        planned_seconds=300,
        routine_id="desk-break",
        generation={"minutes": 3, "targets": ["neck"]},
        check_in_before=4,
        check_in_after=None,
        session_id="0123456789abcdef0123456789abcdef",
    )


def test_a_journal_entry_reads_back_unchanged(tmp_path: Path) -> None:
    entry = journal.write(sample(), [tmp_path / "pending"])
    assert entry == tmp_path / "pending" / "0123456789abcdef0123456789abcdef.json"
    assert entry.stat().st_mode & 0o777 == 0o600
    assert entry.parent.stat().st_mode & 0o777 == 0o700  # private to the user
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary left
    [found], notices = journal.entries([tmp_path / "pending"])
    assert (found.path, found.result, notices) == (entry, sample(), [])


def test_a_damaged_journal_entry_is_kept_aside_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "pending"
    journal.write(sample(), [folder])
    bad = folder / "broken.json"
    bad.write_text(json.dumps({"format": 1, "session_id": "x"}))
    found, notices = journal.entries([folder])
    assert [e.result for e in found] == [sample()]
    assert notices == [
        f"a pending session file {bad} could not be read ('exercises'); kept as {bad}.bad"
    ]
    assert (folder / "broken.json.bad").exists()


def test_the_folders_are_data_then_cache_then_a_private_temp_folder(tmp_path: Path) -> None:
    import os

    from stretchcoach.paths import resolve

    where = resolve({"STRETCHCOACH_HOME": str(tmp_path / "home")})
    assert journal.folders(where, temp_root=tmp_path / "tmp") == [
        tmp_path / "home" / "pending",
        tmp_path / "home" / "cache" / "pending",
        tmp_path / "tmp" / f"stretchcoach-{os.getuid()}" / "pending",
    ]


def test_a_lock_is_waited_on_half_a_second_quietly_then_thirty_seconds_with_a_message() -> None:
    assert (Recording(None).first_wait, Recording(None).lock_wait) == (0.5, 30.0)


def test_the_temp_folder_is_private_and_a_symlink_there_is_refused(tmp_path: Path) -> None:
    import os

    mine = tmp_path / "tmp" / f"stretchcoach-{os.getuid()}"
    entry = journal.write(sample(), [mine / "pending"])
    assert mine.stat().st_mode & 0o777 == 0o700 and entry.parent == mine / "pending"
    trap = tmp_path / "tmp2" / f"stretchcoach-{os.getuid()}"
    trap.parent.mkdir()
    trap.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(HistoryError, match="is not a folder of this user's"):
        journal.write(sample(), [trap / "pending"])


def _results():
    from hypothesis import strategies as st

    from stretchcoach.model import ExerciseResult

    text = st.text(max_size=30)
    moment = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2200, 1, 1)).map(
        lambda d: d.replace(microsecond=0, tzinfo=dt.timezone.utc)
    )
    rating = st.none() | st.integers(0, 10)
    exercise = st.builds(
        ExerciseResult,
        exercise_id=text,
        name=text,
        targets=st.lists(text, max_size=3).map(tuple),
        done=st.booleans(),
        active_seconds=st.floats(0, 1e6, allow_nan=False),
    )
    return st.builds(
        SessionResult,
        started_at=moment,
        ended_at=moment,
        status=st.sampled_from(SessionStatus),
        title=text,
        exercises=st.lists(exercise, max_size=4).map(tuple),
        planned_seconds=st.integers(0, 10**6),
        routine_id=st.none() | text,
        generation=st.none() | st.dictionaries(text, st.integers() | text, max_size=3),
        check_in_before=rating,
        check_in_after=rating,
        session_id=st.uuids().map(lambda u: u.hex),
    )


def test_any_session_survives_the_journal_unchanged() -> None:
    from hypothesis import given, settings

    @settings(max_examples=examples(200), deadline=None)
    @given(_results())
    def round_trip(result: SessionResult) -> None:
        assert journal.from_json(json.loads(json.dumps(journal.to_json(result)))) == result

    round_trip()


def test_the_next_run_merges_what_waits_before_its_own_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(self: History, result: SessionResult) -> int:
        raise HistoryError("attempt to write a readonly database")

    session = Session(tmp_path)
    monkeypatch.setattr(History, "record", read_only)
    session.run()
    monkeypatch.undo()
    [entry] = session.waiting()
    assert session.run() == 0
    assert session.told[-1] == f"merged 1 session that waited in {entry.parent} into the history"
    assert session.recorded() == session.summaries
    assert session.waiting() == []


def test_a_crash_mid_session_still_records_what_was_done_then_raises(tmp_path: Path) -> None:
    def crash() -> None:
        raise RuntimeError("a bug in drawing")

    session = Session(tmp_path, [(2.5, crash)])
    with pytest.raises(RuntimeError, match="a bug in drawing"):
        session.run()
    [result] = session.recorded()
    assert result.status is SessionStatus.INTERRUPTED
    assert result.exercises[0].active_seconds == 2.5
    assert [s.session_id for s in session.summaries] == [result.session_id]
    assert session.waiting() == []
