"""Re-screen every weighing in the log (for `rebuild`): append missing detections, report drift.

A detection that comes out differently now (a vehicle registration arrived after its weighing,
so the kind used at ingest was the default) is reported, never written over: events are not
changed, and a conflicting detection would only be quarantined.
"""

from dataclasses import dataclass

from overload.rulebook.model import Rulebook
from overload.screening.screen import screener_for
from overload.store.log import EventLog, Pending

BATCH = 5_000


@dataclass
class Rescreened:
    weighings: int = 0
    appended: int = 0
    differing: int = 0


def rescreen(log: EventLog, rulebook: Rulebook) -> Rescreened:
    screener = screener_for(log, rulebook)
    result = Rescreened()
    batch: list[Pending] = []
    for stored in log.read(types=("WeighingRecorded",)):
        result.weighings += 1
        detection = screener.screen(stored.payload)
        if detection is not None:
            batch.append(Pending.of(detection, f"engine:{rulebook.label}"))
        if len(batch) >= BATCH:
            _flush(log, batch, result)
            batch = []
    _flush(log, batch, result)
    return result


def _flush(log: EventLog, batch: list[Pending], result: Rescreened) -> None:
    if not batch:
        return
    known = log.known({p.key for p in batch})
    missing = [p for p in batch if p.key not in known]
    result.differing += sum(
        1 for p in batch if p.key in known and known[p.key][1] != p.content_hash
    )
    if missing:
        log.write(missing)
        result.appended += len(missing)
