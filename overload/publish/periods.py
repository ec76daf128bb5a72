"""`--period 2026-Q4` / `--period 2026-11`: publish as of the period's last day."""

import calendar
import re
from datetime import date

from overload.errors import OverloadError
from overload.i18n import _

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def period_end(text: str) -> date:
    """The last legal date of a quarter (YYYY-Qn) or a month (YYYY-MM)."""
    value = text.strip().upper()
    if match := _QUARTER.fullmatch(value):
        year, month = int(match[1]), int(match[2]) * 3
    elif (match := _MONTH.fullmatch(value)) and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
    else:
        raise OverloadError(_("--period: {text} is neither YYYY-Qn nor YYYY-MM").format(
            text=repr(text)))
    return date(year, month, calendar.monthrange(year, month)[1])
