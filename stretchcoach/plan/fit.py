"""Fitting doses into a time band: nudging, then an exact subset-sum search."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Choices(Protocol):
    """One exercise's doses: their totals in seconds, ascending, and the index of its own."""

    @property
    def seconds(self) -> Sequence[int]: ...

    @property
    def natural(self) -> int: ...


# DESIGN.md: within 10% of the minutes asked for, and never more than 30 s over.
FIT_FRACTION = 0.10
FIT_MAX_OVER = 30


@dataclass(frozen=True)
class Failure:
    # "short": the required exercises alone overrun; "unfilled": too few to fill the time;
    # "gapped": the totals the doses allow jump over the band around the minutes asked for
    why: str
    seconds: int  # the least ("short") or most ("unfilled") the plan could take


def fit(
    options: Sequence[Choices], rest: int, low: int, high: int, aim: int
) -> tuple[int, list[int]]:
    """Doses whose total lies in [low, high]: -1 too short, 0 fits, 1 too long. Moves each
    dose one notch at a time, smallest change first, in one direction only, so it ends."""
    indexes = [o.natural for o in options]
    total = sum(o.seconds[i] for o, i in zip(options, indexes, strict=True)) + rest * (
        len(options) - 1
    )
    up = total < aim
    heap: list[tuple[int, int]] = []
    for k, (o, i) in enumerate(zip(options, indexes, strict=True)):
        j = i + 1 if up else i - 1
        if 0 <= j < len(o.seconds):
            heap.append((abs(o.seconds[j] - o.seconds[i]), k))
    heapq.heapify(heap)
    while heap and (total < aim if up else total > aim):
        step, k = heapq.heappop(heap)
        if (total + step > high) if up else (total - step < low):
            break  # every other step is at least as large
        total += step if up else -step
        indexes[k] += 1 if up else -1
        o, i = options[k], indexes[k]
        j = i + 1 if up else i - 1
        if 0 <= j < len(o.seconds):
            heapq.heappush(heap, (abs(o.seconds[j] - o.seconds[i]), k))
    status = -1 if total < low else (1 if total > high else 0)
    if status != 0:
        # The nudging got stuck between coarse steps; an exact search settles whether any
        # combination of doses fits at all.
        exact = fit_exactly(options, rest, low, high, aim)
        if exact is not None:
            return 0, exact
    return status, indexes


def fit_exactly(
    options: Sequence[Choices], rest: int, low: int, high: int, aim: int
) -> list[int] | None:
    """Doses with the total nearest `aim` within [low, high], if any: subset sums as bitsets."""
    base = rest * (len(options) - 1)
    lo, hi, goal = max(low - base, 0), high - base, aim - base
    if hi < 0:
        return None
    mask = (1 << (hi + 1)) - 1
    reach = [1]  # reach[k]: bit t set when the first k exercises can total t seconds
    for option in options:
        sums = 0
        for seconds in option.seconds:
            if seconds > hi:
                break
            sums |= reach[-1] << seconds
        reach.append(sums & mask)
    totals = [t for t in range(lo, hi + 1) if reach[-1] >> t & 1]
    if not totals:
        return None
    left = min(totals, key=lambda t: (abs(t - goal), t))
    indexes = [0] * len(options)
    for k in reversed(range(len(options))):
        option = options[k]
        fitting = [
            j
            for j, seconds in enumerate(option.seconds)
            if seconds <= left and reach[k] >> (left - seconds) & 1
        ]
        indexes[k] = min(fitting, key=lambda j: (abs(j - option.natural), j))
        left -= option.seconds[indexes[k]]
    return indexes
