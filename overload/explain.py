"""Why a subject is, or is not, on the list: its events, the window, the rule and its basis."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from overload import sentences
from overload.errors import UnknownSubjectError
from overload.evaluation.entries import Entry
from overload.evaluation.evaluate import conduct_grounds, probes
from overload.events import OverloadDetected
from overload.i18n import _
from overload.identifiers import classify
from overload.lifecycle.actions import tripped_again
from overload.lifecycle.timeline import Timeline
from overload.listing import subject_name
from overload.projections.state import STATE_EVENTS, Decision, State, apply_payload
from overload.rulebook.model import Rulebook
from overload.store.log import EventLog


def identify(text: str, state: State) -> tuple[str, str]:
    """(subject_type, normalised id) of a plate, ID number or credit code."""
    subject_type, subject_id = _classified(text)
    if subject_type == "enterprise" and _is_source_unit(subject_id, state):
        return "source_unit", subject_id
    return subject_type, subject_id


def _classified(text: str) -> tuple[str, str]:
    found = classify(text)
    if found is None:
        raise UnknownSubjectError(_("{text} is not a plate, an ID number or a credit code").format(
            text=repr(text)))
    return found


def scoped_state(log: EventLog, text: str) -> State:
    """Only the events an explanation of this subject needs, so it stays fast on a big log.

    A plate or ID number needs the events that mention it, the revocations and the registered
    stations (their names); an enterprise or
    source unit needs its fleet's changes, the decisions on its plates or naming it, its orders,
    conduct records and its own registration.
    """
    subject_type, subject_id = _classified(text)
    if subject_type == "enterprise":
        events = _enterprise_events(log, subject_id)
    else:
        streams = [log.payloads(STATE_EVENTS, subject=subject_id),
                   log.payloads(("PenaltyRevoked",)), log.payloads(("StationRegistered",))]
        events = sorted((e for stream in streams for e in stream), key=lambda e: e[0])
    state = State()
    for position, kind, payload in events:
        apply_payload(kind, payload, state, position)
    return state


def _enterprise_events(log: EventLog, code: str) -> list[tuple[int, str, dict[str, Any]]]:
    """An enterprise's (or source unit's) own events, its fleet's plates' fleet changes, and
    the decisions on those plates or naming it: what its share and explanation rest on, read
    through the subject index (a fleet is a few thousand plates of a province's hundreds of
    thousands)."""
    plates = sorted({p["plate"] for _, _, p in log.payloads(("VehicleRegistered",), subject=code)})
    found: dict[int, tuple[int, str, dict[str, Any]]] = {}
    for start in range(0, len(plates), 500):
        chunk = plates[start : start + 500]
        for event in log.payloads(("VehicleRegistered", "VehicleDeregistered", "PenaltyDecided"),
                                  any_of=chunk):
            found[event[0]] = event
    for types in (("PenaltyDecided",), ("EnterpriseRegistered", "SuspensionOrdered",
                                        "SeriousConductRecorded")):
        found.update((e[0], e) for e in log.payloads(types, subject=code))
    # Revocations, and the stations (a few hundred at most: a station is named, not coded).
    found.update((e[0], e) for e in log.payloads(("PenaltyRevoked", "StationRegistered")))
    return [found[position] for position in sorted(found)]


def _is_source_unit(code: str, state: State) -> bool:
    if code in state.enterprise_names and state.fleet_plates({code}):
        return False
    return any(d.source_unit_id == code for d in state.decisions.values()) or any(
        c.subject_type == "source_unit" and c.subject_id == code for c in state.conducts
    )


def explain(
    text: str, state: State, rulebook: Rulebook, entries: list[Entry], as_of: date,
    matcher: Any, detections: list[OverloadDetected] | None = None,
    timelines: dict[str, Timeline] | None = None,
) -> dict[str, Any]:
    """Everything an operator needs to check a decision by hand."""
    subject_type, subject_id = identify(text, state)
    decisions = _decisions_of(state, subject_type, subject_id)
    conducts = [c for c in state.conducts if c.subject_id == subject_id]
    orders = [o for o in state.orders if o.enterprise_id == subject_id]
    mine = [e for e in entries if e.subject_id == subject_id and e.subject_type == subject_type]
    seen = [d for d in detections or () if subject_id in d.subjects()
            and d.weighed_at.date() <= as_of]
    known = decisions or conducts or orders or mine or seen or subject_id in state.enterprise_names \
        or subject_id in state.driver_names or state.memberships(subject_id)
    if not known:
        raise UnknownSubjectError(_("no event in the log mentions {subject_id}").format(
            subject_id=subject_id))
    return {
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject_name": subject_name(state, subject_type, subject_id),
        "as_of": as_of.isoformat(),
        "rulebook": rulebook.id,
        "rulebook_version": rulebook.version,
        "decisions": [_decision(d, state, as_of) for d in decisions],
        "suspension_orders": [
            {"order_no": o.order_no, "ordered_on": o.ordered_on.isoformat(),
             "authority": o.authority, "known": o.ordered_on <= as_of}
            for o in sorted(orders, key=lambda o: o.ordered_on)
        ],
        "serious_conduct": [
            {"document_no": c.document_no, "conduct": c.conduct,
             "occurred_on": c.occurred_on.isoformat(),
             "decided_on": c.decided_on.isoformat() if c.decided_on else None,
             "fine_yuan": c.fine_yuan,
             "listed_by_rulebook": c.conduct in rulebook.conduct_codes,
             "grounds_a_listing": grounds, "why": why}
            for c, grounds, why in conduct_grounds(conducts, rulebook)
        ],
        "detections": [
            {"station_id": d.station_id, "station_name": station_name(state, d.station_id),
             "record_id": d.record_id,
             "weighed_on": d.weighed_at.date().isoformat(), "scale": d.scale,
             "evidence_grade": d.evidence_grade,
             "exceeded": [f"{e.what} {e.measured} > {e.limit} (+{e.excess_pct} %)" for e in d.exceeded],
             "note": sentences.DETECTION_NOTE}
            for d in sorted(seen, key=lambda d: d.weighed_at)
        ],
        "entries": [
            {**_entry(e, rulebook, as_of), **_revocations(e, state, rulebook, as_of),
             **_lifecycle((timelines or {}).get(e.entry_id), as_of, timelines)}
            for e in mine if e.tripped_on <= as_of
        ],
        "thresholds": _thresholds(state, rulebook, subject_type, subject_id, mine, as_of, matcher),
        "undecided": list(rulebook.undecided),
    }


def _decisions_of(state: State, subject_type: str, subject_id: str) -> list[Decision]:
    def mine(d: Decision) -> bool:
        if subject_type == "vehicle":
            return d.plate == subject_id
        if subject_type == "driver":
            return d.driver_id == subject_id
        if subject_type == "enterprise":
            return state.enterprise_of(d) == subject_id
        return d.source_unit_id == subject_id

    return sorted(
        (d for d in state.decisions.values() if mine(d)),
        key=lambda d: (d.violation_on, d.case_no),
    )


def _decision(d: Decision, state: State, as_of: date) -> dict[str, Any]:
    revocation = state.revocations.get(d.case_no)
    revoked = revocation is not None and revocation.revoked_on <= as_of
    known = d.decided_on <= as_of
    note = sentences.COUNTED
    if not known:
        note = sentences.NOT_YET_KNOWN.format(as_of=as_of, decided_on=d.decided_on)
    elif revoked:
        note = sentences.REVOKED
    duplicates = [
        o.case_no for o in state.decisions.values()
        if o.weighing_key and o.weighing_key == d.weighing_key and o.case_no != d.case_no
    ]
    if duplicates and known and not revoked:
        note = sentences.SAME_WEIGHING.format(cases=", ".join(sorted(duplicates)))
    return {
        "case_no": d.case_no,
        "plate": d.plate,
        "driver_id": d.driver_id,
        "enterprise_id": state.enterprise_of(d),
        "violation_on": d.violation_on.isoformat(),
        "decided_on": d.decided_on.isoformat(),
        "station_id": d.station_id,
        "station_name": station_name(state, d.station_id),
        "weighing": d.weighing_key,
        "authority": d.authority,
        "revoked_on": revocation.revoked_on.isoformat() if revocation and revoked else None,
        "revocation_reason": revocation.reason if revocation and revoked else None,
        "counts": known and not revoked,
        "note": note,
    }


def station_name(state: State, station_id: str | None) -> str | None:
    """The registered station's name (`station_registered`), as the cases and documents show
    it; None for a station the registry does not know (the code is then all there is)."""
    station = state.stations.get(station_id) if station_id else None
    return station.name if station is not None and station.name else None


def _entry(entry: Entry, rulebook: Rulebook, as_of: date) -> dict[str, Any]:
    info = rulebook.rule(entry.rule)
    window = entry.window
    return {
        "entry_id": entry.entry_id,
        "rule": entry.rule,
        "rulebook": f"{entry.rulebook}@{entry.rulebook_version}",
        "summary": info.summary,
        "reading": info.note,
        "legal_basis": info.legal_basis,
        "status": "withdrawn" if entry.withdrawn_on and entry.withdrawn_on <= as_of else "flagged",
        "tripped_on": entry.tripped_on.isoformat(),
        "previous_trip_on": entry.previous_trip_on.isoformat() if entry.previous_trip_on else None,
        "violations": entry.violations,
        "share": f"{entry.share[0]}/{entry.share[1]}" if entry.share else None,
        "evidence": list(entry.evidence),
        "window": None if window is None else {
            "first": window.first.isoformat(), "last": window.last.isoformat(),
            "one_year_end": window.end.isoformat(), "note": window.note,
            "counted_from": counted.isoformat() if (counted := entry.counted_from()) else None,
        },
        "withdrawn_on": entry.withdrawn_on.isoformat()
        if entry.withdrawn_on and entry.withdrawn_on <= as_of else None,
        "withdrawal_reason": entry.withdrawal_reason
        if entry.withdrawn_on and entry.withdrawn_on <= as_of else None,
    }


def _lifecycle(timeline: Timeline | None, as_of: date,
               timelines: Mapping[str, Timeline] | None = None) -> dict[str, Any]:
    """The entry's legal timeline as known on the date (`timelines`: the subject's others, to
    say when a repaired entry's later violations tripped it again on the repair date)."""
    if timeline is None:
        return {}

    def known(day: date | None) -> str | None:
        return day.isoformat() if day is not None and day <= as_of else None

    upcoming = timeline.next_date(as_of)
    announced = timeline.announced if known(timeline.announced_on) else None
    return {
        "status": timeline.status_on(as_of),
        "announced_on": known(timeline.announced_on),
        "notice_no": announced.notice_no if announced else None,
        "announcement_no": announced.announcement_no if announced else None,
        "objection_period_ends": announced.objection_period_ends.isoformat()
        if announced else None,
        "calendar": announced.calendar if announced else None,
        "calendar_note": timeline.calendar_note,
        "listing_no": timeline.listing.listing_no
        if timeline.listing and known(timeline.listed_on) else None,
        "objections": [
            {"objection_id": o.objection_id, "filed_on": o.filed_on.isoformat(), "note": o.note,
             "operator": o.operator, "decided_on": known(o.decided_on),
             "outcome": None if known(o.decided_on) is None
             else ("upheld" if o.upheld else "dismissed"),
             "decision_note": o.decision_note if known(o.decided_on) else None}
            for o in timeline.objections if o.filed_on <= as_of
        ],
        "listed_on": known(timeline.listed_on),
        "rejected_on": known(timeline.rejected_on),
        "expires_on": timeline.expires_on.isoformat()
        if known(timeline.listed_on) and timeline.expires_on else None,
        "repair_from": timeline.repair_from.isoformat()
        if known(timeline.listed_on) and timeline.repair_from else None,
        "repaired_on": known(timeline.repaired_on),
        "tripped_again": again.entry.entry_id
        if known(timeline.repaired_on) and (again := tripped_again(timelines, timeline))
        and again.entry.tripped_on <= as_of else None,
        "next": upcoming[0] if upcoming else None,
        "next_date": upcoming[1].isoformat() if upcoming and upcoming[1] else None,
    }


def _revocations(entry: Entry, state: State, rulebook: Rulebook, as_of: date) -> dict[str, Any]:
    """Which supporting decisions were revoked by the date, and what the entry rests on now."""
    revoked = [
        {"case_no": case, "revoked_on": state.revocations[case].revoked_on.isoformat(),
         "reason": state.revocations[case].reason}
        for case in entry.evidence
        if case in state.revocations and state.revocations[case].revoked_on <= as_of
    ]
    if not revoked:
        return {"revoked_evidence": []}
    change = sentences.WITHDRAWN_EFFECT
    if entry.withdrawn_on is None or entry.withdrawn_on > as_of:
        gone = {r["case_no"] for r in revoked}
        rest = [case for case in entry.evidence if case not in gone]
        change = sentences.STANDS_EFFECT.format(cases=", ".join(rest))
    return {"revoked_evidence": revoked, "revocation_effect": change}


def _thresholds(
    state: State, rulebook: Rulebook, subject_type: str, subject_id: str,
    mine: list[Entry], as_of: date, matcher: Any,
) -> list[dict[str, Any]]:
    """How far the subject is from each threshold today (violations after its last trip)."""
    standing = [e for e in mine if e.in_effect_on(as_of)]
    result = []
    for _pair, probe in probes(state, rulebook, {(subject_type, subject_id)}):
        own = [e for e in standing if e.rule == probe.rule]
        after = own[-1].tripped_on if own else None
        measure = probe.measure(as_of, after, as_of)
        item: dict[str, Any] = {
            "rule": probe.rule,
            "counting_after": after.isoformat() if after else None,
            "met": matcher.matches(measure.fact),
            "fact": measure.fact,
        }
        if own:
            # One entry of a rule at a time: what happened since is shown, not tripped on.
            item["entry_in_effect"] = own[-1].entry_id
            item["note"] = sentences.ENTRY_IN_EFFECT
        if measure.violations is not None:
            needed = (rulebook.vehicle_min_violations if probe.rule == "vehicle-repeat"
                      else rulebook.driver_min_violations)
            item.update(violations=measure.violations, needed=needed,
                        missing=max(0, needed - measure.violations),
                        evidence=list(measure.evidence))
        if measure.share is not None:
            num, den = measure.share
            share = rulebook.fleet_share
            # Smallest number of violating vehicles that meets the share, in exact integers.
            least = den * share.numerator // share.denominator + 1
            if rulebook.fleet_share_inclusive:
                least = -(-den * share.numerator // share.denominator)
            item.update(
                share=f"{num}/{den}",
                percent=f"{(100 * num / den):.2f} %" if den else sentences.FLEET_SIZE_ZERO,
                needed_vehicles=max(least, 1) if den else None,
                comparison=(">=" if rulebook.fleet_share_inclusive else ">") + f" {share}",
                needs_suspension_order=rulebook.fleet_share_needs_suspension,
                violating_vehicles=measure.details.get("violating_vehicles"),
                fleet=measure.details.get("fleet"),
                orders=measure.details.get("orders"),
            )
        if measure.window is not None:
            item["window"] = {"first": measure.window.first.isoformat(),
                              "last": measure.window.last.isoformat(),
                              "one_year_end": measure.window.end.isoformat(),
                              "note": measure.window.note}
        result.append(item)
    return result
