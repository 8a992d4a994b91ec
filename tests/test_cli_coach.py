"""The command-line changes of the coach issue: completion, list --wide, routines --short,
validate with no path, export's default, history --since words, synonyms, hints, --help."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app, complete
from stretchcoach.cli.base import COMMAND_ORDER
from stretchcoach.cli.env import Environment
from stretchcoach.history.store import open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus
from stretchcoach.session.keys import keys_line

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 5, 15, 10, 0, tzinfo=UTC)


def invoke(*args: str, **env: str):
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **env})


# --- completion --------------------------------------------------------------------------


def complete_bash(words: str, **env: str) -> list[str]:
    """What the bash completion script would get for the command line `words`, cursor last."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="stretchcoach",
        env={
            "_STRETCHCOACH_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **env,
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_routine_and_exercise_ids_complete_from_the_catalogue(home):
    assert complete_bash("stretchcoach run desk-") == [
        "desk-break", "desk-reset", "desk-wrist-extension-stretch", "desk-wrist-flexion-stretch",
    ]  # fmt: skip
    assert complete_bash("stretchcoach show chin-tu") == ["chin-tuck"]
    assert complete_bash("stretchcoach plan --exclude chin-t") == ["chin-tuck", "chin-to-chest"]


def test_targets_positions_and_kinds_complete(home):
    assert complete_bash("stretchcoach list --position s") == ["seated", "standing", "sitting"]
    assert complete_bash("stretchcoach run --kind st") == ["stretch", "strength"]
    assert complete_bash("stretchcoach list --target up") == ["upper-back"]
    assert "rhomboids" in complete_bash("stretchcoach run --target rh")


def test_a_catalogue_given_on_the_line_completes_too(home, write_yaml):
    path = write_yaml(
        """
        schema: 1
        exercises:
          - {id: desk-push, name: Desk push, targets: [chest], hold: 5}
        """
    )
    words = f"stretchcoach run --catalogue {path} desk-p"
    assert complete_bash(words) == ["desk-push"]


def test_a_broken_catalogue_completes_nothing_and_prints_no_error(home, write_yaml):
    path = write_yaml("schema: 1\nexercises: [oops\n")
    assert [w for w in complete_bash(f"stretchcoach show --catalogue {path} chin") if w] == []


def test_the_callbacks_read_the_parse_cache_not_the_yaml(home, monkeypatch):
    from stretchcoach.catalogue import cache

    assert "micro-break" in complete.names(None, "")  # the first call fills the cache
    monkeypatch.setattr(cache, "parse", lambda *a, **k: pytest.fail("a cold YAML parse"))
    assert complete.names(None, "micro") == ["micro-break"]
    assert complete.kinds("po") == ["posture"]


def test_install_and_show_completion_are_offered(home):
    result = invoke("--show-completion", "bash")
    assert result.exit_code == 0, (result.output, repr(result.exception))  # seen once: exit 1
    assert "_stretchcoach_completion()" in result.stdout
    assert "complete -o default -F _stretchcoach_completion stretchcoach" in result.stdout
    assert "--install-completion" in invoke("--help").stdout


# --- list and routines -------------------------------------------------------------------


def test_list_shows_id_name_dose_and_time_and_wide_shows_every_column(home):
    narrow = invoke("list").stdout.splitlines()
    assert narrow[0].split() == ["id", "name", "dose", "time"]
    wide = invoke("list", "--wide").stdout.splitlines()
    assert wide[0].split() == ["id", "name", "targets", "position", "dose", "time"]
    assert len(narrow) == len(wide)


def test_list_fits_80_columns_on_a_terminal(home):
    result = invoke("list", FORCE_COLOR="1", COLUMNS="80")
    assert result.exit_code == 0
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_routines_short_is_id_name_and_time_shortest_first(home):
    lines = invoke("routines", "--short").stdout.splitlines()
    assert lines[0].split() == ["id", "name", "time"]
    times = [line.split()[-1] for line in lines[1:]]
    seconds = [int(m) * 60 + int(s) for m, s in (t.split(":") for t in times)]
    assert seconds == sorted(seconds)
    assert lines[1].startswith("meeting-minute ")  # the shortest built-in routine, 1:07


# --- validate, export, history -----------------------------------------------------------


def test_validate_with_no_path_checks_your_catalogue_folder(home):
    result = CliRunner().invoke(app, ["validate"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        f"nothing to check: your catalogue folder {home.catalogue_dir} does not exist yet\n"
    )
    home.catalogue_dir.mkdir(parents=True)
    assert "has no *.yaml files" in CliRunner().invoke(app, ["validate"]).stderr
    (home.catalogue_dir / "mine.yaml").write_text(
        "schema: 1\nexercises:\n  - {id: a, name: A, targets: [neck], hold: 5}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0
    assert result.stdout == f"{home.catalogue_dir / 'mine.yaml'}: ok (1 exercise, 0 routines)\n"
    (home.catalogue_dir / "bad.yaml").write_text("schema: 1\nexercises: 3\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["validate"]).exit_code == 2


def record(home, *starts: dt.datetime) -> None:
    history = open_history(home.history_db)
    try:
        for start in starts:
            history.record(
                SessionResult(
                    started_at=start,
                    ended_at=start + dt.timedelta(minutes=5),
                    status=SessionStatus.COMPLETED,
                    title="Desk break",
                    exercises=(ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, 60.0),),
                    planned_seconds=300,
                )
            )
    finally:
        history.close()


def test_export_writes_csv_to_stdout_by_default(home):
    record(home, NOW)
    result = CliRunner().invoke(app, ["export"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 2
    assert result.stdout == CliRunner().invoke(app, ["export", "--format", "csv"]).stdout


@pytest.mark.parametrize(
    ("since", "count"),
    [("today", 1), ("yesterday", 2), ("7d", 3), ("1w", 3), ("2w", 4), ("2024-05-01", 4)],
)
def test_history_since_takes_words_and_ages(home, since, count):
    days = (0, 1, 6, 13)
    record(home, *(NOW - dt.timedelta(days=d) for d in days))
    result = CliRunner().invoke(
        app,
        ["history", "--since", since, "--json"],
        env={"TZ": "UTC"},
        obj=lambda: Environment.from_os(now=lambda: NOW),
    )
    assert result.exit_code == 0, result.output
    import json

    assert len(json.loads(result.stdout)) == count


@pytest.mark.parametrize("bad", ["tomorrow", "7", "d", "2024-13-01", "-3d"])
def test_history_since_says_what_it_takes(home, bad):
    result = CliRunner().invoke(app, ["history", "--since", bad])
    assert result.exit_code == 2
    assert "write YYYY-MM-DD (2024-05-01), today, yesterday, or days or weeks ago (7d, 2w)" in (
        " ".join(result.stderr.split())
    )


# --- words -------------------------------------------------------------------------------


def test_sitting_is_seated(home):
    assert invoke("list", "--position", "sitting").stdout == (
        invoke("list", "--position", "seated").stdout
    )
    a = invoke("plan", "--position", "sitting", "--seed", "1", "--json").stdout
    assert a == invoke("plan", "--position", "seated", "--seed", "1", "--json").stdout


def test_a_too_short_request_hints_more_minutes(home):
    result = CliRunner().invoke(app, ["plan", "--minutes", "1"])
    assert result.exit_code == 2
    assert "--minutes 1 is too short for a session; ask for 2 or more" in result.stderr
    assert "one long session" in CliRunner().invoke(app, ["plan", "--minutes", "61"]).stderr


def test_generated_reasons_name_articles_by_their_short_title(home):
    out = invoke("plan", "--minutes", "10", "--seed", "3").stdout
    assert "article 0" not in out
    assert "(Upper back pain exercises)" in out


# --- --help ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMAND_ORDER)
def test_help_prints_each_example_on_its_own_line(command):
    result = invoke(command, "--help", COLUMNS="60")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:"))
    examples = []
    for line in lines[head + 1 :]:
        if not line.startswith("    stretchcoach "):
            break
        examples.append(line)
    assert examples, "no example under the heading"
    assert all(line.count("stretchcoach ") == 1 for line in examples)  # never joined
    assert (len(examples) == 1) is (lines[head].strip() == "Example:")


@pytest.mark.parametrize("command", COMMAND_ORDER)
def test_metavars_use_one_style(command):
    text = invoke(command, "--help", COLUMNS="200").stdout
    options = text[text.index("Options:") :] if "Options:" in text else ""
    metavars = re.findall(r"--[a-z-]+ ([^\s]+)", options)
    assert all(re.fullmatch(r"[A-Z]+", m) for m in metavars), metavars
    assert "<" not in text and "INTEGER" not in text


def test_run_help_lists_the_keys_from_the_one_table():
    text = " ".join(invoke("run", "--help", COLUMNS="200").stdout.split())
    assert f"Keys: {keys_line()}." in text
    assert "During get-ready or rest, n starts the upcoming exercise at once" in text
    for option in ("--voice", "--voice-command CMD", "--no-sound"):
        assert option in text
