"""Shared fakes and fixtures: a hand-advanced clock, scripted keys, catalogue builders, an
isolated STRETCHCOACH_HOME and a helper to write catalogue files.

Test modules import the plain helpers with `from conftest import ...` (pytest puts tests/ on
sys.path); the fixtures below are found by pytest itself.
"""

from __future__ import annotations

import datetime as dt
import operator
import os
import shutil
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import settings

from stretchcoach.model import Catalogue, Dose, Exercise, Routine
from stretchcoach.paths import Paths, resolve

# Property tests run under one of three hypothesis profiles. "quick", the default, tries a
# quarter of the examples each test asks for, keeping the suite under a minute; hand-run
# `pytest --hypothesis-profile=thorough` for the full counts times four before a release or
# after changing a property's code. The mutation job (`mutmut run`) runs these tests from its
# copy of the tree in mutants/, once per mutant: there, property tests try fewer examples,
# always the same ones, so a mutant's verdict is repeatable and the whole job takes minutes.
UNDER_MUTATION = Path(__file__).resolve().parent.parent.name == "mutants" or bool(
    os.environ.get("MUTANT_UNDER_TEST")
)
# Where the CI variable is set (.ci/run sets it), hypothesis starts in its own "ci" profile
# instead of "default": the same examples every run, no example database. "quick" keeps
# those settings there and only sets the counts; it once missed "ci" and CI ran every
# property test at four times the quick count (about 15 s more a run).
_STARTED_IN = settings.get_current_profile_name()  # before any --hypothesis-profile applies
settings.register_profile(
    "quick", parent=settings.get_profile(_STARTED_IN), max_examples=25, deadline=None
)
settings.register_profile("thorough", max_examples=400, deadline=None)
settings.register_profile("mutation", max_examples=25, derandomize=True, deadline=None)
if UNDER_MUTATION:
    settings.load_profile("mutation")
elif _STARTED_IN in ("default", "ci"):  # no profile chosen but hypothesis' own
    settings.load_profile("quick")
_SCALE = {"quick": 0.25, "thorough": 4.0}


def examples(count: int) -> int:
    """The examples a property test asking for `count` tries under the profile in force:
    a quarter (at least 10) when quick, four times when thorough, 25 under mutation."""
    if UNDER_MUTATION:
        return min(count, 25)
    scale = _SCALE.get(settings.get_current_profile_name(), 1.0)
    return max(10, round(count * scale))


def _build_each_app_once() -> None:
    """Make Typer's CliRunner build the click command of an app once, not on every invoke.

    `CliRunner().invoke(app, ...)` turns the Typer app into a click command each time. Once a
    test has imported every command module, that is all 16 commands, their parameters read from
    the functions' string annotations: about 40 ms an invoke, over 300 invokes a run. The
    command built is reused while the app's registered commands, groups and callback are the
    same objects (a test that registers a command of its own gets a fresh build); the built
    command keeps no state between invokes, so each test still runs what a process would.
    """
    import typer.testing

    build = typer.testing._get_command  # what CliRunner.invoke calls; fails loudly if renamed
    built: list[tuple[Any, tuple[Any, ...], Any]] = []

    def build_once(app: Any) -> Any:
        parts = (*app.registered_commands, *app.registered_groups, app.registered_callback)
        for known, known_parts, command in built:
            same = len(known_parts) == len(parts) and all(map(operator.is_, known_parts, parts))
            if known is app and same:
                return command
        command = build(app)
        built[:] = [(app, parts, command)]  # holding the parts keeps their ids from reuse
        return command

    typer.testing._get_command = build_once  # type: ignore[attr-defined]


_build_each_app_once()

# Temporary folders (tmp_path) on a RAM disk where the machine has one. The history tests
# commit to SQLite, which waits for the disk at every commit and close: on a disk other work
# is also writing to, those waits made the same tests take 5 s one run and 15 s the next.
# What the tests check (the files written, kept whole across a killed process) is the same on
# a RAM disk. PYTEST_DEBUG_TEMPROOT, if set, still decides.
# A run writes about 33 MiB there and pytest keeps the last three runs' folders: a small
# /dev/shm (a container's default is 64 MiB) is left alone, or it would fill up mid-run.
_RAM_DISK = Path("/dev/shm")
_RAM_DISK_NEEDS = 512 * 1024 * 1024


def _roomy(folder: Path) -> bool:
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize >= _RAM_DISK_NEEDS


if _RAM_DISK.is_dir() and os.access(_RAM_DISK, os.W_OK | os.X_OK) and _roomy(_RAM_DISK):
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(_RAM_DISK))


EPOCH = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
LONGEST_WAIT = 0.5  # the session loop never waits longer than this for a key


class FakeClock:
    """A monotonic clock that moves only when told; `utc()` is EPOCH plus the time moved."""

    def __init__(self, start: float = 100.0) -> None:
        self.start = start
        self.now = start

    def __call__(self) -> float:
        return self.now

    def utc(self) -> dt.datetime:
        return EPOCH + dt.timedelta(seconds=self.now - self.start)


class ScriptedKeys:
    """Keys (or exceptions to raise) at given session times; waiting moves the fake clock."""

    def __init__(self, clock: FakeClock, script: Iterable[tuple[float, object]] = ()) -> None:
        self.clock = clock
        self.script = sorted(script, key=lambda pair: pair[0])
        self.waits: list[float] = []

    def read(self, timeout: float) -> Any:
        self.waits.append(timeout)
        assert 0 <= timeout <= LONGEST_WAIT + 1e-9
        due = self.clock.start + self.script[0][0] if self.script else None
        if due is not None and due <= self.clock.now + timeout:
            self.clock.now = max(self.clock.now, due)
            _, key = self.script.pop(0)
            if isinstance(key, BaseException):
                raise key
            return key
        self.clock.now += timeout
        return None


class FakeDevices(list[tuple[float, object]]):
    """A key script (append (time, key) pairs) and, called, an environment for one command
    run with a fresh FakeClock starting at `start` and ScriptedKeys playing the script; pass it
    as `CliRunner().invoke(app, args, obj=devices)`."""

    def __init__(self, start: float = 500.0) -> None:
        super().__init__()
        self.start = start
        self.clocks: list[FakeClock] = []

    def __call__(self) -> Any:
        from stretchcoach.cli.env import Environment

        clock = FakeClock(start=self.start)
        self.clocks.append(clock)
        keys = ScriptedKeys(clock, self)
        return Environment.from_os(clock=clock, now=clock.utc, keys=lambda stdin, on: keys)


def close_when_exited(child: Any) -> None:
    """Close a pexpect child that has reached EOF, once it has exited. pexpect's close() alone
    sleeps 0.1 s first (ptyprocess's `delayafterclose`, time for a child to finish exiting) and
    kills the child if it is still running then: waiting for the exit is both faster and sure."""
    child.wait()
    child.ptyproc.delayafterclose = 0
    child.close()


DOSE_FIELDS = frozenset(Dose._fields)


def make_exercise(ident: str, **fields: Any) -> Exercise:
    """A neck exercise holding 20 s, named after its id; dose and exercise fields override."""
    dose = {key: fields.pop(key) for key in DOSE_FIELDS & fields.keys()}
    dose.setdefault("hold", 20)
    fields.setdefault("name", ident.replace("-", " ").capitalize())
    fields.setdefault("targets", ("neck",))
    return Exercise(id=ident, dose=Dose(**dose), **fields)


def catalogue_of(*exercises: Exercise, routines: Iterable[Routine] = ()) -> Catalogue:
    """A catalogue holding exactly these exercises and routines."""
    return Catalogue(
        exercises=MappingProxyType({e.id: e for e in exercises}),
        routines=MappingProxyType({r.id: r for r in routines}),
    )


@pytest.fixture(scope="session")
def builtin_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the built-in catalogue parsed once for the whole run."""
    from stretchcoach.catalogue.loader import load

    warm = resolve({"STRETCHCOACH_HOME": str(tmp_path_factory.mktemp("warm"))})
    load(warm, include_user=False)
    return warm.cache_dir


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builtin_parse_cache: Path) -> Paths:
    """STRETCHCOACH_HOME in a temporary folder, with terminal settings that vary unset. Its
    cache starts with the built-in catalogue parsed, as on a machine that ran a command before:
    a cold parse in every test would cost seconds a run (test_catalogue tests a cold one)."""
    root = tmp_path / "home"
    shutil.copytree(builtin_parse_cache, resolve({"STRETCHCOACH_HOME": str(root)}).cache_dir)
    monkeypatch.setenv("STRETCHCOACH_HOME", str(root))
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return resolve({"STRETCHCOACH_HOME": str(root)})


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write dedented YAML text to tmp_path/NAME and return its path."""

    def write(text: str, name: str = "catalogue.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist's `--dist loadgroup`, the pty tests run on one worker, one after
    another, as in a single process; the other worker runs the rest meanwhile."""
    for item in items:
        if item.get_closest_marker("pty") is not None:
            item.add_marker(pytest.mark.xdist_group("terminal"))
