"""All terminal output: the only module that imports Rich (a ruff banned-api rule enforces it).

Rich is imported on first use, not at start-up: JSON and CSV output (what scripts and the
bureau's checks read) do not need it, and its import is 30 ms of every command's start.
"""

import csv
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from rich.console import Console


@cache
def console() -> "Console":
    """Standard output. Piped output (logs, cron mails) gets a wide fixed width instead of
    Rich's 80-column default."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160)


@cache
def errors() -> "Console":
    from rich.console import Console

    return Console(stderr=True, width=None if sys.stderr.isatty() else 160)


RICH_TABLE_ROWS = 500  # longer listings print as plain columns (see _emit_columns)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def emit_json(value: Any) -> None:
    """Stable machine output: indented, keys in the order the caller built them."""
    text = orjson.dumps(value, default=_iso_date,
                        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    sys.stdout.flush()  # anything printed before comes first
    try:
        sys.stdout.buffer.write(text)
    except AttributeError:  # a text-only stream (a test runner's capture)
        sys.stdout.write(text.decode())


def _iso_date(value: Any) -> str:
    """Dates orjson leaves to us: subclasses of date (freezegun's, in tests) write as dates."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def emit_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    # The csv module writes None as an empty cell and anything else by str(); lists are joined.
    writer.writerows(
        [_cell(v) if isinstance(v, list | tuple) else v for v in map(row.get, columns)]
        for row in rows
    )
    sys.stdout.write(buffer.getvalue())


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _short_cell(value: Any) -> str:
    """Tables show the first two items of a list and how many more there are."""
    if isinstance(value, list | tuple) and len(value) > 2:
        return f"{value[0]} {value[1]} (+{len(value) - 2})"
    return _cell(value)


def emit_table(
    title: str | None,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    caption: str | None = None,
) -> None:
    if len(rows) > RICH_TABLE_ROWS:
        _emit_columns(title, rows, columns, caption)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, caption=caption, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, not markup: cells hold outside data (a file named `a[/x].csv` broke the table)
        table.add_row(*(Text("" if row.get(c) is None else _short_cell(row.get(c)))
                        for c in columns))
    console().print(table)


def _emit_columns(
    title: str | None, rows: Sequence[dict[str, Any]], columns: Sequence[str],
    caption: str | None,
) -> None:
    """A long listing as plain aligned columns, the way `ps` prints: Rich lays a table out
    cell by cell (18 s for a province's 16,000 entries), while this takes a fraction of a
    second. Widths are display widths (a Chinese character is two columns wide)."""
    from rich.cells import cell_len

    padded = []
    for column in columns:
        values = [v if type(v) is str else "" if v is None else _short_cell(v)
                  for v in [row.get(column) for row in rows]]
        values = [column, *values]
        if all(map(str.isascii, values)):  # most columns: display width is length
            wide = max(map(len, values))
            padded.append([values[0].ljust(wide), "-" * wide,
                           *(v.ljust(wide) for v in values[1:])])
            continue
        widths = [len(v) if v.isascii() else cell_len(v) for v in values]
        wide = max(widths)
        padded.append([values[0] + " " * (wide - widths[0]), "-" * wide,
                       *(v + " " * (wide - w) for v, w in zip(values[1:], widths[1:],
                                                              strict=True))])
    out = [title] if title else []
    out.extend("  ".join(parts).rstrip() for parts in zip(*padded, strict=True))
    if caption:
        out.append(caption)
    sys.stdout.write("\n".join(out) + "\n")


def emit(
    fmt: Format,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Render a listing in the format the operator asked for."""
    if fmt is Format.json:
        emit_json(list(rows))
    elif fmt is Format.csv:
        emit_csv(rows, columns)
    else:
        emit_table(title, rows, columns, caption)


def say(message: str, markup: bool = True, soft_wrap: bool = False) -> None:
    """Standard output; `markup=False` for text holding outside names, `soft_wrap=True` for a
    line that must stay one line (a log line)."""
    console().print(message, highlight=False, markup=markup, soft_wrap=soft_wrap)


def warn(message: str) -> None:
    errors().print(message, highlight=False, markup=False, soft_wrap=True)


def fail(message: str) -> None:
    errors().print(f"error: {message}", highlight=False, markup=False, soft_wrap=True)


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[str, int], None]]:
    """A progress display on stderr (interactive terminals only); yields `advance(label, rows)`."""
    if not enabled or not errors().is_terminal:
        yield lambda _label, _rows: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
        console=errors(), transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(label: str, rows: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=None)
            bar.advance(tasks[label], rows)

        yield advance
