"""Ingest feed files into the log: every row ends accepted, duplicate or quarantined.

As a rule, an unexpected exception while ingesting one file ends that file with an error in its
report (exit code 2) and the other files still land; only the database failing (it cannot be
reached or written) stops the whole ingest, since every later file would fail the same way and
a watcher must leave them in its folder rather than file them as failed.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import DataError, SQLAlchemyError

from overload import reasons
from overload.errors import FeedFileError, StorageError, first_line
from overload.feeds.names import printable
from overload.feeds.prepare import Prepared, prepare
from overload.feeds.readers import FORMATS, open_feed
from overload.feeds.rows import RawRow
from overload.screening.late import settle
from overload.screening.screen import Screener
from overload.store.log import EventLog

BATCH_ROWS = 5_000  # one transaction per batch: large enough to amortise SQLite's index writes
OUTCOMES = ("accepted", "duplicate", "quarantined")


@dataclass
class FileReport:
    """What became of the rows of one file, per record type, and the encoding it was read in."""

    path: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    error: str | None = None
    reasons: list[str] = field(default_factory=list)
    encoding: str | None = None

    def add(self, record_type: str, outcome: str, count: int = 1) -> None:
        counter = self.counts.setdefault(record_type, Counter())
        counter["read"] += count
        counter[outcome] += count

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    accepted: int = 0
    first_accepted: int | None = None  # position of the first event this ingest appended

    def accepted_of(self, record_type: str) -> int:
        """How many rows of this type the ingest appended (a screener screened each weighing)."""
        return sum(f.counts[record_type]["accepted"] for f in self.files
                   if record_type in f.counts)

    @property
    def exit_code(self) -> int:
        """0: all accepted or duplicate; 1: rows quarantined; 2: a file could not be read."""
        if any(f.error for f in self.files):
            return 2
        if any(f.total("quarantined") for f in self.files):
            return 1
        return 0


@dataclass(frozen=True)
class Options:
    """How to read the files: the type of CSVs without a `type` column, a forced encoding."""

    csv_type: str | None = None
    encoding: str | None = None


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder gives its feed files in name order (not recursive)."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result.extend(
                sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in FORMATS)
            )
        else:
            result.append(path)
    return result


def ingest(
    log: EventLog,
    paths: Iterable[Path],
    csv_type: str | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
    screener: Screener | None = None,
    encoding: str | None = None,
) -> IngestReport:
    """Ingest every file; a file that cannot be read is reported and the others still land.

    With a screener, each accepted weighing over a limit lands with its OverloadDetected event.
    """
    report = IngestReport()
    options = Options(csv_type, encoding)
    for path in expand(paths):
        if on_file:
            on_file(path)
        _ingest_path(log, path, None, options, report, on_rows, screener)
    return report


def ingest_opened(
    log: EventLog, path: Path, handle: BinaryIO, csv_type: str | None = None,
    screener: Screener | None = None,
) -> IngestReport:
    """Ingest one file already open in `handle` (the watcher's, checked by fstat): the file
    read is the one that was checked, whatever the name points to meanwhile."""
    report = IngestReport()
    _ingest_path(log, path, handle, Options(csv_type), report, None, screener)
    return report


def _ingest_path(
    log: EventLog,
    path: Path,
    handle: BinaryIO | None,
    options: Options,
    report: IngestReport,
    on_rows: Callable[[int], None] | None,
    screener: Screener | None,
) -> None:
    file_report = FileReport(printable(str(path)))
    report.files.append(file_report)
    try:
        with open_feed(path, options.csv_type, options.encoding, handle) as feed:
            file_report.encoding = feed.encoding
            _ingest_rows(log, feed.label, feed.rows, file_report, report, on_rows, screener)
    except FeedFileError as error:
        file_report.error = str(error)
    except (StorageError, SQLAlchemyError) as error:
        if not isinstance(error, DataError):
            raise  # the database, not this file: stop here, leave the file where it is
        file_report.error = _internal(file_report.path, error)
    except Exception as error:  # the rule above: this file ends, the others still land
        file_report.error = _internal(file_report.path, error)
    if screener is not None:
        settle(log, screener)  # late registry rows re-screen the weighings they affect


def _internal(label: str, error: Exception) -> str:
    return reasons.file_error(label, reasons.INTERNAL.format(
        error=f"{type(error).__name__}: {first_line(error)[:300]}"))


def _ingest_rows(
    log: EventLog,
    name: str,
    rows: Iterable[RawRow],
    report: FileReport,
    totals: IngestReport,
    on_rows: Callable[[int], None] | None,
    screener: Screener | None,
) -> None:
    batch: list[RawRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            _commit(log, name, prepare(name, batch, screener), report, totals)
            if on_rows:
                on_rows(len(batch))
            batch = []
    if batch:
        _commit(log, name, prepare(name, batch, screener), report, totals)
        if on_rows:
            on_rows(len(batch))


def _commit(
    log: EventLog, name: str, prepared: Prepared, report: FileReport, totals: IngestReport
) -> None:
    """Write one prepared batch and account for every row of it."""
    outcomes = log.write(prepared.pending, prepared.quarantined, prepared.followers)
    # Counted only once written: a batch the database refused is in no count.
    for record_type in prepared.order:
        report.counts.setdefault(record_type, Counter())
    for record_type, line, reason in prepared.notes:
        report.add(record_type, "quarantined")
        _remember(report, name, line, reason)
    tally: Counter[tuple[str, str]] = Counter()
    for item, record_type, outcome in zip(
        prepared.pending, prepared.pending_types, outcomes, strict=True
    ):
        if outcome.status == "conflict":
            tally[record_type, "quarantined"] += 1
            line = int(item.source.rpartition(":")[2])
            _remember(report, name, line, reasons.CONFLICT_NOTE.format(key=item.key))
            continue
        tally[record_type, outcome.status] += 1
        if outcome.status == "accepted" and totals.first_accepted is None:
            totals.first_accepted = outcome.position
    for (record_type, outcome_status), count in tally.items():
        report.add(record_type, outcome_status, count)
        if outcome_status == "accepted":
            totals.accepted += count


def _remember(report: FileReport, name: str, line: int, reason: str) -> None:
    if len(report.reasons) < 20:
        report.reasons.append(reasons.INGEST_NOTE.format(file=name, line=line, reason=reason))
