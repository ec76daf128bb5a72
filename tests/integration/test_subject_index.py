"""The subject index changes how fast a subject's events are found, never which are found."""

from pathlib import Path

from sqlalchemy import func, select

from overload.evaluation.run import current
from overload.events import ALL_EVENTS
from overload.feeds.ingest import ingest
from overload.projections.state import STATE_EVENTS
from overload.store import subjects
from overload.store.log import SUBJECT, EventLog
from tests.conftest import FIXTURES

SUBJECT_TYPES = tuple(sorted(set(ALL_EVENTS) - {"WeighingRecorded"}))


def by_scan(log: EventLog, types: tuple[str, ...], subject: str) -> list[int]:
    """What the index must agree with: every event of those types whose subjects name it."""
    return [p for p, t, payload in log.payloads(types)
            if subject in ALL_EVENTS[t].model_validate(payload).subjects()]


def found(log: EventLog, types: tuple[str, ...], subject: str) -> list[int]:
    return [p for p, _, _ in log.payloads(types, subject=subject)]


def index_rows(log: EventLog) -> int:
    with log.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(SUBJECT)).scalar_one())


def some_subjects(log: EventLog, wanted: int) -> list[str]:
    """A plate, a driver, an enterprise, a source unit (and an entry, once flagged)."""
    picked: dict[str, str] = {}
    for _, _kind, payload in log.payloads(("PenaltyDecided", "EntityFlagged")):
        for name in ("plate", "driver_id", "enterprise_id", "source_unit_id", "entry_id"):
            if payload.get(name):
                picked.setdefault(name, payload[name])
    assert len(picked) == wanted, picked
    return list(picked.values())


def test_subject_reads_agree_with_a_scan_before_during_and_after_indexing(log: EventLog) -> None:
    files = sorted(FIXTURES.glob("0*"))
    ingest(log, files[:3])
    assert log.subject_checkpoint() == 0  # not built yet: every read scans
    current(log, None)  # evaluates, and catches the index up
    assert log.subject_checkpoint() > 0 and index_rows(log) > 0
    ingest(log, files[3:])  # appended after the checkpoint: found by scanning the tail
    assert log.subject_checkpoint() < log.last_position(subjects.INDEXED)
    for subject in some_subjects(log, 4):
        for types in (STATE_EVENTS, SUBJECT_TYPES, ("OverloadDetected",)):
            assert found(log, types, subject) == by_scan(log, types, subject), (subject, types)
    current(log, None)
    assert log.subject_checkpoint() == log.last_position(subjects.INDEXED)
    for subject in some_subjects(log, 5):
        for types in (STATE_EVENTS, SUBJECT_TYPES):
            assert found(log, types, subject) == by_scan(log, types, subject), (subject, types)
        plates = [p for _, _, p in log.payloads(("VehicleRegistered",))][:3]
        wanted = {p["plate"] for p in plates}
        assert [p for p, _, _ in log.payloads(("VehicleRegistered",), any_of=wanted)] == [
            p for p, _, payload in log.payloads(("VehicleRegistered",))
            if payload["plate"] in wanted]


def test_a_full_rebuild_gives_the_same_index(log: EventLog, tmp_path: Path) -> None:
    ingest(log, sorted(FIXTURES.glob("0*")))
    current(log, None)
    with log.engine.connect() as conn:
        before = sorted(conn.execute(select(SUBJECT.c.subject, SUBJECT.c.position)).all())
    assert subjects.catch_up(log) == 0  # nothing new
    assert subjects.catch_up(log, full=True) == len(before)
    with log.engine.connect() as conn:
        after = sorted(conn.execute(select(SUBJECT.c.subject, SUBJECT.c.position)).all())
    assert after == before
    weighings = {p for p, _, _ in log.payloads(("WeighingRecorded",))}
    assert weighings and not weighings & {position for _, position in after}
