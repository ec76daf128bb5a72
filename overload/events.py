"""Events: frozen facts. Feed records become events one to one; the engine adds its decisions.

Each event names its idempotency key (feed format v1), its event time (what it is about, used for
ordering) and the subjects it mentions (for `overload log --subject`).
"""

import hashlib
from datetime import date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from overload import clock
from overload.fields import (
    Axles,
    CreditCode,
    IdNumber,
    Instant,
    Key,
    Kilograms,
    LegalDate,
    Millimetres,
    Plate,
    StationId,
    Text,
)
from overload.timeutil import start_of

Kind = Literal["rigid", "combination"]


def default_kind(axles: int) -> Kind:
    """Feed format v1: a vehicle without a kind is rigid with 2 axles, a combination otherwise."""
    return "rigid" if axles == 2 else "combination"
SubjectType = Literal["vehicle", "driver", "enterprise", "source_unit"]


class Event(BaseModel):
    """Base of every event; subclasses name the feed `type` they come from, if any."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    feed_type: ClassVar[str | None] = None

    def key(self) -> str:
        """Idempotency key: the same key twice is a duplicate or a conflict, never two events."""
        raise NotImplementedError

    def event_at(self) -> datetime:
        """When the fact happened, for ordering the log by event time."""
        raise NotImplementedError

    def subjects(self) -> tuple[str, ...]:
        """Identifiers this event is about."""
        return ()


class FeedEvent(Event):
    """A record from a station or registry; unknown fields are kept and ignored by the rules."""

    model_config = ConfigDict(frozen=True, extra="allow", str_strip_whitespace=True)


class EnterpriseRegistered(FeedEvent):
    feed_type: ClassVar[str | None] = "enterprise_registered"
    enterprise_id: CreditCode
    name: Text
    registered_on: LegalDate
    licence_no: Text | None = None
    licence_issued_on: LegalDate | None = None

    def key(self) -> str:
        return f"enterprise:{self.enterprise_id}:{self.registered_on}"

    def event_at(self) -> datetime:
        return start_of(self.registered_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.enterprise_id,)


class VehicleRegistered(FeedEvent):
    feed_type: ClassVar[str | None] = "vehicle_registered"
    plate: Plate
    enterprise_id: CreditCode | None = None
    axles: Axles
    kind: Kind | None = None
    single_drive_axle: bool = False
    registered_on: LegalDate
    licence_issued_on: LegalDate | None = None

    def key(self) -> str:
        return f"vehicle:{self.plate}:{self.registered_on}"

    def event_at(self) -> datetime:
        return start_of(self.registered_on)

    def subjects(self) -> tuple[str, ...]:
        return tuple(s for s in (self.plate, self.enterprise_id) if s)


class VehicleDeregistered(FeedEvent):
    feed_type: ClassVar[str | None] = "vehicle_deregistered"
    plate: Plate
    deregistered_on: LegalDate

    def key(self) -> str:
        return f"vehicle-deregistered:{self.plate}:{self.deregistered_on}"

    def event_at(self) -> datetime:
        return start_of(self.deregistered_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.plate,)


class DriverRegistered(FeedEvent):
    feed_type: ClassVar[str | None] = "driver_registered"
    driver_id: IdNumber
    name: Text
    licence_no: Text | None = None
    licence_issued_on: LegalDate | None = None

    def key(self) -> str:
        return f"driver:{self.driver_id}"

    def event_at(self) -> datetime:
        return start_of(self.licence_issued_on or date(1970, 1, 1))

    def subjects(self) -> tuple[str, ...]:
        return (self.driver_id,)


class WeighingRecorded(FeedEvent):
    feed_type: ClassVar[str | None] = "weighing"
    station_id: StationId
    record_id: Key
    plate: Plate
    axles: Axles
    gross_kg: Kilograms
    weighed_at: Instant
    scale: Literal["static", "wim"] = "static"
    kind: Kind | None = None
    single_drive_axle: bool | None = None
    driver_id: IdNumber | None = None
    length_mm: Millimetres | None = None
    width_mm: Millimetres | None = None
    height_mm: Millimetres | None = None
    # v1-compatible extension for 一超四罚: the parties a station may know at the scale.
    enterprise_id: CreditCode | None = None
    source_unit_id: CreditCode | None = None

    def key(self) -> str:
        return f"weighing:{self.station_id}:{self.record_id}"

    def event_at(self) -> datetime:
        return self.weighed_at

    def subjects(self) -> tuple[str, ...]:
        ids = (self.plate, self.driver_id, self.enterprise_id, self.source_unit_id)
        return tuple(s for s in ids if s)


class PenaltyDecided(FeedEvent):
    feed_type: ClassVar[str | None] = "penalty_decided"
    case_no: Key
    plate: Plate
    violation_at: Instant
    decided_on: LegalDate
    driver_id: IdNumber | None = None
    enterprise_id: CreditCode | None = None
    source_unit_id: CreditCode | None = None
    station_id: StationId | None = None
    record_id: Key | None = None
    gross_kg: Kilograms | None = None
    limit_kg: Kilograms | None = None
    authority: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "PenaltyDecided":
        if (self.station_id is None) != (self.record_id is None):
            raise ValueError("station_id and record_id go together (the weighing it rests on)")
        if self.decided_on < self.violation_at.date():
            raise ValueError("decided_on is before the violation")
        return self

    @property
    def weighing_key(self) -> str | None:
        """The weighing it rests on: two decisions on one weighing count once."""
        if self.station_id is None:
            return None
        return f"weighing:{self.station_id}:{self.record_id}"

    def key(self) -> str:
        return f"penalty:{self.case_no}"

    def event_at(self) -> datetime:
        return self.violation_at

    def subjects(self) -> tuple[str, ...]:
        ids = (self.plate, self.driver_id, self.enterprise_id, self.source_unit_id, self.case_no)
        return tuple(s for s in ids if s)


class PenaltyRevoked(FeedEvent):
    feed_type: ClassVar[str | None] = "penalty_revoked"
    case_no: Key
    revoked_on: LegalDate
    reason: Text

    def key(self) -> str:
        return f"revocation:{self.case_no}"

    def event_at(self) -> datetime:
        return start_of(self.revoked_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.case_no,)


class SuspensionOrdered(FeedEvent):
    feed_type: ClassVar[str | None] = "suspension_ordered"
    enterprise_id: CreditCode
    order_no: Key
    ordered_on: LegalDate
    authority: Text | None = None

    def key(self) -> str:
        return f"suspension:{self.order_no}"

    def event_at(self) -> datetime:
        return start_of(self.ordered_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.enterprise_id, self.order_no)


class SeriousConductRecorded(FeedEvent):
    feed_type: ClassVar[str | None] = "serious_conduct"
    subject_type: SubjectType
    subject_id: Key
    conduct: Key
    occurred_at: Instant
    document_no: Key
    authority: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _subject_id_by_type(cls, data: Any) -> Any:
        # The subject's identifier rule depends on its type; check it with the same validators.
        from overload.identifiers import (
            normalize_credit_code,
            normalize_id_number,
            normalize_plate,
        )

        if isinstance(data, dict) and isinstance(data.get("subject_id"), str):
            rule = {
                "vehicle": normalize_plate,
                "driver": normalize_id_number,
                "enterprise": normalize_credit_code,
                "source_unit": normalize_credit_code,
            }.get(str(data.get("subject_type")))
            if rule is not None:
                data = {**data, "subject_id": rule(data["subject_id"])}
        return data

    def key(self) -> str:
        return f"conduct:{self.document_no}"

    def event_at(self) -> datetime:
        return self.occurred_at

    def subjects(self) -> tuple[str, ...]:
        return (self.subject_id, self.document_no)


FEED_EVENTS: dict[str, type[FeedEvent]] = {
    cls.feed_type: cls
    for cls in (
        EnterpriseRegistered,
        VehicleRegistered,
        VehicleDeregistered,
        DriverRegistered,
        WeighingRecorded,
        PenaltyDecided,
        PenaltyRevoked,
        SuspensionOrdered,
        SeriousConductRecorded,
    )
    if cls.feed_type
}


# ---- the engine's own decisions -------------------------------------------------------------


class EntityFlagged(Event):
    """A subject tripped a rule: the start of a listing's lifecycle."""

    entry_id: str
    subject_type: SubjectType
    subject_id: str
    rule: str
    rulebook: str
    rulebook_version: int
    tripped_on: LegalDate
    evidence: tuple[str, ...]
    supporting_positions: tuple[int, ...]

    def key(self) -> str:
        return f"flag:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.tripped_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.subject_id, self.entry_id)


class EntryWithdrawn(Event):
    """Revocations left a trip unsupported: the entry ends at once, with a correction notice."""

    entry_id: str
    withdrawn_on: LegalDate
    reason: str
    revoked_cases: tuple[str, ...]

    def key(self) -> str:
        return f"withdraw:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.withdrawn_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class LimitExceeded(BaseModel):
    """One Order 62 limit a weighing exceeds, with the measured value and the excess."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    what: str
    limit: int
    measured: int
    excess: int
    excess_pct: str
    text: str


class OverloadDetected(Event):
    """A weighing over a limit: opens enforcement work (一超四罚) but never counts by itself."""

    station_id: str
    record_id: str
    plate: str
    weighed_at: Instant
    scale: Literal["static", "wim"]
    evidence_grade: Literal["evidence", "screening"]
    axles: int
    kind: Kind
    single_drive_axle: bool
    exceeded: tuple[LimitExceeded, ...]
    tolerance_kg: int
    limits_table: str
    rulebook: str
    rulebook_version: int
    driver_id: str | None = None
    enterprise_id: str | None = None
    source_unit_id: str | None = None

    @property
    def weighing_key(self) -> str:
        return f"weighing:{self.station_id}:{self.record_id}"

    def key(self) -> str:
        return f"detection:{self.rulebook}@{self.rulebook_version}:{self.station_id}:{self.record_id}"

    def event_at(self) -> datetime:
        return self.weighed_at

    def subjects(self) -> tuple[str, ...]:
        ids = (self.plate, self.driver_id, self.enterprise_id, self.source_unit_id)
        return tuple(s for s in ids if s)


class OperatorAction(Event):
    """An operator's act on an entry; the operator's name is part of the fact."""

    entry_id: str
    operator: str

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class ObjectionFiled(OperatorAction):
    """异议: filed by the subject within the publicity period, recorded by an operator."""

    objection_id: str
    filed_on: LegalDate
    note: str

    def key(self) -> str:
        return f"objection:{self.objection_id}"

    def event_at(self) -> datetime:
        return start_of(self.filed_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id, self.objection_id)


class ObjectionDecided(OperatorAction):
    """Upheld: the entry is rejected and never published. Dismissed: it proceeds."""

    objection_id: str
    upheld: bool
    decided_on: LegalDate
    note: str

    def key(self) -> str:
        return f"objection-decided:{self.objection_id}"

    def event_at(self) -> datetime:
        return start_of(self.decided_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id, self.objection_id)


class EntryRepaired(OperatorAction):
    """信用修复 on application, after the rulebook's minimum period, with its document number."""

    repaired_on: LegalDate
    document_no: str

    def key(self) -> str:
        return f"repaired:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.repaired_on)


class EntryListed(Event):
    """The entry appeared on a published list (its publicity period ended unopposed)."""

    entry_id: str
    listed_on: LegalDate
    publication_as_of: LegalDate

    def key(self) -> str:
        return f"listed:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.listed_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class EntryExpired(Event):
    """The entry left the public list at the end of its display period; kept on record."""

    entry_id: str
    expired_on: LegalDate

    def key(self) -> str:
        return f"expired:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.expired_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class ListPublished(Event):
    """A publication: what was published as of which date, from which log head, file hashes."""

    rulebook: str
    rulebook_version: int
    as_of: LegalDate
    head_position: int
    head_hash: str
    files: dict[str, str]
    listed_entries: tuple[str, ...]

    def key(self) -> str:
        digest = hashlib.sha256("".join(sorted(self.files.values())).encode()).hexdigest()[:16]
        return f"publication:{self.rulebook}@{self.rulebook_version}:{self.as_of}:{digest}"

    def event_at(self) -> datetime:
        return start_of(self.as_of)


class ScreeningCompleted(Event):
    """Every weighing up to `through_position` has been screened under this rulebook version
    (written by `rebuild` with each batch of detections, so a killed rebuild resumes there)."""

    rulebook: str
    rulebook_version: int
    through_position: int

    def key(self) -> str:
        return f"screened:{self.rulebook}@{self.rulebook_version}:{self.through_position}"

    def event_at(self) -> datetime:
        # The fact is the screening itself, done now; the time is envelope, not payload, so
        # two rebuilds that reach the same position write the same event (a duplicate).
        return clock.now()


ENGINE_EVENTS: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        EntityFlagged, EntryWithdrawn, OverloadDetected, ObjectionFiled, ObjectionDecided,
        EntryRepaired, EntryListed, EntryExpired, ListPublished, ScreeningCompleted,
    )
}
LIFECYCLE_EVENTS = ("ObjectionFiled", "ObjectionDecided", "EntryRepaired")

ALL_EVENTS: dict[str, type[Event]] = {
    **{cls.__name__: cls for cls in FEED_EVENTS.values()},
    **ENGINE_EVENTS,
}


def event_type_name(name: str) -> str:
    """Accept either a feed type (`weighing`) or an event name (`WeighingRecorded`)."""
    if name in FEED_EVENTS:
        return FEED_EVENTS[name].__name__
    return name
