"""Working days (issue 5): public holidays and adjusted working days count as the State Council set."""

from datetime import date

from overload.lifecycle.calendar import add_working_days


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
