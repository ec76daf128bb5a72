"""Fuzzing the feed parser (issue 6): never a traceback, and every row is accounted for."""

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overload.events import FEED_EVENTS
from overload.feeds.ingest import ingest
from overload.store.db import open_engine
from overload.store.log import EventLog

FIELDS = sorted({name for model in FEED_EVENTS.values() for name in model.model_fields})
TYPES = [*FEED_EVENTS, "", "weighing ", "WEIGHING", "unknown"]
EXTREME = st.sampled_from([
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "2026-01-01T25:00:00",
    "2026-01-01T00:00:00+14:00", "1949-09-30", "2100-01-01", "", " ", "NaN", "\u0000",
    "晋L12345", "晋l 1234５", "14100219800101123X", "91141002MA0GA1B2CT", "x" * 5000,
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40), EXTREME,
    st.integers(min_value=10**6, max_value=10**18),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=5)
RECORDS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), VALUES, max_size=12)


@st.composite
def json_line(draw: st.DrawFn) -> bytes:
    record = draw(RECORDS)
    if draw(st.booleans()):
        record["type"] = draw(st.sampled_from(TYPES))
    return json.dumps(record, ensure_ascii=draw(st.booleans())).encode()


LINES = st.one_of(
    json_line(), st.binary(max_size=80), st.text(max_size=80).map(str.encode),
    st.sampled_from([b"{", b"[]", b"null", b"\xff\xfe", b"\xef\xbb\xbf{}", b'{"type": "weighing"'
                     ]),
)


def expected_rows(data: bytes) -> int:
    """Non-blank lines, counted independently of the reader."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return sum(1 for line in data.split(b"\n") if line.strip())


def reconcile(report: object) -> tuple[int, str | None]:
    [file] = report.files  # type: ignore[attr-defined]
    read = file.total("read")
    assert read == file.total("accepted") + file.total("duplicate") + file.total("quarantined")
    return read, file.error


LOG = EventLog(open_engine(str(Path(tempfile.mkdtemp()) / "fuzz.db")))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=12))
def test_any_jsonl_content_is_accounted_for_row_by_row(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.jsonl"
        path.write_bytes(data)
        read, error = reconcile(ingest(LOG, [path]))
    if error is not None:
        assert "not UTF-8" in error and read == 0
    else:
        assert read == expected_rows(data)


CELLS = st.one_of(st.text(max_size=30), EXTREME, st.integers().map(str),
                  st.sampled_from(['"', ",", "\n", "\r\n", '""', "a,b", "\u2028"]))
COLUMNS = ["type", "station_id", "record_id", "plate", "axles", "gross_kg", "weighed_at", "extra"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=0, max_size=10), min_size=1, max_size=10))
def test_any_csv_content_is_accounted_for_row_by_row(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        read, error = reconcile(ingest(LOG, [path]))
    assert error is None
    assert read <= len(rows)
    assert read == sum(1 for row in rows if any(cell.strip() for cell in row))
