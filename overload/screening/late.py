"""Late registry rows: re-screen exactly the weighings they affect, during the same ingest.

Registry exports lag station files, so a weighing is often screened before the registration or
permit that makes its limit. The screener remembers what a row of this ingest changed
(`Screener.touched`: a plate from a date on; `touched_permits`), and `settle` re-screens those
logged weighings after the file, appending what changed through the ledger
(overload/screening/ledger.py), the same one `rebuild`'s re-screen goes through
(overload/screening/rescreen.py): what any delivery order must equal.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import select

from overload.events import DetectionWithdrawn
from overload.screening.ledger import Ledger
from overload.screening.screen import Screener, weighing_day
from overload.store.log import EVENT, EventLog, Pending

BATCH = 5_000
_PAGE = 20_000  # weighings read per query while looking for a plate's


@dataclass
class Settled:
    plates: int = 0
    weighings: int = 0
    appended: int = 0
    withdrawn: int = 0


def settle(log: EventLog, screener: Screener, source: str | None = None) -> Settled:
    """Re-screen the logged weighings that the registry rows this screener learned since the
    last call may affect (`screener.touched`: a plate's weighings from a date on;
    `screener.touched_permits`: the weighings naming a permit), and append what changed.
    Called by `ingest` after each file, so late rows take effect by themselves."""
    touched, screener.touched = screener.touched, {}
    permits, screener.touched_permits = screener.touched_permits, set()
    result = Settled(plates=len(touched))
    if not touched and not permits:
        return result
    ledger = Ledger(screener.rulebook)
    page: list[dict[str, Any]] = []
    for payload in _weighings_of(log, touched, permits):
        page.append(payload)
        if len(page) >= _PAGE:
            _settle_page(log, screener, ledger, page, source, result)
            page = []
    _settle_page(log, screener, ledger, page, source, result)
    return result


def _settle_page(log: EventLog, screener: Screener, ledger: Ledger, page: list[dict[str, Any]],
                 source: str | None, result: Settled) -> None:
    """Re-screen a page of weighings: their plates' detections are read once, then what
    changed is written before the next page is read."""
    ledger.include(log, {p["plate"] for p in page})
    pending: list[Pending] = []
    origin = source or f"engine:{screener.rulebook.label}"
    for payload in page:
        result.weighings += 1
        if payload.get("permit_no") is not None:
            because: str | None = f"permit:{payload['permit_no']}"
        else:
            because = screener.registration(payload["plate"], weighing_day(payload))[0]
        for event in ledger.changes(payload, screener.screen(payload), because):
            pending.append(Pending.of(event, origin))
            if isinstance(event, DetectionWithdrawn):
                result.withdrawn += 1
            else:
                result.appended += 1
    if pending:
        log.write(pending)


def _weighings_of(log: EventLog, plates: Mapping[str, str],
                  permits: set[str]) -> Iterable[dict[str, Any]]:
    """Logged weighings of these plates from their dates on, and those naming these permits.
    Weighings are not in the subject index, so this is one pass over the log's weighings, a
    page at a time (memory stays flat on a province's log), reading the plate from the subjects
    column and parsing only the payloads that may match."""
    lower = "" if permits else _day_before(min(plates.values()))  # event_at is UTC text
    position = 0
    while True:
        query = (select(EVENT.c.position, EVENT.c.subjects, EVENT.c.payload)
                 .where(EVENT.c.type == "WeighingRecorded", EVENT.c.position > position,
                        EVENT.c.event_at >= lower)
                 .order_by(EVENT.c.position).limit(_PAGE))
        with log.engine.connect() as conn:
            rows = conn.execute(query).all()
        for _, subjects, text in rows:
            since = plates.get(subjects.split(" ", 2)[1])
            if since is None and not (permits and '"permit_no":' in text):
                continue
            payload = orjson.loads(text)
            if (since is not None and weighing_day(payload) >= since) or \
                    payload.get("permit_no") in permits:
                yield payload
        if len(rows) < _PAGE:
            return
        position = rows[-1][0]


def _day_before(since: str) -> str:
    """The start of the UTC day before a legal date: no +08:00 instant of that date is earlier."""
    day = date.fromisoformat(since) - timedelta(days=1)
    return f"{day.isoformat()}T00:00:00"
