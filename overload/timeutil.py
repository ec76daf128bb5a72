"""Legal time: Asia/Shanghai dates, ISO instants, and the Civil Code's year arithmetic.

Decided once in shared/domain.md: an instant without an offset is Asia/Shanghai local time; the
legal date of an instant is its Asia/Shanghai date; "a + 1 year" is the corresponding day of the
next year, and 29 February maps to 28 February (Civil Code Arts. 201-202).
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from overload import sentences

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Feeds carry dates of real vehicles, people and decisions; anything outside this range is a typo
# or garbage, and quarantining it keeps year arithmetic (and timezone conversion) from overflowing.
EARLIEST = date(1949, 10, 1)
LATEST = date(2099, 12, 31)


class TimeFormatError(ValueError):
    """A date or instant that is not ISO 8601 or is outside the accepted range."""


def parse_date(text: str) -> date:
    """A legal date, strictly `YYYY-MM-DD`."""
    if len(text) != 10:
        raise TimeFormatError(sentences.NOT_A_DATE.format(text=repr(text)))
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise TimeFormatError(sentences.NOT_A_DATE.format(text=repr(text))) from None
    _check_range(value)
    return value


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; without an offset it is Asia/Shanghai local time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise TimeFormatError(sentences.NOT_AN_INSTANT.format(text=repr(text))) from None
    _check_range(value.date())
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def _check_range(value: date) -> None:
    if not EARLIEST <= value <= LATEST:
        raise TimeFormatError(sentences.OUTSIDE_DATES.format(
            day=value.isoformat(), earliest=EARLIEST, latest=LATEST))


def legal_date(instant: datetime) -> date:
    """The Asia/Shanghai date of an instant (the violation date of an offence)."""
    return instant.astimezone(SHANGHAI).date()


def start_of(day: date) -> datetime:
    """Midnight Asia/Shanghai at the start of a legal date, as an aware instant."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def utc_text(instant: datetime) -> str:
    """A sortable UTC text form, used as the log's event-time column."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def add_years(day: date, years: int) -> date:
    """The corresponding day `years` later (or earlier); 29 February falls to 28 February."""
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def one_year_before(day: date) -> date:
    """The earliest date a such that `day` is within one year of a.

    Found from add_years(a, 1) >= day; 29 February makes the inverse not a plain subtraction.
    """
    candidate = add_years(day, -1)
    while candidate > EARLIEST and add_years(candidate - timedelta(days=1), 1) >= day:
        candidate -= timedelta(days=1)
    while add_years(candidate, 1) < day:
        candidate += timedelta(days=1)
    return candidate


def iso_default(value: object) -> str:
    """orjson's `default` for the dates it leaves to us: subclasses of `date` (a test clock's
    FakeDate, made by anything that builds a date while the clock is frozen) write as ISO dates,
    so every stored or published byte is the same frozen or not."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
