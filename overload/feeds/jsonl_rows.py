"""Rows of a JSON Lines feed: UTF-8, one object per line, each line bounded while it is read."""

from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from overload import reasons
from overload.errors import FeedFileError
from overload.feeds.limits import (
    KEPT_BYTES,
    MAX_ROW_BYTES,
    RowLimitError,
    check_json,
    nul,
    skip_rest,
    too_long,
)
from overload.feeds.rows import BOM, RawRow, over

LINE = MAX_ROW_BYTES + 2  # a row at the limit and its line break (CRLF)


def jsonl_rows(label: str, handle: BinaryIO) -> Iterator[RawRow]:
    readline = handle.readline
    first = True  # no row read yet: an undecodable first row means the file is not UTF-8
    number = 0
    while data := readline(LINE):
        number += 1
        if number == 1 and data.startswith(BOM):  # a BOM only means something at the start
            data = data[len(BOM) :]
        if len(data) > MAX_ROW_BYTES and len(data.rstrip(b"\r\n")) > MAX_ROW_BYTES:
            yield _oversized(number, data, readline)
            continue
        if not data.strip():
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            if first:
                raise FeedFileError(reasons.file_error(
                    label, reasons.JSONL_NOT_UTF8.format(
                    line=number))) from None
            yield RawRow(number, data, None, reasons.NOT_VALID_AT.format(encoding="UTF-8",
                                                                        byte=error.start))
            continue
        first = False
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            if b"\x00" in data:
                yield over(number, data, nul("(row)"))
            else:
                yield RawRow(number, data, None, reasons.INVALID_JSON.format(error=error))
            continue
        if not isinstance(value, dict):
            yield RawRow(number, data, None, reasons.NOT_AN_OBJECT)
            continue
        try:
            check_json(data, value)
        except RowLimitError as error:
            yield over(number, data, error, value.get("type"))
            continue
        yield RawRow(number, data, value)


def _oversized(number: int, data: bytes, readline: Any) -> RawRow:
    size = len(data.rstrip(b"\r\n")) if data.endswith(b"\n") else skip_rest(readline, len(data))
    return over(number, data[:KEPT_BYTES], too_long(size))
