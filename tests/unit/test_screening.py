"""Order 62 screening (issue 4): at the limit is compliant, 1 kg over is a detection."""

import pytest

from overload.rulebook import loader
from overload.screening.limits import load_limits
from overload.screening.screen import Screener

TABLE = load_limits("order62_limits.json")


def weighing(axles: int, gross_kg: int, **extra: object) -> dict[str, object]:
    return {"station_id": "LF-TS-01", "record_id": "R1", "plate": "晋L12345", "axles": axles,
            "gross_kg": gross_kg, "weighed_at": "2026-01-05T10:00:00+08:00", **extra}


def screener(tolerance_kg: int = 0) -> Screener:
    book = loader.load("linfen-2020")
    return Screener(book.model_copy(update={"tolerance_kg": tolerance_kg}))


ROWS = [(row["axles"], row["kind"], row.get("single_drive_axle", False), row["limit"])
        for row in TABLE.mass]


@pytest.mark.parametrize("axles, kind, drive, limit", ROWS)
def test_every_mass_limit_is_compliant_at_the_limit_and_a_detection_1_kg_over(
    axles: int, kind: str, drive: bool, limit: int
) -> None:
    kind = "combination" if kind == "any" and axles > 2 else ("rigid" if kind == "any" else kind)
    at = weighing(axles, limit, kind=kind, single_drive_axle=drive)
    over = weighing(axles, limit + 1, kind=kind, single_drive_axle=drive)
    assert screener().screen(at) is None
    detection = screener().screen(over)
    assert detection is not None
    [exceeded] = detection.exceeded
    assert (exceeded.what, exceeded.limit, exceeded.excess) == ("gross_kg", limit, 1)


def test_seven_axles_use_the_six_axle_row() -> None:
    assert screener().screen(weighing(7, 49_000, single_drive_axle=False)) is None
    assert screener().screen(weighing(7, 46_001, single_drive_axle=True)) is not None


@pytest.mark.parametrize("dimension, limit", [
    ("height_mm", 4000), ("width_mm", 2550), ("length_mm", 18100),
])
def test_each_dimension_limit_is_strictly_greater(dimension: str, limit: int) -> None:
    assert screener().screen(weighing(2, 10_000, **{dimension: limit})) is None
    detection = screener().screen(weighing(2, 10_000, **{dimension: limit + 1}))
    assert detection is not None and [e.what for e in detection.exceeded] == [dimension]


def test_a_wim_reading_is_screening_and_a_static_one_is_evidence() -> None:
    wim = screener().screen(weighing(2, 20_000, scale="wim"))
    static = screener().screen(weighing(2, 20_000))
    assert wim is not None and wim.evidence_grade == "screening"
    assert static is not None and static.evidence_grade == "evidence"


def test_the_tolerance_is_added_to_the_mass_limit_and_shown() -> None:
    assert screener(100).screen(weighing(2, 18_100)) is None
    detection = screener(100).screen(weighing(2, 18_101))
    assert detection is not None and detection.tolerance_kg == 100


def test_kind_comes_from_the_registration_when_the_weighing_lacks_it() -> None:
    s = screener()
    assert s.screen(weighing(3, 26_000)) is None  # feed default for 3 axles: combination, 27 t
    s.learn_payload({"plate": "晋L12345", "axles": 3, "kind": "rigid", "registered_on": "2020-01-01"})
    detection = s.screen(weighing(3, 26_000))
    assert detection is not None and detection.kind == "rigid"
    assert screener().screen(weighing(3, 26_000, kind="combination")) is None


def test_excess_percent_is_exact_to_two_decimals() -> None:
    detection = screener().screen(weighing(2, 27_000))
    assert detection is not None and detection.exceeded[0].excess_pct == "50.00"
