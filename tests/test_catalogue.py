"""The catalogue loader: a table of good and bad files, load order, the cache, the caps."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from stretchcoach.catalogue import cache as catalogue_cache
from stretchcoach.catalogue import files as catalogue_files
from stretchcoach.catalogue import reading as catalogue_reading
from stretchcoach.catalogue.files import parse_file
from stretchcoach.catalogue.loader import check, load, validate
from stretchcoach.errors import CatalogueError
from stretchcoach.model import Dose, Exercise, Origin, Routine, RoutineItem, Source
from stretchcoach.paths import Paths, builtin_data_dir

HEAD = "schema: 1\nexercises:\n"
GOOD_EXERCISE = """\
  - id: neck-tilt
    name: Neck tilt
    targets: [neck]
    hold: 20s
"""


def write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path, *, require_source: bool = False) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_file(path, require_source=require_source)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


GOOD = [
    pytest.param(
        HEAD + GOOD_EXERCISE,
        {"hold": 20, "hold_text": "20s", "reps": 1, "sets": 1, "sides": "none"},
        id="defaults",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", "1:30") + "    sides: each\n    reps: 010\n",
        {"hold": 90, "hold_text": "1:30", "reps": 10, "sets": 1, "sides": "each"},
        id="clock-hold-and-leading-zero-reps",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", '"5 breaths"') + "    sets: 2\n",
        {"hold": 30, "hold_text": "5 breaths", "reps": 1, "sets": 2, "sides": "none"},
        id="breaths",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", "45") + "    sides: alternate\n",
        {"hold": 45, "hold_text": "", "reps": 1, "sets": 1, "sides": "alternate"},
        id="plain-seconds",
    ),
]


@pytest.mark.parametrize(("text", "dose"), GOOD)
def test_good_files_parse_to_the_dose_written(tmp_path: Path, text: str, dose: dict) -> None:
    (exercise,), routines = parse_file(write(tmp_path, text))
    assert routines == ()
    assert exercise.dose == Dose(**dose)
    assert exercise.origin == Origin(str(tmp_path / "c.yaml"), 3, 5)


def test_every_field_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        schema: 1
        exercises:
          - id: chin-tuck
            name: "Chin tuck [bold]"
            kind: posture
            targets: [neck, upper-back]
            muscles: [deep neck flexors]
            position: seated
            equipment: [chair]
            sides: none
            hold: 3s
            reps: 10
            sets: 2
            steps:
              - Sit tall.
              - |
                Draw your chin straight back.
            cautions: [Stop on pain.]
            source:
              - title: An article
                publisher: A clinic
                says: 3 s, 10 reps
                url: https://example.org/a
        routines:
          - id: desk-break
            name: Desk break
            summary: A short one.
            prepare: 0
            rest: 1m
            items:
              - exercise: chin-tuck
                hold: "5 breaths"
                reps: 2
                sets: 1
                sides: alternate
              - chin-tuck
        """,
    )
    (exercise,), (routine,) = parse_file(path, require_source=True)
    assert exercise.name == "Chin tuck [bold]"
    assert (exercise.kind, exercise.position) == ("posture", "seated")
    assert exercise.targets == ("neck", "upper-back")
    assert exercise.muscles == ("deep neck flexors",)
    assert exercise.equipment == ("chair",)
    assert exercise.steps == ("Sit tall.", "Draw your chin straight back.")
    assert exercise.cautions == ("Stop on pain.",)
    assert exercise.sources == (
        Source("An article", "A clinic", "3 s, 10 reps", "https://example.org/a"),
    )
    assert (routine.prepare, routine.rest, routine.summary) == (0, 60, "A short one.")
    first, second = routine.items
    assert (first.hold, first.hold_text, first.reps, first.sets, first.sides) == (
        30, "5 breaths", 2, 1, "alternate",
    )  # fmt: skip
    assert first.origin == Origin(str(path), 31, 9)
    assert (second.exercise, second.hold, second.reps) == ("chin-tuck", None, None)


BAD = [
    pytest.param("", ["1:1: the file is empty; a catalogue starts with `schema: 1`"], id="empty"),
    pytest.param(
        "exercises: []\n", ["1:1: missing `schema: 1` at the top of the file"], id="no-schema"
    ),
    pytest.param(
        "schema: 2\n",
        ["1:9: unsupported schema '2'; this version of stretchcoach reads schema 1"],
        id="schema-2",
    ),
    pytest.param(
        'schema: "1"\n', ["1:9: schema must be the number 1; remove the quotes"], id="schema-text"
    ),
    pytest.param(
        "- a\n- b\n",
        ["1:1: a catalogue must be a mapping with `schema: 1`, not a list"],
        id="top-list",
    ),
    pytest.param(
        "schema: 1\nexercises: {a: 1}\n",
        ["2:12: exercises must be a list of exercises, not a mapping"],
        id="exercises-mapping",
    ),
    pytest.param(
        "schema: 1\nexercise: []\n",
        ["2:1: unknown key 'exercise' in the catalogue; did you mean 'exercises'?"],
        id="top-typo",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    sides: no\n",
        [
            "7:12: unknown sides 'no'; use none, each or alternate "
            "(YAML 1.1 would read `no` as false; did you mean 'none'?)"
        ],
        id="sides-no",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    kind: strech\n",
        [
            "7:11: unknown kind 'strech'; use stretch, mobility, strength, posture or release "
            "(did you mean 'stretch'?)"
        ],
        id="kind-typo",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    position: on\n",
        [
            "7:15: unknown position 'on'; use seated, standing, kneeling, floor or any "
            "(YAML 1.1 would read `on` as true)"
        ],
        id="position-on",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("[neck]", "[nek]"),
        [
            "5:15: unknown target 'nek'; use neck, upper-back, chest, shoulders, arms, wrists, "
            "lower-back, core, hips, legs, eyes or full-body (did you mean 'neck'?)"
        ],
        id="target-typo",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("[neck]", "neck"),
        ["5:14: targets must be a list, e.g. [neck], not 'neck'"],
        id="targets-scalar",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("[neck]", "[]"),
        ["5:14: targets is empty; name at least one body area, e.g. [neck]"],
        id="targets-empty",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    steps: {a: b}\n",
        ["7:12: steps must be a list, e.g. [Sit tall.], not a mapping"],
        id="steps-mapping",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + '    reps: "10"\n',
        ["7:11: reps must be a whole number; remove the quotes around '10'"],
        id="reps-quoted",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    reps: 0\n",
        ["7:11: reps must be at least 1, not 0"],
        id="reps-zero",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    sets: 1.5\n",
        ["7:11: sets must be a whole number, not '1.5'"],
        id="sets-fraction",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    reps: 1000\n",
        ["7:11: reps must be at most 100, not 1000"],
        id="reps-huge",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", "0"),
        ["6:11: hold must be at least 1 second, not '0'"],
        id="hold-zero",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", "20 parsecs"),
        [
            "6:11: bad hold: unknown unit 'parsecs' in '20 parsecs'; use h, m, s or breaths "
            '(30, "30s", "1m30s", "1:30" or "5 breaths")'
        ],
        id="hold-unit",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("    hold: 20s\n", ""),
        ["3:5: exercise 'neck-tilt' is missing required key 'hold' (e.g. hold: 30s)"],
        id="hold-missing",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    nmae: x\n",
        ["7:5: unknown key 'nmae' in an exercise; did you mean 'name'?"],
        id="unknown-key",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    name: Again\n",
        ["7:5: duplicate key 'name' (first at line 4); remove one"],
        id="duplicate-key",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + GOOD_EXERCISE,
        ["7:5: duplicate id 'neck-tilt' (the exercise at line 3); give each its own id"],
        id="duplicate-id",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("neck-tilt", "Neck_Tilt"),
        [
            "3:9: id 'Neck_Tilt' is not a lowercase slug; use lowercase letters, digits and "
            "single hyphens, e.g. 'neck-tilt'"
        ],
        id="id-not-slug",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("Neck tilt", '"Neck \\e[31mtilt"'),
        ["4:11: name contains the control character U+001B; catalogue text must be plain text"],
        id="escape-in-name",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("Neck tilt", "!!python/object:os.system tilt"),
        ["4:11: tags such as '!!python/object:os.system' are not allowed; write a plain value"],
        id="python-tag",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", "!secret 20s"),
        ["6:11: tags such as '!secret' are not allowed; write a plain value"],
        id="local-tag",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("[neck]", "&t [neck]") + "    muscles: *t\n",
        [
            "5:14: anchors such as '&t' are not allowed; write the value out in full",
            "7:14: aliases such as '*t' are not allowed; write the value out in full",
        ],
        id="anchor-alias",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    source: {title: a}\n",
        ["7:13: source must be a list of {title, publisher, says}, not a mapping"],
        id="source-mapping",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE + "    source:\n      - {title: a, publisher: b, says: c, url: x}\n",
        ["8:48: url 'x' must start with https:// or http://"],
        id="bad-url",
    ),
    pytest.param(
        "schema: 1\nroutines:\n  - id: r\n    name: R\n    items: []\n",
        ["5:12: routine 'r' has no items; list at least one exercise"],
        id="empty-routine",
    ),
    pytest.param(
        "schema: 1\nroutines:\n  - id: r\n    name: R\n    items:\n"
        "      - {exercise: a, rest: 5}\n",
        ["6:23: unknown key 'rest' in a routine item; did you mean 'reps'?"],
        id="item-key",
    ),
    pytest.param(
        "schema: 1\nexercises:\n  - id: [\n",
        ["4:1: YAML syntax error: did not find expected node content (while parsing a flow node)"],
        id="syntax",
    ),
    pytest.param(
        "schema: 1\n---\nschema: 1\n",
        ["2:1: a catalogue file holds one YAML document; remove the second '---'"],
        id="two-documents",
    ),
    pytest.param(
        HEAD + GOOD_EXERCISE.replace("20s", "0") + "    reps: -1\n    kind: x\n",
        [
            "6:11: hold must be at least 1 second, not '0'",
            "7:11: reps must be a whole number, not '-1'",
            "8:11: unknown kind 'x'; use stretch, mobility, strength, posture or release",
        ],
        id="several-problems-all-reported",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_files_report_every_problem_at_its_place(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    assert problems_of(write(tmp_path, text)) == expected


def test_built_in_files_must_cite_a_source(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + GOOD_EXERCISE + "  - " + GOOD_EXERCISE[4:].replace(
        "neck-tilt", "other"
    ) + "    source: []\n")  # fmt: skip
    assert problems_of(path, require_source=True) == [
        "3:5: exercise 'neck-tilt' is missing required key 'source' "
        "(e.g. source: [{title: ..., publisher: ..., says: ...}])",
        "11:13: exercise 'other' has no source; built-in exercises cite at least one article",
    ]
    assert len(parse_file(path)[0]) == 2  # user files may leave the source out


def test_invalid_utf8_is_reported_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"schema: 1\nexercises:\n  - id: caf\xe9\n")
    assert problems_of(path) == ["3:12: invalid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_utf16_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes("schema: 1\n".encode("utf-16"))
    assert problems_of(path) == ["1:1: the file is UTF-16; save it as UTF-8"]


def test_control_bytes_in_the_raw_file_are_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"schema: 1\nexercises:\n  - id: a\x07b\n")
    assert problems_of(path) == ["3:10: unreadable text: control characters are not allowed"]


def test_files_over_the_size_cap_are_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_reading, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "c.yaml"
    path.write_bytes(b"#" * (1024 * 1024 + 1))
    assert problems_of(path) == [
        "1:1: the file is 1.0 MiB, over the 1 MiB cap "
        "(a larger file would load too slowly); split it"
    ]


def test_the_size_cap_is_above_a_large_catalogue() -> None:
    # benchmarks/make_catalogue.py's 10,000 exercises take 6.7 MiB.
    assert catalogue_files.MAX_BYTES >= 6.7 * 1024 * 1024


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.yaml") == [
        "1:1: cannot read the file: No such file or directory"
    ]


# ---------------------------------------------------------------- load order


def exercise_text(ident: str, name: str) -> str:
    return f"  - id: {ident}\n    name: {name}\n    targets: [neck]\n    hold: 20s\n"


def test_load_order_user_then_option_and_later_ids_win(home: Paths, tmp_path: Path) -> None:
    home.catalogue_dir.mkdir(parents=True)
    user = write(home.catalogue_dir, HEAD + exercise_text("mine", "User"), "a.yml")
    (home.catalogue_dir / "notes.txt").write_text("not a catalogue")
    option = write(tmp_path, HEAD + exercise_text("mine", "Option"), "o.yaml")
    loaded = load(home, [option])
    assert loaded.exercises["mine"].name == "Option"
    assert loaded.shadowed["mine"] == (Origin(str(user), 3, 5),)
    layers = [(f.layer, Path(f.path).name, f.exercises) for f in loaded.files]
    assert layers[-2:] == [("user", "a.yml", 1), ("option", "o.yaml", 1)]
    assert {f.layer for f in loaded.files[:-2]} <= {"built-in"}
    assert list(loaded.exercises)[-1] == "mine"
    assert "mine" not in load(home, include_user=False).exercises


def test_the_same_file_given_twice_loads_once(home: Paths, tmp_path: Path) -> None:
    option = write(tmp_path, HEAD + exercise_text("mine", "Option"), "o.yaml")
    loaded = load(home, [option, tmp_path / "." / "o.yaml"])
    assert [f.path for f in loaded.files if f.layer == "option"] == [str(option)]
    assert "mine" not in loaded.shadowed


def test_routines_resolve_across_files_and_unknown_items_are_problems(
    home: Paths, tmp_path: Path
) -> None:
    exercises = write(tmp_path, HEAD + exercise_text("mine", "Mine"), "e.yaml")
    routine = "schema: 1\nroutines:\n  - id: r\n    name: R\n    items: [mine, mien, zzz]\n"
    routines = write(tmp_path, routine, "r.yaml")
    with pytest.raises(CatalogueError) as info:
        load(home, [exercises, routines])
    assert [str(p) for p in info.value.problems] == [
        f"{routines}:5:19: routine 'r' names unknown exercise 'mien'; did you mean 'mine'?",
        f"{routines}:5:25: routine 'r' names unknown exercise 'zzz'; define it, or load the "
        "file that does with --catalogue",
    ]


def test_problems_of_all_files_are_raised_together(home: Paths, tmp_path: Path) -> None:
    one = write(tmp_path, "schema: 3\n", "one.yaml")
    two = write(tmp_path, "schema: 1\nextra: 1\n", "two.yaml")
    with pytest.raises(CatalogueError) as info:
        load(home, [one, two])
    assert info.value.message == "2 problems in 2 catalogue files"


def test_an_id_cannot_be_both_an_exercise_and_a_routine(home: Paths, tmp_path: Path) -> None:
    first = write(tmp_path, HEAD + exercise_text("same", "Same"), "a.yaml")
    second = write(
        tmp_path, "schema: 1\nroutines:\n  - id: same\n    name: S\n    items: [same]\n", "b.yaml"
    )
    with pytest.raises(CatalogueError) as info:
        load(home, [first, second])
    assert [str(p) for p in info.value.problems] == [
        f"{second}:3:5: id 'same' is already used by the exercise at {first}:3; "
        "exercises and routines share one set of ids"
    ]


def test_validate_checks_each_file_and_resolves_in_context(home: Paths, tmp_path: Path) -> None:
    exercises = write(tmp_path, HEAD + exercise_text("mine", "Mine"), "e.yaml")
    routine = "schema: 1\nroutines:\n  - id: r\n    name: R\n    items: [mine, nope]\n"
    routines = write(tmp_path, routine, "r.yaml")
    results = check([exercises, routines], home)
    assert [(r.path, r.exercises, r.routines, len(r.problems)) for r in results] == [
        (str(exercises), 1, 0, 0),
        (str(routines), 0, 1, 1),
    ]
    assert [p.message for p in validate([routines], home)] == [
        "routine 'r' names unknown exercise 'mine'; define it, or load the file that "
        "does with --catalogue",
        "routine 'r' names unknown exercise 'nope'; define it, or load the file that "
        "does with --catalogue",
    ]


# ---------------------------------------------------------------- the cache


def cache_files(home: Paths) -> list[Path]:
    return sorted((home.cache_dir / "catalogue").glob(f"*{catalogue_cache.SUFFIX}"))


def test_a_second_load_is_served_from_the_cache(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    option = write(tmp_path, HEAD + exercise_text("mine", "Cached"), "o.yaml")
    first = load(home, [option])
    assert cache_files(home)

    def refuse(*args: object) -> object:
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(catalogue_cache, "parse", refuse)
    monkeypatch.setattr(catalogue_cache, "parse_bytes", refuse)
    assert load(home, [option]) == first


def test_a_changed_file_misses_the_cache(home: Paths, tmp_path: Path) -> None:
    option = write(tmp_path, HEAD + exercise_text("mine", "Before"), "o.yaml")
    load(home, [option])
    write(tmp_path, HEAD + exercise_text("mine", "After!"), "o.yaml")
    stat = option.stat()
    os.utime(option, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load(home, [option]).exercises["mine"].name == "After!"


def test_a_corrupt_cache_is_rebuilt(home: Paths, tmp_path: Path) -> None:
    option = write(tmp_path, HEAD + exercise_text("mine", "Mine"), "o.yaml")
    load(home, [option])
    for path in cache_files(home):
        path.write_bytes(b"\x80\x05garbage")
    assert load(home, [option]).exercises["mine"].name == "Mine"
    assert all(p.read_bytes() != b"\x80\x05garbage" for p in cache_files(home))


EVERY_FIELD = """\
schema: 1
exercises:
  - id: chin-tuck
    name: "Chin tuck [bold]"
    kind: posture
    targets: [neck, upper-back]
    muscles: [deep neck flexors]
    position: seated
    equipment: [chair]
    sides: each
    hold: 5 breaths
    reps: 10
    sets: 2
    work: reps
    between: 2s
    discreet: true
    steps: [Sit tall., Draw your chin straight back.]
    cautions: [Stop on pain.]
    source:
      - title: An article
        publisher: A clinic
        says: 3 s, 10 reps
        url: https://example.org/a
      - title: Another
        publisher: A book
        says: the general rule
  - id: neck-tilt
    name: Neck tilt
    targets: [neck]
    hold: 5 breaths
    sides: each
    reps: 10
    sets: 2
    work: reps
    between: 2s
routines:
  - id: desk-break
    name: Desk break
    summary: A short one.
    prepare: 0
    rest: 1m
    items:
      - exercise: chin-tuck
        hold: "5 breaths"
        reps: 2
        sets: 1
        sides: alternate
        between: 0
      - neck-tilt
"""


def typed(value: object) -> object:
    """`value` with every record's type written out: a NamedTuple equals a plain tuple, so
    equality alone would not notice a cache handing back plain tuples or the wrong records."""
    if isinstance(value, tuple):
        return (type(value).__name__, tuple(typed(item) for item in value))
    if isinstance(value, Mapping):
        return {key: typed(item) for key, item in value.items()}
    return (type(value).__name__, value)


def test_a_cached_load_equals_an_uncached_one_record_for_record(
    home: Paths, tmp_path: Path
) -> None:
    option = write(tmp_path, EVERY_FIELD, "o.yaml")
    uncached = load(home, [option], use_cache=False)
    cold, warm = load(home, [option]), load(home, [option])
    assert cache_files(home)
    assert typed(cold) == typed(uncached) and typed(warm) == typed(uncached)
    mine = warm.exercises["chin-tuck"]
    assert (mine.dose.work, mine.dose.between, mine.discreet) == ("reps", 2, True)
    assert mine.origin == Origin(str(option), 3, 5)
    # Equal values read back from one entry stay one object, as the parser made them.
    assert mine.dose is warm.exercises["neck-tilt"].dose


def test_records_survive_packing_whatever_they_hold() -> None:
    # Records made in code may have no origin; a file may hold no exercises or no routines.
    plain = Exercise("a", "A", ("neck",), Dose(20))
    placed = plain._replace(id="b", origin=Origin("f.yaml", 7, 3), sources=(Source("t", "p", "s"),))
    routine = Routine("r", "R", (RoutineItem("a"), RoutineItem("b", hold=5, origin=Origin("f", 9))))
    far = placed._replace(id="d", origin=Origin("f.yaml", 2**40, 1), discreet=True)
    for parsed in [
        ((plain, placed), (routine,)),
        ((placed, placed._replace(id="c", origin=Origin("g.yaml", 1))), ()),
        (
            (placed, far, placed._replace(id="e", discreet=1)),
            (),
        ),  # lines past 32 bits; 1 is not True
        ((placed,), ()),
        ((), (routine._replace(origin=Origin("f", 8)),)),
        ((), ()),
    ]:
        packed = marshal.loads(marshal.dumps(catalogue_cache.pack(parsed)))
        assert typed(catalogue_cache.unpack(packed)) == typed(parsed)


def short_doses(entry: bytes) -> bytes:
    """The entry with its key intact and every dose missing its last field."""
    header = catalogue_cache.HEADER
    key, checksum, (count, columns, routines) = marshal.loads(entry[len(header) :])
    columns = list(columns)
    index = Exercise._fields.index("dose")
    table, picks = columns[index]
    columns[index] = (tuple(dose[:-1] for dose in table), picks)
    return header + marshal.dumps((key, checksum, (count, tuple(columns), routines)))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda entry: b"", id="empty"),
        pytest.param(lambda entry: entry[: len(entry) // 2], id="cut-short"),
        pytest.param(lambda entry: catalogue_cache.HEADER + b"\x00garbage", id="garbage"),
        pytest.param(
            lambda entry: catalogue_cache.HEADER + marshal.dumps(("not", "an", "entry")),
            id="wrong-shape",
        ),
        pytest.param(
            lambda entry: entry.replace(
                catalogue_cache.HEADER, catalogue_cache.HEADER.replace(b"cpython", b"otherpy")
            ),
            id="another-python",
        ),
        pytest.param(
            lambda entry: pickle.dumps(("key", None, ((), ())), protocol=5), id="version-4-pickle"
        ),
        pytest.param(lambda entry: short_doses(entry), id="records-missing-a-field"),
    ],
)
def test_a_damaged_or_foreign_entry_is_rebuilt_silently(
    home: Paths, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    option = write(tmp_path, EVERY_FIELD, "o.yaml")
    expected = typed(load(home, [option]))
    entry = catalogue_cache.cache_file(home.cache_dir, str(option), str(option), False)
    entry.write_bytes(damage(entry.read_bytes()))
    assert typed(load(home, [option])) == expected
    assert entry.read_bytes().startswith(catalogue_cache.HEADER)
    assert typed(load(home, [option])) == expected


def test_an_entry_left_by_an_earlier_version_is_replaced(home: Paths, tmp_path: Path) -> None:
    option = write(tmp_path, HEAD + exercise_text("mine", "Mine"), "o.yaml")
    entry = catalogue_cache.cache_file(home.cache_dir, str(option), str(option), False)
    old = entry.with_suffix(".pickle")  # version 4 and before: pickles
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(pickle.dumps(("key", None, ((), ())), protocol=5))
    assert load(home, [option]).exercises["mine"].name == "Mine"
    assert entry.is_file() and not old.exists()


def test_an_unwritable_cache_dir_is_skipped(home: Paths, tmp_path: Path) -> None:
    shutil.rmtree(home.cache_dir)  # the fixture's warm cache
    home.cache_dir.write_text("a file where the cache dir should be")
    option = write(tmp_path, HEAD + exercise_text("mine", "Mine"), "o.yaml")
    assert load(home, [option]).exercises["mine"].name == "Mine"


def test_files_with_problems_are_not_cached(home: Paths, tmp_path: Path) -> None:
    bad = write(tmp_path, "schema: 2\n", "bad.yaml")
    with pytest.raises(CatalogueError):
        load(home, [bad], include_user=False)
    with pytest.raises(CatalogueError):
        load(home, [bad], include_user=False)


# ---------------------------------------------------------------- the built-in catalogue

BUILTIN = builtin_data_dir()
needs_data = pytest.mark.skipif(
    not (BUILTIN / "exercises.yaml").is_file(), reason="built-in data not present"
)


@needs_data
def test_every_built_in_exercise_cites_a_source_and_every_routine_resolves(home: Paths) -> None:
    loaded = load(home, include_user=False, use_cache=False)
    assert len(loaded.exercises) >= 35
    assert all(e.sources for e in loaded.exercises.values())
    for routine in loaded.routines.values():
        assert all(item.exercise in loaded.exercises for item in routine.items)


@needs_data
def test_the_built_in_catalogue_cached_equals_it_parsed(home: Paths) -> None:
    uncached = load(home, include_user=False, use_cache=False)
    assert typed(load(home, include_user=False)) == typed(uncached)


@needs_data
def test_desk_break_is_built_in(home: Paths) -> None:
    loaded = load(home, include_user=False, use_cache=False)
    if not (BUILTIN / "routines.yaml").is_file():
        pytest.skip("built-in routines not present yet")
    assert "desk-break" in loaded.routines
    assert all(f.layer == "built-in" for f in loaded.files)


def test_a_hold_the_duration_parser_chokes_on_is_still_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + GOOD_EXERCISE.replace("20s", "²"))
    assert problems_of(path) == [
        '6:11: bad hold: \'²\' is not a duration; write 30, "30s", "1m30s", "1:30" or "5 breaths"'
    ]


def test_work_between_discreet_and_the_eyes_target_load(tmp_path: Path) -> None:
    text = HEAD + (
        "  - id: palming\n    name: Palming\n    targets: [eyes]\n    hold: 2s\n"
        "    reps: 10\n    work: reps\n    between: 1s\n    discreet: true\n"
        "routines:\n  - id: r\n    name: R\n    items:\n"
        "      - {exercise: palming, between: 3s}\n"
    )
    exercises, routines = parse_file(write(tmp_path, text))
    (ex,) = exercises
    assert (ex.targets, ex.dose.work, ex.dose.between, ex.discreet) == (("eyes",), "reps", 1, True)
    assert routines[0].items[0].between == 3
    assert routines[0].items[0].dose_for(ex).between == 3


def test_defaults_are_a_hold_with_no_return_and_not_discreet(tmp_path: Path) -> None:
    (ex,), _ = parse_file(write(tmp_path, HEAD + GOOD_EXERCISE))
    assert (ex.dose.work, ex.dose.between, ex.discreet) == ("hold", 0, False)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("work: rep", "7:11: unknown work 'rep'; use hold or reps (did you mean 'reps'?)"),
        ("discreet: yes", "7:15: discreet must be true or false, not 'yes'"),
        ("discreet: True", "7:15: discreet must be true or false, not 'True'"),
        (
            "between: soon",
            "7:14: bad between: 'soon' is not a duration;"
            ' write 30, "30s", "1m30s", "1:30" or "5 breaths"',
        ),
    ],
)
def test_new_keys_are_validated_at_their_place(tmp_path: Path, line: str, expected: str) -> None:
    problems = problems_of(write(tmp_path, HEAD + GOOD_EXERCISE + f"    {line}\n"))
    assert problems == [expected]
