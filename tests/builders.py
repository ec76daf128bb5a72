"""Build events directly for unit tests: valid identifiers, short names, no database."""

from datetime import date
from itertools import count

from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from overload.evaluation.entries import Entry
from overload.evaluation.evaluate import evaluate
from overload.events import (
    DriverRegistered,
    EnterpriseRegistered,
    Event,
    PenaltyDecided,
    PenaltyRevoked,
    SeriousConductRecorded,
    SuspensionOrdered,
    VehicleDeregistered,
    VehicleRegistered,
)
from overload.projections.state import State, apply
from overload.rulebook import loader

_cases = count(1)


def person(n: int, region: str = "141002") -> str:
    """A valid resident ID number (Linfen, Yaodu district by default)."""
    body = f"{region}1980{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + mod_11_2.calc_check_digit(body)


def company(n: int) -> str:
    """A valid unified social credit code."""
    body = f"91141002MA0{n:05d}"[:16] + "A"
    return body + uscc.calc_check_digit(body)


def penalty(
    plate: str,
    violation: str,
    decided: str | None = None,
    *,
    case: str | None = None,
    driver: str | None = None,
    enterprise: str | None = None,
    weighing: tuple[str, str] | None = None,
) -> PenaltyDecided:
    """A decision; `violation` is a date (noon in Shanghai) or a full ISO instant."""
    instant = violation if "T" in violation else f"{violation}T12:00:00"
    fields: dict[str, object] = {
        "case_no": case or f"CASE-{next(_cases):05d}",
        "plate": plate,
        "violation_at": instant,
        "decided_on": decided or instant[:10],
    }
    if driver:
        fields["driver_id"] = driver
    if enterprise:
        fields["enterprise_id"] = enterprise
    if weighing:
        fields["station_id"], fields["record_id"] = weighing
    return PenaltyDecided.model_validate(fields)


def penalties(plate: str, on: list[str], **kwargs: object) -> list[PenaltyDecided]:
    """One decision per date, decided the same day."""
    return [penalty(plate, day, **kwargs) for day in on]  # type: ignore[arg-type]


def revoke(case_no: str, on: str) -> PenaltyRevoked:
    return PenaltyRevoked.model_validate({"case_no": case_no, "revoked_on": on, "reason": "复议撤销"})


def vehicle(
    plate: str, enterprise: str | None, on: str = "2020-01-01", licence: str | None = None
) -> VehicleRegistered:
    fields: dict[str, object] = {"plate": plate, "axles": 3, "registered_on": on}
    if enterprise:
        fields["enterprise_id"] = enterprise
    if licence:
        fields["licence_issued_on"] = licence
    return VehicleRegistered.model_validate(fields)


def leaves(plate: str, on: str) -> VehicleDeregistered:
    return VehicleDeregistered.model_validate({"plate": plate, "deregistered_on": on})


def fleet(enterprise: str, size: int) -> list[str]:
    """Distinct plates for a test fleet, derived from the credit code."""
    return [f"晋L{enterprise[-4:-1]}{i:02d}"[:8] for i in range(size)]


def enterprise(code: str, name: str = "测试运输有限公司", licence: str | None = None) -> Event:
    fields: dict[str, object] = {"enterprise_id": code, "name": name, "registered_on": "2015-01-01"}
    if licence:
        fields["licence_issued_on"] = licence
    return EnterpriseRegistered.model_validate(fields)


def driver(driver_id: str, name: str = "王建国", licence: str | None = None) -> Event:
    fields: dict[str, object] = {"driver_id": driver_id, "name": name}
    if licence:
        fields["licence_issued_on"] = licence
    return DriverRegistered.model_validate(fields)


def suspension(code: str, on: str, order_no: str = "ORDER-1") -> SuspensionOrdered:
    return SuspensionOrdered.model_validate(
        {"enterprise_id": code, "order_no": order_no, "ordered_on": on}
    )


def conduct(subject_type: str, subject_id: str, code: str, at: str, doc: str,
            decided_on: str | None = None, fine_yuan: int | None = None) -> Event:
    record: dict[str, object] = {
        "subject_type": subject_type, "subject_id": subject_id, "conduct": code,
        "occurred_at": at, "document_no": doc,
    }
    if decided_on is not None:
        record["decided_on"] = decided_on
    if fine_yuan is not None:
        record["fine_yuan"] = fine_yuan
    return SeriousConductRecorded.model_validate(record)


def state_of(*events: Event) -> State:
    state = State()
    for position, event in enumerate(events, start=1):
        apply(event, state, position)
    return state


def entries(*events: Event, rulebook: str = "linfen-2020",
            ends: dict[str, date] | None = None) -> list[Entry]:
    """All entries the rulebook derives from these events (`ends`: entries ended by acts)."""
    return evaluate(state_of(*events), loader.load(rulebook), loader.matcher(rulebook),
                    ends=ends)


def in_effect(found: list[Entry], on: str) -> list[Entry]:
    day = date.fromisoformat(on)
    return [e for e in found if e.in_effect_on(day)]
