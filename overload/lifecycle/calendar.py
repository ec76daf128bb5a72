"""Working days with Chinese public holidays and adjusted working days (chinesecalendar).

The library carries the State Council's holiday notices year by year. For a year it does not
cover yet, the count falls back to Monday-Friday and says so, so an operator can check the
deadline against the notice instead of trusting a silent guess.
"""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> tuple[bool, bool]:
    """(working day?, known from the holiday data?)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


@lru_cache(maxsize=8192)
def add_working_days(start: date, count: int) -> tuple[date, str | None]:
    """The `count`-th working day after `start` (the start day is not counted, Civil Code
    Art. 201), and a note when holiday data was missing for a year on the way."""
    day = start
    missing: set[int] = set()
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        working, known = is_working_day(day)
        if not known:
            missing.add(day.year)
        if working:
            remaining -= 1
    note = None
    if missing:
        years = ", ".join(str(y) for y in sorted(missing))
        note = (f"no holiday data for {years} in chinesecalendar: counted Monday-Friday; "
                "check against the State Council holiday notice")
    return day, note
