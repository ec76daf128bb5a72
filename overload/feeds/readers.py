"""Stream rows out of feed files (JSON Lines, CSV) with their line numbers.

Files are read line by line in binary, so memory does not grow with the file. A row that cannot
be decoded or parsed becomes a `RawRow` with an error, to be quarantined; only a file that cannot
be read at all raises `FeedFileError`.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from overload.errors import FeedFileError
from overload.store.log import raw_text

BOM = b"\xef\xbb\xbf"
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}

csv.field_size_limit(1 << 20)


@dataclass(frozen=True, slots=True)
class RawRow:
    """One non-blank row: parsed into a dict, or carrying the reason it could not be. `data` is
    the row as read; its quarantine form (`raw`) is made only when a row needs it."""

    line: int
    data: bytes
    record: dict[str, Any] | None
    error: str | None = None

    @property
    def raw(self) -> str:
        return raw_text(self.data)


def feed_format(path: Path) -> str:
    """The encoding of a feed, from its extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        message = f"{path}: unknown extension {path.suffix!r} (expected {known})"
        raise FeedFileError(message) from None


def read_rows(path: Path, csv_type: str | None = None) -> Iterator[RawRow]:
    """Rows of a feed file, in file order."""
    fmt = feed_format(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise FeedFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FeedFileError(f"{path}: is a directory") from None
    except OSError as error:
        raise FeedFileError(f"{path}: cannot be read ({error.strerror})") from None
    with handle:
        if fmt == "jsonl":
            yield from _jsonl(path, handle)
        else:
            yield from _csv(path, handle, csv_type)


def _jsonl(path: Path, handle: BinaryIO) -> Iterator[RawRow]:
    first = True  # no row read yet: an undecodable first row means the file is not UTF-8
    for number, data in enumerate(handle, start=1):
        if number == 1 and data.startswith(BOM):  # a BOM only means something at the start
            data = data[len(BOM) :]
        if not data.strip():
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            if first:
                raise FeedFileError(f"{path}: not UTF-8 (line {number})") from None
            yield RawRow(number, data, None, f"not valid UTF-8 at byte {error.start}")
            continue
        first = False
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            yield RawRow(number, data, None, f"invalid JSON: {error}")
            continue
        if not isinstance(value, dict):
            yield RawRow(number, data, None, "not a JSON object")
            continue
        yield RawRow(number, data, value)


class _Lines:
    """Decoded lines for the csv module, remembering the raw text of the current row and
    whether any of its lines was not valid UTF-8."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.pending: list[bytes] = []
        self.bad = False

    def __iter__(self) -> Iterator[str]:
        first = True
        for data in self.handle:
            if first and data.startswith(BOM):
                data = data[len(BOM) :]
            first = False
            self.pending.append(data)
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError:
                # surrogateescape keeps undecodable bytes, so the row can be quarantined with a
                # reason instead of stopping the file.
                self.bad = True
                yield data.decode("utf-8", errors="surrogateescape")

    def take(self) -> tuple[bytes, bool]:
        pending = self.pending
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pending.clear()
        bad, self.bad = self.bad, False
        return data, bad


def _csv(path: Path, handle: BinaryIO, csv_type: str | None) -> Iterator[RawRow]:
    lines = _Lines(handle)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise FeedFileError(f"{path}: header row cannot be read ({error})") from None
    if lines.take()[1]:
        raise FeedFileError(f"{path}: not UTF-8 (header row)")
    columns = [name.strip() for name in header]
    if len(set(columns)) != len(columns) or "" in columns:
        raise FeedFileError(f"{path}: header has empty or repeated column names")
    if "type" not in columns and csv_type is None:
        raise FeedFileError(f"{path}: CSV has no `type` column; give --type for the whole file")
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RawRow(start, lines.take()[0], None, f"CSV row cannot be parsed: {error}")
            start = reader.line_num + 1
            continue
        raw, bad = lines.take()
        line, start = start, reader.line_num + 1
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if bad:
            yield RawRow(line, raw, None, "not valid UTF-8")
        elif len(cells) != len(columns):
            what = "truncated" if len(cells) < len(columns) else "too many cells"
            yield RawRow(
                line, raw, None,
                f"{what}: row has {len(cells)} cells, header has {len(columns)}",
            )
        else:
            record: dict[str, Any] = dict(zip(columns, cells, strict=True))
            if "" in record.values():  # an empty cell is an absent field
                record = {c: v for c, v in record.items() if v != ""}
            if csv_type is not None and "type" not in record:
                record["type"] = csv_type
            yield RawRow(line, raw, record)
