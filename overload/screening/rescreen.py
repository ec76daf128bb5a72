"""Re-screen every weighing in the log (for `rebuild`): append missing detections, report drift.

The database does the first pass: it keeps only weighings over the lowest limit any vehicle with
that axle count can have (or over a dimension limit), a superset of the over-limit ones; Python
then screens those exactly with the vehicle's kind and drive axle. Only detections whose key the
log lacks are built and appended: events are never rewritten.
"""

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, Integer, and_, case, cast, func, or_, select

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


def rescreen(log: EventLog, rulebook: Rulebook) -> Rescreened:
    """Append the detections the log lacks for this rulebook (e.g. after switching rulebooks)."""
    screener = screener_for(log, rulebook)
    result = Rescreened()
    where = and_(EVENT.c.type == "WeighingRecorded",
                 candidates_filter(log.engine, screener.limits, rulebook.tolerance_kg))
    prefix = f"detection:{rulebook.label}:"
    batch: dict[str, dict[str, Any]] = {}
    with log.engine.connect() as conn:
        result.weighings = int(conn.execute(
            select(func.count()).select_from(EVENT).where(EVENT.c.type == "WeighingRecorded")
        ).scalar_one())
        for (text,) in conn.execute(select(EVENT.c.payload).where(where)
                                    .order_by(EVENT.c.position)):
            result.candidates += 1
            payload = orjson.loads(text)
            if screener.is_over(payload):
                batch[f"{prefix}{payload['station_id']}:{payload['record_id']}"] = payload
            if len(batch) >= BATCH:
                _flush(log, screener, rulebook, batch, result)
                batch = {}
    _flush(log, screener, rulebook, batch, result)
    return result


def _flush(log: EventLog, screener: Screener, rulebook: Rulebook,
           batch: dict[str, dict[str, Any]], result: Rescreened) -> None:
    """Build and append only the detections whose keys the log does not hold yet."""
    if not batch:
        return
    known = log.known(set(batch))
    missing = []
    for key, payload in batch.items():
        if key in known:
            continue
        detection = screener.screen(payload)
        if detection is not None:
            missing.append(Pending.of(detection, f"engine:{rulebook.label}"))
    if missing:
        log.write(missing)
        result.appended += len(missing)


def screened_before(log: EventLog, rulebook: Rulebook) -> bool:
    """Has this rulebook version made any detection in this log (a key range on the index)?"""
    prefix = f"detection:{rulebook.label}:"
    with log.engine.connect() as conn:
        row = conn.execute(select(EVENT.c.position).where(
            EVENT.c.key >= prefix, EVENT.c.key < prefix[:-1] + ";").limit(1)).first()
    return row is not None
