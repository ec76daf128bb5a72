"""Identifier rules of feed format v1: plates, resident ID numbers, unified social credit codes.

Checksums come from python-stdnum. The ID number's region code is deliberately not checked:
stdnum's region table misses current codes such as 141002 (Linfen, Yaodu district).
"""

import re
import unicodedata
from datetime import date
from functools import lru_cache

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_2

from overload import reasons

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"[{PROVINCES}][A-Z][A-Z0-9]{{5,6}}")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")
_PLATE_NOISE = str.maketrans("", "", " \t·•・.")


class IdentifierError(ValueError):
    """An identifier that fails its rule; the message says which rule."""


# Stations send the same plates and ID numbers over and over: the checks are memoised (a failed
# check raises, and exceptions are not cached, so a bad identifier is refused every time). An
# entry costs about 250 bytes: 131,072 of them hold a 100,000-vehicle province's plates and
# drivers (at 1M vehicles, 2^18 entries cost 130 MB of the 1 GB budget for a few % of hits).
@lru_cache(maxsize=1 << 17)
def normalize_plate(text: str) -> str:
    """Plate as stored: full-width folded, spaces and `·` removed, letters upper-cased."""
    plate = unicodedata.normalize("NFKC", text).translate(_PLATE_NOISE).upper()
    if not _PLATE.fullmatch(plate):
        raise IdentifierError(reasons.PLATE.format(text=repr(text)))
    return plate


@lru_cache(maxsize=1 << 17)
def normalize_id_number(text: str) -> str:
    """Resident identity number: 18 characters, a real birth date, GB 11643-1999 check digit."""
    number = text.strip().upper()
    if not _ID_NUMBER.fullmatch(number):
        raise IdentifierError(reasons.ID_NUMBER_FORM)
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError(reasons.ID_NUMBER_BIRTH.format(digits=number[6:14])) from None
    if int(number[6:10]) < 1900:
        raise IdentifierError(reasons.ID_NUMBER_BIRTH.format(digits=number[6:14]))
    if not mod_11_2.is_valid(number):
        raise IdentifierError(reasons.ID_NUMBER_CHECK)
    return number


@lru_cache(maxsize=1 << 16)
def normalize_credit_code(text: str) -> str:
    """Unified social credit code: 18 characters, GB 32100-2015 check character."""
    code = text.strip().upper()
    try:
        return str(uscc.validate(code))
    except (ValidationError, ValueError) as error:
        raise IdentifierError(reasons.CREDIT_CODE.format(text=repr(text), error=error)) from None


def classify(text: str) -> tuple[str, str] | None:
    """("vehicle" | "driver" | "enterprise", normalised id) for a plate, an ID number or a credit
    code typed by an operator; None when it is none of them. A credit code may also name a
    loading source unit: only the log can tell."""
    for kind, rule in (("vehicle", normalize_plate), ("driver", normalize_id_number),
                       ("enterprise", normalize_credit_code)):
        try:
            return kind, rule(text)
        except IdentifierError:
            continue
    return None


def mask_id_number(number: str) -> str:
    """Public form of an ID number: first 6 and last 4 kept (141002********1234).

    Anything too short to keep 6 and 4 with a masked middle is starred whole: a malformed number
    must never come out in full on a public list.
    """
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """Public form of a person's name (documents.md): 王*国, 欧**华 (first and last kept), 王* (two).

    One rule for every length: two characters keep the first; three or more keep the first and
    the last and star each character between. Surrounding spaces are dropped first, so " 王芳"
    cannot leak its second character.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
