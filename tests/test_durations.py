"""The duration parser: round trips, the forms people write, and garbage never crashing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stretchcoach.durations import (
    MAX_SECONDS,
    DurationError,
    describe,
    format_clock,
    format_seconds,
    parse,
)


@given(st.integers(min_value=0, max_value=MAX_SECONDS))
def test_parse_reads_back_what_format_seconds_writes(seconds: int) -> None:
    assert parse(format_seconds(seconds)) == seconds


@given(st.integers(min_value=0, max_value=MAX_SECONDS))
def test_parse_reads_back_the_clock_form(seconds: int) -> None:
    assert parse(format_clock(seconds)) == seconds


@given(st.text(max_size=30))
def test_any_text_is_a_duration_or_a_duration_error(text: str) -> None:
    try:
        seconds = parse(text)
    except DurationError as error:
        assert str(error)
    else:
        assert 0 <= seconds <= MAX_SECONDS


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (30, 30),
        ("30", 30),
        ("30s", 30),
        ("30 sec", 30),
        ("1m30s", 90),
        ("1 min 30 s", 90),
        ("2 minutes", 120),
        ("1h", 3600),
        ("1:30", 90),
        ("0:05", 5),
        ("1:02:03", 3723),
        ("5 breaths", 30),
        ("1 breath", 6),
        (" 45S ", 45),
    ],
)
def test_the_forms_people_write(text: str | int, seconds: int) -> None:
    assert parse(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'expected a duration such as 30, "30s", "1m30s", "1:30" or "5 breaths", '
         "got an empty value"),
        ("-5", "a duration cannot be negative: '-5'"),
        ("1.5s", "durations are whole seconds: '1.5s' has a fraction"),
        ("1m1m", "'1m1m' gives the same unit twice"),
        ("2 fortnights", "unknown unit 'fortnights' in '2 fortnights'; use h, m, s or breaths "
         '(30, "30s", "1m30s", "1:30" or "5 breaths")'),
        ("1:75", "'1:75' is not a duration; write 30, \"30s\", \"1m30s\", \"1:30\" or "
         '"5 breaths"'),
        ("25h", "'25h' is longer than a day; write a shorter duration"),
        (True, "expected a duration such as 30, \"30s\", \"1m30s\", \"1:30\" or \"5 breaths\", "
         "not True"),
    ],
)  # fmt: skip
def test_garbage_is_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(DurationError) as info:
        parse(text)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["²", "٣٠s", "３０"])
def test_digits_of_other_scripts_are_a_duration_error(text: str) -> None:
    # str.isdigit() and \d accept these, and int() would even read some of them.
    with pytest.raises(DurationError):
        parse(text)


def test_breaths_are_shown_with_their_seconds() -> None:
    assert describe(30, "5 breaths") == "5 breaths (30s)"
    assert describe(90, "1:30") == "1m30s"
    assert format_clock(3723) == "1:02:03"
    assert format_seconds(3900) == "1h5m"
