"""Issue 14 items 1 and 6: limits on a row, checked while reading; one row, or one file, never
stops the rest. Every test here runs on SQLite and, with OVERLOAD_TEST_PG_URL, PostgreSQL."""

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from overload.feeds import limits
from overload.feeds.ingest import ingest
from overload.feeds.limits import MAX_DEPTH, MAX_ITEMS, MAX_ROW_BYTES
from overload.store.log import EventLog

PLATE = "晋L12345"


def weighing(record_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": "weighing", "station_id": "LF-TS-01", "record_id": record_id,
            "plate": PLATE, "axles": 3, "gross_kg": 30000,
            "weighed_at": "2026-01-05T10:00:00", **extra}


def line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode()


def nested(depth: int) -> Any:
    """A value `depth` levels deep counted from the row: the row is level 1, so the value of
    a top-level field holds depth - 1 nested lists."""
    value: Any = 0
    for _ in range(depth - 1):
        value = [value]
    return value


def write(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def counts(report: Any, index: int = 0) -> dict[str, int]:
    file = report.files[index]
    return {k: file.total(k) for k in ("read", "accepted", "duplicate", "quarantined")}


def stored_ids(log: EventLog) -> list[str]:
    return sorted(e.payload["record_id"] for e in log.read(types=("WeighingRecorded",)))


def test_a_row_nested_254_levels_is_quarantined_and_the_rows_and_files_after_it_land(
    tmp_path: Path, log: EventLog
) -> None:
    deep = tmp_path / "a.jsonl"
    write(deep, line(weighing("R1")), b'{"x":' + b"[" * 300 + b"]" * 300 + b', "type": "weighing"}',
          line(weighing("R2", x=nested(256))), line(weighing("R3")))
    later = write(tmp_path / "b.jsonl", line(weighing("R4")))
    report = ingest(log, [deep, later])
    assert counts(report) == {"read": 4, "accepted": 2, "duplicate": 0, "quarantined": 2}
    assert counts(report, 1)["accepted"] == 1 and report.exit_code == 1
    assert stored_ids(log) == ["R1", "R3", "R4"]
    rows = log.quarantined()
    assert [(r["line"], r["field"], r["record_type"]) for r in rows] == [
        (2, "x", "weighing"), (3, "x", "weighing")]
    assert all(f"nested deeper than {MAX_DEPTH} levels" in r["reason"] for r in rows)


def test_depth_is_allowed_up_to_the_limit_and_refused_one_level_past_it(
    tmp_path: Path, log: EventLog
) -> None:
    path = write(tmp_path / "d.jsonl", line(weighing("AT", x=nested(MAX_DEPTH))),
                 line(weighing("PAST", x=nested(MAX_DEPTH + 1))),
                 line(weighing("DICT", x={"y": nested(MAX_DEPTH)})))
    report = ingest(log, [path])
    assert counts(report)["accepted"] == 1 and stored_ids(log) == ["AT"]
    assert [r["line"] for r in log.quarantined()] == [2, 3]


@pytest.mark.parametrize("raw, field", [
    (line(weighing("N1", note="a\u0000b")), "note"),
    (line(weighing("N2", **{"no\u0000te": "x"})), "no\\x00te"),
    (line(weighing("N3", extra={"deep": ["ok", "a\u0000"]})), "extra"),
    (line(weighing("N4", extra={"k\u0000": 1})), "extra"),
    (line(weighing("N5", plate="晋L1\u00002345")), "plate"),
    (line(weighing("N6"))[:-1] + b', "note": "a\x00b"}', "(row)"),
])
def test_nul_anywhere_in_a_json_row_is_quarantined_on_both_backends(
    tmp_path: Path, log: EventLog, raw: bytes, field: str
) -> None:
    path = write(tmp_path / "n.jsonl", line(weighing("OK1")), raw, line(weighing("OK2")))
    report = ingest(log, [path])
    assert counts(report) == {"read": 3, "accepted": 2, "duplicate": 0, "quarantined": 1}
    [row] = log.quarantined()
    assert row["field"] == field and "NUL" in row["reason"], row
    assert "\x00" not in row["raw"]


def test_an_escaped_backslash_before_u0000_is_text_not_nul(tmp_path: Path, log: EventLog) -> None:
    path = write(tmp_path / "t.jsonl", line(weighing("T1", note="C:\\u0000")))
    assert counts(ingest(log, [path]))["accepted"] == 1
    [event] = log.read()
    assert event.payload["note"] == "C:\\u0000"


def test_nul_in_a_csv_cell_is_quarantined_and_the_other_rows_land(
    tmp_path: Path, log: EventLog
) -> None:
    path = tmp_path / "weighing.csv"
    path.write_bytes(
        b"station_id,record_id,plate,axles,gross_kg,weighed_at,note\n"
        + "S,1,晋L12345,3,30000,2026-01-05T10:00:00,a\x00b\n".encode()
        + "S,2,晋L12345,3,30000,2026-01-05T11:00:00,ok\n".encode()
    )
    report = ingest(log, [path], csv_type="weighing")
    assert counts(report) == {"read": 2, "accepted": 1, "duplicate": 0, "quarantined": 1}
    [row] = log.quarantined()
    assert row["line"] == 2 and "NUL" in row["reason"]


def padded(record_id: str, size: int) -> bytes:
    """A weighing row of exactly `size` bytes (without its line break)."""
    base = line(weighing(record_id, pad=""))
    return line(weighing(record_id, pad="p" * (size - len(base))))


def test_a_row_at_the_size_limit_lands_and_one_byte_more_is_quarantined(
    tmp_path: Path, log: EventLog
) -> None:
    at, over = padded("AT", MAX_ROW_BYTES), padded("OVER", MAX_ROW_BYTES + 1)
    assert (len(at), len(over)) == (MAX_ROW_BYTES, MAX_ROW_BYTES + 1)
    report = ingest(log, [write(tmp_path / "s.jsonl", at, over, line(weighing("AFTER")))])
    assert counts(report) == {"read": 3, "accepted": 2, "duplicate": 0, "quarantined": 1}
    [row] = log.quarantined()
    assert row["line"] == 2 and "over the limit of 1,048,576 bytes" in row["reason"]
    assert f"{MAX_ROW_BYTES + 1:,} bytes" in row["reason"]


def test_a_50_mb_row_is_skipped_without_being_read_into_memory(
    tmp_path: Path, log: EventLog
) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:
        handle.write(line(weighing("BEFORE")) + b"\n")
        handle.write(b'{"type": "weighing", "x": "')
        for _ in range(50):
            handle.write(b"x" * (1 << 20))
        handle.write(b'"}\n' + line(weighing("AFTER")) + b"\n")
    tracemalloc.start()
    try:
        report = ingest(log, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert counts(report) == {"read": 3, "accepted": 2, "duplicate": 0, "quarantined": 1}
    assert peak < 16 << 20, f"peak {peak:,} bytes"
    [row] = log.quarantined()
    assert row["line"] == 2 and "52,428,829 bytes" in row["reason"]


def test_an_oversized_csv_row_is_quarantined_and_line_numbers_stay_right(
    tmp_path: Path, log: EventLog
) -> None:
    header = b"station_id,record_id,plate,axles,gross_kg,weighed_at,note\n"
    good = "S,{},晋L12345,3,30000,2026-01-05T10:00:00,ok\n"
    big_cell = b"S,2,x,3,1,2026-01-05T10:00:00," + b"y" * (2 << 20) + b"\n"
    # a quoted cell spanning lines, the row over the limit in all though each line is short
    multi = b'S,3,x,3,1,2026-01-05T10:00:00,"' + b"z" * 1000 + (b"\n" + b"z" * 1000) * 1100 + b'"\n'
    path = tmp_path / "weighing.csv"
    path.write_bytes(header + good.format(1).encode() + big_cell + good.format(4).encode()
                     + multi + good.format(5).encode())
    report = ingest(log, [path], csv_type="weighing")
    assert counts(report) == {"read": 5, "accepted": 3, "duplicate": 0, "quarantined": 2}
    rows = log.quarantined()
    assert [r["line"] for r in rows] == [3, 5]
    assert all("over the limit" in r["reason"] for r in rows)
    assert stored_ids(log) == ["1", "4", "5"]
    sources = {e.payload["record_id"]: e.source for e in log.read()}
    assert sources["5"].endswith("weighing.csv:1106")  # the quoted row took lines 5 to 1105


def test_a_row_over_the_item_limit_is_quarantined(tmp_path: Path, log: EventLog) -> None:
    fields = len(weighing("X"))
    at = weighing("AT", **{f"k{i}": i for i in range(MAX_ITEMS - fields)})
    over = weighing("OVER", **{f"k{i}": i for i in range(MAX_ITEMS - fields + 1)})
    listed = weighing("LIST", x=list(range(MAX_ITEMS)))
    report = ingest(log, [write(tmp_path / "k.jsonl", line(at), line(over), line(listed))])
    assert stored_ids(log) == ["AT"] and counts(report)["quarantined"] == 2
    assert all(f"more than {MAX_ITEMS:,} keys and items" in r["reason"]
               for r in log.quarantined())


def test_an_unexpected_error_in_one_row_quarantines_that_row_only(
    tmp_path: Path, log: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from overload.feeds import prepare, validate

    real = validate.to_event

    def fragile(record: dict[str, Any]) -> Any:
        if record.get("boom"):
            raise RuntimeError("something nobody expected\nsecond line")
        return real(record)

    monkeypatch.setattr(prepare, "to_event", fragile)
    dereg = {"type": "vehicle_deregistered", "plate": PLATE, "deregistered_on": "2026-01-01"}
    path = write(tmp_path / "r.jsonl", line(dereg), line({**dereg, "plate": "晋L54321", "boom": 1}),
                 line({**dereg, "plate": "晋L11111"}))
    report = ingest(log, [path])
    assert counts(report) == {"read": 3, "accepted": 2, "duplicate": 0, "quarantined": 1}
    [row] = log.quarantined()
    assert (row["line"], row["record_type"]) == (2, "vehicle_deregistered")
    assert row["reason"] == "(row): internal error: RuntimeError: something nobody expected"


def test_without_the_limits_the_old_crash_is_still_only_that_row(
    tmp_path: Path, log: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule, not the limit, is what keeps a station going: with the limits switched off,
    the row pydantic cannot serialise (the original crash) is quarantined as an internal error."""
    monkeypatch.setattr(limits, "MAX_DEPTH", 100_000)
    dereg = {"type": "vehicle_deregistered", "plate": PLATE, "deregistered_on": "2026-01-01"}
    path = write(tmp_path / "r.jsonl", line({**dereg, "x": nested(300)}), line(dereg))
    report = ingest(log, [path])
    assert counts(report)["accepted"] == 1 and counts(report)["quarantined"] == 1
    assert "internal error: " in log.quarantined()[0]["reason"]


def test_an_unexpected_error_in_one_file_ends_that_file_and_the_next_file_lands(
    tmp_path: Path, log: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from overload.feeds import ingest as module
    from overload.feeds import prepare as preparing

    real = preparing.prepare

    def fragile(name: str, rows: Any, screener: Any) -> Any:
        if name.endswith("bad.jsonl"):
            raise KeyError("lost")
        return real(name, rows, screener)

    monkeypatch.setattr(module, "prepare", fragile)
    bad = write(tmp_path / "bad.jsonl", line(weighing("B1")))
    good = write(tmp_path / "good.jsonl", line(weighing("G1")))
    report = ingest(log, [bad, good])
    assert report.exit_code == 2 and stored_ids(log) == ["G1"]
    assert report.files[0].error == f"{bad}: internal error: KeyError: 'lost'"
    assert counts(report, 1)["accepted"] == 1


def test_after_a_nul_row_rebuild_and_rescreen_still_work(tmp_path: Path, db: str) -> None:
    """Issue 14 item 6: on PostgreSQL the row used to be accepted, and every later rescreen
    failed with UntranslatableCharacter."""
    from typer.testing import CliRunner

    from overload.cli.app import app

    path = write(tmp_path / "n.jsonl", line(weighing("OK")), line(weighing("NUL", x="a\u0000b")))
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "ingest", str(path)]).exit_code == 1
    for args in (["rebuild", "--rescreen"], ["--rulebook", "mot-2017", "rebuild"]):
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, result.stderr
