"""Re-screen every weighing in the log (for `rebuild`): append missing detections, report drift.

The database does the first pass: it keeps only weighings over the lowest limit any vehicle with
that axle count can have (or over a dimension limit), a superset of the over-limit ones; Python
then screens those exactly with the vehicle's kind and drive axle. Only detections whose key the
log lacks are built and appended: events are never rewritten. Completion is explicit: a
`ScreeningCompleted` marker per rulebook version and log position (see `rescreen`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, Integer, and_, case, cast, func, or_, select

from overload.events import ScreeningCompleted
from overload.rulebook.model import Rulebook
from overload.screening.limits import LimitsTable
from overload.screening.screen import Screener, screener_for
from overload.store.db import is_sqlite
from overload.store.log import EVENT, EventLog, Pending

BATCH = 5_000


@dataclass
class Rescreened:
    weighings: int = 0
    candidates: int = 0
    appended: int = 0
    after: int = 0  # the marker the run resumed from (0: from the first weighing)
    through: int = 0  # the position the run's last marker covers


def _field(engine: Engine, name: str) -> Any:
    """A number in the payload as an SQL expression, so the database can filter on it."""
    if is_sqlite(engine):
        return func.json_extract(EVENT.c.payload, f"$.{name}")
    # Imported here: SQLAlchemy's PostgreSQL dialect is not loaded by commands on SQLite.
    from sqlalchemy.dialects.postgresql import JSONB

    return cast(cast(EVENT.c.payload, JSONB)[name].astext, Integer)


def candidates_filter(engine: Engine, limits: LimitsTable, tolerance_kg: int) -> Any:
    """Weighings that may be over a limit, whatever the vehicle's kind and drive axle."""
    lowest: dict[int, int] = {}
    for row in limits.mass:
        lowest[row["axles"]] = min(lowest.get(row["axles"], row["limit"]), row["limit"])
    axles = _field(engine, "axles")
    limit = case(*((axles == n, lowest[n]) for n in sorted(lowest) if n < 6),
                 else_=lowest[max(lowest)])
    over = [_field(engine, "gross_kg") > limit + tolerance_kg]
    for name, (dim_limit, _) in limits.dimensions.items():
        over.append(_field(engine, name) > dim_limit)
    return or_(*over)


def rescreen(
    log: EventLog, rulebook: Rulebook, after: int = 0, batch: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> Rescreened:
    """Append the detections the log lacks for this rulebook, for the weighings after position
    `after` (a previous marker, or 0: all). With each batch of detections goes a
    `ScreeningCompleted` marker in the same transaction, and one closes the run: a rebuild
    killed midway resumes from its last batch.

    The run covers the weighings up to the head read when it starts; weighings appended while
    it runs (a concurrent ingest) lie after the last marker, so the next rebuild screens them
    if the ingest's own screener did not.
    """
    screener = screener_for(log, rulebook)
    result = Rescreened(after=after)
    head = log.head()[0]
    where = and_(EVENT.c.type == "WeighingRecorded", EVENT.c.position > after,
                 EVENT.c.position <= head,
                 candidates_filter(log.engine, screener.limits, rulebook.tolerance_kg))
    prefix = f"detection:{rulebook.label}:"
    found: dict[str, dict[str, Any]] = {}
    with log.engine.connect() as conn:
        result.weighings = int(conn.execute(
            select(func.count()).select_from(EVENT).where(
                EVENT.c.type == "WeighingRecorded", EVENT.c.position > after,
                EVENT.c.position <= head)
        ).scalar_one())
        for position, text in conn.execute(select(EVENT.c.position, EVENT.c.payload)
                                           .where(where).order_by(EVENT.c.position)):
            result.candidates += 1
            payload = orjson.loads(text)
            if screener.is_over(payload):
                found[f"{prefix}{payload['station_id']}:{payload['record_id']}"] = payload
            if len(found) >= batch:
                _flush(log, screener, rulebook, found, position, result)
                if on_batch is not None:
                    on_batch(position)
                found = {}
    _flush(log, screener, rulebook, found, head, result)
    result.through = head
    return result


def _flush(log: EventLog, screener: Screener, rulebook: Rulebook,
           batch: dict[str, dict[str, Any]], through: int, result: Rescreened) -> None:
    """Append the detections whose keys the log does not hold yet, and the marker saying every
    weighing up to `through` is screened, in one transaction."""
    known = log.known(set(batch)) if batch else {}
    missing = []
    for key, payload in batch.items():
        if key in known:
            continue
        detection = screener.screen(payload)
        if detection is not None:
            missing.append(Pending.of(detection, f"engine:{rulebook.label}"))
    marker = ScreeningCompleted(rulebook=rulebook.id, rulebook_version=rulebook.version,
                                through_position=through)
    log.write([*missing, Pending.of(marker, f"engine:{rulebook.label}")])
    result.appended += len(missing)


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
