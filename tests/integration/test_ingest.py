"""Issue 2: every row ends accepted, duplicate or quarantined; counts reconcile; no traceback."""

import json
import os
import stat
from pathlib import Path

import pytest
from freezegun import freeze_time

from overload.feeds.ingest import ingest
from overload.store.log import EventLog
from tests.builders import company, person

PLATE = "晋L12345"


def write(path: Path, lines: list[str], bom: bool = False, newline_at_end: bool = True) -> Path:
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def jline(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def counts(report: object) -> dict[str, int]:
    [file] = report.files  # type: ignore[attr-defined]
    return {k: file.total(k) for k in ("read", "accepted", "duplicate", "quarantined")}


EVERY_TYPE = [
    jline(type="enterprise_registered", enterprise_id=company(1), name="汾河物流",
          registered_on="2018-03-01", licence_no="晋交运管许可临字1号", licence_issued_on="2018-03-01"),
    jline(type="vehicle_registered", plate=PLATE, enterprise_id=company(1), axles=3,
          registered_on="2020-01-01", licence_issued_on="2020-01-01"),
    jline(type="vehicle_deregistered", plate="晋L54321", deregistered_on="2026-01-01"),
    jline(type="driver_registered", driver_id=person(1), name="王建国", licence_no="CY1"),
    jline(type="weighing", station_id="LF-TS-01", record_id="R1", plate=PLATE, axles=3,
          gross_kg=30000, weighed_at="2026-01-05T10:00:00", scale="static", driver_id=person(1)),
    jline(type="penalty_decided", case_no="临交罚〔2026〕1号", plate=PLATE,
          violation_at="2026-01-05T10:00:00", decided_on="2026-01-12", driver_id=person(1),
          station_id="LF-TS-01", record_id="R1", gross_kg=30000, limit_kg=25000),
    jline(type="penalty_revoked", case_no="临交罚〔2026〕1号", revoked_on="2026-03-01", reason="复议"),
    jline(type="suspension_ordered", enterprise_id=company(1), order_no="责令〔2026〕1号",
          ordered_on="2026-02-01"),
    jline(type="serious_conduct", subject_type="driver", subject_id=person(1),
          conduct="evade-inspection", occurred_at="2026-02-02T08:00:00+08:00", document_no="D1"),
]


@freeze_time("2026-11-28T10:00:00Z")
def test_every_record_type_is_accepted_and_stored_with_its_envelope(
    tmp_path: Path, log: EventLog
) -> None:
    report = ingest(log, [write(tmp_path / "all.jsonl", EVERY_TYPE)])
    assert counts(report) == {"read": 9, "accepted": 9, "duplicate": 0, "quarantined": 0}
    stored = list(log.read())
    assert [e.type for e in stored] == [
        "EnterpriseRegistered", "VehicleRegistered", "VehicleDeregistered", "DriverRegistered",
        "WeighingRecorded", "PenaltyDecided", "PenaltyRevoked", "SuspensionOrdered",
        "SeriousConductRecorded",
    ]
    assert [e.position for e in stored] == list(range(1, 10))
    assert stored[4].source.endswith("all.jsonl:5")
    assert stored[4].recorded_at.startswith("2026-11-28T10:00:00")
    assert stored[4].event_at == "2026-01-05T02:00:00Z"


def test_reingesting_a_file_changes_nothing_and_reports_every_row_as_duplicate(
    tmp_path: Path, log: EventLog
) -> None:
    path = write(tmp_path / "all.jsonl", EVERY_TYPE)
    ingest(log, [path])
    head = log.head()
    again = ingest(log, [path])
    assert counts(again) == {"read": 9, "accepted": 0, "duplicate": 9, "quarantined": 0}
    assert log.head() == head and again.exit_code == 0


def test_unknown_fields_are_kept_and_never_quarantine(tmp_path: Path, log: EventLog) -> None:
    line = jline(type="vehicle_deregistered", plate=PLATE, deregistered_on="2026-01-01",
                 exporter_version="3.2", extra={"nested": True})
    report = ingest(log, [write(tmp_path / "x.jsonl", [line])])
    assert report.exit_code == 0
    [event] = log.read()
    assert event.payload["exporter_version"] == "3.2" and event.payload["extra"] == {"nested": True}


def test_same_key_with_different_content_is_a_conflict_never_merged(
    tmp_path: Path, log: EventLog
) -> None:
    first = jline(type="penalty_revoked", case_no="C1", revoked_on="2026-03-01", reason="复议")
    second = jline(type="penalty_revoked", case_no="C1", revoked_on="2026-03-02", reason="复议")
    report = ingest(log, [write(tmp_path / "c.jsonl", [first, second, first])])
    assert counts(report) == {"read": 3, "accepted": 1, "duplicate": 1, "quarantined": 1}
    [event] = log.read()
    assert event.payload["revoked_on"] == "2026-03-01"
    [row] = log.quarantined()
    assert row["line"] == 2 and "conflict" in row["reason"] and "2026-03-02" in row["raw"]


def test_bom_and_blank_lines_are_tolerated(tmp_path: Path, log: EventLog) -> None:
    report = ingest(log, [write(tmp_path / "b.jsonl", ["", EVERY_TYPE[2], "   ", ""], bom=True)])
    assert counts(report) == {"read": 1, "accepted": 1, "duplicate": 0, "quarantined": 0}


def test_a_truncated_last_line_is_quarantined_and_the_good_rows_land(
    tmp_path: Path, log: EventLog
) -> None:
    lines = [EVERY_TYPE[2], EVERY_TYPE[3][:40]]
    report = ingest(log, [write(tmp_path / "t.jsonl", lines, newline_at_end=False)])
    assert counts(report) == {"read": 2, "accepted": 1, "duplicate": 0, "quarantined": 1}
    assert report.exit_code == 1
    [row] = log.quarantined()
    assert (row["line"], row["field"]) == (2, "(row)") and "invalid JSON" in row["reason"]


@pytest.mark.parametrize("line, field, words", [
    (jline(type="cargo", x=1), "type", "unknown record type"),
    (jline(plate=PLATE), "type", "missing"),
    (jline(type="vehicle_deregistered", plate="晋Z1", deregistered_on="2026-01-01"),
     "plate", "province abbreviation"),
    (jline(type="driver_registered", driver_id="141002198001011231", name="王"),
     "driver_id", "check digit"),
    (jline(type="suspension_ordered", enterprise_id="91141002MA0GA1B2CX", order_no="O",
           ordered_on="2026-01-01"), "enterprise_id", "invalid"),
    (jline(type="penalty_revoked", case_no="C", revoked_on="2026/01/01", reason="r"),
     "revoked_on", "YYYY-MM-DD"),
    (jline(type="penalty_revoked", case_no="C", revoked_on=20260101, reason="r"),
     "revoked_on", "must be text"),
    (jline(type="weighing", station_id="S", record_id="R", plate=PLATE, axles=3,
           gross_kg=-1, weighed_at="2026-01-01T00:00:00"), "gross_kg", "greater than"),
    (jline(type="weighing", station_id="S" * 33, record_id="R", plate=PLATE, axles=3,
           gross_kg=1, weighed_at="2026-01-01T00:00:00"), "station_id", "at most 32"),
    (jline(type="penalty_decided", case_no="C", plate=PLATE, violation_at="2026-01-05T10:00:00",
           decided_on="2026-01-04"), "(row)", "decided_on is before the violation"),
    (jline(type="penalty_revoked", case_no="C"), "revoked_on", "required field is missing"),
    ("[1, 2]", "(row)", "not a JSON object"),
])
def test_each_bad_row_is_quarantined_with_a_reason_naming_the_field(
    tmp_path: Path, log: EventLog, line: str, field: str, words: str
) -> None:
    report = ingest(log, [write(tmp_path / "bad.jsonl", [line, EVERY_TYPE[2]])])
    assert counts(report)["quarantined"] == 1 and counts(report)["accepted"] == 1
    [row] = log.quarantined()
    assert row["field"] == field and words in row["reason"], row


def test_a_csv_with_a_type_column_and_empty_cells(tmp_path: Path, log: EventLog) -> None:
    csv_text = (
        "type,plate,enterprise_id,axles,kind,registered_on,deregistered_on\n"
        f"vehicle_registered,晋L 12345,{company(1)},3,,2020-01-01,\n"
        "vehicle_deregistered,晋L12345,,,,,2026-01-01\n"
    )
    path = tmp_path / "v.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text.encode())
    report = ingest(log, [path])
    assert counts(report) == {"read": 2, "accepted": 2, "duplicate": 0, "quarantined": 0}
    first = next(iter(log.read()))
    assert first.payload["plate"] == "晋L12345" and "kind" not in first.payload


def test_a_csv_without_type_column_takes_the_type_from_the_command_line(
    tmp_path: Path, log: EventLog
) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        "station_id,record_id,plate,axles,gross_kg,weighed_at\n"
        "S1,1,晋L12345,3,30000,2026-01-01T08:00:00\n"
        "S1,2,晋L12345,3,thirty,2026-01-01T09:00:00\n"
        "S1,3,晋L12345,3\n",
        encoding="utf-8",
    )
    report = ingest(log, [path], csv_type="weighing")
    assert counts(report) == {"read": 3, "accepted": 1, "duplicate": 0, "quarantined": 2}
    reasons = [r["reason"] for r in log.quarantined()]
    assert "gross_kg" in reasons[0] and "truncated" in reasons[1]


@pytest.mark.parametrize("name, content, words", [
    ("missing.jsonl", None, "no such file"),
    ("feed.xml", b"<a/>", "unknown extension"),
    ("gbk.jsonl", "{\"type\": \"司机\"}\n".encode("gbk"), "not UTF-8"),
    ("notype.csv", b"plate,axles\n", "no `type` column"),
])
def test_a_file_that_cannot_be_read_is_reported_and_others_still_land(
    tmp_path: Path, log: EventLog, name: str, content: bytes | None, words: str
) -> None:
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    good = write(tmp_path / "good.jsonl", [EVERY_TYPE[2]])
    report = ingest(log, [bad, good])
    assert report.exit_code == 2
    assert words in (report.files[0].error or "")
    assert counts_of(report.files[1]) == (1, 1)


def counts_of(file: object) -> tuple[int, int]:
    return file.total("read"), file.total("accepted")  # type: ignore[attr-defined]


def test_a_bad_byte_in_a_later_line_quarantines_only_that_line(
    tmp_path: Path, log: EventLog
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(EVERY_TYPE[2].encode() + b"\n" + b'{"type": "\xff"}\n' + EVERY_TYPE[3].encode())
    report = ingest(log, [path])
    assert counts(report) == {"read": 3, "accepted": 2, "duplicate": 0, "quarantined": 1}
    assert "UTF-8" in log.quarantined()[0]["reason"]


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    from overload.store.db import open_engine

    path = tmp_path / "private.db"
    open_engine(str(path)).dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_log_has_no_update_or_delete_path() -> None:
    source = Path(__file__).resolve().parents[2] / "overload"
    text = " ".join(p.read_text() for p in source.rglob("*.py")).lower()
    assert "update(event" not in text and "delete(event" not in text
    assert "update event" not in text and "delete from event" not in text


def test_a_bom_counts_only_at_the_start_of_the_file(tmp_path: Path, log: EventLog) -> None:
    path = tmp_path / "late-bom.jsonl"
    path.write_bytes(b"\n\xef\xbb\xbf\n" + EVERY_TYPE[2].encode() + b"\n")
    report = ingest(log, [path])
    assert counts(report) == {"read": 2, "accepted": 1, "duplicate": 0, "quarantined": 1}


def test_a_database_in_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    from overload.errors import StorageError
    from overload.store.db import open_engine

    with pytest.raises(StorageError, match="does not exist"):
        open_engine(str(tmp_path / "missing" / "x.db"))
    assert not (tmp_path / "missing").exists()
