"""`import` never breaks or silently changes the catalogue: ids never shadow, malformed
records are exit-2 errors naming the record and field, gear-needing moves stay out of desk
sessions, and the file is read capped."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stretchcoach.catalogue import reading as catalogue_reading
from stretchcoach.catalogue.importer import convert
from stretchcoach.catalogue.loader import load
from stretchcoach.cli import app
from stretchcoach.paths import Paths
from stretchcoach.plan.pool import allowed
from stretchcoach.plan.request import Request, resolve

MINE = """\
schema: 1
exercises:
  - id: neck-roll
    name: My neck roll
    targets: [neck]
    hold: 20s
routines:
  - id: my-break
    name: My break
    items: [neck-roll]
"""


def record(name: str, **fields: object) -> dict[str, object]:
    return {
        "name": name, "category": "stretching", "equipment": "body only",
        "primaryMuscles": ["neck"], "instructions": ["Sit tall.", "Hold 20 seconds."], **fields,
    }  # fmt: skip


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def write_json(tmp_path: Path, data: object, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def mine(home: Paths) -> Paths:
    home.catalogue_dir.mkdir(parents=True)
    (home.catalogue_dir / "mine.yaml").write_text(MINE, encoding="utf-8")
    return home


# ---------------------------------------------------------------- ids never shadow


def test_clashing_ids_are_renamed_and_listed(mine: Paths, tmp_path: Path) -> None:
    builtin = next(iter(load(mine, include_user=False).exercises))
    source = write_json(
        tmp_path,
        [record("Neck Roll"), record("My Break"), record(builtin.replace("-", " ")),
         record("Fresh Stretch"), record("Neck Roll Imported")],
    )  # fmt: skip
    done = invoke("import", str(source))
    assert done.exit_code == 0, done.output
    target = mine.catalogue_dir / "free-exercise-db.yaml"
    mine_file = mine.catalogue_dir / "mine.yaml"
    assert done.stderr.splitlines() == [
        f"renamed neck-roll to neck-roll-imported-2: neck-roll is an exercise in {mine_file}",
        f"renamed my-break to my-break-imported: my-break is a routine in {mine_file}",
        f"renamed {builtin} to {builtin}-imported: {builtin} is a built-in exercise",
        f"imported 5 exercises into {target}",
    ]
    # Every command still works, and every definition in force is the one it was.
    loaded = load(mine)
    assert loaded.exercises["neck-roll"].name == "My neck roll"
    assert loaded.exercises[builtin].origin.file != str(target)
    assert loaded.routines["my-break"].items[0].exercise == "neck-roll"
    assert loaded.exercises["fresh-stretch"].origin.file == str(target)
    assert loaded.exercises["neck-roll-imported"].origin.file == str(target)
    assert not loaded.shadowed
    for command in (["list"], ["routines"], ["plan", "my-break"]):
        assert invoke(*command).exit_code == 0


def test_reimporting_with_force_does_not_rename_against_itself(mine: Paths, tmp_path: Path) -> None:
    source = write_json(tmp_path, [record("Fresh Stretch")])
    assert invoke("import", str(source)).exit_code == 0
    again = invoke("import", str(source), "--force")
    assert again.exit_code == 0
    assert again.stderr.startswith("imported 1 exercises into")


# ---------------------------------------------------------------- malformed records


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([record("Squat", instructions=7)],
         "record 1 ('Squat'): instructions must be a list of text, not a number"),
        ([record("Squat", instructions="Bend your knees.")],
         "record 1 ('Squat'): instructions must be a list of text, not text"),
        ([record("A"), record("Squat", primaryMuscles=[["quads"]])],
         "record 2 ('Squat'): each of primaryMuscles must be text, not a list"),
        ([record("Squat", category={"a": 1})],
         "record 1 ('Squat'): category must be text, not an object"),
        ([record("Squat", equipment=True)],
         "record 1 ('Squat'): equipment must be text, not true"),
        ([record("A"), "Squat"], "record 2 must be a JSON object, not text"),
        ([record("A"), {"name": 5}], "record 2 has no name"),
        ([{"name": "\u202e\u200b"}], "record 1 has no name"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
        ('[{"name": "a", "reps": 1' + "0" * 5000 + "}]", "not valid JSON: "),
        ("{", "not valid JSON: Expecting property name"),
    ],
)  # fmt: skip
def test_malformed_records_are_exit_2_naming_record_and_field(
    home: Paths, tmp_path: Path, data: object, message: str
) -> None:
    source = write_json(tmp_path, data)
    done = invoke("import", str(source))
    assert done.exit_code == 2, done.output
    assert message in done.stderr
    assert "Traceback" not in done.output and "unexpected" not in done.stderr
    assert not (home.catalogue_dir / "free-exercise-db.yaml").exists()


def test_a_file_over_the_cap_is_refused_before_it_is_read_whole(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_reading, "MAX_BYTES", 1024)
    source = write_json(tmp_path, [record(f"Move {i}") for i in range(50)])
    done = invoke("import", str(source))
    assert done.exit_code == 2
    assert (
        "in.json: the file is 7.4 KiB, over the 1 KiB cap (a larger file would load too "
        "slowly); split it" in done.stderr
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_at_once(home: Paths) -> None:
    done = invoke("import", "/dev/zero")
    assert done.exit_code == 2
    assert "/dev/zero: not a regular file (a character device)" in done.stderr


def test_text_that_would_not_load_is_cleaned_on_import(home: Paths, tmp_path: Path) -> None:
    source = write_json(tmp_path, [record("Neck\u202e Roll\u200b", instructions=["a\u2028b"])])
    assert invoke("import", str(source)).exit_code == 0
    (found,) = [e for e in load(home).exercises.values() if e.id == "neck-roll"]
    assert (found.name, found.steps) == ("Neck Roll", ("a b",))


# ---------------------------------------------------------------- gear


@pytest.mark.parametrize(
    ("fields", "gear"),
    [
        ({"equipment": "other"}, ["other"]),
        ({"category": "strongman", "equipment": None}, ["strongman-gear"]),
        ({"category": "plyometrics"}, ["room-to-jump"]),
        ({"category": "strongman", "equipment": "other"}, ["other", "strongman-gear"]),
    ],
)
def test_moves_needing_gear_never_enter_a_default_desk_session(
    home: Paths, fields: dict[str, object], gear: list[str]
) -> None:
    (converted,) = convert([record("Heavy Thing", **fields)])
    assert converted["equipment"] == gear
    source = home.config_dir / "in.json"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(json.dumps([record("Heavy Thing", **fields)]), encoding="utf-8")
    assert invoke("import", str(source)).exit_code == 0
    catalogue = load(home)
    spec = resolve(catalogue, Request(), dt.date(2026, 1, 5))
    assert not allowed(catalogue.exercises["heavy-thing"], spec)


@pytest.mark.skipif(os.name != "posix", reason="line breaks in file names")
def test_a_line_break_in_the_source_name_cannot_reach_the_yaml(home: Paths, tmp_path: Path) -> None:
    source = write_json(tmp_path, [record("Fresh Stretch")], name="x\nroutines: oops\n.json")
    done = invoke("import", str(source))
    assert done.exit_code == 0, done.stderr
    written = (home.catalogue_dir / "free-exercise-db.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[0] == (
        "# Imported by stretchcoach from x routines: oops .json (free-exercise-db); "
        "doses filled by rule."
    )
    assert "fresh-stretch" in load(home).exercises


# ---------------------------------------------------------------- bounded work


def test_a_long_run_of_digits_in_the_instructions_imports_at_once(
    home: Paths, tmp_path: Path
) -> None:
    # The old dose patterns backtracked cubically: 2,000 digits took minutes.
    source = write_json(tmp_path, [record("Digits", instructions=["1" * 200_000 + " seconds"])])
    done = invoke("import", str(source))
    assert done.exit_code == 0, done.stderr
    assert load(home).exercises["digits"].dose.hold == 30  # no number of 4 digits or fewer


def test_too_many_records_are_refused_before_converting(home: Paths, tmp_path: Path) -> None:
    source = write_json(tmp_path, "[" + ",".join(["{}"] * 20_001) + "]")
    done = invoke("import", str(source))
    assert done.exit_code == 2
    assert "20,001 records, more than the 20,000 one catalogue file holds" in done.stderr
