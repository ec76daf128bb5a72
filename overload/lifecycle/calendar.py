"""Working days with Chinese public holidays and adjusted working days.

A year comes from the bureau's calendar files first (the State Council's notice, typed in by the
bureau for a year the library does not cover yet), then from chinesecalendar. A year neither
covers falls back to Monday-Friday, and the result says so, so that an operator checks the
deadline against the notice instead of trusting a silent guess. Every deadline names the
calendar that produced it.

A calendar file is TOML, one table per year:

    [2027]
    holidays = ["2027-01-01", "2027-02-16", ...]   # days off that would be working days
    workdays = ["2027-02-07", ...]                  # weekend days worked (调休)
"""

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar

from overload import sentences
from overload.errors import OverloadError

LIBRARY = sentences.LIBRARY_CALENDAR
FALLBACK = sentences.MONDAY_FRIDAY


@dataclass(frozen=True)
class BureauYear:
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


@dataclass(frozen=True)
class Calendar:
    """The bureau's years (by year) before the library; hashable, so deadlines are cached."""

    years: tuple[BureauYear, ...] = field(default=())

    def year(self, year: int) -> BureauYear | None:
        for found in self.years:
            if found.year == year:
                return found
        return None


DEFAULT = Calendar()


def _dates(values: object, where: str, year: int) -> list[date]:
    if not isinstance(values, list):
        raise OverloadError(f"{where}: a list of YYYY-MM-DD dates is expected")
    result = []
    for value in values:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise OverloadError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None
        if day.year != year:
            raise OverloadError(f"{where}: {day} is not in {year}")
        result.append(day)
    return result


def load(paths: Sequence[Path]) -> Calendar:
    """Read and validate the bureau's calendar files: every date in its year, none twice."""
    years: dict[int, BureauYear] = {}
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise OverloadError(f"{path}: {error.strerror or error}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise OverloadError(f"{path}: not a TOML calendar file: {error}") from None
        for key, table in data.items():
            if not key.isdigit() or not isinstance(table, dict):
                raise OverloadError(f"{path}: [{key}] is not a year table like [2027]")
            year = int(key)
            unknown = set(table) - {"holidays", "workdays"}
            if unknown:
                raise OverloadError(f"{path}: [{key}] {sorted(unknown)[0]}: unknown field "
                                    "(holidays, workdays)")
            holidays = _dates(table.get("holidays", []), f"{path}: [{key}] holidays", year)
            workdays = _dates(table.get("workdays", []), f"{path}: [{key}] workdays", year)
            seen: set[date] = set()
            for day in holidays + workdays:
                if day in seen:
                    raise OverloadError(f"{path}: [{key}] {day} is given twice")
                seen.add(day)
            if year in years:
                raise OverloadError(f"{path}: [{key}] already given in {years[year].source}")
            years[year] = BureauYear(year, frozenset(holidays), frozenset(workdays),
                                     sentences.BUREAU_CALENDAR.format(name=path.name))
    return Calendar(tuple(years[y] for y in sorted(years)))


@lru_cache(maxsize=8192)
def working_day(day: date, calendar: Calendar = DEFAULT) -> tuple[bool, str]:
    """(working day?, the calendar that says so: a bureau file, the library, or the fallback)."""
    bureau = calendar.year(day.year)
    if bureau is not None:
        if day in bureau.holidays:
            return False, bureau.source
        if day in bureau.workdays:
            return True, bureau.source
        return day.weekday() < 5, bureau.source
    try:
        return bool(chinese_calendar.is_workday(day)), LIBRARY
    except NotImplementedError:
        return day.weekday() < 5, FALLBACK


def is_working_day(day: date) -> tuple[bool, bool]:
    """(working day?, known from holiday data?) with the library alone (kept for callers)."""
    working, source = working_day(day)
    return working, source != FALLBACK


@dataclass(frozen=True)
class Deadline:
    day: date
    sources: tuple[str, ...]  # every calendar consulted on the way, in order of first use
    fallback_years: tuple[int, ...] = ()

    @property
    def fallback(self) -> bool:
        return FALLBACK in self.sources

    @property
    def source(self) -> str:
        """The calendar named with the deadline (stored in the act)."""
        return " + ".join(self.sources)

    @property
    def note(self) -> str | None:
        if not self.fallback:
            return None
        years = ", ".join(str(y) for y in self.fallback_years)
        return sentences.NO_HOLIDAY_DATA.format(years=years)


@lru_cache(maxsize=8192)
def deadline(start: date, count: int, calendar: Calendar = DEFAULT) -> Deadline:
    """The `count`-th working day after `start` (the start day is not counted, Civil Code
    Art. 201), with the calendars that decided each day."""
    day = start
    sources: list[str] = []
    missing: set[int] = set()
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        working, source = working_day(day, calendar)
        if source not in sources:
            sources.append(source)
        if source == FALLBACK:
            missing.add(day.year)
        if working:
            remaining -= 1
    return Deadline(day, tuple(sources), tuple(sorted(missing)))


def add_working_days(start: date, count: int) -> tuple[date, str | None]:
    """The library-only deadline and its fallback note (kept for callers before acts)."""
    found = deadline(start, count)
    return found.day, found.note
