"""一超四罚: for each static detection, which of its four parties has a penalty decision.

One overload is attributed to the vehicle, the driver, the transport enterprise and the loading
source unit (domain.md §5). The enterprise is the one the decision names, else the one the
station recorded, else the vehicle's fleet on the weighing date: a 挂靠 vehicle's decision names
its real operator, not the fleet it is registered in. A decision resting on the weighing
(`station_id` + `record_id`) closes each party it names; a revoked decision closes nothing.

Every overload has a driver and a loading source: a party nobody has identified (`unknown`) is
open work, counted as open everywhere, so a station cannot reach 100 % 落实 by fining vehicles
only. `n/a` is kept for the enterprise of an individually owned vehicle.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from overload import sentences
from overload.events import OverloadDetected
from overload.projections.state import Decision, State, Station
from overload.timeutil import legal_date

PARTIES = ("vehicle", "driver", "enterprise", "source_unit")
CASE_COLUMNS = (
    "station_id", "record_id", "weighed_on", "plate", "excess", "vehicle", "driver", "enterprise",
    "source_unit", "driver_id", "enterprise_id", "source_unit_id", "cases", "open_parties",
    "fully_penalised", "age_days", "limit_kg", "station_name", "station_place", "missing", "flags",
)
_MISSING = {
    "vehicle": sentences.MISSING_VEHICLE,
    "driver": sentences.MISSING_DRIVER,
    "enterprise": sentences.MISSING_ENTERPRISE,
    "source_unit": sentences.MISSING_SOURCE_UNIT,
}


def case_rows(
    detections: Iterable[OverloadDetected], state: State, today: date
) -> list[dict[str, Any]]:
    """One row per static detection that is evidence (wim readings, and static readings on a
    scale whose certificate was not valid that day, are screening only and open no case)."""
    by_weighing = _decisions_by_weighing(state, today)
    rows = []
    for detection in detections:
        day = legal_date(detection.weighed_at)
        if detection.evidence_grade != "evidence" or screening_reason(detection, state, day):
            continue
        decisions = by_weighing.get(detection.weighing_key, [])
        parties = _parties(detection, state, day, decisions)
        statuses = {name: status for name, (status, _) in parties.items()}
        unresolved = [p for p in PARTIES if statuses[p] in ("open", "unknown")]
        mass = next((e for e in detection.exceeded if e.what == "gross_kg"), detection.exceeded[0])
        rows.append({
            "station_id": detection.station_id,
            "record_id": detection.record_id,
            "weighed_on": day.isoformat(),
            "plate": detection.plate,
            "excess": f"{mass.what} +{mass.excess} ({mass.excess_pct} %)",
            **statuses,
            "driver_id": parties["driver"][1],
            "enterprise_id": parties["enterprise"][1],
            "source_unit_id": parties["source_unit"][1],
            "cases": sorted(d.case_no for d in decisions),
            # 落实 needs every party pursued: an unknown party is open work, not done.
            "open_parties": len(unresolved),
            "fully_penalised": not unresolved,
            "missing": [_missing(p, statuses[p]) for p in unresolved],
            "age_days": (today - day).days,
            **limit_fields(detection),
            **station_fields(detection.station_id, state),
            "parties": {p: {"status": s, "id": i} for p, (s, i) in parties.items()},
        })
        if not rows[-1]["station_known"]:
            rows[-1]["flags"] = [*rows[-1]["flags"], "unknown-station"]
    return sorted(rows, key=lambda r: (r["weighed_on"], r["station_id"], r["record_id"]))


def screening_only(detections: Iterable[OverloadDetected], state: State) -> list[dict[str, Any]]:
    """Static detections that open no case because the scale's certificate was not valid on
    the weighing date, each with why (wim readings are screening by their scale and not listed)."""
    rows = []
    for detection in detections:
        day = legal_date(detection.weighed_at)
        reason = screening_reason(detection, state, day)
        if detection.evidence_grade == "evidence" and reason:
            rows.append({"station_id": detection.station_id, "record_id": detection.record_id,
                         "weighed_on": day.isoformat(), "plate": detection.plate,
                         "evidence_grade": "screening", "reason": reason,
                         **station_fields(detection.station_id, state)})
    return sorted(rows, key=lambda r: (r["weighed_on"], r["station_id"], r["record_id"]))


def screening_reason(detection: OverloadDetected, state: State, day: date) -> str | None:
    """Why a static reading is screening only: its scale had certificates on record, none valid
    on the weighing date. A station without certificate dates on record is not judged here."""
    station = state.stations.get(detection.station_id)
    if station is None or not station.certificates or station.certificate_on(day):
        return None
    known = "; ".join(
        sentences.CERTIFICATE.format(number=c.number or sentences.NO_NUMBER,
                                     start=c.valid_from or "…", end=c.valid_to or "…")
        for c in station.certificates)
    return sentences.SCREENING_ONLY.format(day=day.isoformat(), known=known)


def limit_fields(detection: OverloadDetected) -> dict[str, Any]:
    """The limit of a case and how it was made (rules in order, with sources), the defaults."""
    mass = next((e for e in detection.exceeded if e.what == "gross_kg"), None)
    rules = detection.limit_rules
    limit_kg = mass.limit if mass else (rules[-1].limit_kg if rules else None)
    return {
        "limit_kg": limit_kg,
        "limits": [{"what": e.what, "limit": e.limit, "measured": e.measured, "text": e.text}
                   for e in detection.exceeded],
        "limit_rules": None if rules is None else [r.model_dump(exclude_none=True) for r in rules],
        "defaults_assumed": None if detection.defaults_assumed is None
        else list(detection.defaults_assumed),
        "registration": detection.registration,
        "permit_no": detection.permit_no,
        "permit": detection.permit,
        "flags": [f"permit-{detection.permit}"] if detection.permit not in (None, "applied") else [],
    }


def station_fields(station_id: str, state: State) -> dict[str, Any]:
    """The station's name and place; a station the registry has not described is flagged."""
    station: Station | None = state.stations.get(station_id)
    if station is None:
        return {"station_name": None, "station_place": None, "station_known": False}
    return {"station_name": station.name, "station_place": station.place or None,
            "station_known": True}


def _decisions_by_weighing(state: State, today: date) -> dict[str, list[Decision]]:
    by_weighing: dict[str, list[Decision]] = defaultdict(list)
    for decision in state.decisions.values():
        revocation = state.revocations.get(decision.case_no)
        if decision.weighing_key and (revocation is None or revocation.revoked_on > today):
            by_weighing[decision.weighing_key].append(decision)
    return by_weighing


def _parties(
    detection: OverloadDetected, state: State, day: date, decisions: list[Decision]
) -> dict[str, tuple[str, str | None]]:
    """(status, identifier) of each party: penalised, open, unknown, or n/a."""
    named = {
        "vehicle": {d.plate for d in decisions},
        "driver": {d.driver_id for d in decisions if d.driver_id},
        "enterprise": {d.enterprise_id for d in decisions if d.enterprise_id},
        "source_unit": {d.source_unit_id for d in decisions if d.source_unit_id},
    }
    # domain.md §5: the enterprise on the decision, else (the station's record, else) the fleet.
    enterprise = (min(named["enterprise"]) if named["enterprise"] else None) \
        or detection.enterprise_id or state.fleet_on(detection.plate, day)
    individually_owned = enterprise is None and any(
        m.holds_on(day) and m.enterprise_id is None for m in state.memberships(detection.plate)
    )
    known: dict[str, str | None] = {
        "vehicle": detection.plate,
        "driver": detection.driver_id,
        "enterprise": enterprise,
        "source_unit": detection.source_unit_id,
    }
    result: dict[str, tuple[str, str | None]] = {}
    for party in PARTIES:
        identifier = known[party]
        if identifier is None and len(named[party]) == 1:
            identifier = next(iter(named[party]))  # the decision names a party the scale did not
        if identifier is None:
            status = "n/a" if party == "enterprise" and individually_owned else "unknown"
        else:
            status = "penalised" if identifier in named[party] else "open"
        result[party] = (status, identifier)
    return result


def _missing(party: str, status: str) -> str:
    if status == "unknown":
        return _MISSING[party]
    return sentences.PARTY_OPEN.format(party=party)


def station_summary(rows: list[dict[str, Any]], state: State | None = None,
                    screening: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Per station: detections, fully penalised, open (unknown parties count as open), the
    share 落实, and static readings left as screening (an invalid scale certificate)."""
    stations: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts = stations[row["station_id"]]
        counts["detections"] += 1
        counts["fully_penalised"] += int(row["fully_penalised"])
        counts["open"] += int(row["open_parties"] > 0)
    for row in screening:
        stations[row["station_id"]]["screening_only"] += 1
    summary = []
    for station, counts in sorted(stations.items()):
        done, total = counts["fully_penalised"], counts["detections"]
        share = f"{done}/{total} ({100 * done / total:.1f} %)" if total else "0/0"
        summary.append({
            "station_id": station,
            **(station_fields(station, state) if state is not None else {}),
            "detections": total,
            "fully_penalised": done,
            "open": counts["open"],
            "share_implemented": share,
            "screening_only": counts["screening_only"],
        })
    return summary
