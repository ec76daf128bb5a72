"""Quarantine reasons that name what Excel did to a value, so a clerk knows how to fix the file.

Excel, opening a CSV, turns every cell that looks like a number or a date into one, and saves
it back as displayed: an 18-digit ID number becomes `1.41002E+17` (or keeps 15 digits and ends
in `000`), a date column becomes serial numbers (`45123`) or the Windows short date
(`2026/6/30`, or `2026/1/5 10:00` for an instant, seconds lost). None of these is accepted:
the feed contract says YYYY-MM-DD, the same slashes mean another order under another Windows
locale (`6/30/2026`, `30/06/2026`), and a weighing whose seconds were cut would conflict with
the same record sent again from the station's own system. The row is quarantined, with the fix.
"""

import re
from datetime import date, timedelta
from typing import Any

from overload import reasons

_IDENTIFIERS = {"driver_id": reasons.ID_NUMBER, "enterprise_id": reasons.CREDIT_CODE_NAME,
                "source_unit_id": reasons.CREDIT_CODE_NAME, "subject_id": reasons.AN_ID}
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE]\+?\d+")
_FIFTEEN_DIGITS = re.compile(r"\d{15}000")
_SERIAL = re.compile(r"\d{1,5}(\.\d+)?")
_SLASHED = re.compile(r"\d{4}/\d{1,2}/\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug)


def hint(field: str, value: Any) -> str | None:
    """Why this refused value looks like Excel's doing, with the fix; None when it does not."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    what = _IDENTIFIERS.get(field)
    if what is not None:
        if _SCIENTIFIC.fullmatch(text):
            return reasons.EXCEL_NUMBER.format(what=what, text=text)
        if _FIFTEEN_DIGITS.fullmatch(text):
            return reasons.EXCEL_FIFTEEN.format(what=what, text=text)
    if field.endswith(("_on", "_at")):
        kind = reasons.A_DATE if field.endswith("_on") else reasons.A_TIME
        pattern = "YYYY-MM-DD" if kind == reasons.A_DATE else "YYYY-MM-DDTHH:MM:SS"
        if _SERIAL.fullmatch(text) and float(text) >= 1:
            day = _EXCEL_EPOCH + timedelta(days=int(float(text)))
            return reasons.EXCEL_SERIAL.format(kind=kind, text=text, day=day, pattern=pattern)
        if _SLASHED.fullmatch(text):
            return reasons.EXCEL_SLASHED.format(kind=kind, text=text, pattern=pattern)
    return None
