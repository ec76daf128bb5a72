"""一超四罚: for each static detection, which of its four parties has a penalty decision.

One overload is attributed to the vehicle, the driver, the transport enterprise (from the weighing,
else the fleet on that date) and the loading source unit. A decision resting on the weighing
(`station_id` + `record_id`) closes each party it names; a revoked decision closes nothing.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from overload.events import OverloadDetected
from overload.projections.state import Decision, State
from overload.timeutil import legal_date

PARTIES = ("vehicle", "driver", "enterprise", "source_unit")
CASE_COLUMNS = (
    "station_id", "record_id", "weighed_on", "plate", "excess", "vehicle", "driver", "enterprise",
    "source_unit", "driver_id", "enterprise_id", "source_unit_id", "cases", "open_parties",
    "fully_penalised", "age_days",
)


def case_rows(
    detections: Iterable[OverloadDetected], state: State, today: date
) -> list[dict[str, Any]]:
    """One row per static detection (wim readings are screening only and open no case)."""
    by_weighing: dict[str, list[Decision]] = defaultdict(list)
    for decision in state.decisions.values():
        revocation = state.revocations.get(decision.case_no)
        if decision.weighing_key and (revocation is None or revocation.revoked_on > today):
            by_weighing[decision.weighing_key].append(decision)
    rows = []
    for detection in detections:
        if detection.evidence_grade != "evidence":
            continue
        day = legal_date(detection.weighed_at)
        decisions = by_weighing.get(detection.weighing_key, [])
        parties = _parties(detection, state, day, decisions)
        statuses = {name: status for name, (status, _) in parties.items()}
        open_count = sum(1 for s in statuses.values() if s == "open")
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
            "open_parties": open_count,
            # 落实: every known party penalised (an unknown party cannot be pursued yet).
            "fully_penalised": open_count == 0,
            "age_days": (today - day).days,
        })
    return sorted(rows, key=lambda r: (r["weighed_on"], r["station_id"], r["record_id"]))


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
    enterprise = detection.enterprise_id or state.fleet_on(detection.plate, day)
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


def station_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per station: detections, fully penalised, open, and the share 落实."""
    stations: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts = stations[row["station_id"]]
        counts["detections"] += 1
        counts["fully_penalised"] += int(row["fully_penalised"])
        counts["open"] += int(row["open_parties"] > 0)
    summary = []
    for station, counts in sorted(stations.items()):
        done, total = counts["fully_penalised"], counts["detections"]
        summary.append({
            "station_id": station,
            "detections": total,
            "fully_penalised": done,
            "open": counts["open"],
            "share_implemented": f"{done}/{total} ({100 * done / total:.1f} %)",
        })
    return summary
