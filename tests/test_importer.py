"""importer.py: free-exercise-db records become schema-1 exercises with a dose by rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stretchcoach.catalogue.importer import convert, parse_json, to_yaml
from stretchcoach.errors import UsageError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "free-exercise-db"


def record(**fields):
    base = {
        "name": "Chest Stretch",
        "category": "stretching",
        "equipment": "body only",
        "primaryMuscles": ["chest"],
        "secondaryMuscles": ["shoulders"],
        "instructions": ["Stand in a doorway.", "Lean forward until you feel a stretch."],
    }
    base.update(fields)
    return base


def test_a_stretch_gets_the_static_hold_rule():
    (ex,) = convert([record()])
    assert ex == {
        "id": "chest-stretch",
        "name": "Chest Stretch",
        "kind": "stretch",
        "targets": ["chest", "shoulders"],
        "muscles": ["chest", "shoulders"],
        "position": "standing",
        "equipment": [],
        "sides": "none",
        "hold": "30s",
        "reps": 1,
        "steps": ["Stand in a doorway.", "Lean forward until you feel a stretch."],
        "source": [
            {
                "title": "free-exercise-db",
                "publisher": "yuhonas/free-exercise-db (public domain, Unlicense)",
                "says": "no dose given; hold 15–30 s, the general rule in article 004",
            }
        ],
    }


def test_a_hold_named_in_the_instructions_is_kept_within_15_to_30_seconds():
    (ex,) = convert([record(instructions=["Lie on your back.", "Hold for 10-20 seconds."])])
    assert (ex["hold"], ex["reps"], ex["position"]) == ("20s", 1, "floor")
    assert ex["source"][0]["says"] == (
        "instructions say 10-20 seconds; held 20 s (15–30 s, article 004)"
    )


@pytest.mark.parametrize(
    ("instructions", "position"),
    [
        # "on the floor" says where the feet are, not the body (Spinal Stretch in the dataset)
        (["Sit in a chair, your feet planted on the floor.", "Twist to one side."], "seated"),
        (["Sit upright on the floor with your legs bent."], "floor"),
        (["Get into a seated position on the floor."], "floor"),
        (["Stand tall.", "Put your hands on the floor in front of you."], "standing"),
        (["Kneel on the floor, holding your heels."], "kneeling"),
        (["Lie on your back, then stand."], "floor"),
    ],
)
def test_the_position_is_where_the_body_is(instructions: list[str], position: str) -> None:
    (ex,) = convert([record(instructions=instructions)])
    assert ex["position"] == position


def test_strength_moves_get_reps_and_sides_from_the_text():
    (ex,) = convert(
        [
            record(
                name="Band Row",
                category="strength",
                equipment="bands",
                primaryMuscles=["middle back"],
                secondaryMuscles=[],
                instructions=["Sit tall.", "Do 15 repetitions, then switch to the other arm."],
            )
        ]
    )
    assert ex["kind"] == "strength" and ex["equipment"] == ["band"]
    assert (ex["hold"], ex["reps"], ex["sides"], ex["position"]) == ("3s", 12, "each", "seated")
    assert ex["targets"] == ["upper-back"]


def test_ids_stay_unique_and_control_characters_are_dropped():
    out = convert([record(name="Neck \x1b[31mRoll"), record(name="Neck  Roll")])
    assert [e["id"] for e in out] == ["neck-31mroll", "neck-roll"]
    assert out[0]["name"] == "Neck [31mRoll"


def test_foam_roller_moves_are_releases():
    (ex,) = convert([record(equipment="foam roll")])
    assert ex["kind"] == "release" and ex["equipment"] == ["foam-roller"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "x.json:1:2: not valid JSON"),
        ('{"a": 1}', "x.json: expected a JSON list of exercise records"),
        ('[{"name": ""}]', "x.json: record 1 has no name"),
    ],
)
def test_bad_files_are_usage_errors(text, message):
    with pytest.raises(UsageError) as caught:
        parse_json(text, "x.json")
    assert caught.value.message.startswith(message)


def test_yaml_output_round_trips():
    exercises = convert([record(), record(name="Other")])
    text = to_yaml(exercises, note="test")
    assert text.startswith("# test\nschema: 1\n")
    assert yaml.safe_load(text) == {"schema": 1, "exercises": exercises}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the project")
def test_the_whole_free_exercise_db_converts():
    records = parse_json((SHARED / "exercises.json").read_text(encoding="utf-8"), "db")
    out = convert(records)
    assert len(out) == len(records) == 873
    assert len({e["id"] for e in out}) == 873
    assert sum(e["kind"] in ("stretch", "release") for e in out) == 123
    assert json.dumps(out)  # plain data only


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the project")
def test_imported_catalogue_loads_lists_and_generates(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from stretchcoach.cli import app

    monkeypatch.setenv("STRETCHCOACH_HOME", str(tmp_path))
    runner = CliRunner()
    done = runner.invoke(app, ["import", str(SHARED / "exercises.json")])
    assert done.exit_code == 0, done.output
    assert done.output == (
        "renamed ankle-circles to ankle-circles-imported: ankle-circles is a built-in exercise\n"
        "renamed arm-circles to arm-circles-imported: arm-circles is a built-in exercise\n"
        f"imported 873 exercises into {tmp_path / 'catalogue' / 'free-exercise-db.yaml'}\n"
    )
    again = runner.invoke(app, ["import", str(SHARED / "exercises.json")])
    assert again.exit_code == 2 and "pass --force to replace it" in again.output

    listed = json.loads(runner.invoke(app, ["list", "--kind", "release", "--json"]).output)
    assert {e["id"] for e in listed} >= {"adductor", "calves-smr", "iliotibial-tract-smr"}

    planned = runner.invoke(
        app, ["plan", "--minutes", "10", "--target", "hamstrings", "--seed", "4",
              "--equipment", "none", "--json"],
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.output)
    assert abs(plan["total_seconds"] - 600) <= 60
    assert len({i["exercise"] for i in plan["items"]}) == len(plan["items"])
