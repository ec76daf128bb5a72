"""A feed row as read: parsed into a record, or carrying the reason it could not be."""

from dataclasses import dataclass
from typing import Any

from overload.feeds.limits import RowLimitError
from overload.store.log import raw_text

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class RawRow:
    """One non-blank row: parsed into a dict, or carrying the reason it could not be (and the
    field it concerns). `data` is the row as read, in UTF-8; its quarantine form (`raw`) is made
    only when a row needs it."""

    line: int
    data: bytes
    record: dict[str, Any] | None
    error: str | None = None
    field: str = "(row)"
    kind: object = None  # the `type` of a row that parsed but is over a limit

    @property
    def raw(self) -> str:
        return raw_text(self.data)


def over(number: int, data: bytes, error: RowLimitError, kind: object = None) -> RawRow:
    """A row over one of the limits, quarantined with the limit and the field it concerns."""
    return RawRow(number, data, None, str(error), error.field, kind)
