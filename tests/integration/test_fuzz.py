"""Fuzzing the feed parser (issues 6 and 14): never a traceback, and every row is accounted for."""

import csv
import io
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overload.events import FEED_EVENTS
from overload.feeds.ingest import ingest
from overload.feeds.limits import (
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_ROW_BYTES,
    RowLimitError,
    check_json,
    walk,
)
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


# ---- issue 14: hostile rows (deep, wide, NUL-carrying, oversized) mixed with valid ones ------

SAFE_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
                    max_size=12)
SMALL = st.recursive(st.none() | st.booleans() | st.integers(-1000, 1000) | SAFE_TEXT,
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(SAFE_TEXT, inner, max_size=3), max_leaves=8)
FRESH = itertools.count()
HOSTILE = ("deep", "wide", "nul-value", "nul-key", "raw-nul", "big")
LIMIT_WORDS = {"deep": f"nested deeper than {MAX_DEPTH}", "wide": f"more than {MAX_ITEMS:,} keys",
               "nul-value": "NUL", "nul-key": "NUL", "raw-nul": "NUL", "big": "over the limit"}


def fresh_weighing(extra: dict[str, Any]) -> dict[str, Any]:
    return {"type": "weighing", "station_id": "FUZZ", "record_id": f"F{next(FRESH)}",
            "plate": "晋L12345", "axles": 3, "gross_kg": 30000,
            "weighed_at": "2026-01-05T10:00:00", **extra}


def bury(draw: st.DrawFn, value: Any, depth: int) -> Any:
    """`value` inside `depth` containers, lists or objects at random."""
    for _ in range(depth):
        value = [value] if draw(st.booleans()) else {draw(SAFE_TEXT): value}
    return value


@st.composite
def hostile_or_valid(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(("valid", *HOSTILE)))
    key = "x" + draw(SAFE_TEXT)
    if kind == "valid":
        extra = {key: bury(draw, draw(SMALL), draw(st.integers(0, MAX_DEPTH - 5)))}
        return kind, json.dumps(fresh_weighing(extra), ensure_ascii=draw(st.booleans())).encode()
    if kind == "deep":
        extra = {key: bury(draw, draw(SMALL), draw(st.integers(MAX_DEPTH, 400)))}
    elif kind == "wide":
        items = draw(st.integers(MAX_ITEMS + 1, 3 * MAX_ITEMS))
        split = draw(st.integers(0, items))
        extra = {**{f"k{i}": i for i in range(split)}, key: list(range(items - split))}
    elif kind == "nul-value":
        text = draw(SAFE_TEXT)
        at = draw(st.integers(0, len(text)))
        extra = {key: bury(draw, text[:at] + "\x00" + text[at:], draw(st.integers(0, 5)))}
    elif kind == "nul-key":
        extra = {key: bury(draw, {"a\x00" + draw(SAFE_TEXT): 1}, draw(st.integers(0, 5)))}
    elif kind == "raw-nul":
        return kind, json.dumps(fresh_weighing({key: "a"})).encode().replace(b'"a"', b'"a\x00"')
    else:
        size = MAX_ROW_BYTES + draw(st.integers(1, 3 << 20))
        row = json.dumps(fresh_weighing({key: ""})).encode()
        return kind, json.dumps(fresh_weighing({key: "p" * (size - len(row))})).encode()
    return kind, json.dumps(fresh_weighing(extra), ensure_ascii=draw(st.booleans())).encode()


@settings(deadline=None, max_examples=60,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(hostile_or_valid(), min_size=1, max_size=8))
def test_hostile_rows_are_quarantined_naming_the_limit_and_valid_ones_land(
    rows: list[tuple[str, bytes]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.jsonl"
        path.write_bytes(b"\n".join(data for _, data in rows) + b"\n")
        before = len(LOG.quarantined())
        report = ingest(LOG, [path])
        read, error = reconcile(report)
    valid = sum(1 for kind, _ in rows if kind == "valid")
    [file] = report.files
    assert error is None and read == len(rows)
    assert (file.total("accepted"), file.total("quarantined")) == (valid, len(rows) - valid)
    reasons = [r["reason"] for r in LOG.quarantined()[before:]]
    expected = [LIMIT_WORDS[kind] for kind, _ in rows if kind != "valid"]
    assert len(reasons) == len(expected)
    assert all(words in reason for words, reason in zip(expected, reasons, strict=True)), reasons


@settings(deadline=None)
@given(VALUES.map(lambda v: {"type": "weighing", "x": v}), st.booleans())
def test_the_cheap_proof_of_a_plain_row_agrees_with_the_full_walk(
    row: dict[str, Any], ascii_only: bool
) -> None:
    data = json.dumps(row, ensure_ascii=ascii_only).encode()
    value = orjson.loads(data)
    try:
        walk(value)
        walked = None
    except RowLimitError as error:
        walked = str(error)
    try:
        check_json(data, value)
        checked = None
    except RowLimitError as error:
        checked = str(error)
    assert checked == walked


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(("valid", "nul", "big", "big-quoted")), min_size=1, max_size=6))
def test_hostile_csv_rows_are_quarantined_and_the_rest_land(kinds: list[str]) -> None:
    header = "station_id,record_id,plate,axles,gross_kg,weighed_at,note\n"
    lines = []
    for kind in kinds:
        prefix = f"FUZZ,C{next(FRESH)},晋L12345,3,30000,2026-01-05T10:00:00,"
        note = {"valid": "ok", "nul": "a\x00b", "big": "y" * (MAX_ROW_BYTES + 10),
                "big-quoted": '"' + ("z" * 999 + "\n") * 1100 + '"'}[kind]
        lines.append(prefix + note + "\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weighing.csv"
        path.write_text(header + "".join(lines), encoding="utf-8")
        report = ingest(LOG, [path], csv_type="weighing")
        read, error = reconcile(report)
    [file] = report.files
    assert error is None and read == len(kinds)
    assert file.total("accepted") == kinds.count("valid")
