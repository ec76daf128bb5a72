"""The registry and the decisions, rebuilt from events by one handler per event type.

Registrations and decisions are kept with their own dates so that every question is asked in
event time ("which fleet was this plate in on the violation date?"), whatever the arrival order.
"""

import sys
from bisect import insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from overload.events import Event
from overload.timeutil import legal_date

# The event types the rulebook needs; weighings are screened separately and do not count.
STATE_EVENTS = (
    "EnterpriseRegistered", "VehicleRegistered", "VehicleDeregistered", "DriverRegistered",
    "PenaltyDecided", "PenaltyRevoked", "SuspensionOrdered", "SeriousConductRecorded",
    "StationRegistered", "PermitIssued",
)


@dataclass(frozen=True, slots=True)
class Decision:
    """A penalty decision as the thresholds count it."""

    position: int
    case_no: str
    plate: str
    driver_id: str | None
    enterprise_id: str | None
    source_unit_id: str | None
    violation_on: date
    decided_on: date
    weighing_key: str | None
    station_id: str | None
    authority: str | None
    # What the 告知书 states of each violation (documents.md): the decision's own findings, and
    # the place as the decision names it (the `place` extension field, kept by the delivery
    # rules) for a place lookup that prefers the station registry once it exists.
    gross_kg: int | None = None
    limit_kg: int | None = None
    record_id: str | None = None
    place: str | None = None

    @property
    def violation_key(self) -> str:
        """Two decisions on the same weighing are one violation."""
        return self.weighing_key or f"case:{self.case_no}"


@dataclass(frozen=True, slots=True)
class Revocation:
    position: int
    case_no: str
    revoked_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class Membership:
    """A plate in a fleet from `start` (inclusive) to `end` (exclusive; None: still in it)."""

    plate: str
    enterprise_id: str | None
    start: date
    end: date | None

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and (self.end is None or self.end > first)

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Order:
    position: int
    enterprise_id: str
    order_no: str
    ordered_on: date
    authority: str | None


@dataclass(frozen=True, slots=True)
class Conduct:
    position: int
    subject_type: str
    subject_id: str
    conduct: str
    occurred_on: date
    document_no: str
    authority: str | None
    decided_on: date | None = None  # feed v1.1: the decision's date, the trip date
    fine_yuan: int | None = None  # Notice 8 item (五)


@dataclass(frozen=True, slots=True)
class Certificate:
    """A scale's certificate (检定证书) and the dates it is valid (None: open-ended)."""

    number: str
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))


@dataclass
class Station:
    """An inspection station as the registry describes it (the latest record names it)."""

    station_id: str
    name: str
    road: str | None = None
    kilometre_post: str | None = None
    county: str | None = None
    kind: str | None = None
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def place(self) -> str:
        """Where it is, for cases and documents: road and kilometre post, county."""
        road = " ".join(p for p in (self.road, self.kilometre_post) if p)
        return "，".join(p for p in (road, self.county) if p)

    def certificate_on(self, day: date) -> Certificate | None:
        """The certificate valid on `day`, if any."""
        return next((c for c in self.certificates if c.valid_on(day)), None)


@dataclass(frozen=True, slots=True)
class Permit:
    """A 大件 permit: the vehicle, its validity and what it allows."""

    position: int
    permit_no: str
    plate: str
    valid_from: date
    valid_to: date
    gross_kg: int
    authority: str | None


@dataclass
class State:
    """Everything the rulebook needs, keyed by subject."""

    enterprise_names: dict[str, str] = field(default_factory=dict)
    enterprise_licences: dict[str, date] = field(default_factory=dict)
    driver_names: dict[str, str] = field(default_factory=dict)
    driver_licences: dict[str, date] = field(default_factory=dict)
    vehicle_licences: dict[str, date] = field(default_factory=dict)
    # plate -> (date, 0 leaves / 1 joins, enterprise, joins, licence stated by a registration)
    fleet_changes: dict[str, list[tuple[date, int, str | None, bool, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    decisions: dict[str, Decision] = field(default_factory=dict)
    revocations: dict[str, Revocation] = field(default_factory=dict)
    orders: list[Order] = field(default_factory=list)
    conducts: list[Conduct] = field(default_factory=list)
    stations: dict[str, Station] = field(default_factory=dict)
    permits: dict[str, Permit] = field(default_factory=dict)
    # plate -> (registered_on, owner's name, owner's ID number) of registrations naming a person
    vehicle_owners: dict[str, list[tuple[date, str, str | None]]] = field(default_factory=dict)
    last_position: int = 0
    _memberships: dict[str, list[Membership]] = field(default_factory=dict)
    # enterprise -> registered_on of the registration its name / licence date came from
    _enterprise_name_on: dict[str, date] = field(default_factory=dict)
    _enterprise_licence_on: dict[str, date] = field(default_factory=dict)

    def memberships(self, plate: str) -> list[Membership]:
        """Fleet intervals of a plate, computed on first use from its registrations in
        event-date order (a province has a million plates; most are never asked about)."""
        found = self._memberships.get(plate)
        if found is None:
            changes = self.fleet_changes.get(plate)
            found = self._memberships[plate] = _intervals(plate, changes) if changes else []
        return found

    def fleet_plates(self, enterprises: set[str]) -> list[str]:
        """Plates that were ever registered in one of these fleets."""
        return [plate for plate, changes in self.fleet_changes.items()
                if any(change[2] in enterprises for change in changes)]

    def all_memberships(self) -> Iterable[Membership]:
        for plate in self.fleet_changes:
            yield from self.memberships(plate)

    def owner_on(self, plate: str, day: date) -> tuple[str, str | None] | None:
        """The person the latest registration on or before `day` names as the vehicle's owner
        (name, ID number), if any registration does."""
        found = [r for r in self.vehicle_owners.get(plate, ()) if r[0] <= day]
        return (found[-1][1], found[-1][2]) if found else None

    def fleet_on(self, plate: str, day: date) -> str | None:
        for membership in self.memberships(plate):
            if membership.holds_on(day):
                return membership.enterprise_id
        return None

    def enterprise_of(self, decision: Decision) -> str | None:
        """The enterprise on the decision, else the plate's fleet on the violation date."""
        return decision.enterprise_id or self.fleet_on(decision.plate, decision.violation_on)


def _intervals(
    plate: str, changes: list[tuple[date, int, str | None, bool, date | None]]
) -> list[Membership]:
    # Same-day order: leaving (0) before joining (1), so a same-day move closes then opens.
    result: list[Membership] = []
    current: tuple[date, str | None] | None = None
    ordered = sorted(changes, key=lambda c: (c[0], c[1], c[2] or ""))
    for day, _order, enterprise_id, joins, _licence in ordered:
        if current is not None:
            result.append(Membership(plate, current[1], current[0], day))
        current = (day, enterprise_id) if joins else None
    if current is not None:
        result.append(Membership(plate, current[1], current[0], None))
    return [m for m in result if m.end is None or m.end > m.start]


def apply(event: Event, state: State, position: int) -> None:
    """Apply a typed event (tests and freshly validated input)."""
    apply_payload(type(event).__name__, event.model_dump(mode="json"), state, position)


def apply_payload(kind: str, payload: dict[str, Any], state: State, position: int) -> None:
    """Apply a stored event's payload. Replay uses this directly: the log was validated when it
    was written and its hash chain shows it unchanged, so it is not validated again."""
    handler = _HANDLERS.get(kind)
    if handler is not None:
        handler(payload, state, position)


@lru_cache(maxsize=1 << 16)
def _day(text: str) -> date:
    """Dates repeat across millions of registrations: one shared object per distinct date."""
    return date.fromisoformat(text)


def _optional_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# Registrations arrive in any order; the latest by its own date wins (event time, never the
# order of arrival), so that a registry delivered in pieces gives the state one file gives.


def _later(held: dict[str, date], key: str, on: date) -> bool:
    """Is a registration dated `on` at least as late as the one `held` came from? (Two of one
    subject on one date share an idempotency key: they are the same row.)"""
    if key in held and held[key] > on:
        return False
    held[key] = on
    return True


def _enterprise(p: dict[str, Any], state: State, position: int) -> None:
    code, on = p["enterprise_id"], _day(p["registered_on"])
    if _later(state._enterprise_name_on, code, on):
        state.enterprise_names[code] = p["name"]
    if p.get("licence_issued_on") and _later(state._enterprise_licence_on, code, on):
        state.enterprise_licences[code] = _day(p["licence_issued_on"])


def _driver(p: dict[str, Any], state: State, position: int) -> None:
    state.driver_names[p["driver_id"]] = p["name"]
    if p.get("licence_issued_on"):
        state.driver_licences[p["driver_id"]] = _day(p["licence_issued_on"])


def _vehicle(p: dict[str, Any], state: State, position: int) -> None:
    enterprise, plate = p.get("enterprise_id"), p["plate"]
    licence = _day(p["licence_issued_on"]) if p.get("licence_issued_on") else None
    changes = state.fleet_changes[plate]
    changes.append(
        (_day(p["registered_on"]), 1, sys.intern(enterprise) if enterprise else None, True, licence)
    )
    state._memberships.pop(plate, None)
    if p.get("owner_name"):  # an individually owned vehicle's owner (feed v1.1), kept in time
        insort(state.vehicle_owners.setdefault(plate, []),
               (_day(p["registered_on"]), p["owner_name"], p.get("owner_id")))
    if licence is not None:  # the latest registration that states one (kept in its change)
        state.vehicle_licences[plate] = max((c[0], c[4]) for c in changes if c[4] is not None)[1]


def _deregistered(p: dict[str, Any], state: State, position: int) -> None:
    state.fleet_changes[p["plate"]].append((_day(p["deregistered_on"]), 0, None, False, None))
    state._memberships.pop(p["plate"], None)


def _penalty(p: dict[str, Any], state: State, position: int) -> None:
    station = p.get("station_id")
    state.decisions[p["case_no"]] = Decision(
        position=position,
        case_no=p["case_no"],
        plate=p["plate"],
        driver_id=p.get("driver_id"),
        enterprise_id=p.get("enterprise_id"),
        source_unit_id=p.get("source_unit_id"),
        violation_on=legal_date(datetime.fromisoformat(p["violation_at"])),
        decided_on=_day(p["decided_on"]),
        weighing_key=f"weighing:{station}:{p.get('record_id')}" if station else None,
        station_id=station,
        authority=p.get("authority"),
        gross_kg=p.get("gross_kg"),
        limit_kg=p.get("limit_kg"),
        record_id=p.get("record_id"),
        place=p["place"] if isinstance(p.get("place"), str) and p["place"].strip() else None,
    )


def _revoked(p: dict[str, Any], state: State, position: int) -> None:
    state.revocations[p["case_no"]] = Revocation(
        position, p["case_no"], _day(p["revoked_on"]), p["reason"]
    )


def _order(p: dict[str, Any], state: State, position: int) -> None:
    # Kept in event-time order (then by number), not arrival order: evidence lists them.
    insort(state.orders, Order(position, p["enterprise_id"], p["order_no"], _day(p["ordered_on"]),
                               p.get("authority")), key=lambda o: (o.ordered_on, o.order_no))


def _conduct(p: dict[str, Any], state: State, position: int) -> None:
    insort(state.conducts, Conduct(
        position, p["subject_type"], p["subject_id"], p["conduct"],
        legal_date(datetime.fromisoformat(p["occurred_at"])), p["document_no"], p.get("authority"),
        _optional_day(p.get("decided_on")), p.get("fine_yuan"),
    ), key=lambda c: (c.occurred_on, c.document_no))


def _station(p: dict[str, Any], state: State, position: int) -> None:
    station = state.stations.get(p["station_id"])
    if station is None:
        station = state.stations[p["station_id"]] = Station(p["station_id"], p["name"])
    station.name = p["name"]
    for name in ("road", "kilometre_post", "county", "kind"):
        if p.get(name):
            setattr(station, name, p[name])
    if p.get("certificate_no") or p.get("certificate_valid_from") or p.get("certificate_valid_to"):
        station.certificates.append(Certificate(
            p.get("certificate_no") or "", _optional_day(p.get("certificate_valid_from")),
            _optional_day(p.get("certificate_valid_to"))))


def _permit(p: dict[str, Any], state: State, position: int) -> None:
    state.permits[p["permit_no"]] = Permit(
        position, p["permit_no"], p["plate"], _day(p["valid_from"]), _day(p["valid_to"]),
        int(p["gross_kg"]), p.get("authority"),
    )


_HANDLERS = {
    "EnterpriseRegistered": _enterprise,
    "DriverRegistered": _driver,
    "VehicleRegistered": _vehicle,
    "VehicleDeregistered": _deregistered,
    "PenaltyDecided": _penalty,
    "PenaltyRevoked": _revoked,
    "SuspensionOrdered": _order,
    "SeriousConductRecorded": _conduct,
    "StationRegistered": _station,
    "PermitIssued": _permit,
}
