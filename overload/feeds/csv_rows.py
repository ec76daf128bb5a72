"""Rows of a CSV feed, in the encoding detected or given, each row bounded while it is read.

A row is one or more physical lines (a quoted cell may hold line breaks). The csv module is fed
decoded lines; the raw bytes of the current row are kept beside it for the quarantine.
"""

import csv
from collections.abc import Iterator
from typing import Any, BinaryIO

from overload import reasons
from overload.errors import FeedFileError
from overload.feeds import encoding as encodings
from overload.feeds.limits import (
    KEPT_BYTES,
    MAX_ITEMS,
    MAX_ROW_BYTES,
    SKIP_CHUNK,
    RowLimitError,
    check_cells,
    too_long,
)
from overload.feeds.rows import RawRow, over

LINE = MAX_ROW_BYTES + 2  # a row at the limit and its line break (CRLF)
_NAMES = {encodings.UTF8: "UTF-8", encodings.GB18030: "GB18030"}

csv.field_size_limit(MAX_ROW_BYTES)


class _TooLong(Exception):
    """Raised through the csv module when a row grows past the limit (its lines are dropped)."""

    def __init__(self, head: bytes, size: int) -> None:
        super().__init__(size)
        self.head, self.size = head, size


class _Lines:
    """Decoded physical lines for the csv module, a bounded line at a time, remembering the raw
    bytes of the current row, whether any of its lines did not decode, and the line count.

    Each `iter()` is a new generator over the same file and state: after a row over the limit
    (raised as _TooLong through the csv module) a new csv reader starts on a new generator."""

    def __init__(self, handle: BinaryIO, encoding: str) -> None:
        self.readline = handle.readline
        self.encoding = encoding
        self.pending: list[bytes] = []
        self.bad = False
        self.number = 0  # physical lines read so far

    def __iter__(self) -> Iterator[str]:
        readline, encoding, pending = self.readline, self.encoding, self.pending
        size = 0
        while data := readline(LINE):
            self.number += 1
            size = size + len(data) if pending else len(data)  # take() empties `pending`
            pending.append(data)
            if size > MAX_ROW_BYTES:
                row = b"".join(pending)
                if len(row.rstrip(b"\r\n")) > MAX_ROW_BYTES:
                    pending.clear()
                    self.bad = False
                    raise self._drop(row)
            try:
                yield data.decode(encoding)
            except UnicodeDecodeError:
                # surrogateescape keeps undecodable bytes, so the row can be quarantined with a
                # reason instead of stopping the file.
                self.bad = True
                yield data.decode(encoding, errors="surrogateescape")

    def _drop(self, row: bytes) -> _TooLong:
        """Skip the rest of an oversized row: the rest of its last line and, while a quoted
        cell is open (an odd number of quotes so far), the lines after it, in bounded chunks."""
        size, quotes, last = len(row), row.count(b'"'), row
        while not last.endswith(b"\n") or quotes % 2:
            chunk = self.readline(SKIP_CHUNK)
            if not chunk:
                return _TooLong(row[:KEPT_BYTES], size)
            if last.endswith(b"\n"):
                self.number += 1  # a new physical line of the same row
            size, quotes, last = size + len(chunk), quotes + chunk.count(b'"'), chunk
        return _TooLong(row[:KEPT_BYTES], size - (len(last) - len(last.rstrip(b"\r\n"))))

    def take(self) -> tuple[bytes, bool]:
        """The current row's bytes (in UTF-8 when they decoded) and whether some did not."""
        pending = self.pending
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pending.clear()
        bad, self.bad = self.bad, False
        if self.encoding != encodings.UTF8 and not bad:
            data = data.decode(self.encoding).encode("utf-8")
        return data, bad


def csv_rows(
    label: str, handle: BinaryIO, csv_type: str | None, encoding: str
) -> Iterator[RawRow]:
    lines = _Lines(handle, encoding)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise FeedFileError(reasons.file_error(
            label, reasons.HEADER_UNREADABLE.format(error=error))) from None
    except _TooLong:
        raise FeedFileError(reasons.file_error(label, reasons.HEADER_TOO_LONG.format(
            limit=f"{MAX_ROW_BYTES:,}"))) from None
    columns = _columns(label, header, lines, encoding, csv_type)
    width = len(columns)
    start = lines.number + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RawRow(start, lines.take()[0], None, f"CSV row cannot be parsed: {error}")
            start = lines.number + 1
            continue
        except _TooLong as error:
            # The csv module is in the middle of the dropped row: a new reader starts clean.
            yield over(start, error.head, too_long(error.size))
            reader = csv.reader(lines, strict=True)
            start = lines.number + 1
            continue
        raw, bad = lines.take()
        line, start = start, lines.number + 1
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if bad or len(cells) != width or raw.find(b"\x00") >= 0:
            yield _refused(line, raw, bad, len(cells), width, encoding)
            continue
        record: dict[str, Any] = dict(zip(columns, cells, strict=True))
        if "" in record.values():  # an empty cell is an absent field
            record = {c: v for c, v in record.items() if v != ""}
        if csv_type is not None and "type" not in record:
            record["type"] = csv_type
        yield RawRow(line, raw, record)


def _columns(label: str, header: list[str], lines: _Lines, encoding: str,
             csv_type: str | None) -> list[str]:
    raw, bad = lines.take()
    if bad:
        raise FeedFileError(reasons.file_error(label, reasons.HEADER_NOT_ENCODING.format(
            encoding=_NAMES.get(encoding, encoding))))
    if b"\x00" in raw:
        raise FeedFileError(reasons.file_error(label, reasons.HEADER_NUL))
    columns = [name.strip() for name in header]
    if len(columns) > MAX_ITEMS:
        raise FeedFileError(reasons.file_error(label, reasons.HEADER_TOO_WIDE.format(
            columns=f"{len(columns):,}", limit=f"{MAX_ITEMS:,}")))
    if len(set(columns)) != len(columns) or "" in columns:
        raise FeedFileError(reasons.file_error(label, reasons.HEADER_REPEATED))
    if "type" not in columns and csv_type is None:
        raise FeedFileError(reasons.file_error(label, reasons.NO_TYPE_COLUMN))
    return columns


def _refused(line: int, raw: bytes, bad: bool, cells: int, width: int, encoding: str) -> RawRow:
    """A CSV row that did not decode, has a NUL, or has the wrong number of cells."""
    if bad:
        return RawRow(line, raw, None, reasons.NOT_VALID.format(encoding=_NAMES.get(encoding, encoding)))
    try:
        check_cells(raw)
    except RowLimitError as error:
        return over(line, raw, error)
    what = reasons.TRUNCATED if cells < width else reasons.TOO_MANY_CELLS
    return RawRow(line, raw, None, what.format(cells=cells, width=width))
