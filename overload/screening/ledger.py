"""The detections of one rulebook version, per weighing: which one is in effect.

Detections are events and are never rewritten. When a weighing's verdict, or the way its limit
was made (rules, defaults, registration, permit), changes, the detection in effect is ended by a
`DetectionWithdrawn` naming the row that changed it and, if the weighing is still over, a new
detection takes its place (the same key with `#2`, `#3`, ...). A withdrawal, rather than
detections keyed by the registration that made their limit: a weighing that a late row makes
compliant has no new detection to supersede the old one, and the worklist must be able to say
why a case disappeared. A detection made before feed v1.1 (without the explanation) is
superseded only when its verdict changes, so upgrading does not churn old logs.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from overload.events import DetectionWithdrawn, OverloadDetected
from overload.rulebook.model import Rulebook
from overload.store.log import EventLog, canonical_json

TYPES = ("OverloadDetected", "DetectionWithdrawn")
_EXPLANATION = ("limit_rules", "defaults_assumed", "registration", "permit")
_CHUNK = 500  # subjects per query (EventLog.payloads' limit)


class Held(NamedTuple):
    """A detection in effect, kept small (a province's log holds hundreds of thousands)."""

    key: str
    station_id: str
    record_id: str
    plate: str
    weighed_at: str
    verdict: tuple[object, ...]
    explanation: str | None  # how the limit was made; None: made before feed v1.1
    parties: tuple[str | None, str | None, str | None]  # driver, enterprise, source unit


def fingerprint(payload: Mapping[str, Any]) -> tuple[tuple[object, ...], str | None]:
    """What a re-screen compares, from a stored detection's payload: the verdict, and how the
    limit was made (None for a detection made before v1.1, which has no explanation)."""
    permit = payload.get("permit_no") if payload.get("permit") == "applied" else None
    verdict = (payload["evidence_grade"], payload["kind"], payload["axles"],
               payload["single_drive_axle"], payload["tolerance_kg"], permit,
               tuple((e["what"], e["limit"], e["measured"]) for e in payload["exceeded"]))
    if "limit_rules" not in payload:
        return verdict, None
    return verdict, canonical_json({k: payload.get(k) for k in _EXPLANATION})


def _detection_key(payload: Mapping[str, Any]) -> str:
    base = (f"detection:{payload['rulebook']}@{payload['rulebook_version']}:"
            f"{payload['station_id']}:{payload['record_id']}")
    return f"{base}#{payload['revision']}" if payload.get("revision") else base


@dataclass
class Ledger:
    """The detections of one rulebook version, per weighing: which is in effect, how many made."""

    rulebook: Rulebook
    current: dict[str, Held] = field(default_factory=dict)
    made: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    plates: set[str] = field(default_factory=set)  # plates read by `include`

    @classmethod
    def load(cls, log: EventLog, rulebook: Rulebook) -> "Ledger":
        """Every detection of the rulebook version in the log."""
        ledger = cls(rulebook)
        ledger._read(log.payloads(TYPES))
        return ledger

    def _read(self, events: Iterable[tuple[int, str, dict[str, Any]]]) -> None:
        """Detection events in log order (a withdrawal always follows its detection)."""
        for _, kind, payload in events:
            if (payload["rulebook"], payload["rulebook_version"]) != (
                    self.rulebook.id, self.rulebook.version):
                continue
            weighing = f"weighing:{payload['station_id']}:{payload['record_id']}"
            if kind == "DetectionWithdrawn":
                held = self.current.get(weighing)
                if held is not None and held.key == payload["detection_key"]:
                    del self.current[weighing]
                continue
            self.made[weighing] += 1
            self.current[weighing] = _hold(payload)

    def include(self, log: EventLog, plates: set[str]) -> None:
        """Read the detections of plates not read yet (through the subject index)."""
        wanted = sorted(plates - self.plates)
        self.plates.update(wanted)
        events: list[tuple[int, str, dict[str, Any]]] = []
        for start in range(0, len(wanted), _CHUNK):
            events.extend(log.payloads(TYPES, any_of=wanted[start : start + _CHUNK]))
        events.sort(key=lambda e: e[0])
        self._read(events)

    def changes(self, weighing: Mapping[str, Any], now: OverloadDetected | None,
                because_of: str | None = None) -> list[OverloadDetected | DetectionWithdrawn]:
        """The events that bring this weighing's detection in line with `now` (none when it
        still holds, made the same way), applied to the ledger as well."""
        key = f"weighing:{weighing['station_id']}:{weighing['record_id']}"
        before = self.current.get(key)
        if now is None and before is None:
            return []
        payload = now.model_dump(mode="json", exclude_none=True) if now is not None else None
        if payload is not None and before is not None:
            verdict, explanation = fingerprint(payload)
            if verdict == before.verdict and before.explanation in (None, explanation):
                return []  # still holds, made the same way (a v1 detection: the same verdict)
        out: list[OverloadDetected | DetectionWithdrawn] = []
        if before is not None:
            out.append(DetectionWithdrawn(
                detection_key=before.key, station_id=before.station_id,
                record_id=before.record_id, plate=before.plate, weighed_at=before.weighed_at,
                rulebook=self.rulebook.id, rulebook_version=self.rulebook.version,
                reason=("superseded: a registry row that arrived later changed how the limit is made"
                        if now is not None else
                        "no longer over the limit with a registry row that arrived later"),
                because_of=because_of, driver_id=before.parties[0],
                enterprise_id=before.parties[1], source_unit_id=before.parties[2],
            ))
            del self.current[key]
        if now is not None and payload is not None:
            made = self.made[key]
            if made:
                now = now.model_copy(update={"revision": str(made + 1)})
                payload["revision"] = now.revision
            self.made[key] = made + 1
            self.current[key] = _hold(payload)
            out.append(now)
        return out


def _hold(payload: Mapping[str, Any]) -> Held:
    verdict, explanation = fingerprint(payload)
    return Held(_detection_key(payload), payload["station_id"], payload["record_id"],
                payload["plate"], payload["weighed_at"], verdict, explanation,
                (payload.get("driver_id"), payload.get("enterprise_id"),
                 payload.get("source_unit_id")))


def in_effect(log: EventLog, rulebook: Rulebook, subject: str | None = None) -> list[OverloadDetected]:
    """The detections of this rulebook version that no DetectionWithdrawn has ended, in log
    order (for `cases`, `explain` and the worklist)."""
    found: dict[str, dict[str, Any]] = {}
    for _, kind, payload in log.payloads(TYPES, subject=subject):
        if (payload["rulebook"], payload["rulebook_version"]) != (rulebook.id, rulebook.version):
            continue
        if kind == "DetectionWithdrawn":
            found.pop(payload["detection_key"], None)
        else:
            found[_detection_key(payload)] = payload
    return [OverloadDetected.model_validate(p) for p in found.values()]
