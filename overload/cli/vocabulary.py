"""What the tables call things: column headers, the values shown in them, and which columns
hold identifiers. Keys and values stay the English identifiers of the JSON contract; these are
their msgids (with a gettext context), translated where a person reads them.
"""

import re
from typing import Any

from overload.i18n import NP_, _, pgettext
from overload.reasons import said_reason
from overload.sentences import said

COLUMN = "column"
# Columns whose values are names of things from a fixed set, and the context of their msgids.
VALUE_CONTEXTS = {
    "status": "status", "subject_type": "subject type", "record_type": "record type",
    "type": "record type", "action": "record type", "rule": "rule",
    "evidence_grade": "evidence grade", "next": "next step", "scale": "scale",
    "field": COLUMN, "parameter": COLUMN, "outcome": "status", "rules": "rule",
    "conduct": "conduct", "vehicle": "party", "driver": "party", "enterprise": "party",
    "source_unit": "party",
}
# Columns of English sentences stored as data (notes, reasons, windows, calendars): said through
# overload.sentences, which knows their templates; free text of no template is shown as it is.
SENTENCE = "sentence"
MEASURE = "measure"
for _column in ("note", "why", "missing", "calendar", "calendar_note", "withdrawal_reason",
                "revocation_effect"):
    VALUE_CONTEXTS[_column] = SENTENCE
# "gross_kg 49500 > 49000 (+1.0 %)": the quantity's key is said as its header.
for _column in ("exceeded", "excess"):
    VALUE_CONTEXTS[_column] = MEASURE

# Identifiers never wrap (plates, ID numbers, credit codes, document numbers, entry ids, dates);
# a column is one when its key is listed here or ends in one of IDENTIFIER_SUFFIXES.
IDENTIFIERS = frozenset({
    "plate", "position", "key", "line", "evidence", "cases", "code", "version", "share",
    "violations", "read", "accepted", "duplicate", "quarantined", "age_days", "rules", "short",
    "id", "rulebook", "rulebook_version", "on", "excess", "percent", "file", "source",
    "record_type", "type", "field", "status", "rule", "subject_type", "action", "evidence_grade",
    "selected", "upheld", "next",
})
IDENTIFIER_SUFFIXES = ("_id", "_no", "_on", "_at", "_date", "_until", "_from", "_ends")
INSTANT_SUFFIX = "_at"


def is_identifier(column: str) -> bool:
    return column in IDENTIFIERS or column.endswith(IDENTIFIER_SUFFIXES)


def header(column: str) -> str:
    return pgettext(COLUMN, column)


def value(column: str, item: Any) -> Any:
    """A cell's value as a person reads it: a status, a type or a yes/no in their language."""
    if isinstance(item, bool):
        return _("yes") if item else _("no")
    context = VALUE_CONTEXTS.get(column)
    if context in (SENTENCE, MEASURE):
        convert = said if context == SENTENCE else measure
        if isinstance(item, list | tuple):
            return [convert(v) if isinstance(v, str) else v for v in item]
        return convert(item) if isinstance(item, str) else item
    if context is not None and isinstance(item, list | tuple):
        return [pgettext(context, v) if isinstance(v, str) else v for v in item]
    if context is None or not isinstance(item, str):
        return item
    if column == "next":
        return _next_step(item)
    return pgettext(context, item)


def measure(text: str) -> str:
    """A measured quantity led by its key (`gross_kg +1500 (3.1 %)`), the key as its header."""
    key, space, rest = text.partition(" ")
    return f"{header(key)}{space}{rest}" if space and key.isidentifier() else text


def _next_step(item: str) -> str:
    pending = re.fullmatch(r"objection (\S+) pending", item)
    if pending:
        return _("objection {objection_id} pending").format(objection_id=pending[1])
    return pgettext("next step", item)


def reason(text: str) -> str:
    """A stored quarantine reason in the run's language (see overload/reasons.py)."""
    return said_reason(text)


# Marked for extraction: every key and value the tables show (msgid = the JSON identifier).

COLUMNS = (
    NP_("column", "entry_id"),
    NP_("column", "subject_type"),
    NP_("column", "subject_id"),
    NP_("column", "subject_name"),
    NP_("column", "rule"),
    NP_("column", "rulebook"),
    NP_("column", "rulebook_version"),
    NP_("column", "status"),
    NP_("column", "tripped_on"),
    NP_("column", "violations"),
    NP_("column", "share"),
    NP_("column", "evidence"),
    NP_("column", "objection_period_ends"),
    NP_("column", "listed_on"),
    NP_("column", "display_until"),
    NP_("column", "repair_from"),
    NP_("column", "next"),
    NP_("column", "next_date"),
    NP_("column", "ended_on"),
    NP_("column", "legal_basis"),
    NP_("column", "announced_on"),
    NP_("column", "notice_no"),
    NP_("column", "announcement_no"),
    NP_("column", "listing_no"),
    NP_("column", "case_no"),
    NP_("column", "violation_on"),
    NP_("column", "decided_on"),
    NP_("column", "station_id"),
    NP_("column", "record_id"),
    NP_("column", "plate"),
    NP_("column", "revoked_on"),
    NP_("column", "note"),
    NP_("column", "weighed_on"),
    NP_("column", "evidence_grade"),
    NP_("column", "exceeded"),
    NP_("column", "order_no"),
    NP_("column", "ordered_on"),
    NP_("column", "authority"),
    NP_("column", "document_no"),
    NP_("column", "conduct"),
    NP_("column", "occurred_on"),
    NP_("column", "listed_by_rulebook"),
    NP_("column", "file"),
    NP_("column", "type"),
    NP_("column", "read"),
    NP_("column", "accepted"),
    NP_("column", "duplicate"),
    NP_("column", "quarantined"),
    NP_("column", "error"),
    NP_("column", "line"),
    NP_("column", "record_type"),
    NP_("column", "field"),
    NP_("column", "reason"),
    NP_("column", "raw"),
    NP_("column", "recorded_at"),
    NP_("column", "id"),
    NP_("column", "resolved_by"),
    NP_("column", "dismissed"),
    NP_("column", "position"),
    NP_("column", "key"),
    NP_("column", "event_at"),
    NP_("column", "source"),
    NP_("column", "payload"),
    NP_("column", "operator"),
    NP_("column", "action"),
    NP_("column", "objection_id"),
    NP_("column", "on"),
    NP_("column", "upheld"),
    NP_("column", "detail"),
    NP_("column", "version"),
    NP_("column", "title"),
    NP_("column", "effective_from"),
    NP_("column", "rules"),
    NP_("column", "selected"),
    NP_("column", "parameter"),
    NP_("column", "value"),
    NP_("column", "summary"),
    NP_("column", "reading"),
    NP_("column", "short"),
    NP_("column", "text"),
    NP_("column", "gives"),
    NP_("column", "code"),
    NP_("column", "meaning"),
    NP_("column", "excess"),
    NP_("column", "vehicle"),
    NP_("column", "driver"),
    NP_("column", "enterprise"),
    NP_("column", "source_unit"),
    NP_("column", "driver_id"),
    NP_("column", "enterprise_id"),
    NP_("column", "source_unit_id"),
    NP_("column", "cases"),
    NP_("column", "open_parties"),
    NP_("column", "fully_penalised"),
    NP_("column", "age_days"),
    NP_("column", "detections"),
    NP_("column", "open"),
    NP_("column", "listed"),
    NP_("column", "added"),
    NP_("column", "ended"),
    NP_("column", "corrected"),
    NP_("column", "notices"),
    NP_("column", "announcements"),
    NP_("column", "corrections"),
    NP_("column", "name"),
    NP_("column", "section"),
    NP_("column", "gross_kg"),
    NP_("column", "axles"),
    NP_("column", "kind"),
    NP_("column", "weighed_at"),
    NP_("column", "violation_at"),
    NP_("column", "fine_yuan"),
    NP_("column", "vehicle_min_violations"),
    NP_("column", "driver_min_violations"),
    NP_("column", "fleet_share"),
    NP_("column", "fleet_share_needs_suspension"),
    NP_("column", "window"),
    NP_("column", "tolerance_kg"),
    NP_("column", "limits_table"),
    NP_("column", "publicity_working_days"),
    NP_("column", "display_years"),
    NP_("column", "repair_min_years"),
    NP_("column", "(row)"),
    NP_("column", "(key)"),
    NP_("column", "(file)"),
    NP_("column", "dismissed_by"),
    NP_("column", "fingerprint"),
    NP_("column", "lang"),
    NP_("column", "as_of"),
    NP_("column", "deregistered_on"),
    NP_("column", "dismissed_on"),
    NP_("column", "expired_on"),
    NP_("column", "filed_on"),
    NP_("column", "files"),
    NP_("column", "head_hash"),
    NP_("column", "head_position"),
    NP_("column", "height_mm"),
    NP_("column", "length_mm"),
    NP_("column", "licence_issued_on"),
    NP_("column", "licence_no"),
    NP_("column", "limit_kg"),
    NP_("column", "listed_entries"),
    NP_("column", "occurred_at"),
    NP_("column", "publication_as_of"),
    NP_("column", "quarantine_id"),
    NP_("column", "registered_on"),
    NP_("column", "repaired_on"),
    NP_("column", "revoked_cases"),
    NP_("column", "scale"),
    NP_("column", "single_drive_axle"),
    NP_("column", "supporting_positions"),
    NP_("column", "width_mm"),
    NP_("column", "withdrawn_on"),
    NP_("column", "withdrawal_reason"),
    NP_("column", "objection_outcome"),
    NP_("column", "expires_on"),
    NP_("column", "conduct_code"),
    NP_("column", "grounds_a_listing"),
    NP_("column", "why"),
    NP_("column", "station"),
    NP_("column", "station_name"),
    NP_("column", "station_place"),
    NP_("column", "share_implemented"),
    NP_("column", "screening_only"),
    NP_("column", "missing"),
    NP_("column", "flags"),
    NP_("column", "calendar"),
    NP_("column", "weighing"),
    NP_("column", "counts"),
    NP_("column", "revocation_reason"),
    NP_("column", "known"),
    NP_("column", "station_known"),
    NP_("column", "encoding"),
    NP_("column", "announced"),
    NP_("column", "on_list"),
    NP_("column", "removed"),
    NP_("column", "not_listed"),
)

WINDOWS = (NP_("window", "rolling"), NP_("window", "licence-year"))

STATUSES = (
    NP_("status", "flagged"),
    NP_("status", "announced"),
    NP_("status", "listed"),
    NP_("status", "rejected"),
    NP_("status", "expired"),
    NP_("status", "repaired"),
    NP_("status", "withdrawn"),
    NP_("status", "accepted"),
    NP_("status", "duplicate"),
    NP_("status", "quarantined"),
    NP_("status", "conflict"),
    NP_("status", "pending"),
    NP_("status", "resolved"),
    NP_("status", "dismissed"),
)

SUBJECT_TYPES = (
    NP_("subject type", "vehicle"),
    NP_("subject type", "driver"),
    NP_("subject type", "enterprise"),
    NP_("subject type", "source_unit"),
    NP_("subject type", "any"),
)

RECORD_TYPES = (
    NP_("record type", "enterprise_registered"),
    NP_("record type", "vehicle_registered"),
    NP_("record type", "vehicle_deregistered"),
    NP_("record type", "driver_registered"),
    NP_("record type", "weighing"),
    NP_("record type", "penalty_decided"),
    NP_("record type", "penalty_revoked"),
    NP_("record type", "suspension_ordered"),
    NP_("record type", "serious_conduct"),
    NP_("record type", "permit_issued"),
    NP_("record type", "station_registered"),
    NP_("record type", "(unknown)"),
    NP_("record type", "(file)"),
    NP_("record type", "EnterpriseRegistered"),
    NP_("record type", "VehicleRegistered"),
    NP_("record type", "VehicleDeregistered"),
    NP_("record type", "DriverRegistered"),
    NP_("record type", "WeighingRecorded"),
    NP_("record type", "PenaltyDecided"),
    NP_("record type", "PenaltyRevoked"),
    NP_("record type", "SuspensionOrdered"),
    NP_("record type", "SeriousConductRecorded"),
    NP_("record type", "EntityFlagged"),
    NP_("record type", "EntryWithdrawn"),
    NP_("record type", "OverloadDetected"),
    NP_("record type", "ObjectionFiled"),
    NP_("record type", "ObjectionDecided"),
    NP_("record type", "EntryRepaired"),
    NP_("record type", "EntryListed"),
    NP_("record type", "EntryExpired"),
    NP_("record type", "ListPublished"),
    NP_("record type", "QuarantineDismissed"),
    NP_("record type", "PublicationMade"),
    NP_("record type", "EntryAnnounced"),
    NP_("record type", "PermitIssued"),
    NP_("record type", "StationRegistered"),
    NP_("record type", "DetectionWithdrawn"),
    NP_("record type", "ScreeningCompleted"),
)

RULES = (
    NP_("rule", "vehicle-repeat"),
    NP_("rule", "driver-repeat"),
    NP_("rule", "enterprise-fleet-share"),
    NP_("rule", "enterprise-suspended"),
    NP_("rule", "serious-conduct"),
)

OTHER_VALUES = (
    NP_("evidence grade", "evidence"),
    NP_("evidence grade", "screening"),
    NP_("scale", "static"),
    NP_("scale", "wim"),
    NP_("next step", "objection period ends"),
    NP_("next step", "listed on"),
    NP_("next step", "repair possible from"),
    NP_("next step", "displayed until"),
    NP_("next step", "to be announced by the next publication act"),
    NP_("next step", "to be listed by the next publication act"),
)

PARTY_STATUSES = (  # 一超四罚: each party of a detection
    NP_("party", "penalised"),
    NP_("party", "open"),
    NP_("party", "unknown"),
    NP_("party", "n/a"),
)

CONDUCT_CODES = (  # Notice 8 items (四)-(十), as short names
    NP_("conduct", "illegal-modification"),
    NP_("conduct", "instructing-driver"),
    NP_("conduct", "permit-fraud"),
    NP_("conduct", "refusing-inspection"),
    NP_("conduct", "obstruction"),
    NP_("conduct", "serious-accident"),
    NP_("conduct", "violence"),
)
