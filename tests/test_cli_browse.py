"""The browse commands through Typer's CliRunner: exact output, parsed JSON, exit codes."""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stretchcoach import __version__
from stretchcoach.catalogue import loader as catalogue
from stretchcoach.cli import app, browse
from stretchcoach.paths import Paths, builtin_data_dir
from stretchcoach.remind.settings import Settings, describe

CATALOGUE = """
schema: 1
exercises:
  - id: chin-tuck
    name: Chin tuck
    kind: posture
    targets: [neck]
    muscles: [deep neck flexors]
    position: seated
    hold: 3s
    reps: 10
    steps:
      - Sit tall.
      - Draw your chin straight back.
    cautions: [Stop if your arm tingles.]
    source:
      - title: Neck article
        publisher: A clinic
        says: 3 s hold, 10 reps
        url: https://example.org/neck
  - id: doorway-stretch
    name: "[bold red]Doorway[/] stretch"
    targets: [chest, shoulders]
    position: standing
    equipment: [doorway]
    sides: each
    hold: 5 breaths
routines:
  - id: mini-break
    name: Mini break
    summary: Two moves.
    items:
      - exercise: chin-tuck
        reps: 5
      - doorway-stretch
"""


@pytest.fixture
def run(home: Paths) -> Callable[..., object]:
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> object:
        return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty built-in data dir, so output depends only on the test's own files."""
    folder = tmp_path / "builtin"
    folder.mkdir()
    monkeypatch.setattr(catalogue, "builtin_data_dir", lambda: folder)
    monkeypatch.setattr(browse, "builtin_data_dir", lambda: folder)
    return folder


@pytest.fixture
def cat(write_yaml: Callable[..., Path], builtin: Path) -> Path:
    return write_yaml(CATALOGUE, "test.yaml")


def test_list_prints_a_plain_table_when_piped(run: Callable[..., object], cat: Path) -> None:
    result = run("list", "-c", str(cat), "--wide")
    assert result.exit_code == 0
    assert result.stdout == (
        "id               name                          targets           position  dose"
        "                       time\n"
        "chin-tuck        Chin tuck                     neck              seated    3s × 10"
        "                    0:35\n"
        "doorway-stretch  [bold red]Doorway[/] stretch  chest, shoulders  standing  "
        "5 breaths (30s) each side  1:10\n"
    )


def test_list_without_wide_shows_id_name_dose_and_time(
    run: Callable[..., object], cat: Path
) -> None:
    result = run("list", "-c", str(cat))
    assert result.exit_code == 0
    assert result.stdout == (
        "id               name                          dose                       time\n"
        "chin-tuck        Chin tuck                     3s × 10                    0:35\n"
        "doorway-stretch  [bold red]Doorway[/] stretch  5 breaths (30s) each side  1:10\n"
    )


def test_list_json_has_stable_keys(run: Callable[..., object], cat: Path) -> None:
    result = run("list", "-c", str(cat), "--target", "deep neck flexors", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": "chin-tuck",
            "name": "Chin tuck",
            "kind": "posture",
            "targets": ["neck"],
            "muscles": ["deep neck flexors"],
            "position": "seated",
            "equipment": [],
            "sides": "none",
            "hold_seconds": 3,
            "hold_text": "3s",
            "reps": 10,
            "sets": 1,
            "total_seconds": 35,
            "steps": ["Sit tall.", "Draw your chin straight back."],
            "cautions": ["Stop if your arm tingles."],
            "sources": [
                {
                    "title": "Neck article",
                    "publisher": "A clinic",
                    "says": "3 s hold, 10 reps",
                    "url": "https://example.org/neck",
                }
            ],
            "defined_in": {"file": str(cat), "line": 3},
            "overrides": [],
        }
    ]


def test_list_filters_combine(run: Callable[..., object], cat: Path) -> None:
    result = run("list", "-c", str(cat), "-p", "seated", "-e", "none", "-k", "posture", "--json")
    assert [e["id"] for e in json.loads(result.stdout)] == ["chin-tuck"]
    result = run("list", "-c", str(cat), "-e", "doorway", "-s", "DOORWAY", "--json")
    assert [e["id"] for e in json.loads(result.stdout)] == ["doorway-stretch"]


def test_an_empty_list_is_a_friendly_line_and_exit_0(run: Callable[..., object], cat: Path) -> None:
    result = run("list", "-c", str(cat), "--target", "legs")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "No exercises match these filters; try fewer, or `stretchcoach list` for all.\n"
    )
    result = run("list", "-c", str(cat), "--target", "legs", "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_list_leaves_the_garbage_collector_as_it_found_it(
    run: Callable[..., object], cat: Path
) -> None:
    # list pauses the collector while it loads and draws; in-process callers get it back.
    assert gc.isenabled()
    assert run("list", "-c", str(cat)).exit_code == 0
    assert run("list", "-c", str(cat), "--target", "upperback").exit_code == 2
    assert gc.isenabled()
    gc.disable()
    try:
        assert run("list", "-c", str(cat)).exit_code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_list_leaves_its_catalogue_and_the_paused_collector_to_a_process_that_ends(
    home: Paths, cat: Path
) -> None:
    # The console script ends the process at once after a success: freeing the catalogue
    # object by object, and a collection over it, would only delay that.
    from stretchcoach.cli.env import Environment

    ending = lambda: Environment.from_os(process_ends=True)  # noqa: E731
    try:
        result = CliRunner().invoke(app, ["list", "-c", str(cat)], obj=ending)
        assert result.exit_code == 0
        assert not gc.isenabled()
        assert [sorted(c.exercises) for c in browse._LEFT_FOR_EXIT] == [
            ["chin-tuck", "doorway-stretch"]
        ]
    finally:
        gc.enable()
        browse._LEFT_FOR_EXIT.clear()


def test_an_unknown_target_suggests_and_exits_2(run: Callable[..., object], cat: Path) -> None:
    result = run("list", "-c", str(cat), "--target", "upperback")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown target 'upperback'\nhint: did you mean 'upper-back'?\n"
    )


def test_show_prints_every_field(run: Callable[..., object], cat: Path) -> None:
    result = run("show", "chin-tuck", "-c", str(cat))
    assert result.exit_code == 0
    assert result.stdout == (
        "chin-tuck  Chin tuck\n"
        "kind:      posture\n"
        "targets:   neck\n"
        "muscles:   deep neck flexors\n"
        "position:  seated\n"
        "equipment: none\n"
        "dose:      hold 3s, 10 times\n"
        "time:      0:35 on its own, with 5s to get ready\n"
        "steps:\n"
        "  1. Sit tall.\n"
        "  2. Draw your chin straight back.\n"
        "cautions:\n"
        "  - Stop if your arm tingles.\n"
        "sources:\n"
        "  - Neck article, A clinic\n"
        "    says: 3 s hold, 10 reps\n"
        "    https://example.org/neck\n"
        f"defined in: {cat}:3\n"
    )


def test_show_a_routine(run: Callable[..., object], cat: Path) -> None:
    result = run("show", "mini-break", "-c", str(cat))
    assert result.stdout == (
        "mini-break  Mini break  1:40\n"
        "  Two moves.\n"
        "  get ready 5s, rest 10s\n"
        "  1. chin-tuck  Chin tuck  3s × 5\n"
        "  2. doorway-stretch  [bold red]Doorway[/] stretch  5 breaths (30s) each side\n"
        f"defined in: {cat}:28\n"
    )


def test_show_unknown_id_suggests_and_exits_2(run: Callable[..., object], cat: Path) -> None:
    result = run("show", "chin-tuk", "-c", str(cat))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown routine or exercise 'chin-tuk'\nhint: did you mean 'chin-tuck'?\n"
    )


def test_show_says_which_definition_is_in_force(
    run: Callable[..., object], cat: Path, home: Paths, write_yaml: Callable[..., Path]
) -> None:
    home.catalogue_dir.mkdir(parents=True)
    user = home.catalogue_dir / "mine.yaml"
    user.write_text(CATALOGUE.replace("Chin tuck", "My chin tuck"), encoding="utf-8")
    result = run("show", "chin-tuck", "-c", str(cat), "--json")
    data = json.loads(result.stdout)
    assert data["name"] == "Chin tuck"
    assert data["defined_in"] == {"file": str(cat), "line": 3}
    assert data["overrides"] == [{"file": str(user), "line": 4}]
    text = run("show", "chin-tuck", "-c", str(cat)).stdout
    assert text.endswith(f"defined in: {cat}:3\noverrides:  {user}:4\n")


def test_routines_text_and_json(run: Callable[..., object], cat: Path) -> None:
    text = run("routines", "-c", str(cat)).stdout
    assert text.startswith("mini-break  Mini break  1:40\n  Two moves.\n")
    result = run("routines", "-c", str(cat), "--json")
    assert json.loads(result.stdout) == [
        {
            "id": "mini-break",
            "name": "Mini break",
            "summary": "Two moves.",
            "prepare_seconds": 5,
            "rest_seconds": 10,
            "total_seconds": 100,
            "items": [
                {"exercise": "chin-tuck", "hold_seconds": 3, "reps": 5, "sets": 1, "sides": "none"},
                {
                    "exercise": "doorway-stretch",
                    "hold_seconds": 30,
                    "reps": 1,
                    "sets": 1,
                    "sides": "each",
                },
            ],
        }
    ]


def test_validate_ok_and_problems(
    run: Callable[..., object], cat: Path, write_yaml: Callable[..., Path]
) -> None:
    result = run("validate", str(cat))
    assert (result.exit_code, result.stdout) == (0, f"{cat}: ok (2 exercises, 1 routine)\n")
    bad = write_yaml("schema: 1\nexercises:\n  - id: x\n    name: X\n    sides: no\n", "bad.yaml")
    result = run("validate", str(cat), str(bad))
    assert result.exit_code == 2
    assert result.stdout == f"{cat}: ok (2 exercises, 1 routine)\n"
    assert result.stderr == (
        f"{bad}:3:5: exercise 'x' is missing required key 'targets' (e.g. targets: [neck])\n"
        f"{bad}:3:5: exercise 'x' is missing required key 'hold' (e.g. hold: 30s)\n"
        f"{bad}:5:12: unknown sides 'no'; use none, each or alternate "
        "(YAML 1.1 would read `no` as false; did you mean 'none'?)\n"
        "error: 3 problems in a catalogue file\n"
    )


def test_a_bad_catalogue_exits_2_without_a_traceback(
    run: Callable[..., object], builtin: Path, write_yaml: Callable[..., Path]
) -> None:
    bad = write_yaml("schema: 1\nexercises:\n  - !!python/object:os.system {}\n", "bad.yaml")
    result = run("list", "-c", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{bad}:3:5: tags such as '!!python/object:os.system' are not allowed; write a plain value"
    )
    assert "Traceback" not in result.stderr


def test_info_says_where_files_are(
    run: Callable[..., object], cat: Path, home: Paths, builtin: Path
) -> None:
    result = run("info", "-c", str(cat), "--json")
    data = json.loads(result.stdout)
    assert data == {
        "version": __version__,
        "home": str(home.config_dir),
        "config_dir": str(home.config_dir),
        "catalogue_dir": str(home.catalogue_dir),
        "history_db": str(home.history_db),
        "cache_dir": str(home.cache_dir),
        "builtin_dir": str(builtin),
        "files": [{"path": str(cat), "layer": "option", "exercises": 2, "routines": 1}],
        "shadowed": {},
        "config_file": str(home.config_dir / "config.toml"),
        "settings": describe(Settings()),
    }
    text = run("info", "-c", str(cat)).stdout
    assert text.splitlines()[0] == f"stretchcoach {__version__}"
    assert f"STRETCHCOACH_HOME: {home.config_dir}\n" in text
    assert text.endswith(f"files loaded:\n  option  {cat}  (2 exercises, 1 routine)\n")


def test_catalogue_markup_is_printed_as_text_on_a_terminal(
    run: Callable[..., object], cat: Path
) -> None:
    env = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "200"}
    result = run("list", "-c", str(cat), env=env)
    assert "[bold red]Doorway[/] stretch" in result.stdout
    shown = run("show", "doorway-stretch", "-c", str(cat), env={"FORCE_COLOR": "1"})
    assert "[bold red]Doorway[/] stretch" in shown.stdout


def test_no_color_removes_colour_but_force_color_keeps_it(
    run: Callable[..., object], cat: Path
) -> None:
    coloured = run("show", "chin-tuck", "-c", str(cat), env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[36m" in coloured  # the id in cyan
    plain = run(
        "show", "chin-tuck", "-c", str(cat), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}
    ).stdout
    assert "\x1b[36m" not in plain
    assert "chin-tuck" in plain


def test_safety_prints_the_notes(run: Callable[..., object], builtin: Path) -> None:
    result = run("safety")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot read the safety notes at {builtin / 'safety.md'}: "
        "No such file or directory\nhint: reinstall stretchcoach\n"
    )
    (builtin / "safety.md").write_text("# Safety\n\nStop on pain.\n", encoding="utf-8")
    result = run("safety")
    assert (result.exit_code, result.stdout) == (0, "# Safety\n\nStop on pain.\n")


@pytest.mark.parametrize("command", ["list", "show", "routines", "validate", "info", "safety"])
def test_every_help_has_an_example(run: Callable[..., object], command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert re.search(rf"Examples?:\n    stretchcoach {command}\b", result.stdout)


needs_data = pytest.mark.skipif(
    not (builtin_data_dir() / "exercises.yaml").is_file(), reason="built-in data not present"
)


@needs_data
def test_the_built_in_catalogue_lists(run: Callable[..., object]) -> None:
    result = run("list", "--target", "upper-back", "--json")
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert found
    assert all(
        "upper-back" in e["targets"] or "upper back" in [m.lower() for m in e["muscles"]]
        for e in found
    )
    assert all(e["sources"] and e["defined_in"]["line"] >= 1 for e in found)
