"""Open a feed file (JSON Lines or CSV) and stream its rows with their line numbers.

Files are read a bounded line at a time in binary, so memory grows neither with the file nor
with one line: a line over the row limit (overload/feeds/limits.py) is skipped to its end in
chunks. A row that cannot be decoded or parsed, or is over a limit, becomes a `RawRow` with an
error, to be quarantined; only a file that cannot be read at all raises `FeedFileError`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from overload import reasons
from overload.errors import FeedFileError
from overload.feeds import encoding as encodings
from overload.feeds.csv_rows import csv_rows
from overload.feeds.jsonl_rows import jsonl_rows
from overload.feeds.names import printable
from overload.feeds.rows import BOM, RawRow

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@dataclass
class Feed:
    """An open feed file: its format, the encoding it is read in, and its rows in file order."""

    label: str  # the path as it may be printed and stored
    fmt: str
    encoding: str
    rows: Iterator[RawRow]


def feed_format(path: Path) -> str:
    """The format of a feed, from its extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise FeedFileError(reasons.file_error(
            printable(str(path)), reasons.UNKNOWN_EXTENSION.format(
            suffix=repr(printable(path.suffix)), known=known))) from None


@contextmanager
def open_feed(
    path: Path, csv_type: str | None = None, encoding: str | None = None,
    handle: BinaryIO | None = None,
) -> Iterator[Feed]:
    """A feed file opened for reading; `handle`, when given, is the file already open (the
    watcher's, checked by fstat) and is read instead of opening `path`. `encoding` forces a
    CSV's encoding; JSON Lines is always UTF-8."""
    label = printable(str(path))
    fmt = feed_format(path)
    if handle is None:
        with _open(path, label) as opened:
            yield _feed(label, fmt, opened, csv_type, encoding)
    else:
        yield _feed(label, fmt, handle, csv_type, encoding)


def read_rows(path: Path, csv_type: str | None = None) -> Iterator[RawRow]:
    """Rows of a feed file, in file order."""
    with open_feed(path, csv_type) as feed:
        yield from feed.rows


def _open(path: Path, label: str) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise FeedFileError(reasons.file_error(label, reasons.NO_SUCH_FILE)) from None
    except IsADirectoryError:
        raise FeedFileError(reasons.file_error(label, reasons.IS_A_DIRECTORY)) from None
    except OSError as error:
        raise FeedFileError(reasons.file_error(label, reasons.CANNOT_READ.format(
            error=error.strerror))) from None


def _feed(label: str, fmt: str, handle: BinaryIO, csv_type: str | None,
          encoding: str | None) -> Feed:
    if fmt == "jsonl":
        return Feed(label, fmt, encodings.UTF8, jsonl_rows(label, handle))
    if encoding is None:
        encoding, skip = encodings.detect(handle, label)
    else:
        skip = len(BOM) if encoding == encodings.UTF8 and handle.read(3) == BOM else 0
    handle.seek(skip)
    return Feed(label, fmt, encoding, csv_rows(label, handle, csv_type, encoding))


