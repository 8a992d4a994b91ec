"""routine_yaml.py: a routine becomes schema-1 YAML that reads back as the same routine."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.catalogue.routine_yaml import dump, routine_document
from stretchcoach.model import Routine, RoutineItem
from stretchcoach.paths import Paths

ROUTINE = Routine(
    id="my-break",
    name="Desk break: no floor",
    items=(
        RoutineItem("chin-tuck", hold=30, hold_text="5 breaths", reps=2, sets=1),
        RoutineItem("chin-to-chest", hold=90),
        RoutineItem("arm-circles"),
    ),
    summary="Generated with: stretchcoach plan --minutes 5 --seed 1",
    prepare=5,
    rest=0,
)


def test_the_text_is_exact_and_reads_like_a_hand_written_file():
    assert dump(ROUTINE) == (
        "schema: 1\n"
        "routines:\n"
        "  - id: my-break\n"
        '    name: "Desk break: no floor"\n'
        '    summary: "Generated with: stretchcoach plan --minutes 5 --seed 1"\n'
        "    prepare: 5s\n"
        "    rest: 0s\n"
        "    items:\n"
        "      - exercise: chin-tuck\n"
        '        hold: "5 breaths"\n'
        "        reps: 2\n"
        "        sets: 1\n"
        "      - exercise: chin-to-chest\n"
        "        hold: 1m30s\n"
        "      - exercise: arm-circles\n"
    )


def test_a_breaths_hold_that_no_longer_matches_its_seconds_is_written_in_seconds():
    item = RoutineItem("chin-tuck", hold=20, hold_text="5 breaths")
    routine = Routine(id="r", name="R", items=(item,))
    assert routine_document(routine)["routines"][0]["items"] == [
        {"exercise": "chin-tuck", "hold": "20s"}
    ]


AMBIGUOUS = [
    "no", "yes", "on", "off", "y", "n", "true", "null", "~", "010", "0o10", "0x1f", "1:30",
    "1_000", "2024-01-01", "1e3", ".inf", ".nan", "-", "- x", "@x", "`x", "#x", "a: b", "x #y",
    "'quoted'", '"', "", " leading", "trailing ", "tab\there", "line\nbreak", "*alias", "&a",
    "!tag", "%x", "{a}", "[a]", "? x", "|", ">", "ünïcode – dash",
]  # fmt: skip


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_ambiguous_strings_come_back_as_the_same_string(text: str):
    routine = Routine(id="r", name=text, items=(RoutineItem("x"),), summary=text or "s")
    written = dump(routine)
    for loader in (yaml.SafeLoader, yaml.BaseLoader):  # YAML 1.1 rules, and no rules at all
        body = yaml.load(written, Loader=loader)["routines"][0]
        assert body["name"] == text
        assert body["summary"] == (text or "s")


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_round_trips_through_a_safe_loader(text: str):
    routine = Routine(id="r", name=text, items=(RoutineItem("x", hold=1),), summary="s")
    assert yaml.safe_load(dump(routine))["routines"][0]["name"] == text


@given(
    st.integers(0, 3 * 3600),
    st.integers(0, 120),
    st.integers(0, 120),
    st.integers(1, 30),
    st.integers(1, 5),
)
def test_numbers_and_durations_read_back_as_written(
    hold: int, prepare: int, rest: int, reps: int, sets: int
):
    from stretchcoach.durations import parse

    item = RoutineItem("x", hold=hold, reps=reps, sets=sets, sides="each")
    routine = Routine(id="r", name="R", items=(item,), prepare=prepare, rest=rest)
    body = yaml.safe_load(dump(routine))["routines"][0]
    assert parse(body["prepare"]) == prepare and parse(body["rest"]) == rest
    assert body["items"] == [
        {"exercise": "x", "hold": body["items"][0]["hold"], "reps": reps, "sets": sets,
         "sides": "each"}
    ]  # fmt: skip
    assert parse(body["items"][0]["hold"]) == hold


def test_the_catalogue_loader_reads_it_back_as_the_same_routine(tmp_path: Path):
    catalogue = pytest.importorskip("stretchcoach.catalogue.loader")
    paths = Paths(tmp_path / "config", tmp_path / "data", tmp_path / "cache")
    builtin = catalogue.load(paths, use_cache=False)
    if not {"chin-tuck", "chin-to-chest", "arm-circles"} <= set(builtin.exercises):
        pytest.skip("the built-in catalogue lacks the exercises this routine names")
    path = tmp_path / "mine.yaml"
    path.write_text(dump(ROUTINE), encoding="utf-8")
    assert catalogue.validate([path], paths) == []
    loaded = catalogue.load(paths, [path], use_cache=False).routines["my-break"]
    assert (loaded.id, loaded.name, loaded.summary, loaded.prepare, loaded.rest) == (
        "my-break",
        "Desk break: no floor",
        "Generated with: stretchcoach plan --minutes 5 --seed 1",
        5,
        0,
    )
    assert [(i.exercise, i.hold, i.reps, i.sets, i.sides) for i in loaded.items] == [
        ("chin-tuck", 30, 2, 1, None),
        ("chin-to-chest", 90, None, None, None),
        ("arm-circles", None, None, None, None),
    ]
    assert loaded.items[0].hold_text == "5 breaths"
