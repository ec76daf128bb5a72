"""Tamper evidence: walk the log and recompute its hash chain.

A row altered in place changes its hash; a removed row leaves a gap in the positions (or, if the
positions were renumbered, breaks every hash after it); reordered rows break the chain at the
first of them. The first bad position is reported.
"""

from dataclasses import dataclass

from sqlalchemy import select

from overload.store.log import EVENT, GENESIS, EventLog, chain_hash

COLUMNS = ("position", "type", "key", "payload", "event_at", "recorded_at", "source", "hash")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    head_hash: str
    position: int | None = None
    problem: str | None = None


def verify(log: EventLog, batch: int = 20_000) -> Verdict:
    previous, expected, count = GENESIS, 1, 0
    after = 0
    with log.engine.connect() as conn:
        while True:
            query = (select(*(EVENT.c[name] for name in COLUMNS))
                     .where(EVENT.c.position > after).order_by(EVENT.c.position).limit(batch))
            rows = conn.execute(query).mappings().all()
            for row in rows:
                position = row["position"]
                if position != expected:
                    problem = (f"position {expected} is missing (next stored is {position}): "
                               "a row was removed")
                    return Verdict(False, count, previous, expected, problem)
                if chain_hash(previous, *(row[name] for name in COLUMNS[:-1])) != row["hash"]:
                    problem = ("hash does not match the row's content and its predecessor: "
                               "the row was altered, or rows were reordered or removed before it")
                    return Verdict(False, count, previous, position, problem)
                previous, expected, count = row["hash"], expected + 1, count + 1
            if len(rows) < batch:
                return Verdict(True, count, previous)
            after = rows[-1]["position"]
