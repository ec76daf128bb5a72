"""Turn a batch of feed rows into what the log writes: events, their detections, quarantine.

This is the part of an ingest that needs no database; everything it decides travels in a
`Prepared` batch, which `ingest` writes in one transaction and accounts for in the report.
"""

from dataclasses import dataclass, field
from typing import Any

import orjson

from overload.events import PermitIssued, VehicleRegistered, WeighingRecorded
from overload.feeds.fast import weighing
from overload.feeds.readers import RawRow
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
        record = row.record
        if record is None:
            _quarantine(batch, name, row, UNKNOWN_TYPE, "(row)", f"(row): {row.error}")
            continue
        source = f"{name}:{row.line}"
        record_type = record.get("type")
        if record_type == "weighing":
            fast = weighing(record, source, row.data)
            if fast is not None:
                batch.saw(record_type)
                batch.pending.append(fast[0])
                batch.pending_types.append(record_type)
                batch.followers.append(_detection(fast[1], source, screener))
                continue
        result = to_event(record)
        if isinstance(result, Rejection):
            _quarantine(batch, name, row, result.record_type, result.field, result.reason)
            continue
        event = Pending.of(result, source, row.data)
        batch.saw(str(record_type))
        batch.pending.append(event)
        batch.pending_types.append(str(record_type))
        if isinstance(result, WeighingRecorded):
            batch.followers.append(_detection(orjson.loads(event.payload), source, screener))
            continue
        if isinstance(result, VehicleRegistered | PermitIssued) and screener is not None:
            screener.learn(event.type, orjson.loads(event.payload))
        batch.followers.append([])
    return batch


def _quarantine(batch: Prepared, name: str, row: RawRow, record_type: str, field_name: str,
                reason: str) -> None:
    batch.saw(record_type)
    batch.quarantined.append(Quarantined(name, row.line, record_type, field_name, reason, row.raw))
    batch.notes.append((record_type, row.line, reason))


def _detection(payload: dict[str, Any], source: str, screener: Screener | None) -> list[Pending]:
    """A weighing's detection, derived at once and written with it (or nothing: compliant)."""
    if screener is None:
        return []
    detection = screener.screen(payload)
    return [] if detection is None else [Pending.of(detection, source)]
