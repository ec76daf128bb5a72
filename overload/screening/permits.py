"""大件 permits (超限运输许可): a weighing naming a valid permit of its vehicle is checked against
the permit's declared mass and dimensions, not Art. 3; otherwise Art. 3 applies and the case
names the permit and why it did not apply."""

from collections.abc import Mapping
from typing import Any, NamedTuple

from overload.events import LimitRule
from overload.screening.limits import Limit, LimitsTable

DIMENSIONS = {"length_mm": "长度", "width_mm": "宽度", "height_mm": "高度"}


class Permit(NamedTuple):
    plate: str
    valid_from: str  # ISO dates, compared as text
    valid_to: str
    gross_kg: int
    dimensions: tuple[tuple[str, int], ...]


def permit_of(payload: Mapping[str, Any]) -> Permit:
    """A permit_issued payload as the screener keeps it."""
    return Permit(payload["plate"], str(payload["valid_from"]), str(payload["valid_to"]),
                  int(payload["gross_kg"]),
                  tuple((n, int(payload[n])) for n in DIMENSIONS if payload.get(n) is not None))


def permitted(permit: Permit | None, number: str, plate: str, day: str, art3: Limit,
              table: LimitsTable) -> tuple[Limit, str]:
    """The limit a weighing naming permit `number` is checked against, and how the permit was
    used: `applied`, or (Art. 3, with a note) `unknown`, `other-vehicle`, `outside-dates`."""
    if permit is None:
        return _noted(art3, f"permit {number}: not on record, checked against Art. 3"), "unknown"
    if permit.plate != plate:
        return _noted(art3, f"permit {number}: issued for {permit.plate}, checked against "
                            "Art. 3"), "other-vehicle"
    if not permit.valid_from <= day <= permit.valid_to:
        return _noted(art3, f"permit {number}: valid {permit.valid_from} .. {permit.valid_to}, "
                            f"not on {day}; checked against Art. 3"), "outside-dates"
    spec = table.rules.get("permit", {"text": "超限运输许可", "source": "超限运输许可"})
    text = f"{spec['text']} ({number}): {permit.gross_kg}千克"
    rule = LimitRule(rule="permit", limit_kg=permit.gross_kg, text=text, source=str(spec["source"]))
    dimensions = {name: (limit, what) for name, limit, what in art3.dimensions}
    for name, value in permit.dimensions:
        dimensions[name] = (value, f"超过许可证核定{DIMENSIONS[name]}{value}毫米 ({number})")
    checked = tuple((name, limit, what) for name, (limit, what) in dimensions.items())
    return Limit(permit.gross_kg, text, (rule,), checked, ()), "applied"


def _noted(limit: Limit, note: str) -> Limit:
    """The Art. 3 limit with a note on why the permit did not apply (shown in the case)."""
    return Limit(limit.mass_kg, limit.mass_text, limit.rules, limit.dimensions,
                 (*limit.defaults, note))
