"""The subject index: which log positions mention a plate, ID number, credit code or entry.

The log keeps each event's subjects in one text column, which only a scan can search; on a
province's log that scan is most of an explanation's time. This index is derived from that
column, caught up like the entries projection (a checkpoint, under the writers' lock) and
rebuilt by `overload rebuild`. Readers never depend on it being current: positions after its
checkpoint are still found by scanning (see `EventLog._rows`).

Weighings are left out: they are nearly every event, indexing them would slow the ingest that
matters most, and no explanation reads them (their detections are indexed).
"""

from sqlalchemy import Connection, delete, insert, select

from overload.events import ALL_EVENTS
from overload.store.db import is_sqlite
from overload.store.log import CHECKPOINT, EVENT, SUBJECT, SUBJECT_INDEX, UNINDEXED, EventLog

INDEXED = tuple(sorted(set(ALL_EVENTS) - UNINDEXED))
_BATCH = 20_000


def _insert(log: EventLog, conn: Connection, rows: list[tuple[str, int]]) -> None:
    """Sorted by subject, so SQLite appends to its index pages; on SQLite through the driver
    (SQLAlchemy's per-row parameter processing would be most of a rebuild's time here)."""
    if is_sqlite(log.engine):
        conn.exec_driver_sql("INSERT INTO projection_subject (subject, position) VALUES (?, ?)",
                             rows)
    else:
        conn.execute(insert(SUBJECT), [{"subject": s, "position": p} for s, p in rows])


def catch_up(log: EventLog, full: bool = False) -> int:
    """Index the events appended since the checkpoint (all of them when `full`); returns how
    many subject rows were added."""
    if not full and log.subject_checkpoint() >= log.last_position(INDEXED):
        return 0
    added = 0
    with log.locked() as conn:
        row = conn.execute(select(CHECKPOINT.c.position).where(CHECKPOINT.c.name == SUBJECT_INDEX)).first()
        seen = 0 if full or row is None else int(row[0])
        if full:
            conn.execute(delete(SUBJECT))
        head = seen
        while True:
            events = conn.execute(
                select(EVENT.c.position, EVENT.c.subjects)
                .where(EVENT.c.type.in_(INDEXED), EVENT.c.position > head)
                .order_by(EVENT.c.position).limit(_BATCH)
            ).all()
            rows = sorted((subject, position)
                          for position, subjects in events for subject in set(subjects.split()))
            if rows:
                _insert(log, conn, rows)
                added += len(rows)
            if events:
                head = events[-1][0]
            if len(events) < _BATCH:
                break
        if row is None:
            conn.execute(insert(CHECKPOINT), [{"name": SUBJECT_INDEX, "position": head}])
        elif head != int(row[0]):
            conn.execute(CHECKPOINT.update().where(CHECKPOINT.c.name == SUBJECT_INDEX)
                         .values(position=head))
    return added
