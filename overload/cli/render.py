"""All terminal output: the only module that imports Rich (a ruff banned-api rule enforces it)."""

import csv
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

import orjson
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

# Piped output (logs, cron mails) gets a wide fixed width instead of Rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def emit_json(value: Any) -> None:
    """Stable machine output: indented, keys in the order the caller built them."""
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def emit_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
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
    table = Table(title=title, caption=caption, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else _short_cell(row.get(c)) for c in columns))
    console.print(table)


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


def say(message: str) -> None:
    console.print(message, highlight=False)


def warn(message: str) -> None:
    errors.print(message, highlight=False, markup=False)


def fail(message: str) -> None:
    errors.print(f"error: {message}", highlight=False, markup=False, soft_wrap=True)


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[str, int], None]]:
    """A progress display on stderr (interactive terminals only); yields `advance(label, rows)`."""
    if not enabled or not errors.is_terminal:
        yield lambda _label, _rows: None
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
        console=errors, transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(label: str, rows: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=None)
            bar.advance(tasks[label], rows)

        yield advance
