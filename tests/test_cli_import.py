"""`stretchcoach import` end to end on a small free-exercise-db file kept in tests/data/."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.paths import Paths

SAMPLE = Path(__file__).resolve().parent / "data" / "free-exercise-db-sample.json"
PUBLISHER = "yuhonas/free-exercise-db (public domain, Unlicense)"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_import_writes_a_catalogue_file_with_doses_by_rule(home: Paths) -> None:
    done = invoke("import", str(SAMPLE))
    target = home.catalogue_dir / "free-exercise-db.yaml"
    assert (done.exit_code, done.output) == (0, f"imported 3 exercises into {target}\n")
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# Imported by stretchcoach from free-exercise-db-sample.json (free-exercise-db);"
        " doses filled by rule."
    )
    data = yaml.safe_load(text)
    assert data["schema"] == 1
    exercises = data["exercises"]
    assert [(e["id"], e["kind"], e["hold"], e["reps"], e["sides"]) for e in exercises] == [
        ("seated-neck-side-bend", "stretch", "20s", 1, "none"),
        ("band-pull-apart", "strength", "3s", 10, "none"),
        ("upper-back-smr", "release", "30s", 1, "none"),
    ]
    assert [(e["targets"], e["position"], e["equipment"]) for e in exercises] == [
        (["neck", "upper-back"], "seated", []),
        (["upper-back", "shoulders"], "standing", ["band"]),
        (["upper-back"], "floor", ["foam-roller"]),
    ]
    assert [e["source"] for e in data["exercises"]] == [
        [{"title": "free-exercise-db", "publisher": PUBLISHER, "says": says}]
        for says in (
            "instructions say 20 seconds; held 20 s (15–30 s, article 004)",
            "no dose given; 8–12 reps, the general rule in article 004",
            "no dose given; hold 15–30 s, the general rule in article 004",
        )
    ]


def test_imported_exercises_load_show_and_plan_like_any_other(home: Paths) -> None:
    assert invoke("import", str(SAMPLE)).exit_code == 0

    listed = json.loads(invoke("list", "--search", "smr", "--json").output)
    assert [(e["id"], e["hold_seconds"], e["sources"][0]["publisher"]) for e in listed] == [
        ("upper-back-smr", 30, PUBLISHER)
    ]
    shown = json.loads(invoke("show", "band-pull-apart", "--json").output)
    assert (shown["kind"], shown["hold_seconds"], shown["reps"], shown["sets"]) == (
        "strength", 3, 10, 1
    )  # fmt: skip
    planned = json.loads(invoke("plan", "seated-neck-side-bend", "--json").output)
    assert [(i["exercise"], i["hold_seconds"], i["reps"]) for i in planned["items"]] == [
        ("seated-neck-side-bend", 20, 1)
    ]


def test_a_second_import_refuses_to_replace_without_force(home: Paths, tmp_path: Path) -> None:
    target = home.catalogue_dir / "free-exercise-db.yaml"
    assert invoke("import", str(SAMPLE)).exit_code == 0
    target.write_text("schema: 1\n", encoding="utf-8")

    again = invoke("import", str(SAMPLE))
    assert (again.exit_code, again.output) == (
        2,
        f"error: {target} exists\nhint: pass --force to replace it\n",
    )
    assert target.read_text(encoding="utf-8") == "schema: 1\n"

    forced = invoke("import", str(SAMPLE), "--force")
    assert (forced.exit_code, forced.output) == (0, f"imported 3 exercises into {target}\n")
    assert len(yaml.safe_load(target.read_text(encoding="utf-8"))["exercises"]) == 3


def test_output_names_another_file(home: Paths, tmp_path: Path) -> None:
    elsewhere = tmp_path / "mine" / "imported.yaml"
    done = invoke("import", str(SAMPLE), "--output", str(elsewhere))
    assert (done.exit_code, done.output) == (0, f"imported 3 exercises into {elsewhere}\n")
    assert not (home.catalogue_dir / "free-exercise-db.yaml").exists()
    checked = invoke("validate", str(elsewhere))
    assert checked.exit_code == 0, checked.output
