"""Identifier rules of feed format v1, masking (§6), and the Civil Code year arithmetic."""

from datetime import date

import pytest

from overload.identifiers import (
    IdentifierError,
    mask_id_number,
    mask_name,
    normalize_credit_code,
    normalize_id_number,
    normalize_plate,
)
from overload.timeutil import TimeFormatError, add_years, one_year_before, parse_date, parse_instant
from tests.builders import company, person


@pytest.mark.parametrize("raw, plate", [
    ("晋L12345", "晋L12345"), ("晋l 12345", "晋L12345"), ("晋L·12345", "晋L12345"),
    ("晋LD12345", "晋LD12345"), ("晋Ｌ１２３４５", "晋L12345"),
])
def test_plates_are_normalised(raw: str, plate: str) -> None:
    assert normalize_plate(raw) == plate


@pytest.mark.parametrize("raw", ["晋Z1", "XL12345", "晋112345", "晋L1234567", "", "晋L12-45"])
def test_bad_plates_are_refused(raw: str) -> None:
    with pytest.raises(IdentifierError):
        normalize_plate(raw)


def test_a_linfen_yaodu_id_number_is_valid_although_stdnum_lacks_its_region() -> None:
    number = person(5, region="141002")
    assert normalize_id_number(number) == number


def test_a_lower_case_x_check_digit_is_accepted() -> None:
    number = "14100219800101123X"
    assert normalize_id_number(number.lower()) == number


@pytest.mark.parametrize("raw, why", [
    ("141002198001011231", "check digit"),
    ("141002198002301234", "birth date"),
    ("14100219800101123", "17 digits"),
    ("1410021980010112AX", "17 digits"),
])
def test_bad_id_numbers_say_why(raw: str, why: str) -> None:
    with pytest.raises(IdentifierError, match=why):
        normalize_id_number(raw)


def test_credit_codes_check_their_check_character() -> None:
    code = company(1)
    assert normalize_credit_code(code.lower()) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(IdentifierError, match="invalid"):
        normalize_credit_code(wrong)


def test_public_forms_keep_six_and_four_digits_and_mask_the_middle_of_names() -> None:
    assert mask_id_number("141002198001011234") == "141002********1234"
    assert (mask_name("王建国"), mask_name("王芳"), mask_name("欧阳建国")) == ("王*国", "王*", "欧**国")


def test_masking_never_leaks_a_short_number_or_a_padded_name() -> None:
    assert mask_id_number("1410021234") == "**********"
    assert mask_name(" 王芳") == "王*"
    assert mask_name("欧阳建华") == "欧**华"
    assert mask_name("王") == "*"


def test_one_year_after_29_february_is_28_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert one_year_before(date(2025, 2, 28)) == date(2024, 2, 28)
    assert one_year_before(date(2026, 3, 15)) == date(2025, 3, 15)


def test_instants_without_offset_are_shanghai_and_dates_are_strict() -> None:
    assert parse_instant("2026-01-01T00:30:00").isoformat() == "2026-01-01T00:30:00+08:00"
    assert parse_instant("2025-12-31T16:30:00Z").date() == date(2026, 1, 1)
    with pytest.raises(TimeFormatError):
        parse_date("2026/01/01")
    with pytest.raises(TimeFormatError):
        parse_date("0001-01-01")


def test_an_operator_typed_subject_is_classified_and_normalised() -> None:
    from overload.identifiers import classify

    assert classify(" 晋l·12345 ") == ("vehicle", "晋L12345")
    assert classify("14100219800101123x") == ("driver", "14100219800101123X")
    assert classify(company(1).lower()) == ("enterprise", company(1))
    assert classify("临交罚〔2026〕1号") is None
    assert classify("141002198001011231") is None  # wrong check digit: not an ID number
