"""Ingest feed files into the log: every row ends accepted, duplicate or quarantined."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from overload.errors import FeedFileError
from overload.events import VehicleRegistered, WeighingRecorded
from overload.feeds.readers import FORMATS, RawRow, read_rows
from overload.feeds.validate import UNKNOWN_TYPE, Rejection, to_event
from overload.screening.screen import Screener
from overload.store.log import EventLog, Pending, Quarantined

BATCH_ROWS = 5_000  # one transaction per batch: large enough to amortise SQLite's index writes
OUTCOMES = ("accepted", "duplicate", "quarantined")


@dataclass
class FileReport:
    """What became of the rows of one file, per record type."""

    path: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    error: str | None = None
    reasons: list[str] = field(default_factory=list)

    def add(self, record_type: str, outcome: str) -> None:
        counter = self.counts.setdefault(record_type, Counter())
        counter["read"] += 1
        counter[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    accepted: int = 0
    first_accepted: int | None = None  # position of the first event this ingest appended

    @property
    def exit_code(self) -> int:
        """0: all accepted or duplicate; 1: rows quarantined; 2: a file could not be read."""
        if any(f.error for f in self.files):
            return 2
        if any(f.total("quarantined") for f in self.files):
            return 1
        return 0


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
) -> IngestReport:
    """Ingest every file; a file that cannot be read is reported and the others still land.

    With a screener, each accepted weighing over a limit lands with its OverloadDetected event.
    """
    report = IngestReport()
    for path in expand(paths):
        if on_file:
            on_file(path)
        file_report = FileReport(str(path))
        report.files.append(file_report)
        try:
            _ingest_file(
                log, path, csv_type, file_report, report, on_rows, screener
            )
        except FeedFileError as error:
            file_report.error = str(error)
    return report


def _ingest_file(
    log: EventLog,
    path: Path,
    csv_type: str | None,
    report: FileReport,
    totals: IngestReport,
    on_rows: Callable[[int], None] | None,
    screener: Screener | None,
) -> None:
    batch: list[RawRow] = []
    for row in read_rows(path, csv_type):
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            _write(log, str(path), batch, report, totals, screener)
            if on_rows:
                on_rows(len(batch))
            batch = []
    if batch:
        _write(log, str(path), batch, report, totals, screener)
        if on_rows:
            on_rows(len(batch))


def _write(
    log: EventLog,
    name: str,
    rows: list[RawRow],
    report: FileReport,
    totals: IngestReport,
    screener: Screener | None,
) -> None:
    followers: list[list[Pending]] = []
    pending: list[Pending] = []
    pending_types: list[str] = []
    quarantined: list[Quarantined] = []
    for row in rows:
        if row.record is None:
            reason = f"(row): {row.error}"
            quarantined.append(Quarantined(name, row.line, UNKNOWN_TYPE, "(row)", reason, row.raw))
            report.add(UNKNOWN_TYPE, "quarantined")
            _remember(report, name, row.line, reason)
            continue
        result = to_event(row.record)
        if isinstance(result, Rejection):
            quarantined.append(Quarantined(
                name, row.line, result.record_type, result.field, result.reason, row.raw
            ))
            report.add(result.record_type, "quarantined")
            _remember(report, name, row.line, result.reason)
            continue
        source = f"{name}:{row.line}"
        pending.append(Pending.of(result, source, row.raw))
        pending_types.append(str(row.record["type"]))
        followers.append(_derived(result, source, screener))
    outcomes = log.write(pending, quarantined, followers)
    for item, record_type, outcome in zip(pending, pending_types, outcomes, strict=True):
        if outcome.status == "conflict":
            report.add(record_type, "quarantined")
            line = int(item.source.rpartition(":")[2])
            _remember(report, name, line, f"{item.key}: conflict, stored with other content")
        else:
            report.add(record_type, outcome.status)
            if outcome.status == "accepted":
                totals.accepted += 1
                if totals.first_accepted is None:
                    totals.first_accepted = outcome.position


def _remember(report: FileReport, name: str, line: int, reason: str) -> None:
    if len(report.reasons) < 20:
        report.reasons.append(f"{name}, line {line}: {reason}")


def _derived(event: object, source: str, screener: Screener | None) -> list[Pending]:
    """Events the engine derives from a feed event at once: a weighing's detection."""
    if screener is None:
        return []
    if isinstance(event, VehicleRegistered):
        screener.learn_event(event)
    elif isinstance(event, WeighingRecorded):
        detection = screener.screen({
            "station_id": event.station_id, "record_id": event.record_id, "plate": event.plate,
            "axles": event.axles, "gross_kg": event.gross_kg, "weighed_at": event.weighed_at,
            "scale": event.scale, "kind": event.kind, "single_drive_axle": event.single_drive_axle,
            "height_mm": event.height_mm, "width_mm": event.width_mm,
            "length_mm": event.length_mm, "driver_id": event.driver_id,
            "enterprise_id": event.enterprise_id, "source_unit_id": event.source_unit_id,
        })
        if detection is not None:
            return [Pending.of(detection, source)]
    return []
