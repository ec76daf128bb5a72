"""Working days (issue 5): public holidays and adjusted working days count as the State Council set."""

import re
from datetime import date
from pathlib import Path

import pytest

from overload.errors import OverloadError
from overload.lifecycle.calendar import add_working_days, deadline, load


def test_ten_working_days_across_national_day_and_an_adjusted_working_saturday() -> None:
    # 1-7 October 2026 are holidays; Saturday 10 October 2026 is an adjusted working day.
    assert add_working_days(date(2026, 9, 25), 10) == (date(2026, 10, 15), None)


def test_an_adjusted_working_sunday_counts() -> None:
    # Sunday 20 September 2026 is a working day (it makes up for the National Day holiday).
    assert add_working_days(date(2026, 9, 10), 10) == (date(2026, 9, 23), None)


def test_the_start_day_is_not_counted() -> None:
    assert add_working_days(date(2026, 11, 2), 1) == (date(2026, 11, 3), None)


def test_a_year_without_holiday_data_falls_back_to_weekdays_and_says_so() -> None:
    day, note = add_working_days(date(2026, 12, 25), 10)
    assert day == date(2027, 1, 8)
    assert note is not None and "2027" in note and "Monday-Friday" in note


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bureau-2027.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_announcing_before_national_day_2025_counts_the_holiday_and_the_worked_saturday() -> None:
    # 1-8 October 2025 off; Sunday 28 September and Saturday 11 October 2025 worked:
    # 28, 29, 30 Sep, 9, 10, 11, 13, 14, 15, 16 Oct.
    found = deadline(date(2025, 9, 26), 10)
    assert (found.day, found.source, found.note) == (date(2025, 10, 16), "chinesecalendar", None)


def test_the_bureau_file_gives_a_year_the_library_lacks_and_is_named(tmp_path: Path) -> None:
    calendar = load([_file(tmp_path, '[2027]\nholidays = ["2027-01-01"]\n'
                                     'workdays = ["2027-01-09"]\n')])
    found = deadline(date(2026, 12, 25), 10, calendar)
    # 28-31 Dec 2026 (library); 1 Jan 2027 off, 4-8 Jan and Sat 9 Jan worked (bureau).
    assert found.day == date(2027, 1, 9) and not found.fallback
    assert found.source == "chinesecalendar + bureau calendar bureau-2027.toml"


def test_the_bureau_file_comes_before_the_library(tmp_path: Path) -> None:
    calendar = load([_file(tmp_path, '[2026]\nholidays = ["2026-11-03"]\n')])
    assert deadline(date(2026, 11, 2), 1, calendar).day == date(2026, 11, 4)


@pytest.mark.parametrize(("text", "message"), [
    ('[2027]\nholidays = ["2026-12-31"]\n', "holidays: 2026-12-31 is not in 2027"),
    ('[2027]\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-01"]\n', "2027-01-01 is given twice"),
    ('[2027]\nholidays = ["2027-02-30"]\n', "is not a date"),
    ('[x2027]\n', "is not a year table"),
    ('[2027]\nholiday = []\n', "holiday: unknown field"),
    ('[2027\n', "not a TOML calendar file"),
])
def test_a_bad_calendar_file_is_a_one_line_error_naming_file_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(OverloadError, match=re.escape(message)) as error:
        load([_file(tmp_path, text)])
    assert str(error.value).startswith(str(tmp_path / "bureau-2027.toml"))
    assert "\n" not in str(error.value)
