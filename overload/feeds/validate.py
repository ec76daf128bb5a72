"""Turn a parsed row into a feed event, or into a quarantine reason that names the field."""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from overload import reasons
from overload.events import FEED_EVENTS, FeedEvent
from overload.feeds.excel import hint

UNKNOWN_TYPE = "(unknown)"


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a row is not an event: the record type (if known), the field, a one-line reason."""

    record_type: str
    field: str
    reason: str


def to_event(record: dict[str, Any]) -> FeedEvent | Rejection:
    """Validate one record against feed format v1."""
    record_type = record.get("type")
    if not isinstance(record_type, str) or not record_type:
        return Rejection(UNKNOWN_TYPE, "type", reasons.reason("type", reasons.MISSING))
    model = FEED_EVENTS.get(record_type)
    if model is None:
        return Rejection(UNKNOWN_TYPE, "type", reasons.reason(
            "type", reasons.UNKNOWN_TYPE.format(type=repr(record_type[:64]))))
    fields = {k: v for k, v in record.items() if k != "type"}
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        return _rejection(record_type, error, fields)
    except (ValueError, TypeError, OverflowError) as error:
        # Validators signal with ValueError; anything else slipping through must still not
        # become a traceback: the row is quarantined with what was said.
        return Rejection(record_type, "(row)", reasons.reason("(row)", str(error)))


def _rejection(record_type: str, error: ValidationError, fields: dict[str, Any]) -> Rejection:
    problems = []
    first_field = "(row)"
    for index, item in enumerate(error.errors(include_url=False, include_input=False)):
        field = ".".join(str(part) for part in item["loc"]) or "(row)"
        if index == 0:
            first_field = field
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = reasons.REQUIRED
        elif field in fields:
            message = hint(field, fields[field]) or message
        problems.append(reasons.reason(field, message))
    shown = "; ".join(problems[:3])
    if len(problems) > 3:
        shown += "; " + reasons.MORE.format(count=len(problems) - 3)
    return Rejection(record_type, first_field, shown)
