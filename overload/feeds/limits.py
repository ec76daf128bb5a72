"""Limits on one feed row, checked while reading, before anything else touches the row.

A row is data from outside: its size, its nesting and its number of keys bound the memory and
the time that validating, hashing, storing and replaying it will cost, and characters the
database cannot store must not get in at all. A row over a limit is quarantined with the limit
named; the file's other rows still land.

- `MAX_ROW_BYTES`: 1 MiB, the CSV module's cell limit (`csv.field_size_limit`) applied to a
  whole row of either format. A longer line is read in bounded chunks and skipped to its end,
  never held in memory whole.
- `MAX_DEPTH`: 32 levels of objects and arrays, counting the row's own object as level 1. Feed
  records are flat (level 1) and exporters' extra fields are small structures; 32 is far above
  anything a real exporter nests and far below the depth at which pydantic's and orjson's
  serialisers give up (about 255), which is where a deeper row used to stop the whole ingest.
- `MAX_ITEMS`: 1,000 object members and array items in total, at every level. A contract record
  has at most 16 fields; 1,000 leaves room for any exporter's extras while bounding the work a
  row costs (and the size of every later replay of its payload).
- NUL (`\\x00` raw or `\\u0000` escaped), in any key or value: PostgreSQL cannot store it in
  text (UntranslatableCharacter), and a row SQLite would keep must not be one PostgreSQL refuses.
"""

from typing import Any

from overload import reasons
from overload.feeds.names import printable

MAX_ROW_BYTES = 1 << 20
MAX_DEPTH = 32
MAX_ITEMS = 1_000
KEPT_BYTES = 16 << 10  # the head of an oversized row, kept to show in the quarantine
SKIP_CHUNK = 64 << 10
_ESCAPED_NUL = b"\\u0000"


class RowLimitError(ValueError):
    """A row over one of the limits: `field` names where (or "(row)"), the message the limit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def too_long(size: int) -> RowLimitError:
    return RowLimitError(
        "(row)", reasons.ROW_TOO_LONG.format(size=f"{size:,}", limit=f"{MAX_ROW_BYTES:,}")
    )


def nul(field: str) -> RowLimitError:
    return RowLimitError(field, reasons.NUL)


def check_json(data: bytes, value: dict[str, Any]) -> None:
    """Raise RowLimitError when a parsed JSON row is over a limit.

    Plain rows are proven within limits by byte searches on the line (no escaped NUL, no
    array, one object: depth 1 and as many items as keys); only other rows are walked.
    (`find` on one byte is memchr: twice as fast as `in` on these lines.)
    """
    if (
        (data.find(b"\\") < 0 or data.find(_ESCAPED_NUL) < 0)
        and data.find(b"[") < 0
        and data.count(b"{") == 1
        and len(value) <= MAX_ITEMS
    ):
        return
    walk(value)


def _field(key: str) -> str:
    """A key as the quarantine's field: printable and bounded."""
    return printable(key)[:64]


def walk(row: dict[str, Any]) -> None:
    """Depth, item count and NUL over the whole row, iteratively (no recursion to exhaust),
    stopping at the first limit; the top-level key under which it was found is the field."""
    items = 0
    for key, top in row.items():
        if "\x00" in key:
            raise nul(_field(key))
        items += 1
        stack: list[tuple[Any, int]] = [(top, 2)]
        while stack:
            value, depth = stack.pop()
            if isinstance(value, str):
                if "\x00" in value:
                    raise nul(_field(key))
                continue
            if isinstance(value, dict):
                children: Any = value.values()
                for name in value:
                    if "\x00" in name:
                        raise nul(_field(key))
            elif isinstance(value, list):
                children = value
            else:
                continue
            if depth > MAX_DEPTH:
                raise RowLimitError(_field(key), reasons.TOO_DEEP.format(depth=MAX_DEPTH))
            items += len(value)
            if items > MAX_ITEMS:
                break
            stack.extend((child, depth + 1) for child in children)
        if items > MAX_ITEMS:
            raise RowLimitError(
                "(row)", reasons.TOO_MANY.format(items=f"{MAX_ITEMS:,}")
            )


def check_cells(data: bytes) -> None:
    """A CSV row (raw bytes): only NUL can be over a limit here; its size is bounded while
    reading and its number of cells by the header's."""
    if data.find(b"\x00") >= 0:
        raise nul("(row)")


def skip_rest(readline: Any, size: int) -> int:
    """Read the rest of an oversized line in bounded chunks; the line's full size in bytes
    (without its line break)."""
    while chunk := readline(SKIP_CHUNK):
        if chunk.endswith(b"\n"):
            return size + len(chunk.rstrip(b"\r\n"))
        size += len(chunk)
    return size
