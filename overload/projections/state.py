"""The registry and the decisions, rebuilt from events by a singledispatch `apply`.

Registrations and decisions are kept with their own dates so that every question is asked in
event time ("which fleet was this plate in on the violation date?"), whatever the arrival order.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import singledispatch

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
from overload.timeutil import legal_date

# The event types the rulebook needs; weighings are screened separately and do not count.
STATE_EVENTS = (
    "EnterpriseRegistered", "VehicleRegistered", "VehicleDeregistered", "DriverRegistered",
    "PenaltyDecided", "PenaltyRevoked", "SuspensionOrdered", "SeriousConductRecorded",
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


@dataclass
class State:
    """Everything the rulebook needs, keyed by subject."""

    enterprise_names: dict[str, str] = field(default_factory=dict)
    enterprise_licences: dict[str, date] = field(default_factory=dict)
    driver_names: dict[str, str] = field(default_factory=dict)
    driver_licences: dict[str, date] = field(default_factory=dict)
    vehicle_licences: dict[str, date] = field(default_factory=dict)
    fleet_changes: dict[str, list[tuple[date, int, str | None, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    decisions: dict[str, Decision] = field(default_factory=dict)
    revocations: dict[str, Revocation] = field(default_factory=dict)
    orders: list[Order] = field(default_factory=list)
    conducts: list[Conduct] = field(default_factory=list)
    last_position: int = 0
    _memberships: dict[str, list[Membership]] | None = None

    def memberships(self, plate: str) -> list[Membership]:
        """Fleet intervals of a plate, computed from registrations in event-date order."""
        if self._memberships is None:
            self._memberships = {p: _intervals(p, ch) for p, ch in self.fleet_changes.items()}
        return self._memberships.get(plate, [])

    def all_memberships(self) -> Iterable[Membership]:
        for plate in self.fleet_changes:
            yield from self.memberships(plate)

    def fleet_on(self, plate: str, day: date) -> str | None:
        for membership in self.memberships(plate):
            if membership.holds_on(day):
                return membership.enterprise_id
        return None

    def enterprise_of(self, decision: Decision) -> str | None:
        """The enterprise on the decision, else the plate's fleet on the violation date."""
        return decision.enterprise_id or self.fleet_on(decision.plate, decision.violation_on)


def _intervals(plate: str, changes: list[tuple[date, int, str | None, bool]]) -> list[Membership]:
    # Same-day order: leaving (0) before joining (1), so a same-day move closes then opens.
    result: list[Membership] = []
    current: tuple[date, str | None] | None = None
    ordered = sorted(changes, key=lambda c: (c[0], c[1], c[2] or ""))
    for day, _order, enterprise_id, joins in ordered:
        if current is not None:
            result.append(Membership(plate, current[1], current[0], day))
        current = (day, enterprise_id) if joins else None
    if current is not None:
        result.append(Membership(plate, current[1], current[0], None))
    return [m for m in result if m.end is None or m.end > m.start]


@singledispatch
def apply(event: Event, state: State, position: int) -> None:
    """Events the rulebook does not need change nothing."""


@apply.register
def _(event: EnterpriseRegistered, state: State, position: int) -> None:
    state.enterprise_names[event.enterprise_id] = event.name
    if event.licence_issued_on:
        state.enterprise_licences[event.enterprise_id] = event.licence_issued_on


@apply.register
def _(event: DriverRegistered, state: State, position: int) -> None:
    state.driver_names[event.driver_id] = event.name
    if event.licence_issued_on:
        state.driver_licences[event.driver_id] = event.licence_issued_on


@apply.register
def _(event: VehicleRegistered, state: State, position: int) -> None:
    state.fleet_changes[event.plate].append((event.registered_on, 1, event.enterprise_id, True))
    state._memberships = None
    if event.licence_issued_on:
        state.vehicle_licences[event.plate] = event.licence_issued_on


@apply.register
def _(event: VehicleDeregistered, state: State, position: int) -> None:
    state.fleet_changes[event.plate].append((event.deregistered_on, 0, None, False))
    state._memberships = None


@apply.register
def _(event: PenaltyDecided, state: State, position: int) -> None:
    state.decisions[event.case_no] = Decision(
        position=position,
        case_no=event.case_no,
        plate=event.plate,
        driver_id=event.driver_id,
        enterprise_id=event.enterprise_id,
        source_unit_id=event.source_unit_id,
        violation_on=legal_date(event.violation_at),
        decided_on=event.decided_on,
        weighing_key=event.weighing_key,
        station_id=event.station_id,
        authority=event.authority,
    )


@apply.register
def _(event: PenaltyRevoked, state: State, position: int) -> None:
    state.revocations[event.case_no] = Revocation(
        position, event.case_no, event.revoked_on, event.reason
    )


@apply.register
def _(event: SuspensionOrdered, state: State, position: int) -> None:
    state.orders.append(
        Order(position, event.enterprise_id, event.order_no, event.ordered_on, event.authority)
    )


@apply.register
def _(event: SeriousConductRecorded, state: State, position: int) -> None:
    state.conducts.append(
        Conduct(
            position, event.subject_type, event.subject_id, event.conduct,
            legal_date(event.occurred_at), event.document_no, event.authority,
        )
    )
