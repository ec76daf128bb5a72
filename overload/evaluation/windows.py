"""The "within one year" of each rulebook: a rolling year, or the subject's licence year."""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from overload import sentences
from overload.timeutil import add_years, one_year_before


@dataclass(frozen=True, slots=True)
class Window:
    """The dates a count or share covers, and how they were chosen (shown in explanations)."""

    first: date
    last: date
    end: date
    note: str


def licence_year(licence_on: date, day: date) -> tuple[date, date]:
    """The licence year containing `day`: [anniversary, next anniversary - 1 day]."""
    years = day.year - licence_on.year
    start = add_years(licence_on, years)
    if start > day:
        years -= 1
        start = add_years(licence_on, years)
    return start, add_years(licence_on, years + 1) - timedelta(days=1)


def best_rolling(dates: Sequence[date]) -> tuple[int, int, int]:
    """Largest number of sorted dates within one year of the first: (count, first, last) index."""
    best = (0, 0, -1)
    for i, first in enumerate(dates):
        j = bisect_right(dates, add_years(first, 1)) - 1
        if j - i + 1 > best[0]:
            best = (j - i + 1, i, j)
    return best


def best_licence_year(dates: Sequence[date], licence_on: date) -> tuple[int, int, int]:
    """Largest number of sorted dates in one licence year: (count, first, last) index."""
    best = (0, 0, -1)
    i = 0
    while i < len(dates):
        _, end = licence_year(licence_on, dates[i])
        j = bisect_right(dates, end) - 1
        if j - i + 1 > best[0]:
            best = (j - i + 1, i, j)
        i = j + 1
    return best


def year_before(day: date, licence_on: date | None) -> tuple[date, str]:
    """Start of the year that ends on `day`, for shares measured on a date."""
    if licence_on is None:
        return one_year_before(day), sentences.ROLLING_YEAR
    start, _ = licence_year(licence_on, day)
    return start, sentences.LICENCE_YEAR_FROM.format(start=start.isoformat(),
                                                     issued=licence_on.isoformat())
