"""The one place that reads the wall clock, so that tests pin it with freezegun.

Decisions never use it: they use event time. The clock only supplies `recorded_at` and the
default `--as-of` date an operator gets when giving none.
"""

from datetime import UTC, date, datetime

from overload.timeutil import SHANGHAI


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's legal date in Asia/Shanghai."""
    return now().astimezone(SHANGHAI).date()
