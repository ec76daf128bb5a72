"""Events: frozen facts. Feed records become events one to one; the engine adds its decisions.

Each event names its idempotency key (feed format v1), its event time (what it is about, used for
ordering) and the subjects it mentions (for `overload log --subject`).
"""

import hashlib
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, NonNegativeInt, model_validator

from overload import clock, reasons
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
# Feed v1.1 (Order 62 Art. 3 in full); every field is optional and absent keeps the v1 reading.
Category = Literal["truck", "tractor", "agricultural", "low-speed"]
Combination = Literal["articulated", "centre-axle", "full-trailer"]
Special = Literal["refrigerated", "special-purpose"]
StationKind = Literal["fixed-static", "toll-entrance", "mobile", "wim"]


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


class AxleGroup(BaseModel):
    """One axle group as Order 62 Art. 3 ¶2 reads it (feed v1.1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    group: Literal["single", "tandem", "tridem"]
    tyres: Literal["single", "dual"] = "dual"
    wide_base: bool = False  # nominal section ≥ 425 mm (trailer axle) / ≥ 445 mm (drive axle)
    drive: bool = False
    trailer: bool = False  # an axle of a semi-trailer or full trailer

    @property
    def axles(self) -> int:
        return {"single": 1, "tandem": 2, "tridem": 3}[self.group]


def _json_cell(value: Any) -> Any:
    """A CSV cell carries a list as JSON text; a JSON feed sends the list itself."""
    if isinstance(value, str):
        import orjson

        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            raise ValueError(reasons.AXLE_GROUPS_LIST) from None
    return value


AxleGroups = Annotated[tuple[AxleGroup, ...], BeforeValidator(_json_cell)]


class VehicleConfiguration(FeedEvent):
    """The v1.1 fields that make a vehicle's limit, on a registration or a weighing."""

    axle_groups: AxleGroups | None = None
    air_suspension: bool | None = None
    combination: Combination | None = None
    semitrailer_axle_spacing_mm: Millimetres | None = None

    def _groups_match_axles(self, axles: int) -> None:
        if self.axle_groups is not None and sum(g.axles for g in self.axle_groups) != axles:
            counted = sum(g.axles for g in self.axle_groups)
            raise ValueError(reasons.AXLE_GROUPS_COUNT.format(counted=counted, axles=axles))


class VehicleRegistered(VehicleConfiguration):
    feed_type: ClassVar[str | None] = "vehicle_registered"
    plate: Plate
    enterprise_id: CreditCode | None = None
    axles: Axles
    kind: Kind | None = None
    single_drive_axle: bool = False
    registered_on: LegalDate
    licence_issued_on: LegalDate | None = None
    # v1.1: the person who owns an individually owned vehicle (行驶证所有人): a 告知书 about the
    # vehicle is addressed to its owner, and without an enterprise the registry must name one
    owner_name: Text | None = None
    owner_id: IdNumber | None = None
    # v1.1: registry fields that change with the vehicle, in time (行驶证, GB1589 special vehicles)
    category: Category | None = None
    licensed_total_kg: Kilograms | None = None
    special: Special | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "VehicleRegistered":
        self._groups_match_axles(self.axles)
        return self

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


class WeighingRecorded(VehicleConfiguration):
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
    # v1.1: a 大件 permit the vehicle travels under (checked against the permit, not Art. 3)
    permit_no: Key | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "WeighingRecorded":
        self._groups_match_axles(self.axles)
        return self

    def key(self) -> str:
        return f"weighing:{self.station_id}:{self.record_id}"

    def event_at(self) -> datetime:
        return self.weighed_at

    def subjects(self) -> tuple[str, ...]:
        ids = (self.plate, self.driver_id, self.enterprise_id, self.source_unit_id)
        return tuple(s for s in ids if s)


class PermitIssued(FeedEvent):
    """A 超限运输许可 (大件 permit): the declared mass and dimensions, valid between two dates."""

    feed_type: ClassVar[str | None] = "permit_issued"
    permit_no: Key
    plate: Plate
    valid_from: LegalDate
    valid_to: LegalDate
    gross_kg: Kilograms
    length_mm: Millimetres | None = None
    width_mm: Millimetres | None = None
    height_mm: Millimetres | None = None
    authority: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "PermitIssued":
        if self.valid_to < self.valid_from:
            raise ValueError(reasons.VALID_TO)
        return self

    def key(self) -> str:
        return f"permit:{self.permit_no}"

    def event_at(self) -> datetime:
        return start_of(self.valid_from)

    def subjects(self) -> tuple[str, ...]:
        return (self.plate, self.permit_no)


class StationRegistered(FeedEvent):
    """An inspection station and its scale's certificate (检定证书) with its validity dates."""

    feed_type: ClassVar[str | None] = "station_registered"
    station_id: StationId
    name: Text
    road: Text | None = None
    kilometre_post: Text | None = None
    county: Text | None = None
    kind: StationKind | None = None
    certificate_no: Key | None = None
    certificate_valid_from: LegalDate | None = None
    certificate_valid_to: LegalDate | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "StationRegistered":
        first, last = self.certificate_valid_from, self.certificate_valid_to
        if first is not None and last is not None and last < first:
            raise ValueError(reasons.CERTIFICATE_TO)
        return self

    def key(self) -> str:
        return f"station:{self.station_id}:{self.certificate_no or '-'}"

    def event_at(self) -> datetime:
        return start_of(self.certificate_valid_from or date(1970, 1, 1))

    def subjects(self) -> tuple[str, ...]:
        return (self.station_id,)


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
            raise ValueError(reasons.WEIGHING_PAIR)
        if self.decided_on < self.violation_at.date():
            raise ValueError(reasons.DECIDED_BEFORE)
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
    # Feed contract v1.1: the date of the decision (the trip date) and, for Notice 8 item (五),
    # the fine. A v1 record without `decided_on` is kept but grounds no listing.
    decided_on: LegalDate | None = None
    fine_yuan: NonNegativeInt | None = None

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
        PermitIssued,
        StationRegistered,
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


class LimitRule(BaseModel):
    """One rule that made a detection's gross-mass limit, in the order it was applied."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rule: str  # stable id from rules/order62_limits.json
    limit_kg: int  # the limit after this rule
    text: str
    source: str
    source_uncertain: str | None = None


class OverloadDetected(Event):
    """A weighing over a limit: opens enforcement work (一超四罚) but never counts by itself.

    v1.1 adds how the limit was made (`limit_rules`, in order), which fields were absent
    (`defaults_assumed`), the registration and permit it rests on. A later registry row that
    changes the verdict does not rewrite it: a DetectionWithdrawn ends it and a new detection
    (if still over) takes its place.
    """

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
    limit_rules: tuple[LimitRule, ...] | None = None  # None: made before feed v1.1
    defaults_assumed: tuple[str, ...] | None = None
    registration: str | None = None  # key of the vehicle_registered in effect on the date
    permit_no: str | None = None
    permit: str | None = None  # how the permit was used: "applied", "expired", "unknown", ...
    revision: str | None = None  # set on a detection that supersedes a withdrawn one

    @property
    def weighing_key(self) -> str:
        return f"weighing:{self.station_id}:{self.record_id}"

    def key(self) -> str:
        base = f"detection:{self.rulebook}@{self.rulebook_version}:{self.station_id}:{self.record_id}"
        return base if self.revision is None else f"{base}#{self.revision}"

    def event_at(self) -> datetime:
        return self.weighed_at

    def subjects(self) -> tuple[str, ...]:
        ids = (self.plate, self.driver_id, self.enterprise_id, self.source_unit_id)
        return tuple(s for s in ids if s)


class DetectionWithdrawn(Event):
    """A detection no longer holds as the registry now reads: a registration or permit that
    arrived later changed the weighing's limit. The detection stays in the log; this ends it."""

    detection_key: str
    station_id: str
    record_id: str
    plate: str
    weighed_at: Instant
    rulebook: str
    rulebook_version: int
    reason: str
    because_of: str | None = None  # the key of the registry row that changed the limit
    # the parties the detection named, so a reader of any of them sees it ended
    driver_id: str | None = None
    enterprise_id: str | None = None
    source_unit_id: str | None = None

    def key(self) -> str:
        return f"withdrawn:{self.detection_key}"

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


class EntryAnnounced(Event):
    """公示: a publication act pre-announced the entry and issued its 告知书 on `announced_on`.

    The objection deadline is fixed here, with the calendar that computed it: a calendar file
    added later never moves a deadline already served on a subject."""

    entry_id: str
    announced_on: LegalDate
    notice_no: str
    announcement_no: str
    objection_period_ends: LegalDate
    calendar: str

    def key(self) -> str:
        return f"announced:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.announced_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class EntryListed(Event):
    """公布: a publication act put the entry on the list on `listed_on` (the act's date).

    Legacy form (before publication acts): `publication_as_of` set, no `listing_no`; its
    `listed_on` was computed, not an act's date, so the lifecycle ignores it."""

    entry_id: str
    listed_on: LegalDate
    listing_no: str | None = None
    batch: str | None = None
    publication_as_of: LegalDate | None = None

    @property
    def is_act(self) -> bool:
        return self.listing_no is not None

    def key(self) -> str:
        # Legacy events hold `listed:` keys: an act on the same entry must not collide with them.
        return f"listing:{self.entry_id}" if self.is_act else f"listed:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.listed_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class EntryExpired(Event):
    """Legacy (before publication acts): an expiry recorded by the old `publish`; now the
    removal is part of the act that makes it public (`PublicationMade.ended`)."""

    entry_id: str
    expired_on: LegalDate

    def key(self) -> str:
        return f"expired:{self.entry_id}"

    def event_at(self) -> datetime:
        return start_of(self.expired_on)

    def subjects(self) -> tuple[str, ...]:
        return (self.entry_id,)


class ListPublished(Event):
    """Legacy (before publication acts): a list computed as of a date. Still read (the log is
    validated on read); the lifecycle takes no date from it."""

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


class QuarantineDismissed(Event):
    """An operator dropped a quarantined row on purpose: it leaves the default `quarantine`
    view and shows in `audit`. The row itself stays in the quarantine table, untouched."""

    quarantine_id: int
    fingerprint: str  # the row's content fingerprint: the same row in every copy of the database
    file: str
    line: int
    dismissed_on: LegalDate
    note: str
    operator: str

    def key(self) -> str:
        return f"quarantine-dismissed:{self.fingerprint[:16]}"  # 64 bits: unique among rows

    def event_at(self) -> datetime:
        return start_of(self.dismissed_on)

    def subjects(self) -> tuple[str, ...]:
        return (f"Q{self.quarantine_id}",)


class PublicationMade(Event):
    """One publication act of the bureau on `published_on` (the `seq`-th of that date): what it
    announced, listed, removed and corrected, the document numbers it consumed (kind -> numbers,
    in order: the per-year sequences are counted from these), its files and the log head seen."""

    published_on: LegalDate
    seq: int
    operator: str
    rulebook: str
    rulebook_version: int
    announced: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    not_listed: tuple[str, ...] = ()
    # Of `corrected`, the entries whose facts were corrected (they stand), with the revoked
    # decisions this act made public; the others in `corrected` were withdrawn.
    revised: dict[str, tuple[str, ...]] = {}
    numbers: dict[str, tuple[str, ...]] = {}
    files: dict[str, str] = {}
    head_position: int
    head_hash: str

    def key(self) -> str:
        return f"publication-act:{self.rulebook}@{self.rulebook_version}:{self.published_on}:{self.seq}"

    def event_at(self) -> datetime:
        return start_of(self.published_on)

    def subjects(self) -> tuple[str, ...]:
        return (*self.announced, *self.listed, *self.ended, *self.corrected, *self.not_listed)


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
        EntityFlagged, EntryWithdrawn, OverloadDetected, DetectionWithdrawn, ObjectionFiled,
        ObjectionDecided, EntryRepaired, EntryListed, EntryExpired, ListPublished, EntryAnnounced,
        PublicationMade, QuarantineDismissed, ScreeningCompleted,
    )
}
LIFECYCLE_EVENTS = ("ObjectionFiled", "ObjectionDecided", "EntryRepaired")
# The bureau's acts an entry's timeline reads, besides the operators' actions.
ACT_EVENTS = ("EntryAnnounced", "EntryListed", "PublicationMade")

ALL_EVENTS: dict[str, type[Event]] = {
    **{cls.__name__: cls for cls in FEED_EVENTS.values()},
    **ENGINE_EVENTS,
}


def event_type_name(name: str) -> str:
    """Accept either a feed type (`weighing`) or an event name (`WeighingRecorded`)."""
    if name in FEED_EVENTS:
        return FEED_EVENTS[name].__name__
    return name
