"""The pending journal: each finished session in its own small file, written durably before
SQLite is touched, and merged into the history by the next command that opens it."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from stretchcoach.atomic import write_atomic
from stretchcoach.errors import HistoryError
from stretchcoach.history.connection import BUSY_TIMEOUT_MS
from stretchcoach.history.store import History, format_utc, parse_utc
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus
from stretchcoach.paths import Paths

FOLDER = "pending"
SUFFIX = ".json"
# An entry the history holds, set aside (see retire): never merged, removed by `ready`.
RECORDED = ".recorded"
FORMAT = 1
# While merging, another process's lock is not worth waiting for: the next command merges.
MERGE_LOCK_WAIT = 0.2


def folders(paths: Paths, temp_root: Path | None = None) -> list[Path]:
    """Where pending sessions go, in order of preference: the data folder, the cache folder,
    then a private folder in the system's temp dir (stretchcoach-UID/pending)."""
    # Not tempfile.gettempdir(): importing tempfile costs `stats` and `history` 5 ms.
    root = Path(os.environ.get("TMPDIR") or "/tmp") if temp_root is None else temp_root
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return [
        paths.data_dir / FOLDER,
        paths.cache_dir / FOLDER,
        root / f"stretchcoach-{user}" / FOLDER,
    ]


@dataclass(frozen=True, slots=True)
class Entry:
    """One session waiting in the journal."""

    path: Path
    result: SessionResult


def write(result: SessionResult, candidates: Sequence[Path]) -> Path:
    """Write result to the first folder that takes it, atomically and fsynced; return the file.

    The file is named by the session id, so writing the same session again replaces it.
    """
    if not result.session_id:
        raise ValueError("a journal entry needs the session's id")
    data = (json.dumps(to_json(result), sort_keys=True) + "\n").encode("utf-8")
    reasons: list[str] = []
    for folder in candidates:
        try:
            _prepare(folder)
            return _write_file(folder / f"{result.session_id}{SUFFIX}", data)
        except OSError as error:
            reasons.append(f"{folder}: {error.strerror or error}")
    raise HistoryError(
        "cannot write this session anywhere: " + "; ".join(reasons),
        hint="free some disk space or set STRETCHCOACH_HOME to a folder you can write to",
    )


def _prepare(folder: Path) -> None:
    """Create folder (private); refuse one that is a symlink or someone else's. In the shared
    temp dir the per-user folder above it is checked too, since anyone could create it."""
    private = (
        [folder.parent, folder] if folder.parent.name.startswith("stretchcoach-") else [folder]
    )
    for each in private:
        each.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = each.lstat()
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if not stat.S_ISDIR(info.st_mode) or not mine:
            raise OSError(f"{each} is not a folder of this user's")


def _write_file(path: Path, data: bytes) -> Path:
    write_atomic(path, data)  # fsynced, then the folder, so it survives a power cut
    return path


def remove(path: Path) -> None:
    """Forget an entry once the history holds it."""
    # Not synced: if a power cut brings the file back, merging it again changes nothing.
    path.unlink(missing_ok=True)


def retire(path: Path) -> None:
    """Set an entry aside once the history holds it: renamed, hidden, never merged; the
    next session's `ready` removes it.

    For the end of a session: unlinking a file just fsynced frees its block, which took
    1.4-4 ms on ext4 (the journal's commit), a rename 0.02 ms. Not synced either: a power
    cut may bring back the entry, and merging it again changes nothing.
    """
    os.replace(path, path.with_name(f".{path.name}{RECORDED}"))


def ready(candidates: Sequence[Path]) -> None:
    """Before a session, so that its end does neither: make the first folder that takes
    entries, and remove the entries earlier sessions set aside (retire) in any of them."""
    made = False
    for folder in candidates:
        if not made:
            try:
                _prepare(folder)
                made = True
            except OSError:
                pass  # write() says why, if no folder takes the entry
        for path in folder.glob(f".*{RECORDED}"):
            with contextlib.suppress(OSError):
                path.unlink()


def entries(candidates: Sequence[Path]) -> tuple[list[Entry], list[str]]:
    """Every readable entry in the folders, oldest session first, and a notice per bad file.

    A file that cannot be read as an entry is renamed to *.bad, kept for the user.
    """
    found: list[Entry] = []
    notices: list[str] = []
    for folder in candidates:
        try:
            names = sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX))
        except OSError:
            continue
        for path in names:
            try:
                found.append(Entry(path, from_json(json.loads(path.read_bytes()))))
            except (OSError, ValueError, KeyError, TypeError) as error:
                bad = path.with_name(path.name + ".bad")
                try:
                    path.rename(bad)
                except OSError:
                    bad = path
                notices.append(
                    f"a pending session file {path} could not be read ({error}); kept as {bad}"
                )
    found.sort(key=lambda entry: (entry.result.started_at, entry.path.name))
    return found, notices


def merger(candidates: Sequence[Path]) -> Callable[[History], list[str]]:
    """A `pending` hook for open_history: merge the waiting sessions, say what happened."""

    def merge_pending(history: History) -> list[str]:
        return merge(history, candidates)

    return merge_pending


def merge(history: History, candidates: Sequence[Path]) -> list[str]:
    """Insert every pending session into history (idempotent: keyed on the session id)."""
    waiting, notices = entries(candidates)
    if not waiting:
        return notices
    merged = 0
    history.wait_for_locks(MERGE_LOCK_WAIT)
    try:
        for entry in waiting:
            history.record(entry.result)
            remove(entry.path)
            merged += 1
    except HistoryError as error:
        left = len(waiting) - merged
        notices.append(
            f"{_sessions(left)} still wait in {waiting[merged].path.parent} "
            f"({error.message}); the next command will try again"
        )
    finally:
        history.wait_for_locks(BUSY_TIMEOUT_MS / 1000)
    if merged:
        where = ", ".join(sorted({str(e.path.parent) for e in waiting[:merged]}))
        notices.append(f"merged {_sessions(merged)} that waited in {where} into the history")
    return notices


def _sessions(count: int) -> str:
    return f"{count} session" if count == 1 else f"{count} sessions"


def to_json(result: SessionResult) -> dict[str, object]:
    """A session as plain JSON, every field kept."""
    return {
        "format": FORMAT,
        "session_id": result.session_id,
        "started_at": format_utc(result.started_at),
        "ended_at": format_utc(result.ended_at),
        "status": SessionStatus(result.status).value,
        "title": result.title,
        "routine_id": result.routine_id,
        "generation": None if result.generation is None else dict(result.generation),
        "planned_seconds": result.planned_seconds,
        "check_in_before": result.check_in_before,
        "check_in_after": result.check_in_after,
        "exercises": [
            {
                "exercise_id": e.exercise_id,
                "name": e.name,
                "targets": list(e.targets),
                "done": e.done,
                "active_seconds": e.active_seconds,
                "reached": e.reached,
            }
            for e in result.exercises
        ],
    }


def from_json(data: dict[str, object]) -> SessionResult:
    """The inverse of to_json; ValueError, KeyError or TypeError on a malformed entry."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown journal format {data.get('format')!r}")
    exercises = data["exercises"]
    if not isinstance(exercises, list):
        raise TypeError("exercises is not a list")
    generation = data["generation"]
    return SessionResult(
        session_id=str(data["session_id"]),
        started_at=parse_utc(str(data["started_at"])),
        ended_at=parse_utc(str(data["ended_at"])),
        status=SessionStatus(data["status"]),
        title=str(data["title"]),
        routine_id=None if data["routine_id"] is None else str(data["routine_id"]),
        generation=None if generation is None else dict(generation),  # type: ignore[call-overload]
        planned_seconds=int(data["planned_seconds"]),  # type: ignore[call-overload]
        check_in_before=_rating(data["check_in_before"]),
        check_in_after=_rating(data["check_in_after"]),
        exercises=tuple(
            ExerciseResult(
                exercise_id=str(e["exercise_id"]),
                name=str(e["name"]),
                targets=tuple(str(t) for t in e["targets"]),
                done=bool(e["done"]),
                active_seconds=float(e["active_seconds"]),
                reached=bool(e.get("reached", True)),
            )
            for e in exercises
        ),
    )


def _rating(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise ValueError(f"a check-in rating must be 0-10, got {value!r}")
    return value
