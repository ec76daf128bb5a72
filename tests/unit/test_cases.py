"""一超四罚 (issue 4): each party of a static detection is penalised, open, unknown or n/a."""

from datetime import date

from overload.events import OverloadDetected
from overload.rulebook import loader
from overload.screening.cases import case_rows, station_summary
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


def test_unknown_driver_and_source_are_unknown_not_open() -> None:
    state = state_of(vehicle("晋L12345", FIRM))
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert parties(row) == ("open", "unknown", "open", "unknown")


def test_a_decision_can_name_a_party_the_scale_did_not_know() -> None:
    decision = penalty("晋L12345", "2026-01-05", driver=DRIVER, weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", None), decision)
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert parties(row) == ("penalised", "penalised", "n/a", "unknown")
    assert row["driver_id"] == DRIVER and row["fully_penalised"]


def test_a_revoked_decision_closes_nothing_and_wim_opens_no_case() -> None:
    decision = penalty("晋L12345", "2026-01-05", weighing=("LF-TS-01", "R1"))
    state = state_of(vehicle("晋L12345", FIRM), decision, revoke(decision.case_no, "2026-01-20"))
    [row] = case_rows([detection()], state, date(2026, 2, 1))
    assert row["vehicle"] == "open"
    assert case_rows([detection(scale="wim")], state, date(2026, 2, 1)) == []


def test_station_summary_counts_the_share_implemented() -> None:
    done = penalty("晋L12345", "2026-01-05", weighing=("LF-TS-01", "R1"), enterprise=FIRM)
    state = state_of(vehicle("晋L12345", FIRM), vehicle("晋L54321", FIRM), done)
    rows = case_rows([detection(), detection("晋L54321", record_id="R2")], state, date(2026, 2, 1))
    [summary] = station_summary(rows)
    assert (summary["detections"], summary["fully_penalised"], summary["open"]) == (2, 1, 1)
    assert summary["share_implemented"] == "1/2 (50.0 %)"
