"""一超四罚 (issue 4): each party of a static detection is penalised, open, unknown or n/a."""

from datetime import date

from overload.events import Event, OverloadDetected, StationRegistered
from overload.rulebook import loader
from overload.screening.cases import case_rows, screening_only, station_summary
from overload.screening.screen import Screener
from tests.builders import company, penalty, person, revoke, state_of, vehicle

FIRM, SOURCE, DRIVER = company(1), company(2), person(3)


def detection(plate: str = "晋L12345", **extra: object) -> OverloadDetected:
    found = Screener(loader.load()).screen({
        "station_id": "LF-TS-01", "record_id": "R1", "plate": plate, "axles": 2,
        "gross_kg": 20_000, "weighed_at": "2026-01-05T10:00:00+08:00", **extra,
    })
    assert found is not None
    return found


def parties(row: dict[str, object]) -> tuple[object, ...]:
    return row["vehicle"], row["driver"], row["enterprise"], row["source_unit"]


def test_a_decision_naming_all_four_parties_closes_them_all() -> None:
    decision = penalty("晋L12345", "2026-01-05", driver=DRIVER, enterprise=FIRM,
                       weighing=("LF-TS-01", "R1"))
    decision = decision.model_copy(update={"source_unit_id": SOURCE})
    state = state_of(vehicle("晋L12345", FIRM), decision)
    [row] = case_rows([detection(driver_id=DRIVER, source_unit_id=SOURCE)], state, date(2026, 2, 1))
    assert parties(row) == ("penalised",) * 4
    assert row["fully_penalised"] and row["open_parties"] == 0


def test_a_decision_naming_vehicle_and_driver_leaves_two_parties_open() -> None:
    decision = penalty("晋L12345", "2026-01-05", driver=DRIVER, weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", FIRM), decision)
    [row] = case_rows([detection(driver_id=DRIVER, source_unit_id=SOURCE)], state, date(2026, 2, 1))
    assert parties(row) == ("penalised", "penalised", "open", "open")
    assert row["enterprise_id"] == FIRM and row["open_parties"] == 2
    assert not row["fully_penalised"]


def test_unknown_driver_and_source_are_marked_unknown_and_counted_as_open() -> None:
    state = state_of(vehicle("晋L12345", FIRM))
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert parties(row) == ("open", "unknown", "open", "unknown")
    assert row["open_parties"] == 4


def test_a_decision_can_name_a_party_the_scale_did_not_know() -> None:
    decision = penalty("晋L12345", "2026-01-05", driver=DRIVER, weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", None), decision)
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert parties(row) == ("penalised", "penalised", "n/a", "unknown")
    # issue 15: the unknown source unit is open work, so the case is not fully penalised
    assert row["driver_id"] == DRIVER and not row["fully_penalised"] and row["open_parties"] == 1


def test_a_revoked_decision_closes_nothing_and_wim_opens_no_case() -> None:
    decision = penalty("晋L12345", "2026-01-05", weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", FIRM), decision, revoke(decision.case_no, "2026-01-20"))
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert row["vehicle"] == "open"
    assert case_rows([detection(scale="wim")], state, date(2026, 2, 1)) == []


def test_station_summary_counts_the_share_implemented() -> None:
    done = penalty("晋L12345", "2026-01-05", weighing=("LF-TS-01", "R1"), enterprise=FIRM,
                   driver=DRIVER).model_copy(update={"source_unit_id": SOURCE})
    state = state_of(vehicle("晋L12345", FIRM), vehicle("晋L54321", FIRM), done)
    rows = case_rows([detection(driver_id=DRIVER), detection("晋L54321", record_id="R2")], state,
                     date(2026, 2, 1))
    [summary] = station_summary(rows)
    assert (summary["detections"], summary["fully_penalised"], summary["open"]) == (2, 1, 1)
    assert summary["share_implemented"] == "1/2 (50.0 %)"


# ---- issue 15 ---------------------------------------------------------------------------------

E4, E5 = company(4), company(5)


def test_the_enterprise_is_the_one_the_decision_names_not_the_fleet() -> None:
    decision = penalty("晋L12345", "2026-01-05", enterprise=E5, weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", E4), decision)
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert (row["enterprise"], row["enterprise_id"]) == ("penalised", E5)
    assert row["parties"]["enterprise"] == {"status": "penalised", "id": E5}


def test_without_a_decision_naming_one_the_fleet_on_that_date_is_the_enterprise() -> None:
    decision = penalty("晋L12345", "2026-01-05", weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", E4), decision)
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert (row["enterprise"], row["enterprise_id"]) == ("open", E4)


def test_an_unknown_party_is_open_work_in_the_row_and_the_station_share() -> None:
    decision = penalty("晋L12345", "2026-01-05", weighing=("LF-TS-01", "R1"))
    state = state_of(decision)  # unregistered truck, no driver, the decision names the plate
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert parties(row) == ("penalised", "unknown", "unknown", "unknown")
    assert not row["fully_penalised"] and row["open_parties"] == 3
    assert [m.split(":")[0] for m in row["missing"]] == ["driver", "enterprise", "source_unit"]
    [summary] = station_summary([row])
    assert (summary["fully_penalised"], summary["open"]) == (0, 1)
    assert summary["share_implemented"] == "0/1 (0.0 %)"


def test_a_case_carries_its_limit_how_it_was_made_and_the_defaults() -> None:
    [row] = case_rows([detection()], state_of(), date(2026, 2, 1))
    assert row["limit_kg"] == 18_000
    assert [r["rule"] for r in row["limit_rules"]] == ["art3-2-axle"]
    assert row["limit_rules"][0]["source"].startswith("Order 62")
    assert "category: truck" in row["defaults_assumed"]


def station(**fields: object) -> Event:
    return StationRegistered.model_validate({
        "station_id": "LF-TS-01", "name": "临汾东超限检测站", "road": "G108", "kilometre_post":
        "K1032+500", "county": "尧都区", "kind": "fixed-static", **fields})


def test_a_case_names_its_station_and_place_and_flags_an_unknown_one() -> None:
    [known] = case_rows([detection()], state_of(station()), date(2026, 2, 1))
    assert (known["station_name"], known["station_place"]) == ("临汾东超限检测站",
                                                               "G108 K1032+500，尧都区")
    assert "unknown-station" not in known["flags"]
    [unknown] = case_rows([detection()], state_of(), date(2026, 2, 1))
    assert unknown["station_known"] is False and "unknown-station" in unknown["flags"]


def test_a_static_reading_on_an_expired_scale_certificate_is_screening_only() -> None:
    expired = station(certificate_no="晋计检2025-17", certificate_valid_from="2025-01-05",
                      certificate_valid_to="2026-01-04")
    state = state_of(expired)
    assert case_rows([detection()], state, date(2026, 2, 1)) == []
    [row] = screening_only([detection()], state)
    assert "晋计检2025-17" in row["reason"] and "2026-01-05" in row["reason"]
    [summary] = station_summary([], state, [row])
    assert (summary["detections"], summary["screening_only"]) == (0, 1)


def test_the_last_day_of_a_certificate_still_counts() -> None:
    valid = station(certificate_no="C1", certificate_valid_from="2025-01-05",
                    certificate_valid_to="2026-01-05")
    assert len(case_rows([detection()], state_of(valid), date(2026, 2, 1))) == 1
