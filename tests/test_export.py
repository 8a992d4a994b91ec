"""The exports' text: the CSV is what csv.writer writes for each session's models, built
from the stored rows; the JSON is json.dumps(..., indent=2)'s text. Ties, quoting, NULLs and
unicode included."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stretchcoach.cli import app
from stretchcoach.errors import HistoryError
from stretchcoach.history import rows
from stretchcoach.history.store import History, RecordedSession, format_utc, open_history
from stretchcoach.model import ExerciseResult, SessionResult, SessionStatus
from stretchcoach.render import export as view
from stretchcoach.render.export import (
    CSV_COLUMNS,
    csv_cell,
    export_csv,
    export_json,
    indented,
    tenths,
)
from stretchcoach.render.history import history_json

from conftest import examples

UTC = dt.timezone.utc
START = dt.datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def reference_csv(sessions: Sequence[RecordedSession]) -> str:
    """The export as it was written before it read rows: csv.writer over the models."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for recorded in sessions:
        result = recorded.result
        head: list[object] = [
            recorded.id,
            format_utc(result.started_at),
            format_utc(result.ended_at),
            result.status.value,
            result.title,
            result.routine_id or "",
            "" if result.generation is None else json.dumps(result.generation, sort_keys=True),
            result.planned_seconds,
            round(float(result.active_seconds), 1),
            "" if result.check_in_before is None else result.check_in_before,
            "" if result.check_in_after is None else result.check_in_after,
        ]
        if not result.exercises:
            writer.writerow([*head, "", "", "", "", "", ""])
        for position, e in enumerate(result.exercises, start=1):
            writer.writerow(
                [
                    *head,
                    position,
                    e.exercise_id,
                    e.name,
                    ";".join(e.targets),
                    "true" if e.done else "false",
                    round(float(e.active_seconds), 1),
                ]
            )
    return buffer.getvalue()


def exported(history: History) -> str:
    return "".join(export_csv(history.each_session_rows()))


def result(
    minutes: float,
    exercises: Sequence[ExerciseResult],
    *,
    title: str = "Desk break",
    status: SessionStatus = SessionStatus.COMPLETED,
    **fields: object,
) -> SessionResult:
    started = START + dt.timedelta(minutes=minutes)
    return SessionResult(
        started_at=started,
        ended_at=started + dt.timedelta(minutes=6),
        status=status,
        title=title,
        exercises=tuple(exercises),
        planned_seconds=360,
        **fields,  # type: ignore[arg-type]
    )


CHIN = ExerciseResult("chin-tuck", "Chin tuck", ("neck",), True, 12.25)
DOOR = ExerciseResult("doorway-stretch", "Doorway stretch", ("chest", "shoulders"), False, 0.35)


def tricky() -> list[SessionResult]:
    """Every status, check-ins and their absence, text that needs quoting, unicode, a tie."""
    return [
        result(0, [CHIN, DOOR], routine_id="desk-break", check_in_before=7, check_in_after=4),
        result(
            10,
            [CHIN._replace(done=False, active_seconds=0.0)],
            status=SessionStatus.SKIPPED,
            generation={"minutes": 5, "targets": ["neck"], "seed": 3, "note": 'café, "hi"'},
        ),
        result(
            20,
            [
                ExerciseResult("wall-angel", "Wall angel, slow", ("upper-back", "neck"), True, 2.5),
                ExerciseResult("étirement", "Étirement du cou ✓", ("neck",), True, 0.75),
            ],
            title='Neck, shoulders & "more"\nsecond line',
            status=SessionStatus.STOPPED,
            check_in_before=0,
        ),
        result(30, [], title="Quit at once", status=SessionStatus.INTERRUPTED, check_in_after=10),
        result(40, [DOOR], title="Lone\rreturn"),
        result(40, [CHIN], title="Same start, later id"),
        result(50, [CHIN._replace(active_seconds=2.0**50 + 0.0625), DOOR], title=" spaced ,"),
    ]


def test_the_csv_is_what_csv_writer_writes_for_the_models(tmp_path: Path) -> None:
    with open_history(tmp_path / "history.sqlite3") as history:
        for session in tricky():
            history.record(session)
        assert exported(history) == reference_csv(history.all_sessions())


def test_the_csv_quotes_and_rounds_as_before(tmp_path: Path) -> None:
    with open_history(tmp_path / "history.sqlite3") as history:
        for session in tricky()[:3]:
            history.record(session)
        lines = exported(history).splitlines(keepends=True)
    assert lines[1:] == [
        "1,2024-05-01T09:00:00Z,2024-05-01T09:06:00Z,completed,Desk break,desk-break,,360,"
        "12.6,7,4,1,chin-tuck,Chin tuck,neck,true,12.2\n",
        "1,2024-05-01T09:00:00Z,2024-05-01T09:06:00Z,completed,Desk break,desk-break,,360,"
        "12.6,7,4,2,doorway-stretch,Doorway stretch,chest;shoulders,false,0.3\n",
        "2,2024-05-01T09:10:00Z,2024-05-01T09:16:00Z,skipped,Desk break,,"
        '"{""minutes"": 5, ""note"": ""caf\\u00e9, \\""hi\\"""", ""seed"": 3, '
        '""targets"": [""neck""]}",360,0.0,,,1,chin-tuck,Chin tuck,neck,false,0.0\n',
        '3,2024-05-01T09:20:00Z,2024-05-01T09:26:00Z,stopped,"Neck, shoulders & ""more""\n',
        'second line",,,360,3.2,0,,1,wall-angel,"Wall angel, slow",upper-back;neck,true,2.5\n',
        '3,2024-05-01T09:20:00Z,2024-05-01T09:26:00Z,stopped,"Neck, shoulders & ""more""\n',
        'second line",,,360,3.2,0,,2,étirement,Étirement du cou ✓,neck,true,0.8\n',
    ]


@pytest.mark.parametrize("page", [1, 2, 500])
@pytest.mark.parametrize("kept", [1, 4096])
def test_pages_and_bounded_caches_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: int, kept: int
) -> None:
    monkeypatch.setattr(rows, "PAGE", page)
    monkeypatch.setattr(rows, "_TARGETS_KEPT", kept)
    monkeypatch.setattr(view._Cells, "LIMIT", kept)
    with open_history(tmp_path / "history.sqlite3") as history:
        for session in tricky():
            history.record(session)
        assert exported(history) == reference_csv(history.all_sessions())


texts = st.text(st.sampled_from('ab ,"\r\n\té✓'), max_size=8)
seconds = st.floats(min_value=0, max_value=36_000) | st.floats(min_value=0, allow_nan=False)


@settings(max_examples=examples(40), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # minutes after START: ties are likely
            texts,
            st.lists(
                st.builds(
                    ExerciseResult,
                    texts,
                    texts,
                    st.lists(st.sampled_from(["neck", "hips", "upper-back"]), min_size=1).map(
                        tuple
                    ),
                    st.booleans(),
                    seconds,
                ),
                max_size=3,
            ),
            st.sampled_from(list(SessionStatus)),
            st.none() | st.integers(0, 10),
        ),
        max_size=5,
    )
)
def test_any_history_exports_as_csv_writer_would(
    sessions: list[tuple[int, str, list[ExerciseResult], SessionStatus, int | None]],
) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        open_history(Path(folder) / "history.sqlite3") as history,
    ):
        for minutes, title, exercises, status, before in sessions:
            history.record(
                result(minutes, exercises, title=title, status=status, check_in_before=before)
            )
        assert exported(history) == reference_csv(history.all_sessions())


@given(st.floats())
def test_tenths_is_the_text_of_round_to_a_tenth(value: float) -> None:
    assert tenths(value) == str(round(value, 1))


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.75, 2.675, 12.25, -0.04, 1e14 - 0.05, 1e14,
     2.0**50 + 0.0625, 1e16, 1e300, math.inf, -math.inf, math.nan, 5e-324],
)  # fmt: skip
def test_tenths_at_ties_and_far_out(value: float) -> None:
    assert tenths(value) == str(round(value, 1))


@given(st.none() | st.text())
def test_a_cell_is_what_csv_writer_writes_within_a_row(text: str | None) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["x", text, "y"])
    assert f"x,{csv_cell(text)},y\n" == buffer.getvalue()


def test_a_cell_alone_that_is_empty_is_not_quoted() -> None:
    assert (csv_cell(""), csv_cell(None), csv_cell('"')) == ("", "", '""""')


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pieces", [1, 20_000])
def test_the_json_is_json_dumps_of_history_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: int
) -> None:
    monkeypatch.setattr(view, "_CHUNK_PIECES", pieces)
    with open_history(tmp_path / "history.sqlite3") as history:
        for session in tricky():
            history.record(session)
        text = "".join(export_json(history.each_session()))
        expected = json.dumps(history_json(history.all_sessions()), indent=2, ensure_ascii=False)
    assert text == expected + "\n"


def test_the_json_of_no_sessions_is_an_empty_list() -> None:
    assert "".join(export_json([])) == "[]\n"


class Text(str):
    pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.builds(Text),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text() | st.integers() | st.floats() | st.none(), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=examples(400), deadline=None)
@given(json_values, st.sampled_from(["\n", "\n  ", "\n      "]))
def test_indented_is_json_dumps_with_an_indent(value: object, newline: str) -> None:
    out: list[str] = []
    indented(value, out, newline)
    expected = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)
    assert "".join(out) == expected


def test_indented_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented({"when": dt.date(2024, 5, 1)}, [])


# --- the command ------------------------------------------------------------------------------


def invoke(home: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={"STRETCHCOACH_HOME": str(home)})


def test_csv_to_a_file_is_the_same_text_and_replaces_it_whole(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with open_history(home / "history.sqlite3") as history:
        for session in tricky():
            history.record(session)
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    result = invoke(home, "export", "--output", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"wrote 7 sessions to {target}\n"
    assert target.read_bytes() == invoke(home, "export").stdout_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out.csv"]


def test_an_export_failing_half_way_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    with open_history(home / "history.sqlite3") as history:
        for session in tricky():
            history.record(session)
    reading = History.each_session_rows

    def failing(self: History) -> Iterator[tuple[rows.SessionRow, list[rows.ExerciseRow]]]:
        found = reading(self)
        yield next(found)
        raise HistoryError("the disk went away")

    monkeypatch.setattr(History, "each_session_rows", failing)
    monkeypatch.setattr(view, "_CHUNK_LINES", 1)  # the first session is written before
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    result = invoke(home, "export", "--output", str(target))
    assert result.exit_code == 1
    assert "the disk went away" in result.stderr
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out.csv"]
