"""Judge each weighing against the rulebook's limits table; an over-limit one is a detection.

The vehicle's kind and drive axle come from the weighing, else its registration, else the feed
defaults. Screening works on payload dicts, so a rebuild can re-screen millions of weighings
without re-validating them.
"""

from collections.abc import Mapping
from typing import Any

from overload.events import LimitExceeded, OverloadDetected, default_kind
from overload.rulebook.model import Rulebook
from overload.screening.limits import load_limits
from overload.store.log import EventLog

DIMENSIONS = ("height_mm", "width_mm", "length_mm")


class Screener:
    """Screens weighings for one rulebook; learns vehicle registrations as they arrive."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.limits = load_limits(rulebook.limits_table)
        self.tolerance_kg = rulebook.tolerance_kg
        # plate -> (registered_on, kind, single_drive_axle) of its latest registration
        self.vehicles: dict[str, tuple[str, str, bool]] = {}
        self.position = 0  # the last log position read by catch_up
        self._mass = {
            (axles, kind, drive): self.limits.mass_limit(axles, kind, drive)[0]
            for axles in range(2, 7) for kind in ("rigid", "combination") for drive in (False, True)
        }
        self._dimensions = [(name, limit) for name, (limit, _) in self.limits.dimensions.items()]

    def catch_up(self, log: EventLog) -> "Screener":
        """Learn the vehicle registrations appended since this screener last read the log (a
        long-running watcher keeps one screener instead of re-reading every registration)."""
        for position, _, payload in log.payloads(("VehicleRegistered",), after=self.position):
            self.learn_payload(payload)
            self.position = position
        return self

    def learn_payload(self, payload: Mapping[str, Any]) -> None:
        """Remember a vehicle_registered payload (the latest registration date wins). One that
        states neither a kind nor a single drive axle is not kept: the feed defaults apply."""
        plate = payload["plate"]
        since = str(payload["registered_on"])
        known = self.vehicles.get(plate)
        if known is None and not payload.get("kind") and not payload.get("single_drive_axle"):
            return
        if known is None or known[0] <= since:
            axles = int(payload["axles"])
            kind = payload.get("kind") or default_kind(axles)
            self.vehicles[plate] = (since, kind, bool(payload.get("single_drive_axle", False)))

    def is_over(self, weighing: Mapping[str, Any]) -> bool:
        """The quick answer, without building anything (most weighings are compliant)."""
        axles, kind, drive = self._vehicle(weighing)
        if int(weighing["gross_kg"]) > self._mass[(min(axles, 6), kind, drive)] + self.tolerance_kg:
            return True
        for name, limit in self._dimensions:  # a loop, not any(): this runs for every weighing
            if (weighing.get(name) or 0) > limit:
                return True
        return False

    def _vehicle(self, weighing: Mapping[str, Any]) -> tuple[int, str, bool]:
        """Axles, kind and drive axle: from the weighing, else the registration, else defaults."""
        axles = int(weighing["axles"])
        registered = self.vehicles.get(weighing["plate"])
        kind = weighing.get("kind") or (registered[1] if registered else None) or default_kind(axles)
        drive = weighing.get("single_drive_axle")
        if drive is None:
            drive = registered[2] if registered else False
        return axles, kind, bool(drive)

    def screen(self, weighing: Mapping[str, Any]) -> OverloadDetected | None:
        """The detection for an over-limit weighing payload, or None when it is compliant."""
        if not self.is_over(weighing):
            return None
        axles, kind, drive = self._vehicle(weighing)
        exceeded = self.limits.check(
            axles, kind, bool(drive), int(weighing["gross_kg"]),
            {name: weighing.get(name) for name in DIMENSIONS}, self.rulebook.tolerance_kg,
        )
        if not exceeded:
            return None
        scale = weighing.get("scale") or "static"
        return OverloadDetected(
            station_id=weighing["station_id"],
            record_id=weighing["record_id"],
            plate=weighing["plate"],
            weighed_at=weighing["weighed_at"],
            scale=scale,
            evidence_grade="evidence" if scale == "static" else "screening",
            axles=axles,
            kind=kind,
            single_drive_axle=bool(drive),
            exceeded=tuple(
                LimitExceeded(what=e.what, limit=e.limit, measured=e.measured, excess=e.excess,
                              excess_pct=e.excess_pct, text=e.text)
                for e in exceeded
            ),
            tolerance_kg=self.rulebook.tolerance_kg,
            limits_table=self.limits.id,
            rulebook=self.rulebook.id,
            rulebook_version=self.rulebook.version,
            driver_id=weighing.get("driver_id"),
            enterprise_id=weighing.get("enterprise_id"),
            source_unit_id=weighing.get("source_unit_id"),
        )


def screener_for(log: EventLog, rulebook: Rulebook) -> Screener:
    """A screener that knows every vehicle registration already in the log."""
    return Screener(rulebook).catch_up(log)
