"""Files from Excel (issue 13): GB18030 CSVs are read, the encoding is named, Excel's damage is
explained in the quarantine reason."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from overload.cli.app import app
from overload.errors import FeedFileError
from overload.feeds import encoding as encodings
from overload.feeds.ingest import ingest
from overload.store.db import open_engine
from overload.store.log import EventLog
from tests.conftest import FIXTURES

CSV_FIXTURES = sorted(FIXTURES.glob("*.csv"))


def gb18030_copies(folder: Path) -> list[Path]:
    """The fixtures' CSV files as Excel on Chinese Windows saves them: GB18030, no BOM."""
    folder.mkdir()
    copies = []
    for path in CSV_FIXTURES:
        copy = folder / path.name
        copy.write_bytes(path.read_text(encoding="utf-8-sig").encode("gb18030"))
        copies.append(copy)
    return copies


def contents(log: EventLog) -> list[tuple[str, str, dict[str, Any]]]:
    return [(e.type, e.key, e.payload) for e in log.read()]


def test_a_gb18030_copy_of_the_fixtures_csv_ingests_to_the_same_log_as_the_utf8_one(
    tmp_path: Path, db: str
) -> None:
    copies = gb18030_copies(tmp_path / "gbk")
    assert any(not c.read_bytes().isascii() for c in copies)
    with pytest.raises(UnicodeDecodeError):
        copies[0].read_bytes().decode("utf-8")
    reference = EventLog(open_engine(str(tmp_path / "reference.db")))
    expected = ingest(reference, CSV_FIXTURES)
    log = EventLog(open_engine(db))
    report = ingest(log, copies)
    assert [f.encoding for f in report.files] == ["gb18030"] * len(copies)
    assert [f.encoding for f in expected.files] == ["utf-8"] * len(copies)
    assert report.exit_code == expected.exit_code == 0
    assert contents(log) == contents(reference) and len(contents(log)) > 1000
    assert log.quarantined() == []


def test_the_ingest_report_names_each_files_encoding(tmp_path: Path) -> None:
    [copy] = gb18030_copies(tmp_path / "gbk")[:1]
    db = str(tmp_path / "x.db")
    registry = str(FIXTURES / "01-registry.jsonl")
    result = CliRunner().invoke(app, ["--db", db, "ingest", str(copy), registry, "--format",
                                      "json"])
    rows = json.loads(result.stdout)["files"]
    assert {(Path(r["file"]).name, r["encoding"]) for r in rows} == {
        (copy.name, "gb18030"), ("01-registry.jsonl", "utf-8")}
    table = CliRunner().invoke(app, ["--db", db, "ingest", str(copy)]).stdout
    assert "gb18030" in table


def test_encoding_can_be_forced_and_a_wrong_one_quarantines_rows_not_the_file(
    tmp_path: Path, log: EventLog
) -> None:
    [copy] = gb18030_copies(tmp_path / "gbk")[:1]
    lines = copy.read_bytes().splitlines()
    copy.write_bytes(b"\n".join(lines[:3]) + b"\n")  # a header and two vehicles
    forced = ingest(log, [copy], encoding="utf-8")
    assert forced.files[0].encoding == "utf-8" and forced.files[0].total("quarantined") == 2
    assert [r["reason"] for r in log.quarantined()] == ["(row): not valid UTF-8"] * 2
    report = ingest(log, [copy], encoding=encodings.named("GBK"))
    assert report.files[0].encoding == "gbk" and report.files[0].total("accepted") == 2


def test_a_csv_that_is_mostly_gb18030_with_one_damaged_row_is_read_as_gb18030(
    tmp_path: Path, log: EventLog
) -> None:
    path = tmp_path / "v.csv"
    rows = ["type,plate,axles,registered_on"] + [
        f"vehicle_registered,晋L1000{i},2,2020-01-0{i + 1}" for i in range(5)]
    data = "\n".join(rows).encode("gb18030") + b"\n\x80\x80,broken\n"
    path.write_bytes(data)
    report = ingest(log, [path])
    assert report.files[0].encoding == "gb18030"
    assert report.files[0].total("accepted") == 5 and report.files[0].total("quarantined") == 1


@pytest.mark.parametrize("name, ok", [("utf-8", True), ("GB18030", True), ("cp936", True),
                                      ("utf-16", False), ("klingon", False)])
def test_only_encodings_readable_line_by_line_can_be_forced(name: str, ok: bool) -> None:
    if ok:
        assert encodings.named(name)
    else:
        with pytest.raises(FeedFileError, match="--encoding"):
            encodings.named(name)


def test_a_utf16_file_is_refused_with_the_excel_fix(tmp_path: Path, log: EventLog) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes("type,plate\n".encode("utf-16"))
    report = ingest(log, [path])
    error = report.files[0].error or ""
    assert "UTF-16" in error and "CSV UTF-8" in error


def test_an_unknown_encoding_option_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "ingest", "--encoding",
                                      "klingon", str(FIXTURES / "02-vehicles.csv")])
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.stderr


EXCEL = [
    ("driver_registered", "driver_id,name", "1.41002E+17,王", "driver_id",
     "Excel turned this ID number into a number (1.41002E+17): format the column as text"),
    ("driver_registered", "driver_id,name", "141002198001011000,王", "driver_id",
     "Excel kept only 15 digits of this ID number (141002198001011000, ending in 000)"),
    ("enterprise_registered", "enterprise_id,name,registered_on", "9.11410E+17,公司,2020-01-01",
     "enterprise_id", "Excel turned this credit code into a number (9.11410E+17)"),
    ("penalty_revoked", "case_no,revoked_on,reason", "C1,45123,复议", "revoked_on",
     "Excel turned this date into its serial number 45123 (= 2023-07-16)"),
    ("penalty_revoked", "case_no,revoked_on,reason", "C2,2026/6/30,复议", "revoked_on",
     "Excel reformatted this date as 2026/6/30: format the column as text in Excel and export "
     "again (YYYY-MM-DD)"),
    ("weighing", "station_id,record_id,plate,axles,gross_kg,weighed_at",
     "S,1,晋L12345,3,30000,2026/1/5 10:00", "weighed_at",
     "Excel reformatted this time as 2026/1/5 10:00"),
]


@pytest.mark.parametrize("record_type, header, row, field, words", EXCEL)
def test_values_excel_changed_are_quarantined_with_the_excel_cause(
    tmp_path: Path, log: EventLog, record_type: str, header: str, row: str, field: str,
    words: str,
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(f"{header}\n{row}\n".encode("gb18030"))
    report = ingest(log, [path], csv_type=record_type)
    assert report.files[0].total("quarantined") == 1
    [quarantined] = log.quarantined()
    assert quarantined["field"] == field and words in quarantined["reason"], quarantined
