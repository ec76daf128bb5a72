"""Validated field types shared by the feed records, so each rule is written once."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

from overload import reasons
from overload.identifiers import normalize_credit_code, normalize_id_number, normalize_plate
from overload.timeutil import parse_date, parse_instant


def _text(value: Any) -> str:
    # Numbers are refused for identifiers and dates: a CSV cell is always text, and a JSON number
    # where a date belongs (20260101) would otherwise be read as a Unix timestamp by pydantic.
    if not isinstance(value, str):
        raise ValueError(reasons.NOT_TEXT.format(kind=type(value).__name__))
    return value


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile("[\t\n\r]")


def _clean(value: Any) -> str:
    """Text without control characters (NUL cannot even be stored by PostgreSQL)."""
    text = _text(value)
    if _CONTROL.search(text):
        raise ValueError(reasons.CONTROL)
    return text


def _one_line(value: Any) -> str:
    text = _clean(value)
    if _LINE_BREAK.search(text):
        raise ValueError(reasons.ONE_LINE)
    return text


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return parse_date(_text(value))


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return parse_instant(_text(value))


Plate = Annotated[str, BeforeValidator(lambda v: normalize_plate(_text(v)))]
IdNumber = Annotated[str, BeforeValidator(lambda v: normalize_id_number(_text(v)))]
CreditCode = Annotated[str, BeforeValidator(lambda v: normalize_credit_code(_text(v)))]
StationId = Annotated[str, BeforeValidator(_one_line), Field(min_length=1, max_length=32)]
Key = Annotated[str, BeforeValidator(_one_line), Field(min_length=1, max_length=200)]
Text = Annotated[str, BeforeValidator(_clean), Field(min_length=1, max_length=2000)]
LegalDate = Annotated[date, BeforeValidator(_date), PlainSerializer(date.isoformat)]
Instant = Annotated[
    datetime, BeforeValidator(_instant), PlainSerializer(lambda v: v.isoformat(), return_type=str)
]
Kilograms = Annotated[int, Field(ge=0, le=1_000_000)]
Millimetres = Annotated[int, Field(ge=0, le=100_000)]
Axles = Annotated[int, Field(ge=2, le=20)]
