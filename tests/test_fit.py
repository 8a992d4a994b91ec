"""plan/fit.py on its own: nudging doses into a time band, and the exact subset-sum search."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchcoach.plan.fit import FIT_FRACTION, FIT_MAX_OVER, fit, fit_exactly

from conftest import examples


@dataclass(frozen=True)
class Doses:
    """One exercise's dose totals, ascending, and the index of its own dose."""

    seconds: tuple[int, ...]
    natural: int = 0


def total(options: Sequence[Doses], rest: int, indexes: Sequence[int]) -> int:
    chosen = sum(o.seconds[i] for o, i in zip(options, indexes, strict=True))
    return chosen + rest * (len(options) - 1)


def every_total(options: Sequence[Doses], rest: int) -> set[int]:
    ranges = [range(len(o.seconds)) for o in options]
    return {total(options, rest, picks) for picks in itertools.product(*ranges)}


def test_the_band_is_ten_percent_and_at_most_thirty_seconds_over() -> None:
    assert (FIT_FRACTION, FIT_MAX_OVER) == (0.10, 30)


def test_a_plan_on_its_aim_is_left_alone_and_one_inside_the_band_moves_towards_it() -> None:
    options = [Doses((10, 20, 30), natural=1), Doses((5, 15), natural=0)]  # 20 + 5 + 5 rest
    assert fit(options, 5, 30, 50, 30) == (0, [1, 0])
    assert fit(options, 5, 30, 50, 40) == (0, [2, 0])


def test_nudging_takes_the_smallest_step_first_and_stops_at_the_aim() -> None:
    options = [Doses((10, 40), natural=0), Doses((10, 12, 14, 16), natural=0)]
    # 20 s; aim 26: the 2 s steps of the second are taken before the 30 s step of the first.
    assert fit(options, 0, 24, 28, 26) == (0, [0, 3])


def test_nudging_down_when_over_stops_at_or_under_the_aim() -> None:
    options = [Doses((10, 20, 30), natural=2), Doses((10, 20, 30), natural=2)]
    # 70 -> 60 -> 50 (equal steps: the first exercise first) -> 40, the first total <= 45.
    assert fit(options, 10, 40, 50, 45) == (0, [0, 1])


def test_when_nudging_gets_stuck_between_coarse_steps_the_exact_search_fits() -> None:
    options = [Doses((10, 100)), Doses((10, 20))]
    # Up from 20: +10 gives 30, then +90 overshoots 112; 100 + 10 = 110 fits.
    assert fit(options, 0, 105, 112, 110) == (0, [1, 0])


def test_no_fit_says_which_way_it_missed() -> None:
    assert fit([Doses((10, 20))], 0, 50, 60, 55) == (-1, [1])
    assert fit([Doses((70, 80), natural=1)], 0, 50, 60, 55) == (1, [0])


@pytest.mark.parametrize(
    ("doses", "rest", "low", "high", "aim", "expected"),
    [
        # on the aim already: no step down, even one that stays in the band
        (Doses((0, 5), natural=1), 0, 0, 5, 5, (0, [1])),
        # a step up landing exactly on the top of the band is taken
        (Doses((15, 20)), 0, 10, 20, 20, (0, [1])),
        # ...and one landing exactly on the bottom going down, which then stays
        (Doses((10, 25), natural=1), 0, 10, 25, 20, (0, [0])),
        # a total equal to the top of the band fits
        (Doses((5, 20)), 0, 5, 20, 10, (0, [1])),
        # a step that would jump over the band is not taken: short, and says so
        (Doses((0, 25)), 5, 15, 15, 15, (-1, [0])),
        (Doses((10, 35), natural=1), 0, 15, 15, 15, (1, [1])),
    ],
)
def test_fit_at_the_ends_of_the_band(
    doses: Doses, rest: int, low: int, high: int, aim: int, expected: tuple[int, list[int]]
) -> None:
    assert fit([doses], rest, low, high, aim) == expected


def test_fit_exactly_picks_the_total_nearest_the_aim_then_the_smaller() -> None:
    options = [Doses((10, 20)), Doses((1, 3))]
    # totals 11, 13, 21, 23; aim 17 is 4 from both 13 and 21: the smaller wins.
    assert fit_exactly(options, 0, 0, 100, 17) == [0, 1]
    assert fit_exactly(options, 0, 0, 100, 18) == [1, 0]


def test_fit_exactly_keeps_each_dose_nearest_its_own() -> None:
    options = [Doses((5, 10, 15), natural=2), Doses((5, 10, 15), natural=0)]
    # 20 s can be 5+15, 10+10 or 15+5: the last keeps its own dose, the first takes the rest.
    assert fit_exactly(options, 0, 20, 20, 20) == [2, 0]
    mirrored = [Doses((5, 10, 15), natural=0), Doses((5, 10, 15), natural=2)]
    assert fit_exactly(mirrored, 0, 20, 20, 20) == [0, 2]


def test_fit_exactly_counts_the_rests_between_exercises() -> None:
    options = [Doses((10,)), Doses((10,)), Doses((10,))]
    assert fit_exactly(options, 5, 40, 40, 40) == [0, 0, 0]
    assert fit_exactly(options, 5, 30, 39, 35) is None
    assert fit_exactly(options, 5, 41, 50, 45) is None


def test_fit_exactly_with_a_band_below_the_rests_alone() -> None:
    assert fit_exactly([Doses((0, 5)), Doses((0, 5))], 10, 0, 9, 5) is None
    assert fit_exactly([Doses((0, 5)), Doses((0, 5))], 10, 0, 10, 5) == [0, 0]


def test_fit_exactly_uses_doses_up_to_the_top_of_the_band() -> None:
    assert fit_exactly([Doses((7, 30, 61))], 0, 40, 61, 61) == [2]
    assert fit_exactly([Doses((7, 30, 62))], 0, 40, 61, 61) is None


def test_fit_exactly_with_a_low_end_below_zero() -> None:
    assert fit_exactly([Doses((1, 2))], 0, -10, 1, 0) == [0]


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[Doses], int, int, int, int]:
    options = []
    for _ in range(draw(st.integers(1, 4))):
        seconds = sorted(draw(st.sets(st.integers(0, 60), min_size=1, max_size=5)))
        options.append(Doses(tuple(seconds), draw(st.integers(0, len(seconds) - 1))))
    rest = draw(st.integers(0, 10))
    low = draw(st.integers(-5, 250))
    high = low + draw(st.integers(0, 40))
    aim = draw(st.integers(low, high))
    return options, rest, low, high, aim


@settings(max_examples=examples(100), deadline=None)
@given(problems())
def test_fit_exactly_finds_the_best_total_whenever_one_exists(
    problem: tuple[list[Doses], int, int, int, int],
) -> None:
    options, rest, low, high, aim = problem
    feasible = [t for t in every_total(options, rest) if low <= t <= high]
    found = fit_exactly(options, rest, low, high, aim)
    if not feasible:
        assert found is None
        return
    assert found is not None
    best = min(feasible, key=lambda t: (abs(t - aim), t))
    assert total(options, rest, found) == best
    # The last exercise keeps the dose nearest its own among those the others can complete.
    last = options[-1]
    others = every_total(options[:-1], rest) if len(options) > 1 else {0}
    extra = rest if len(options) > 1 else 0
    possible = [j for j, s in enumerate(last.seconds) if best - s - extra in others]
    assert found[-1] == min(possible, key=lambda j: (abs(j - last.natural), j))


@settings(max_examples=examples(100), deadline=None)
@given(problems())
def test_fit_fits_whenever_any_dose_combination_does(
    problem: tuple[list[Doses], int, int, int, int],
) -> None:
    options, rest, low, high, aim = problem
    status, indexes = fit(options, rest, low, high, aim)
    got = total(options, rest, indexes)
    assert status == (-1 if got < low else 1 if got > high else 0)
    if any(low <= t <= high for t in every_total(options, rest)):
        assert status == 0
