"""Re-screen the weighings in the log (for `rebuild`): append what changed, never rewrite.

What changed is decided by the ledger of detections in effect (overload/screening/ledger.py),
the same one an ingest's late registry rows go through, so a rebuild equals any delivery order.
Completion is explicit: a `ScreeningCompleted` marker per rulebook version and log position.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from overload.events import DetectionWithdrawn, ScreeningCompleted
from overload.rulebook.model import Rulebook
from overload.screening.ledger import Ledger
from overload.screening.screen import screener_for
from overload.store.log import EVENT, EventLog, Pending

BATCH = 5_000


@dataclass
class Rescreened:
    weighings: int = 0
    candidates: int = 0
    appended: int = 0
    withdrawn: int = 0
    after: int = 0  # the marker the run resumed from (0: from the first weighing)
    through: int = 0  # the position the run's last marker covers


def rescreen(
    log: EventLog, rulebook: Rulebook, after: int = 0, batch: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> Rescreened:
    """Screen the weighings after position `after` (a previous marker, or 0: all) again and
    append what changed through the ledger: a detection the log lacks, or the withdrawal of one
    that no longer holds as made (overload/screening/ledger.py). Every weighing is screened
    exactly, none prefiltered by the database: a licensed mass or single tyres can put a limit
    below any row of the table, and a detection in effect may have to be withdrawn. With each
    batch of `batch` changes goes a `ScreeningCompleted` marker in the same transaction, and one
    closes the run: a rebuild killed midway resumes from its last batch.

    The run covers the weighings up to the head read when it starts; weighings appended while
    it runs (a concurrent ingest) lie after the last marker, so the next rebuild screens them
    if the ingest's own screener did not.
    """
    screener = screener_for(log, rulebook)
    ledger = Ledger.load(log, rulebook)
    result = Rescreened(after=after)
    head = log.head()[0]
    source = f"engine:{rulebook.label}"
    pending: list[Pending] = []
    for position, _, payload in log.payloads(("WeighingRecorded",), after=after):
        if position > head:
            break
        result.weighings += 1
        for event in ledger.changes(payload, screener.screen(payload)):
            pending.append(Pending.of(event, source))
            if isinstance(event, DetectionWithdrawn):
                result.withdrawn += 1
            else:
                result.appended += 1
        if len(pending) >= batch:
            _flush(log, rulebook, pending, position)
            if on_batch is not None:
                on_batch(position)
            pending = []
    _flush(log, rulebook, pending, head)
    result.candidates = result.weighings
    result.through = head
    return result


def _flush(log: EventLog, rulebook: Rulebook, changes: list[Pending], through: int) -> None:
    """Append the changes and the marker saying every weighing up to `through` is screened,
    in one transaction."""
    marker = ScreeningCompleted(rulebook=rulebook.id, rulebook_version=rulebook.version,
                                through_position=through)
    log.write([*changes, Pending.of(marker, f"engine:{rulebook.label}")])


def screened_through(log: EventLog, rulebook: Rulebook) -> int:
    """How far this rulebook version's screening is known complete: the newest marker's
    position (0: never). Detections alone prove nothing: an ingest under another rulebook, or
    a killed rebuild, leaves weighings unscreened between them."""
    through = 0
    for _, _, payload in log.payloads(("ScreeningCompleted",)):
        if (payload["rulebook"], payload["rulebook_version"]) == (rulebook.id, rulebook.version):
            through = max(through, int(payload["through_position"]))
    return through


def unscreened(log: EventLog, after: int) -> bool:
    """Is there any weighing after this position?"""
    with log.engine.connect() as conn:
        return conn.execute(select(EVENT.c.position).where(
            EVENT.c.type == "WeighingRecorded", EVENT.c.position > after).limit(1)).first() is not None


def mark_ingested(log: EventLog, rulebook: Rulebook, first_position: int | None,
                  weighings: int) -> bool:
    """After an ingest whose screener (this rulebook version) screened each of the `weighings`
    it appended, from log position `first_position` on: when those are all the weighings after
    the newest marker, and that marker lies before the ingest began, record a marker through the
    last of them, so the next `rebuild` need not screen them again. The count and the last
    position are read in one query: a weighing committed later lies after it, uncovered."""
    after = screened_through(log, rulebook)
    if not weighings or first_position is None or after >= first_position:
        return False
    with log.engine.connect() as conn:
        count, last = conn.execute(select(func.count(), func.max(EVENT.c.position)).where(
            EVENT.c.type == "WeighingRecorded", EVENT.c.position > after)).one()
    if count != weighings:
        return False  # weighings this ingest did not screen lie after the marker
    marker = ScreeningCompleted(rulebook=rulebook.id, rulebook_version=rulebook.version,
                                through_position=int(last))
    log.write([Pending.of(marker, f"engine:{rulebook.label}")])
    return True
