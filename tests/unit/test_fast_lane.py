"""The weighing fast lane answers exactly as the full model, or not at all."""

import csv
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overload.events import WeighingRecorded
from overload.feeds.fast import weighing
from overload.feeds.validate import to_event
from overload.store.log import Pending

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SOURCE = "feed.csv:7"


def full_way(fields: dict[str, Any]) -> Pending | None:
    event = to_event({**fields, "type": "weighing"})
    return Pending.of(event, SOURCE, b"raw") if isinstance(event, WeighingRecorded) else None


def assert_same_answer(fields: dict[str, Any]) -> None:
    fast = weighing(dict(fields), SOURCE, b"raw")
    if fast is None:
        return  # the model decides; nothing to compare
    pending, payload = fast
    assert pending == full_way(fields), fields
    assert payload == orjson.loads(pending.payload)


def fixture_weighings() -> list[dict[str, Any]]:
    rows = []
    for name in ("03-weighings-2025H2.csv", "04-weighings-2026H1.csv"):
        with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append({k: v for k, v in row.items() if v != ""})
    return rows


def test_every_fixture_weighing_takes_the_fast_lane_with_the_models_result() -> None:
    rows = fixture_weighings()
    assert len(rows) > 1000
    for fields in rows:
        fast = weighing(dict(fields), SOURCE, b"raw")
        assert fast is not None, fields
        assert fast[0] == full_way(fields)


def test_the_lane_hands_over_what_it_cannot_take_exactly() -> None:
    plain = {"station_id": "S1", "record_id": "R1", "plate": "晋A12345", "axles": "4",
             "gross_kg": "30000", "weighed_at": "2026-03-01T10:00:00"}
    assert weighing(plain, SOURCE) is not None
    for change in (
        {"weighed_at": "1988-07-01T10:00:00"},      # Shanghai kept summer time until 1991
        {"weighed_at": "2026-03-01T10:00:00Z"},     # an offset other than +08:00
        {"weighed_at": "2026-03-01T10:00:00.5"},    # fractions
        {"station_id": " S1"},                      # whitespace the model strips
        {"record_id": "记录1"},                      # non-ASCII text
        {"driver_id": "140202196101010001"},         # wrong check digit: the model's reason
        {"operator": "x"},                           # an extension field
        {"axles": "1"},                             # out of range: the model's reason
    ):
        assert weighing({**plain, **change}, SOURCE) is None, change


def test_the_lane_writes_the_instant_and_event_time_of_a_local_reading() -> None:
    fields = {"station_id": "S1", "record_id": "R1", "plate": "晋A12345", "axles": "2",
              "gross_kg": "1", "weighed_at": "2026-01-01T07:59:59"}
    pending, payload = weighing(fields, SOURCE) or (None, None)
    assert pending is not None and payload is not None
    assert payload["weighed_at"] == "2026-01-01T07:59:59+08:00"
    assert pending.event_at == "2025-12-31T23:59:59Z"


SAMPLES: dict[str, tuple[str, ...]] = {
    "station_id": ("S1", " S1", "S\t1", "S 1", "站1", "S" * 32, "S" * 33, "", "S\x01"),
    "record_id": ("R1", "R-1/2", "R" * 200, "R" * 201, "R1\n", "r1 "),
    "plate": ("晋A12345", "晋AD12345", "晋a12345", "晋A 12345", "晋Ａ12345", "晋A·12345",
                   "\n晋A12345", " 晋A12345", "沪A1234", "XA12345"),
    "axles": ("2", "6", "20", "21", "1", " 4", "4.0", "+4", "04", "٤", "1e1"),
    "gross_kg": ("0", "49000", "1000000", "1000001", "-1", " 49000", "49000.0", "4_9000"),
    "weighed_at": ("2026-03-01T10:00:00", "2026-03-01T10:00:00+08:00",
                        "1991-07-01T10:00:00", "1992-07-01T10:00:00", "1988-07-01T10:00:00",
                        "2099-12-31T23:59:59", "2100-01-01T00:00:00", "2026-02-30T10:00:00",
                        "2026-03-01T24:00:00", "2026-03-01 10:00:00", "2026-03-01T10:00:00Z",
                        "2026-03-01T10:00:00.000", "2026-03-01T10:00", "2026-03-01"),
    "scale": ("static", "wim", "Static", " wim", "wim "),
    "kind": ("rigid", "combination", "Rigid", " rigid"),
    "single_drive_axle": ("true", "false", "1", "0", "yes", "off", "True", " true"),
    "driver_id": ("140202196101010008", "14020219610101000X", "14020219610101000x", " 140202196101010008",
                       "140202196101010001", "140202186101010008"),
    "length_mm": ("18000", "100000", "100001", "-1"),
    "width_mm": ("2550", "2500", " 2550"),
    "height_mm": ("4000", "3900", "4000.5"),
    "enterprise_id": ("91141000MA0GUXYR1E", "91141000ma0guxyr1e", "91141000MA0GUXYR1F"),
    "source_unit_id": ("91141000MA0GUXYR1E", " 91141000MA0GUXYR1E"),
    "operator": ("x",),
}
WILD = st.one_of(st.text(max_size=12), st.integers(-5, 10**6), st.none(), st.booleans())
# Mostly the samples (so that the lane often answers and is compared), one value in eight wild.


def _field(samples: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.one_of(*[st.sampled_from(samples)] * 7, WILD)


FIELDS = {name: _field(samples) for name, samples in SAMPLES.items()}
REQUIRED = ("station_id", "record_id", "plate", "axles", "gross_kg", "weighed_at")


VALID = {name: samples[:2] for name, samples in SAMPLES.items()}  # the first two are valid


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """A valid row with some optional fields, then up to three fields changed to an edge or
    wild value or dropped: most rows stay close enough to valid that the lane answers."""
    optional = sorted(set(SAMPLES) - {*REQUIRED, "operator"})
    names = [*REQUIRED, *draw(st.sets(st.sampled_from(optional)))]
    row: dict[str, Any] = {name: draw(st.sampled_from(VALID[name])) for name in names}
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(sorted(SAMPLES)))
        if draw(st.integers(0, 9)) == 0:
            row.pop(name, None)
        else:
            row[name] = draw(FIELDS[name])
    return row


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_whenever_the_lane_answers_it_answers_as_the_model(fields: dict[str, Any]) -> None:
    assert_same_answer(fields)


def test_valid_variants_of_every_field_agree() -> None:
    """Each sample value of each field in an otherwise plain row (no randomness)."""
    plain = {"station_id": "S1", "record_id": "R1", "plate": "晋A12345", "axles": "4",
             "gross_kg": "30000", "weighed_at": "2026-03-01T10:00:00"}
    for name, samples in SAMPLES.items():
        for value in (*samples, None, 0, 4, True, 30000, 4.0):
            assert_same_answer({**plain, name: value})


def test_the_lanes_edges_are_the_models_or_handed_over() -> None:
    """1992 is the first year Asia/Shanghai is +08:00 all year; 32 and 200 characters are the
    station and record id limits: on the inner side the lane answers as the model, on the
    outer side it hands over."""
    plain = {"station_id": "S1", "record_id": "R1", "plate": "晋A12345", "axles": "4",
             "gross_kg": "30000", "weighed_at": "2026-03-01T10:00:00"}
    for inside, outside in (
        ({"weighed_at": "1992-01-01T00:00:00"}, {"weighed_at": "1991-12-31T23:59:59"}),
        ({"weighed_at": "2099-12-31T23:59:59"}, {"weighed_at": "2100-01-01T00:00:00"}),
        ({"station_id": "S" * 32}, {"station_id": "S" * 33}),
        ({"record_id": "R" * 200}, {"record_id": "R" * 201}),
        ({"axles": "20"}, {"axles": "21"}),
    ):
        fast, model = weighing({**plain, **inside}, SOURCE, b"raw"), full_way({**plain, **inside})
        assert fast is not None and model is not None and fast[0] == model, inside
        assert weighing({**plain, **outside}, SOURCE) is None, outside


def test_plain_v1_weighings_keep_the_fast_lane_and_v1_1_fields_go_to_the_model() -> None:
    """Issue 15: the lane knows only v1 fields; a row with a v1.1 field is the model's."""
    plain = fixture_weighings()[0]
    assert weighing(dict(plain), SOURCE) is not None
    for extra in ({"permit_no": "晋超2026-001"}, {"air_suspension": True},
                  {"axle_groups": '[{"group": "tandem"}, {"group": "single"}]'},
                  {"combination": "articulated"}, {"semitrailer_axle_spacing_mm": 1800}):
        row = {**plain, "axles": "3", **extra}
        assert weighing(dict(row), SOURCE) is None, extra
        assert isinstance(to_event({**row, "type": "weighing"}), WeighingRecorded), extra
