"""Turn a batch of feed rows into what the log writes: events, their detections, quarantine.

This is the part of an ingest that needs no database; everything it decides travels in a
`Prepared` batch, which `ingest` writes in one transaction and accounts for in the report.

As a rule, an unexpected exception while validating or preparing one row quarantines that row
("internal error: ..." naming the exception): a row is data from outside, and no row may stop
the rows after it.
"""

from dataclasses import dataclass, field
from typing import Any

import orjson

from overload import reasons
from overload.errors import first_line
from overload.events import FEED_EVENTS, PermitIssued, VehicleRegistered, WeighingRecorded
from overload.feeds.fast import weighing
from overload.feeds.rows import RawRow
from overload.feeds.validate import UNKNOWN_TYPE, Rejection, to_event
from overload.screening.screen import Screener
from overload.store.log import Pending, Quarantined


@dataclass
class Prepared:
    """One batch, ready for `EventLog.write`, with what the report needs to say about it."""

    pending: list[Pending] = field(default_factory=list)
    pending_types: list[str] = field(default_factory=list)
    followers: list[list[Pending]] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    # (record type, line, reason) of each quarantined row, in file order
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # record types in order of appearance

    def saw(self, record_type: str) -> None:
        if record_type not in self.order:
            self.order.append(record_type)


def prepare(name: str, rows: list[RawRow], screener: Screener | None) -> Prepared:
    """Validate each row (the weighing fast lane first), screen weighings, keep the reasons."""
    batch = Prepared()
    for row in rows:
        try:
            outcome = _one(name, row, screener)
        except Exception as error:  # the rule above: this row is quarantined, the rest go on
            outcome = Rejection(_record_type(row), "(row)",
                                reasons.reason("(row)", reasons.INTERNAL.format(
                                    error=f"{type(error).__name__}: {first_line(error)[:200]}")))
        if isinstance(outcome, Rejection):
            _quarantine(batch, name, row, outcome)
            continue
        event, record_type, followers = outcome
        batch.saw(record_type)
        batch.pending.append(event)
        batch.pending_types.append(record_type)
        batch.followers.append(followers)
    return batch


def _one(name: str, row: RawRow, screener: Screener | None
         ) -> tuple[Pending, str, list[Pending]] | Rejection:
    """One row's event, its type and its followers; or why it is quarantined."""
    record = row.record
    if record is None:
        return Rejection(_record_type(row), row.field, reasons.reason(row.field, str(row.error)))
    source = f"{name}:{row.line}"
    record_type = record.get("type")
    if record_type == "weighing":
        fast = weighing(record, source, row.data)
        if fast is not None:
            return fast[0], record_type, _detection(fast[1], source, screener)
    result = to_event(record)
    if isinstance(result, Rejection):
        return result
    event = Pending.of(result, source, row.data)
    if isinstance(result, WeighingRecorded):
        return event, str(record_type), _detection(orjson.loads(event.payload), source, screener)
    if isinstance(result, VehicleRegistered | PermitIssued) and screener is not None:
        screener.learn(event.type, orjson.loads(event.payload))
    return event, str(record_type), []


def _record_type(row: RawRow) -> str:
    record_type = row.kind if row.record is None else row.record.get("type")
    return record_type if isinstance(record_type, str) and record_type in FEED_EVENTS \
        else UNKNOWN_TYPE


def _quarantine(batch: Prepared, name: str, row: RawRow, rejection: Rejection) -> None:
    batch.saw(rejection.record_type)
    batch.quarantined.append(Quarantined(name, row.line, rejection.record_type, rejection.field,
                                         rejection.reason, row.raw))
    batch.notes.append((rejection.record_type, row.line, rejection.reason))


def _detection(payload: dict[str, Any], source: str, screener: Screener | None) -> list[Pending]:
    """A weighing's detection, derived at once and written with it (or nothing: compliant)."""
    if screener is None:
        return []
    detection = screener.screen(payload)
    return [] if detection is None else [Pending.of(detection, source)]
