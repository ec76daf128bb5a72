"""The subject index: which log positions mention a plate, ID number, credit code or entry.

The log keeps each event's subjects in one text column, which only a scan can search; on a
province's log that scan is most of an explanation's time. This index is derived from that
column, caught up like the entries projection (a checkpoint, under the writers' lock) and
rebuilt by `overload rebuild`. Readers never depend on it being current: positions after its
checkpoint are still found by scanning (see `EventLog._rows`).

Weighings are left out: they are nearly every event, indexing them would slow the ingest that
matters most, and no explanation reads them (their detections are indexed).
"""

from collections.abc import Iterable, Iterator
from itertools import groupby, zip_longest

from sqlalchemy import Connection, delete, func, insert, select

from overload.events import ALL_EVENTS
from overload.store.db import is_sqlite
from overload.store.log import CHECKPOINT, EVENT, SUBJECT, SUBJECT_INDEX, UNINDEXED, EventLog
from overload.store.projection import Difference

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
    """Index the events appended since the checkpoint (all of them when `full`, or when the
    checkpoint points past the last indexed event: corrupt, said once, rebuilt); returns how
    many subject rows were added."""
    if not full and log.subject_checkpoint() >= log.last_position(INDEXED):
        return 0
    added = 0
    with log.locked() as conn:
        row = conn.execute(select(CHECKPOINT.c.position).where(CHECKPOINT.c.name == SUBJECT_INDEX)).first()
        last = int(conn.execute(select(func.max(EVENT.c.position))
                                .where(EVENT.c.type.in_(INDEXED))).scalar() or 0)
        if not full and row is not None and int(row[0]) > last:
            log.on_notice(f"the subject index's checkpoint ({int(row[0])}) points past the last "
                          f"indexed event ({last}): corrupt; rebuilding the index from the log")
            full = True
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


def first_difference(log: EventLog) -> Difference | None:
    """The first way the stored index differs from one rebuilt from the log up to its
    checkpoint, or None. Streams both sides in (position, subject) order: the index of a
    province's log does not fit in memory twice."""
    with log.engine.connect() as conn:
        row = conn.execute(select(CHECKPOINT.c.position)
                           .where(CHECKPOINT.c.name == SUBJECT_INDEX)).first()
        if row is None:
            return None
        checkpoint = int(row[0])
        last = int(conn.execute(select(func.max(EVENT.c.position))
                                .where(EVENT.c.type.in_(INDEXED))).scalar() or 0)
        if checkpoint > last:
            return Difference("projection_checkpoint", SUBJECT_INDEX, str(checkpoint),
                              f"at most {last} (the last indexed event)")
        stored = _grouped(tuple(r) for r in conn.execute(
            select(SUBJECT.c.position, SUBJECT.c.subject).order_by(SUBJECT.c.position)))
        for mine, theirs in zip_longest(stored, _rebuilt(log, checkpoint)):
            if mine != theirs:
                return _first(mine, theirs)
    return None


Group = tuple[int, tuple[str, ...]]  # a position and its subjects, sorted


def _grouped(rows: Iterable[tuple[int, str]]) -> Iterator[Group]:
    """Rows ordered by position (the database's collation never decides the subjects' order)."""
    for position, group in groupby(rows, key=lambda r: r[0]):
        yield position, tuple(sorted(subject for _, subject in group))


def _rebuilt(log: EventLog, through: int) -> Iterator[Group]:
    with log.engine.connect() as conn:
        head = 0
        while True:
            events = conn.execute(
                select(EVENT.c.position, EVENT.c.subjects)
                .where(EVENT.c.type.in_(INDEXED), EVENT.c.position > head,
                       EVENT.c.position <= through)
                .order_by(EVENT.c.position).limit(_BATCH)
            ).all()
            for position, subjects in events:
                if subjects.split():
                    yield position, tuple(sorted(set(subjects.split())))
            if len(events) < _BATCH:
                return
            head = events[-1][0]


def _first(mine: Group | None, theirs: Group | None) -> Difference:
    """The first (subject, position) row one side has and the other lacks."""
    if mine is not None and (theirs is None or mine[0] < theirs[0]):
        return Difference("projection_subject", f"{mine[1][0]} @ {mine[0]}", "present", "(none)")
    assert theirs is not None
    if mine is None or theirs[0] < mine[0]:
        return Difference("projection_subject", f"{theirs[1][0]} @ {theirs[0]}", "(none)",
                          "present")
    extra = sorted(set(mine[1]) - set(theirs[1]))
    if extra:
        return Difference("projection_subject", f"{extra[0]} @ {mine[0]}", "present", "(none)")
    missing = sorted(set(theirs[1]) - set(mine[1]))[0]
    return Difference("projection_subject", f"{missing} @ {mine[0]}", "(none)", "present")
