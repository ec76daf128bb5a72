"""Issue 15: Order 62 Art. 3 in full. Every rule is a boundary (at the limit: compliant; 1 kg
over: a detection) that names the rule, in order, with its source (domain.md §2)."""

from typing import Any

import pytest

from overload.rulebook import loader
from overload.screening.screen import Screener

STEER = {"group": "single", "tyres": "single"}
DRIVE = {"group": "single", "drive": True}
DRIVE_TANDEM = {"group": "tandem", "drive": True}


def weighing(axles: int, gross_kg: int, **extra: object) -> dict[str, Any]:
    return {"station_id": "LF-TS-01", "record_id": "R1", "plate": "晋L12345", "axles": axles,
            "gross_kg": gross_kg, "weighed_at": "2026-01-05T10:00:00+08:00", **extra}


def screener(**registered: object) -> Screener:
    s = Screener(loader.load("linfen-2020"))
    if registered:
        s.learn_payload({"plate": "晋L12345", "registered_on": "2025-01-01", **registered})
    return s


# (what, registration fields, weighing fields, axles, limit, the last rule applied)
RULES: list[tuple[str, dict[str, object], dict[str, object], int, int, str]] = [
    ("3-axle truck, air suspension, dual drive", {"kind": "rigid", "axles": 3},
     {"air_suspension": True}, 3, 26_000, "air-suspension-bonus"),
    ("3-axle truck, air suspension, axle groups: the cap keeps the bonus",
     {"kind": "rigid", "axles": 3}, {"air_suspension": True, "axle_groups": [STEER, DRIVE_TANDEM]},
     3, 26_000, "air-suspension-bonus"),
    ("4-axle truck, air suspension", {"kind": "rigid", "axles": 4, "air_suspension": True}, {},
     4, 32_000, "air-suspension-bonus"),
    ("4-axle articulated, air, spacing 1,800 mm",
     {"kind": "combination", "axles": 4, "combination": "articulated", "air_suspension": True,
      "semitrailer_axle_spacing_mm": 1800}, {}, 4, 37_000, "articulated-4-axle-air"),
    ("4-axle articulated, air, spacing 1,799 mm: the Art. 3 row",
     {"kind": "combination", "axles": 4, "combination": "articulated", "air_suspension": True,
      "semitrailer_axle_spacing_mm": 1799}, {}, 4, 36_000, "art3-4-axle-combination"),
    ("6 axles, trailer tridem on single tyres: 3 x 3,000 kg less", {"axles": 6},
     {"axle_groups": [STEER, DRIVE_TANDEM, {"group": "tridem", "tyres": "single",
                                            "trailer": True}]},
     6, 40_000, "single-tyre-reduction"),
    ("6 axles, the same on wide-base tyres: no reduction", {"axles": 6},
     {"axle_groups": [STEER, DRIVE_TANDEM, {"group": "tridem", "tyres": "single",
                                            "trailer": True, "wide_base": True}]},
     6, 49_000, "wide-base-exemption"),
    ("2 axles, single tyres on the drive axle: the sum of axle loads", {"axles": 2},
     {"axle_groups": [STEER, {"group": "single", "tyres": "single", "drive": True}]},
     2, 14_000, "axle-load-cap"),
    ("2-axle truck: the licensed total mass when lower", {"axles": 2, "licensed_total_kg": 9_000},
     {}, 2, 9_000, "licensed-mass-2-axle"),
    ("low-speed truck: the licensed mass alone", {"axles": 2, "category": "low-speed",
                                                  "licensed_total_kg": 4_500},
     {}, 2, 4_500, "licensed-mass-only"),
    ("agricultural vehicle: the licensed mass alone, even above the row",
     {"axles": 3, "category": "agricultural", "licensed_total_kg": 30_000}, {}, 3, 30_000,
     "licensed-mass-only"),
    ("tractor (拖拉机): the licensed mass alone", {"axles": 2, "category": "tractor",
                                                 "licensed_total_kg": 6_000},
     {}, 2, 6_000, "licensed-mass-only"),
    ("special-purpose vehicle: its licensed mass", {"axles": 4, "kind": "rigid",
                                                    "special": "special-purpose",
                                                    "licensed_total_kg": 33_000},
     {}, 4, 33_000, "special-purpose-licensed-mass"),
    ("4-axle centre-axle combination: the annex row (uncertain)",
     {"axles": 4, "kind": "combination", "combination": "centre-axle"}, {}, 4, 36_000,
     "annex-4-axle-centre-axle"),
    ("5-axle articulated: the annex row (uncertain)",
     {"axles": 5, "combination": "articulated"}, {}, 5, 43_000, "annex-5-axle-articulated"),
]


@pytest.mark.parametrize("what, registered, extra, axles, limit, rule", RULES,
                         ids=[r[0] for r in RULES])
def test_each_limit_rule_is_compliant_at_the_limit_and_a_detection_1_kg_over(
    what: str, registered: dict[str, object], extra: dict[str, object], axles: int, limit: int,
    rule: str,
) -> None:
    s = screener(**registered)
    assert s.screen(weighing(axles, limit, **extra)) is None, what
    detection = s.screen(weighing(axles, limit + 1, **extra))
    assert detection is not None and detection.limit_rules is not None
    [mass] = detection.exceeded
    assert (mass.limit, mass.excess) == (limit, 1)
    last = detection.limit_rules[-1]
    assert (last.rule, last.limit_kg) == (rule, limit)
    assert all(r.source for r in detection.limit_rules)


def test_the_licensed_mass_never_raises_a_2_axle_trucks_limit() -> None:
    s = screener(axles=2, licensed_total_kg=20_000)
    assert s.screen(weighing(2, 18_000)) is None
    assert s.screen(weighing(2, 18_001)) is not None


def test_air_suspension_adds_nothing_without_dual_tyres_on_the_drive_axle() -> None:
    groups = [STEER, {"group": "tandem", "tyres": "single", "drive": True}]
    s = screener(axles=3, kind="rigid")
    detection = s.screen(weighing(3, 25_001, air_suspension=True, axle_groups=groups))
    assert detection is not None and detection.exceeded[0].limit == 25_000


def test_uncertain_annex_rows_carry_their_note() -> None:
    detection = screener(axles=5, combination="articulated").screen(weighing(5, 43_001))
    assert detection is not None and detection.limit_rules is not None
    assert "43 t / 42 t" in (detection.limit_rules[0].source_uncertain or "")


@pytest.mark.parametrize("special, limit", [("refrigerated", 2600), (None, 2550)])
def test_a_refrigerated_vehicle_may_be_2_6_m_wide(special: str | None, limit: int) -> None:
    s = screener(axles=2, special=special) if special else screener()
    assert s.screen(weighing(2, 10_000, width_mm=limit)) is None
    detection = s.screen(weighing(2, 10_000, width_mm=limit + 1))
    assert detection is not None and detection.exceeded[0].limit == limit


def test_the_defaults_assumed_are_named_on_a_v1_weighing() -> None:
    detection = screener().screen(weighing(3, 27_001))
    assert detection is not None and detection.defaults_assumed is not None
    assert detection.defaults_assumed[0] == "kind: combination (feed default for 3 axles)"
    assert any(d.startswith("axle_groups") for d in detection.defaults_assumed)
    assert any(d.startswith("air_suspension") for d in detection.defaults_assumed)
    assert detection.registration is None


def test_fields_sent_are_not_listed_as_defaults() -> None:
    detection = screener(axles=3, kind="rigid", air_suspension=False, category="truck").screen(
        weighing(3, 25_001, axle_groups=[STEER, DRIVE_TANDEM]))
    assert detection is not None and detection.defaults_assumed == ()
    assert detection.registration == "vehicle:晋L12345:2025-01-01"


# ---- permits --------------------------------------------------------------------------------

PERMIT = {"permit_no": "晋超2026-001", "plate": "晋L12345", "valid_from": "2026-01-01",
          "valid_to": "2026-01-31", "gross_kg": 62_000, "width_mm": 3_000}


def permitted() -> Screener:
    s = screener()
    s.learn_permit(PERMIT)
    return s


def test_a_weighing_under_a_valid_permit_is_checked_against_the_permit() -> None:
    s = permitted()
    assert s.screen(weighing(6, 62_000, permit_no="晋超2026-001", width_mm=3_000)) is None
    detection = s.screen(weighing(6, 62_001, permit_no="晋超2026-001"))
    assert detection is not None and detection.permit == "applied"
    assert detection.permit_no == "晋超2026-001" and detection.exceeded[0].limit == 62_000
    assert detection.limit_rules is not None and detection.limit_rules[0].rule == "permit"
    wide = s.screen(weighing(6, 50_000, permit_no="晋超2026-001", width_mm=3_001))
    assert wide is not None and wide.exceeded[0].what == "width_mm"


@pytest.mark.parametrize("day, status", [("2025-12-31", "outside-dates"),
                                         ("2026-02-01", "outside-dates")])
def test_outside_its_dates_the_permit_does_not_apply_and_the_case_names_it(
    day: str, status: str
) -> None:
    late = weighing(6, 50_000, permit_no="晋超2026-001", weighed_at=f"{day}T10:00:00+08:00")
    detection = permitted().screen(late)
    assert detection is not None and detection.permit == status
    assert detection.exceeded[0].limit == 49_000
    assert detection.defaults_assumed is not None
    assert any("晋超2026-001" in d for d in detection.defaults_assumed)


def test_the_last_day_of_a_permit_is_inside_it() -> None:
    last = weighing(6, 62_000, permit_no="晋超2026-001", weighed_at="2026-01-31T23:59:00+08:00")
    assert permitted().screen(last) is None


def test_a_permit_of_another_vehicle_does_not_apply() -> None:
    s = screener()
    s.learn_permit({**PERMIT, "plate": "晋L99999"})
    detection = s.screen(weighing(6, 50_000, permit_no="晋超2026-001"))
    assert detection is not None and detection.permit == "other-vehicle"
