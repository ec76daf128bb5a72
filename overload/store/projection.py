"""The entries projection: rows replaced per subject, with a checkpoint into the log.

Unlike the log, projection rows are replaced and deleted freely: they are derived and can always
be rebuilt from the log (`overload rebuild`).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import and_, delete, insert, select, tuple_

from overload.evaluation.entries import Entry
from overload.evaluation.windows import Window
from overload.store.log import EventLog
from overload.store.tables import CheckpointRow, EntryRow
from overload.timeutil import iso_default

ENTRY = EntryRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = CheckpointRow.__table__  # type: ignore[attr-defined]
Subject = tuple[str, str]


@dataclass(frozen=True)
class Difference:
    """How a stored projection row differs from the one rebuilt from the log (`verify --deep`)."""

    table: str
    key: str
    stored: str
    rebuilt: str


# A stored entry is a JSON array in this order (list reads 17,000 of them on medium: an array
# is 40 % smaller and a third faster to parse than an object). Rows written before this format
# are objects with these keys; both are read, and `rebuild` rewrites them all.
FIELDS = (
    "entry_id", "rulebook", "rulebook_version", "rule", "subject_type", "subject_id", "name",
    "tripped_on", "previous_trip_on", "evidence", "positions", "violations", "share", "window",
    "withdrawn_on", "withdrawal_reason", "revoked_cases",
)


def to_json(entry: Entry, name: str) -> str:
    window = entry.window
    return orjson.dumps([
        entry.entry_id, entry.rulebook, entry.rulebook_version, entry.rule, entry.subject_type,
        entry.subject_id, name, entry.tripped_on, entry.previous_trip_on, entry.evidence,
        entry.positions, entry.violations, entry.share,
        None if window is None else [window.first, window.last, window.end, window.note],
        entry.withdrawn_on, entry.withdrawal_reason, entry.revoked_cases,
    ], default=iso_default).decode()


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def from_json(text: str) -> tuple[Entry, str]:
    values: Any = orjson.loads(text)
    if isinstance(values, dict):
        values = [values[name] for name in FIELDS]
    (entry_id, rulebook, version, rule, subject_type, subject_id, name, tripped_on, previous,
     evidence, positions, violations, share, window, withdrawn_on, reason, revoked) = values
    entry = Entry(
        entry_id, rulebook, version, rule, subject_type, subject_id,
        date.fromisoformat(tripped_on), _day(previous), tuple(evidence), tuple(positions),
        violations, tuple(share) if share else None,
        None if window is None else Window(
            date.fromisoformat(window[0]), date.fromisoformat(window[1]),
            date.fromisoformat(window[2]), window[3]),
        _day(withdrawn_on), reason, tuple(revoked),
    )
    return entry, name


def checkpoint(log: EventLog, name: str) -> int | None:
    with log.engine.connect() as conn:
        row = conn.execute(select(CHECKPOINT.c.position).where(CHECKPOINT.c.name == name)).first()
        return None if row is None else int(row[0])


def replace(
    log: EventLog, label: str, only: Collection[Subject] | None, entries: list[tuple[Entry, str]],
    expected: int | None, position: int,
) -> bool:
    """Swap in the entries of `only` (all when None) and move the checkpoint, atomically; False
    when another process moved the checkpoint first (the caller then starts again)."""
    with log.locked() as conn:
        row = conn.execute(select(CHECKPOINT.c.position).where(CHECKPOINT.c.name == label)).first()
        if (None if row is None else int(row[0])) != expected:
            return False
        if only is None:
            conn.execute(delete(ENTRY).where(ENTRY.c.rulebook == label))
        else:
            subjects = sorted(only)
            for start in range(0, len(subjects), 400):
                chunk = subjects[start : start + 400]
                conn.execute(delete(ENTRY).where(and_(
                    ENTRY.c.rulebook == label,
                    tuple_(ENTRY.c.subject_type, ENTRY.c.subject_id).in_(chunk))))
        if entries:
            conn.execute(insert(ENTRY), [
                {"rulebook": label, "entry_id": e.entry_id, "subject_type": e.subject_type,
                 "subject_id": e.subject_id, "data": to_json(e, name)} for e, name in entries])
        if row is None:
            conn.execute(insert(CHECKPOINT), [{"name": label, "position": position}])
        else:
            conn.execute(CHECKPOINT.update().where(CHECKPOINT.c.name == label)
                         .values(position=position))
    return True


def load(log: EventLog, label: str, subject: str | None = None) -> list[tuple[Entry, str]]:
    """Entries in a stable order (trip date, rule, subject)."""
    query = select(ENTRY.c.data).where(ENTRY.c.rulebook == label)
    if subject is not None:
        query = query.where(ENTRY.c.subject_id == subject)
    with log.engine.connect() as conn:
        found = [from_json(data) for data in conn.execute(query).scalars().all()]
    return sorted(found, key=lambda p: (p[0].tripped_on, p[0].rule, p[0].subject_type,
                                        p[0].subject_id))


def checkpoints(log: EventLog) -> dict[str, int]:
    """Every projection checkpoint by name (the entries' are rulebook labels)."""
    with log.engine.connect() as conn:
        return {name: int(position) for name, position in
                conn.execute(select(CHECKPOINT.c.name, CHECKPOINT.c.position))}


def first_difference(
    log: EventLog, label: str, rebuilt: list[tuple[Entry, str]]
) -> Difference | None:
    """The first stored row of this rulebook that differs from the rebuilt entries (by entry
    id), or None. Rows are compared as entries (either stored format reads the same), and the
    key columns as well: `list --subject` and `explain` select on them."""
    expected = {e.entry_id: (e, name) for e, name in rebuilt}
    query = select(ENTRY.c.entry_id, ENTRY.c.subject_type, ENTRY.c.subject_id, ENTRY.c.data).where(
        ENTRY.c.rulebook == label)
    with log.engine.connect() as conn:
        stored = {entry_id: (kind, subject, data) for entry_id, kind, subject, data in
                  conn.execute(query)}
    for entry_id in sorted(set(stored) | set(expected)):
        key = f"{label} {entry_id}"
        if entry_id not in stored:
            entry, name = expected[entry_id]
            return Difference("projection_entry", key, "(none)", to_json(entry, name))
        kind, subject, data = stored[entry_id]
        if entry_id not in expected:
            return Difference("projection_entry", key, data, "(none)")
        entry, name = expected[entry_id]
        try:
            readable: tuple[Entry, str] | None = from_json(data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            readable = None
        if readable != (entry, name) or (kind, subject) != (entry.subject_type, entry.subject_id):
            return Difference("projection_entry", key, f"{kind} {subject} {data}",
                              f"{entry.subject_type} {entry.subject_id} {to_json(entry, name)}")
    return None
