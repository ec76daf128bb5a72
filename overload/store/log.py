"""The append-only event log: write batches atomically, read in log order.

Writers take a lock for the whole batch (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
transaction lock), so the duplicate check, the positions and the hash chain are consistent even
with two ingests at once. There is deliberately no method that updates or deletes an event.
"""

import hashlib
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import orjson
from sqlalchemy import Connection, Engine, and_, func, insert, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from overload import clock, reasons
from overload.events import ALL_EVENTS, Event
from overload.i18n import _
from overload.store.db import is_sqlite
from overload.store.tables import CheckpointRow, EventRow, QuarantineRow, SubjectRow
from overload.timeutil import iso_default, utc_text

EVENT = EventRow.__table__  # type: ignore[attr-defined]
QUARANTINE = QuarantineRow.__table__  # type: ignore[attr-defined]
SUBJECT = SubjectRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = CheckpointRow.__table__  # type: ignore[attr-defined]
SUBJECT_INDEX = "subjects"  # the subject index's checkpoint (overload/store/subjects.py)
UNINDEXED = frozenset({"WeighingRecorded"})  # types the subject index leaves out
GENESIS = "0" * 64
MAX_RAW = 4096  # characters of a bad row kept in the quarantine
_LOOKUP_CHUNK = 500  # below SQLite's bound-parameter limit
ROW_COLUMNS = ("position", "type", "key", "payload", "content_hash", "event_at", "recorded_at",
               "source", "subjects", "hash")
_INSERT_SQLITE = (f"INSERT INTO event ({', '.join(ROW_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(ROW_COLUMNS))})")

Status = Literal["accepted", "duplicate", "conflict"]


def raw_text(data: bytes) -> str:
    """A feed row as kept in the quarantine: decodable, NUL made visible, bounded."""
    text = data.decode("utf-8", errors="replace").rstrip("\r\n").replace("\x00", "\\x00")
    return text if len(text) <= MAX_RAW else text[:MAX_RAW] + f"… ({len(text)} characters)"


def canonical_json(payload: dict[str, Any]) -> str:
    """Sorted keys, no spaces: the form that is stored, hashed and compared."""
    return orjson.dumps(payload, default=iso_default, option=orjson.OPT_SORT_KEYS).decode()


class Pending(NamedTuple):
    """An event ready to append, with its envelope fields computed once (a named tuple: one is
    made per feed row, and a frozen dataclass costs four times as much to build)."""

    type: str
    key: str
    payload: str
    content_hash: str
    event_at: str
    source: str
    subjects: str
    raw: bytes = b""  # the feed row, quarantined with it if the key turns out to conflict

    @classmethod
    def of(cls, event: Event, source: str, raw: bytes = b"") -> "Pending":
        payload = canonical_json(event.model_dump(mode="json", exclude_none=True))
        kind = type(event).__name__
        digest = hashlib.sha256(f"{kind}\x1f{payload}".encode()).hexdigest()
        return cls(
            type=kind,
            key=event.key(),
            payload=payload,
            content_hash=digest,
            event_at=utc_text(event.event_at()),
            source=source,
            subjects=" " + " ".join(event.subjects()) + " ",
            raw=raw,
        )


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A row that did not become an event, and why (the reason names the field)."""

    file: str
    line: int
    record_type: str
    field: str
    reason: str
    raw: str


class Outcome(NamedTuple):
    status: Status
    position: int


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as read back, with its envelope."""

    position: int
    type: str
    key: str
    payload: dict[str, Any]
    event_at: str
    recorded_at: str
    source: str
    hash: str

    def model(self) -> Event:
        """The typed event (validated again: the log's JSON is the only truth)."""
        return ALL_EVENTS[self.type].model_validate(self.payload)


def chain_hash(
    previous: str, position: int, type_: str, key: str, payload: str, event_at: str,
    recorded_at: str, source: str,
) -> str:
    """Hash of one row over its predecessor: altering, removing or reordering rows breaks it."""
    content = (f"{previous}\n{position}\x1f{type_}\x1f{key}\x1f{payload}\x1f{event_at}"
               f"\x1f{recorded_at}\x1f{source}")
    return hashlib.sha256(content.encode()).hexdigest()


class EventLog:
    """Append and read events; one instance per database engine."""

    def __init__(
        self, engine: Engine, on_wait: Callable[[str], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.on_wait = on_wait or (lambda _message: None)
        # Said to the operator when a derived table was found corrupt and repaired (the CLI
        # prints it on stderr; the engine never prints).
        self.on_notice = on_notice or self.on_wait

    # ---- writing ----------------------------------------------------------------------------

    def write(
        self,
        events: Sequence[Pending],
        quarantined: Sequence[Quarantined] = (),
        followers: Sequence[Sequence[Pending]] | None = None,
    ) -> list[Outcome]:
        """Append a batch atomically; conflicts become quarantine rows in the same transaction.

        `followers[i]` are events derived from `events[i]` (a weighing's detection): appended
        right after it when it is accepted, so a crash can never separate the two.
        """
        delay = 0.2
        for attempt in range(12):
            try:
                return self._write_once(events, quarantined, followers)
            except (OperationalError, IntegrityError) as error:
                if attempt == 11 or not _is_contention(error):
                    raise
                self.on_wait(_("database busy, another writer holds it; retrying in {delay} s").format(
                    delay=f"{delay:.1f}"))
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")

    def _write_once(
        self,
        events: Sequence[Pending],
        quarantined: Sequence[Quarantined],
        followers: Sequence[Sequence[Pending]] | None,
    ) -> list[Outcome]:
        recorded_at = clock.now().isoformat(timespec="microseconds")
        with self.locked() as conn:
            keys = {p.key for p in events}
            for group in followers or ():
                keys.update(p.key for p in group)
            known = self._known(conn, keys)
            head_position, head_hash = self._head(conn)
            rows: list[tuple[Any, ...]] = []
            outcomes: list[Outcome] = []
            conflicts: list[Quarantined] = []

            def append(pending: Pending) -> int:
                nonlocal head_position, head_hash
                head_position += 1
                head_hash = chain_hash(
                    head_hash, head_position, pending.type, pending.key, pending.payload,
                    pending.event_at, recorded_at, pending.source,
                )
                rows.append((head_position, pending.type, pending.key, pending.payload,
                             pending.content_hash, pending.event_at, recorded_at, pending.source,
                             pending.subjects, head_hash))
                known[pending.key] = (head_position, pending.content_hash)
                return head_position

            for index, pending in enumerate(events):
                existing = known.get(pending.key)
                if existing is None:
                    outcomes.append(Outcome("accepted", append(pending)))
                    for follower in (followers[index] if followers else ()):
                        if follower.key not in known:
                            append(follower)
                elif existing[1] == pending.content_hash:
                    outcomes.append(Outcome("duplicate", existing[0]))
                else:
                    outcomes.append(Outcome("conflict", existing[0]))
                    conflicts.append(_conflict(pending, existing[0]))
            if rows:
                self._insert(conn, rows)
            self._quarantine(conn, [*quarantined, *conflicts], recorded_at)
        return outcomes

    def _insert(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        """SQLite: the driver's executemany on plain tuples (SQLAlchemy's per-row parameter
        processing cost more than SQLite's own insert). PostgreSQL: SQLAlchemy Core, which
        batches the rows into multi-row INSERTs."""
        if is_sqlite(self.engine):
            conn.exec_driver_sql(_INSERT_SQLITE, rows)
        else:
            conn.execute(insert(EVENT), [dict(zip(ROW_COLUMNS, row, strict=True)) for row in rows])

    @contextmanager
    def locked(self) -> Iterator[Connection]:
        """A transaction holding the writers' lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
        advisory lock), so a check and the write that depends on it are atomic. The log and
        the projections use the same lock."""
        with self.engine.connect().execution_options(write_lock=True) as conn, conn.begin():
            if not is_sqlite(self.engine):
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7366052901)")
            yield conn

    def _known(self, conn: Connection, keys: set[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), _LOOKUP_CHUNK):
            chunk = ordered[start : start + _LOOKUP_CHUNK]
            query = select(EVENT.c.key, EVENT.c.position, EVENT.c.content_hash).where(
                EVENT.c.key.in_(chunk)
            )
            for key, position, content_hash in conn.execute(query):
                found[key] = (position, content_hash)
        return found

    def _head(self, conn: Connection) -> tuple[int, str]:
        query = select(EVENT.c.position, EVENT.c.hash).order_by(EVENT.c.position.desc()).limit(1)
        row = conn.execute(query).first()
        return (0, GENESIS) if row is None else (row[0], row[1])

    def _quarantine(
        self, conn: Connection, entries: Sequence[Quarantined], recorded_at: str
    ) -> None:
        if not entries:
            return
        rows = {}
        for q in entries:
            fingerprint = hashlib.sha256(
                f"{q.file}\x1f{q.line}\x1f{q.reason}\x1f{q.raw}".encode()
            ).hexdigest()
            rows[fingerprint] = {
                "file": q.file,
                "line": q.line,
                "record_type": q.record_type,
                "field": q.field,
                "reason": q.reason,
                "raw": q.raw,
                "fingerprint": fingerprint,
                "recorded_at": recorded_at,
            }
        stored = {
            f for (f,) in conn.execute(
                select(QUARANTINE.c.fingerprint).where(QUARANTINE.c.fingerprint.in_(list(rows)))
            )
        }
        fresh = [row for f, row in rows.items() if f not in stored]
        if fresh:
            conn.execute(insert(QUARANTINE), fresh)

    # ---- reading ----------------------------------------------------------------------------

    def _rows(
        self, columns: Sequence[Any], types: Iterable[str] | None, subjects: Collection[str],
        after: int, batch: int,
    ) -> Iterator[Any]:
        """Rows in log order, a batch at a time (keyset pagination on the position); only
        those that mention one of `subjects` when there are any."""
        type_list = list(types) if types is not None else None
        position = after
        indexed = self.subject_checkpoint() if subjects and type_list else 0
        with self.engine.connect() as conn:
            while True:
                query = select(EVENT.c.position, *columns).where(EVENT.c.position > position)
                if type_list is not None:
                    query = query.where(EVENT.c.type.in_(type_list))
                if subjects:
                    query = query.where(self._about(sorted(subjects), type_list, indexed))
                rows = conn.execute(query.order_by(EVENT.c.position).limit(batch)).all()
                yield from rows
                if len(rows) < batch:
                    return
                position = rows[-1][0]

    def _about(self, subjects: list[str], types: list[str] | None, indexed: int) -> Any:
        """Events that mention one of the subjects: up to the subject index's checkpoint from
        the index (when the types asked for are all indexed), after it by scanning."""
        scan = or_(*(EVENT.c.subjects.contains(f" {s} ", autoescape=True) for s in subjects))
        if not indexed or types is None or UNINDEXED.intersection(types):
            return scan
        listed = select(SUBJECT.c.position).where(SUBJECT.c.subject.in_(subjects))
        return or_(and_(EVENT.c.position <= indexed, EVENT.c.position.in_(listed)),
                   and_(EVENT.c.position > indexed, scan))

    def subject_checkpoint(self) -> int:
        """How far the subject index has read the log (0: not built). A checkpoint past the
        log's head is corrupt: the index is then not trusted at all (reads scan) until
        `subjects.catch_up` rebuilds it."""
        with self.engine.connect() as conn:
            query = select(CHECKPOINT.c.position).where(CHECKPOINT.c.name == SUBJECT_INDEX)
            checkpoint = int(conn.execute(query).scalar() or 0)
            return checkpoint if checkpoint <= self._head(conn)[0] else 0

    def read(
        self,
        types: Iterable[str] | None = None,
        subject: str | None = None,
        after: int = 0,
        batch: int = 10_000,
    ) -> Iterator[StoredEvent]:
        """Events with their envelope, in log order, optionally of some types or about a subject."""
        columns = (EVENT.c.type, EVENT.c.key, EVENT.c.payload, EVENT.c.event_at,
                   EVENT.c.recorded_at, EVENT.c.source, EVENT.c.hash)
        for row in self._rows(columns, types, _subjects(subject, ()), after, batch):
            yield StoredEvent(row[0], row[1], row[2], orjson.loads(row[3]), row[4], row[5],
                              row[6], row[7])

    def known(self, keys: set[str]) -> dict[str, tuple[int, str]]:
        """Stored (position, content hash) of those keys that are in the log."""
        with self.engine.connect() as conn:
            return self._known(conn, keys)

    def payloads(
        self, types: Iterable[str], subject: str | None = None, after: int = 0,
        batch: int = 50_000, any_of: Collection[str] = (),
    ) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(position, type, payload) in log order: the fast path for replaying projections.
        `subject` or `any_of` (at most 500 subjects) keep the events that mention them."""
        if len(any_of) > _LOOKUP_CHUNK:
            raise ValueError(f"any_of: at most {_LOOKUP_CHUNK} subjects at once")
        rows = self._rows((EVENT.c.type, EVENT.c.payload), types, _subjects(subject, any_of),
                          after, batch)
        for row in rows:
            yield row[0], row[1], orjson.loads(row[2])

    def last_position(self, types: Iterable[str]) -> int:
        """The position of the newest event of these types (0 when none)."""
        with self.engine.connect() as conn:
            query = select(func.max(EVENT.c.position)).where(EVENT.c.type.in_(list(types)))
            return int(conn.execute(query).scalar() or 0)

    def head(self) -> tuple[int, str]:
        """The last position and its chain hash (0 and the genesis hash when empty)."""
        with self.engine.connect() as conn:
            return self._head(conn)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(EVENT)).scalar_one())

    def quarantined(self) -> list[dict[str, Any]]:
        """Quarantined rows in the order they were stored, with their id and fingerprint."""
        with self.engine.connect() as conn:
            query = select(
                QUARANTINE.c.id, QUARANTINE.c.file, QUARANTINE.c.line, QUARANTINE.c.record_type,
                QUARANTINE.c.field, QUARANTINE.c.reason, QUARANTINE.c.raw,
                QUARANTINE.c.recorded_at, QUARANTINE.c.fingerprint,
            ).order_by(QUARANTINE.c.id)
            return [dict(row._mapping) for row in conn.execute(query)]

    def accepted_from_quarantined_lines(self) -> list[tuple[int, int, str]]:
        """(quarantine id, position, key) of every event accepted, after a row was quarantined,
        from the same file and line: one query, joined in the database."""
        source = QUARANTINE.c.file + ":" + func.cast(QUARANTINE.c.line, EVENT.c.source.type)
        query = (
            select(QUARANTINE.c.id, EVENT.c.position, EVENT.c.key)
            .join_from(QUARANTINE, EVENT, EVENT.c.source == source)
            .where(EVENT.c.recorded_at > QUARANTINE.c.recorded_at)
        )
        with self.engine.connect() as conn:
            return [(row[0], row[1], row[2]) for row in conn.execute(query)]


def _subjects(subject: str | None, any_of: Collection[str]) -> Collection[str]:
    return (subject, *any_of) if subject is not None else any_of


def _conflict(pending: Pending, position: int) -> Quarantined:
    file, _, line = pending.source.rpartition(":")
    return Quarantined(
        file=file or pending.source,
        line=int(line) if line.isdigit() else 0,
        record_type=pending.type,
        field="(key)",
        reason=reasons.CONFLICT.format(key=pending.key, position=position),
        raw=raw_text(pending.raw) if pending.raw else pending.payload,
    )


def _is_contention(error: Exception) -> bool:
    text = str(error).lower()
    return "database is locked" in text or "busy" in text or isinstance(error, IntegrityError)

