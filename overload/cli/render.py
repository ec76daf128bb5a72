"""All terminal output: the only module that imports Rich (a ruff banned-api rule enforces it).

Rich is imported on first use, not at start-up: JSON and CSV output (what scripts and the
bureau's checks read) do not need it, and its import is 30 ms of every command's start.
"""

import csv
import io
import os
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson

from overload import i18n
from overload.cli import vocabulary
from overload.i18n import _
from overload.timeutil import SHANGHAI, iso_default

if TYPE_CHECKING:
    from rich.console import Console


_target: list["Console"] = []  # a console given by a test (output_to), else the terminal's


def console() -> "Console":
    """Standard output. Piped output (logs, cron mails) gets a fixed width instead of Rich's
    80-column default: COLUMNS if set, else 160."""
    if _target:
        return _target[-1]
    return _stdout_console(sys.stdout.isatty(), os.environ.get("COLUMNS", ""))


@cache
def _stdout_console(tty: bool, columns: str) -> "Console":
    from rich.console import Console

    return Console(width=None if tty else int(columns) if columns.isdigit() else 160)


@cache
def errors() -> "Console":
    from rich.console import Console

    return Console(stderr=True, width=None if sys.stderr.isatty() else 160)


@contextmanager
def output_to(target: "Console") -> Iterator[None]:
    """Tables and messages go to `target` (a fixed-width console in tests)."""
    _target.append(target)
    try:
        yield
    finally:
        _target.pop()


RICH_TABLE_ROWS = 500  # longer listings print as plain columns (see _emit_columns)
FREE_TEXT_MIN = 12  # the narrowest a folding text column is counted as when fitting a table
WORD_MAX = 24  # a longer word in a free text may be folded
CSV_BOM = "\ufeff"  # Excel opens a UTF-8 CSV as UTF-8 only when it starts with the BOM


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def beijing(value: Any) -> str:
    """A time as a person reads it: Beijing time with its offset (`2026-12-02 03:05:07 +08:00`);
    a legal date (`2018-05-02`) stays that date; anything else is shown as it is."""
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, date):
        return value.isoformat()
    elif isinstance(value, str) and len(value) > 10:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        return "" if value is None else str(value)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)  # the log's own columns are naive UTC only
    local = instant.astimezone(SHANGHAI)
    offset = local.strftime("%z")  # +0800
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def emit_json(value: Any) -> None:
    """Stable machine output: indented, keys in the order the caller built them."""
    text = orjson.dumps(value, default=iso_default,
                        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    sys.stdout.flush()  # anything printed before comes first
    try:
        sys.stdout.buffer.write(text)
    except AttributeError:  # a text-only stream (a test runner's capture)
        sys.stdout.write(text.decode())



def shown(column: str, item: Any) -> Any:
    """A cell for a person: times in Beijing time, statuses and yes/no in their language."""
    if item is None:
        return None
    if column.endswith(vocabulary.INSTANT_SUFFIX):
        return beijing(item)
    if column == "reason" and isinstance(item, str):
        return vocabulary.reason(item)
    return vocabulary.value(column, item)


def emit_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], keys: bool = False) -> None:
    """CSV for Excel: the BOM, then headers in the operator's language and values as shown;
    `keys` writes the JSON contract's keys and values instead (for scripts)."""
    sys.stdout.write(_csv_text(rows, columns, keys, bom=True))


def _csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str], keys: bool,
              bom: bool) -> str:
    buffer = io.StringIO()
    if bom:
        buffer.write(CSV_BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns if keys else [vocabulary.header(c) for c in columns])
    # The csv module writes None as an empty cell and anything else by str(); lists are joined.
    for row in rows:
        values = [row.get(c) for c in columns] if keys else [shown(c, row.get(c)) for c in columns]
        writer.writerow(_cell(v) if isinstance(v, list | tuple) else v for v in values)
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _short_cell(value: Any) -> str:
    """Tables show the first two items of a list and how many more there are."""
    if isinstance(value, list | tuple) and len(value) > 2:
        return f"{value[0]} {value[1]} (+{len(value) - 2})"
    return _cell(value)


def _table_cells(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[list[str]]:
    """Every cell as the text a person reads (one converter per column, translations
    remembered: a province's list is 17,000 rows)."""
    converters = [_converter(column) for column in columns]
    out = []
    for row in rows:
        line = []
        for column, convert in zip(columns, converters, strict=True):
            item = row.get(column)
            if item is not None:
                item = convert(item)
            line.append("" if item is None else item if type(item) is str else _short_cell(item))
        out.append(line)
    return out


def _converter(column: str) -> Callable[[Any], Any]:
    if column.endswith(vocabulary.INSTANT_SUFFIX):
        return beijing
    if column == "reason":
        return lambda item: vocabulary.reason(item) if isinstance(item, str) else item
    translated = column in vocabulary.VALUE_CONTEXTS
    memo: dict[str, Any] = {}

    def convert(item: Any) -> Any:
        if type(item) is str:
            if not translated:
                return item
            found = memo.get(item)
            if found is None:
                found = memo[item] = vocabulary.value(column, item)
            return found
        return vocabulary.value(column, item)

    return convert


def _width(text: str) -> int:
    return len(text) if text.isascii() else _cell_len(text)


def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _fit(columns: Sequence[str], cells: list[list[str]], width: int,
         essential: Collection[str] | None, wide: bool) -> tuple[list[int], list[int]]:
    """Which columns to show and the width each needs: identifiers their full width, free
    text its longest word (up to WORD_MAX) or FREE_TEXT_MIN; non-essential columns are left
    out from the right until the table fits (none with `wide`)."""
    needs = []
    for index, column in enumerate(columns):
        longest = max((_width(line[index]) for line in cells), default=0)
        title = _width(vocabulary.header(column))
        if vocabulary.is_identifier(column):
            needs.append(max(longest, title))
        else:
            # a free text folds between words: as wide as its longest word (an identifier in
            # a sentence stays whole), up to WORD_MAX
            word = max((_width(w) for line in cells for w in line[index].split()), default=0)
            needs.append(max(min(word, WORD_MAX), min(longest, FREE_TEXT_MIN),
                             min(title, FREE_TEXT_MIN)))
    keep = list(range(len(columns)))

    def total(chosen: list[int]) -> int:
        return sum(needs[i] for i in chosen) + 3 * len(chosen) + 1  # padding and borders

    if not wide and essential is not None:
        optional = [i for i in keep if columns[i] not in essential]
        while total(keep) > width and optional:
            keep.remove(optional.pop())
    return keep, needs


def emit_table(
    title: str | None,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    caption: str | None = None,
    *,
    essential: Collection[str] | None = None,
    wide: bool = False,
) -> None:
    """A table that fits: identifiers whole on one line, free text folded; at a narrow width
    only the essential columns, saying which were left out and that `--wide` shows them."""
    cells = _table_cells(rows, columns)
    out = console()
    if len(rows) > RICH_TABLE_ROWS and (essential is None or wide):
        _emit_columns(title, columns, cells, caption)  # plain columns never wrap
        return
    keep, needs = _fit(columns, cells, out.width, essential, wide)
    left_out = [vocabulary.header(c) for i, c in enumerate(columns) if i not in keep]
    if left_out:
        note = _("Not shown: {columns}; --wide shows every column.").format(
            columns=_("、").join(left_out) if i18n.current() != i18n.ENGLISH
            else ", ".join(left_out))
        caption = f"{caption}\n{note}" if caption else note
    chosen = [columns[i] for i in keep]
    rows_shown = [[line[i] for i in keep] for line in cells]
    if len(rows) > RICH_TABLE_ROWS:
        _emit_columns(title, chosen, rows_shown, caption)
        return
    from rich.table import Table
    from rich.text import Text

    needed = sum(needs[i] for i in keep) + 3 * len(keep) + 1
    table = Table(title=title, caption=caption, show_lines=False)
    for index, column in zip(keep, chosen, strict=True):
        if vocabulary.is_identifier(column):
            table.add_column(vocabulary.header(column), width=needs[index], no_wrap=True,
                             overflow="ignore")
        elif needed > out.width:  # every column at the width counted for it: none is squeezed
            table.add_column(vocabulary.header(column), overflow="fold", width=needs[index])
        else:
            table.add_column(vocabulary.header(column), overflow="fold", min_width=needs[index])
    for line in rows_shown:
        table.add_row(*(Text(cell) for cell in line))
    if needed > out.width:
        # Even the essential columns are wider than the terminal: print at the width they
        # need (the terminal wraps the line) rather than cut an identifier in two.
        out = _wider(out, needed)
    out.print(table, crop=False)  # a line the terminal must wrap, never an identifier cut off


def _wider(base: "Console", width: int) -> "Console":
    from rich.console import Console

    return Console(file=base.file, width=width, color_system=base.color_system,  # type: ignore[arg-type]
                   force_terminal=base.is_terminal, highlight=False)


def _emit_columns(
    title: str | None, columns: Sequence[str], cells: list[list[str]], caption: str | None,
) -> None:
    """A long listing as plain aligned columns, the way `ps` prints: Rich lays a table out
    cell by cell (18 s for a province's 16,000 entries), while this takes a fraction of a
    second. Widths are display widths (a Chinese character is two columns wide)."""
    from rich.cells import cell_len

    padded = []
    for index, column in enumerate(columns):
        values = [vocabulary.header(column), *(line[index] for line in cells)]
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
    *,
    essential: Collection[str] | None = None,
    wide: bool = False,
    keys: bool = False,
    document: Any = None,
) -> None:
    """Render a listing in the format the operator asked for; every Format is handled.

    JSON is `document` when given (an object wrapping the rows), else the rows: the contract's
    keys and values. CSV: see emit_csv. Table: see emit_table (`essential`, `wide`).
    """
    if fmt is Format.json:
        emit_json(list(rows) if document is None else document)
    elif fmt is Format.csv:
        emit_csv(rows, columns, keys)
    elif fmt is Format.table:
        emit_table(title, rows, columns, caption, essential=essential, wide=wide)
    else:  # a Format added without its renderer must fail loudly, not print a table
        raise ValueError(f"no renderer for --format {fmt}")


@dataclass(frozen=True)
class Section:
    """One table of a report made of several (`explain`, `rules show`)."""

    title: str
    rows: Sequence[dict[str, Any]]
    columns: Sequence[str]
    essential: Collection[str] | None = None


def emit_sections(fmt: Format, sections: Sequence[Section], document: Any, *,
                  wide: bool = False, keys: bool = False,
                  lines: Callable[[], None] | None = None) -> None:
    """A report of several tables in every format: JSON is `document`; CSV is one file with
    a `section` column first and the union of the sections' columns; a table is each section
    in turn, then `lines` (free sentences) when given."""
    if fmt is Format.json:
        emit_json(document)
    elif fmt is Format.csv:
        union: list[str] = ["section"]
        for section in sections:
            union.extend(c for c in section.columns if c not in union)
        rows = [{"section": s.title, **row} for s in sections for row in s.rows]
        emit_csv(rows, union, keys)
    elif fmt is Format.table:
        for section in sections:
            if section.rows:
                emit_table(section.title, section.rows, section.columns,
                           essential=section.essential, wide=wide)
        if lines is not None:
            lines()
    else:
        raise ValueError(f"no renderer for --format {fmt}")


def say(message: str, markup: bool = True, soft_wrap: bool = False) -> None:
    """Standard output; `markup=False` for text holding outside names, `soft_wrap=True` for a
    line that must stay one line (a log line)."""
    console().print(message, highlight=False, markup=markup, soft_wrap=soft_wrap)


def warn(message: str) -> None:
    errors().print(message, highlight=False, markup=False, soft_wrap=True)


def fail(message: str) -> None:
    errors().print(_("error: {message}").format(message=message), highlight=False, markup=False,
                   soft_wrap=True)


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[str, int], None]]:
    """A progress display on stderr (interactive terminals only); yields `advance(label, rows)`."""
    if not enabled or not errors().is_terminal:
        yield lambda _label, _rows: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} " + _("rows")),
        console=errors(), transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(label: str, rows: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=None)
            bar.advance(tasks[label], rows)

        yield advance
