"""Judge each weighing against the rulebook's limits table; an over-limit one is a detection.

The vehicle's configuration comes from the weighing, else the registration in effect on the
weighing date (the latest `registered_on` not after it: a vehicle changes in time), else the feed
defaults. A weighing under a 大件 permit is checked against the permit while it is valid.
Screening works on payload dicts, so a rebuild can re-screen millions of weighings without
re-validating them.
"""

from bisect import bisect_right
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from overload.events import LimitExceeded, OverloadDetected, default_kind
from overload.rulebook.model import Rulebook
from overload.screening.limits import Group, Limit, Vehicle, exceeded, load_limits
from overload.screening.permits import Permit, permit_of, permitted
from overload.store.log import EventLog
from overload.timeutil import legal_date

DIMENSIONS = ("height_mm", "width_mm", "length_mm")
# v1.1 configuration fields a weighing or a registration may carry (absent: the v1 reading)
CONFIGURATION = ("axle_groups", "air_suspension", "combination", "semitrailer_axle_spacing_mm")
_EXTRAS = frozenset((*CONFIGURATION, "permit_no"))  # a weighing with one leaves the quick path
_REGISTRY = (*CONFIGURATION, "category", "licensed_total_kg", "special")


class Attributes(NamedTuple):
    """What a registration says about the vehicle's limit (shared between registrations that
    say the same thing: a million vehicles have a few hundred configurations)."""

    kind: str | None
    single_drive_axle: bool
    extras: tuple[Any, ...] | None  # _REGISTRY values in order; None when all are absent


_DEFAULTS = Attributes(None, False, None)
Entry = tuple[str, Attributes]  # (registered_on, what the registration says)


def _date_of(entry: Entry) -> str:
    return entry[0]


class Screener:
    """Screens weighings for one rulebook; learns registrations and permits as they arrive.

    `touched` collects, per plate, the earliest date from which a registration learned by
    `learn_payload` changed what the screener believed, and `touched_permits` the permits
    learned by `learn_permit`: the weighings a late row may affect (overload/screening/late.py
    re-screens them after the rows are written).
    """

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.limits = load_limits(rulebook.limits_table)
        self.tolerance_kg = rulebook.tolerance_kg
        # plate -> ([registered_on, ...] sorted, [Attributes, ...] in the same order)
        # plate -> its registrations (registered_on, attributes): one entry as a tuple (nearly
        # every vehicle: a million of them must stay small), several as a list by date
        self.vehicles: dict[str, Entry | list[Entry]] = {}
        self._dates: dict[str, str] = {}  # one string per distinct date
        self.permits: dict[str, Permit] = {}
        self.touched: dict[str, str] = {}
        self.touched_permits: set[str] = set()
        self.position = 0  # the last log position read by catch_up
        self._attributes: dict[Attributes, Attributes] = {_DEFAULTS: _DEFAULTS}
        self._mass = {
            (axles, kind, drive): self.limits.mass_limit(axles, kind, drive)[0]
            for axles in range(2, 7) for kind in ("rigid", "combination") for drive in (False, True)
        }
        self._dimensions = [(name, limit) for name, (limit, _) in self.limits.dimensions.items()]

    # ---- learning the registry ----------------------------------------------------------

    def catch_up(self, log: EventLog) -> "Screener":
        """Learn the registrations and permits appended since this screener last read the log
        (a long-running watcher keeps one screener instead of re-reading the registry)."""
        for position, kind, payload in log.payloads(("VehicleRegistered", "PermitIssued"),
                                                    after=self.position):
            if kind == "PermitIssued":
                self._learn_permit(payload)
            else:
                self._learn(payload)
            self.position = position
        return self

    def learn_payload(self, payload: Mapping[str, Any]) -> None:
        """Learn a vehicle_registered row of this ingest; remember the plate when it changes
        the limit of weighings from its date on (they may already be in the log)."""
        if self._learn(payload):
            self._touch(payload["plate"], str(payload["registered_on"]))

    def learn_permit(self, payload: Mapping[str, Any]) -> None:
        """Learn a permit_issued row of this ingest (weighings naming it may be waiting)."""
        if self._learn_permit(payload):
            self.touched_permits.add(payload["permit_no"])

    def learn(self, event_type: str, payload: Mapping[str, Any]) -> None:
        """Learn a registry row of this ingest by its event type (others are ignored)."""
        if event_type == "VehicleRegistered":
            self.learn_payload(payload)
        elif event_type == "PermitIssued":
            self.learn_permit(payload)

    def _touch(self, plate: str, since: str) -> None:
        known = self.touched.get(plate)
        if known is None or since < known:
            self.touched[plate] = since

    def _learn(self, payload: Mapping[str, Any]) -> bool:
        """Insert a registration in the plate's history; True when it changes what applies on
        some date. The first registration of a date wins (the log quarantines a conflict)."""
        plate = payload["plate"]
        since = str(payload["registered_on"])
        since = self._dates.setdefault(since, since)
        extras = tuple(_frozen(payload.get(name)) for name in _REGISTRY)
        found = Attributes(payload.get("kind") or None, bool(payload.get("single_drive_axle")),
                           extras if any(e is not None for e in extras) else None)
        attributes = self._attributes.setdefault(found, found)
        history = self.vehicles.get(plate)
        if history is None:
            self.vehicles[plate] = (since, attributes)
            return attributes != _DEFAULTS
        entries = [history] if isinstance(history, tuple) else history
        index = bisect_right(entries, since, key=_date_of)
        if index and entries[index - 1][0] == since:
            return False
        before = entries[index - 1][1] if index else _DEFAULTS
        entries.insert(index, (since, attributes))
        self.vehicles[plate] = entries
        return attributes != before

    def _learn_permit(self, payload: Mapping[str, Any]) -> bool:
        if payload["permit_no"] in self.permits:
            return False  # the first of a permit number wins (the log quarantines a conflict)
        self.permits[payload["permit_no"]] = permit_of(payload)
        return True

    def _attributes_on(self, plate: str, day: str) -> Attributes:
        """What the registration in effect on `day` says (ISO text: a date or a local instant,
        which sorts after its own date and before the next)."""
        history = self.vehicles.get(plate)
        if history is None:
            return _DEFAULTS
        if isinstance(history, tuple):
            return history[1] if history[0] <= day else _DEFAULTS
        index = bisect_right(history, day, key=_date_of)
        return history[index - 1][1] if index else _DEFAULTS

    def registration(self, plate: str, day: str) -> tuple[str | None, Attributes]:
        """The attributes of the registration in effect on `day` (ISO date), and the key of the
        registration that set them: the first of the run of registrations that say the same
        (a fleet move re-registers a vehicle without changing it; None: only defaults)."""
        history = self.vehicles.get(plate)
        if history is None:
            return None, _DEFAULTS
        entries = [history] if isinstance(history, tuple) else history
        index = bisect_right(entries, day, key=_date_of) - 1
        if index < 0 or entries[index][1] == _DEFAULTS:
            return None, _DEFAULTS
        attributes = entries[index][1]
        while index and entries[index - 1][1] == attributes:
            index -= 1
        return f"vehicle:{plate}:{entries[index][0]}", attributes

    # ---- screening ----------------------------------------------------------------------

    def is_over(self, weighing: Mapping[str, Any]) -> bool:
        """The quick answer, without building anything (most weighings are compliant; this
        runs for every weighing, hence the inlined lookups)."""
        text: str = weighing["weighed_at"]
        # ISO text compares as dates do; a stored instant is local (+08:00): no slicing.
        attributes = self._attributes_on(
            weighing["plate"], text if text[19:] == "+08:00" else weighing_day(weighing))
        if attributes.extras is None and _EXTRAS.isdisjoint(weighing):
            axles, kind, drive = self._plain(weighing, attributes)
            if int(weighing["gross_kg"]) > self._mass[(min(axles, 6), kind, drive)] + self.tolerance_kg:
                return True
            for name, limit in self._dimensions:  # a loop, not any()
                if (weighing.get(name) or 0) > limit:
                    return True
            return False
        found = self._limit(weighing, weighing_day(weighing), attributes)[0]
        return bool(exceeded(found, int(weighing["gross_kg"]),
                             {n: weighing.get(n) for n in DIMENSIONS}, self.tolerance_kg))

    def _plain(self, weighing: Mapping[str, Any], registered: Attributes) -> tuple[int, str, bool]:
        axles = int(weighing["axles"])
        kind = weighing.get("kind") or registered.kind or default_kind(axles)
        drive = weighing.get("single_drive_axle")
        if drive is None:
            drive = registered.single_drive_axle
        return axles, kind, bool(drive)

    def vehicle(self, weighing: Mapping[str, Any], registered: Attributes) -> Vehicle:
        """The vehicle as its limit sees it: the weighing's fields, else the registration's."""
        axles, kind, drive = self._plain(weighing, registered)
        extras = dict(zip(_REGISTRY, registered.extras or (None,) * len(_REGISTRY), strict=True))
        for name in CONFIGURATION:
            if weighing.get(name) is not None:
                extras[name] = _frozen(weighing[name])
        return Vehicle(
            axles=axles, kind=kind, single_drive_axle=drive,
            kind_assumed=not (weighing.get("kind") or registered.kind),
            drive_assumed=weighing.get("single_drive_axle") is None
            and not registered.single_drive_axle,
            axle_groups=extras["axle_groups"], air_suspension=extras["air_suspension"],
            combination=extras["combination"],
            semitrailer_axle_spacing_mm=extras["semitrailer_axle_spacing_mm"],
            category=extras["category"], licensed_total_kg=extras["licensed_total_kg"],
            special=extras["special"],
        )

    def _limit(self, weighing: Mapping[str, Any], day: str,
               registered: Attributes) -> tuple[Limit, Vehicle, str | None]:
        """The limit to check against, the vehicle, and how a permit was used (if any)."""
        vehicle = self.vehicle(weighing, registered)
        limit = self.limits.limit(vehicle)
        number = weighing.get("permit_no")
        if number is None:
            return limit, vehicle, None
        checked, status = permitted(self.permits.get(number), number, weighing["plate"], day,
                                    limit, self.limits)
        return checked, vehicle, status

    def screen(self, weighing: Mapping[str, Any]) -> OverloadDetected | None:
        """The detection for an over-limit weighing payload, or None when it is compliant."""
        if not self.is_over(weighing):
            return None
        day = weighing_day(weighing)
        registration, attributes = self.registration(weighing["plate"], day)
        limit, vehicle, permit = self._limit(weighing, day, attributes)
        found = exceeded(limit, int(weighing["gross_kg"]),
                         {name: weighing.get(name) for name in DIMENSIONS},
                         self.rulebook.tolerance_kg)
        if not found:
            return None
        scale = weighing.get("scale") or "static"
        return OverloadDetected(
            station_id=weighing["station_id"],
            record_id=weighing["record_id"],
            plate=weighing["plate"],
            weighed_at=weighing["weighed_at"],
            scale=scale,
            evidence_grade="evidence" if scale == "static" else "screening",
            axles=vehicle.axles,
            kind=vehicle.kind,
            single_drive_axle=vehicle.single_drive_axle,
            exceeded=tuple(
                LimitExceeded(what=e.what, limit=e.limit, measured=e.measured, excess=e.excess,
                              excess_pct=e.excess_pct, text=e.text)
                for e in found
            ),
            tolerance_kg=self.rulebook.tolerance_kg,
            limits_table=self.limits.id,
            rulebook=self.rulebook.id,
            rulebook_version=self.rulebook.version,
            driver_id=weighing.get("driver_id"),
            enterprise_id=weighing.get("enterprise_id"),
            source_unit_id=weighing.get("source_unit_id"),
            limit_rules=limit.rules,
            defaults_assumed=limit.defaults,
            registration=registration,
            permit_no=weighing.get("permit_no"),
            permit=permit,
        )


def _frozen(value: Any) -> Any:
    """A payload value in hashable form (axle groups become tuples of Group)."""
    if isinstance(value, list | tuple):
        return tuple(_group(g) for g in value)
    return value


def _group(group: Any) -> Group:
    if isinstance(group, tuple):
        return group
    if not isinstance(group, Mapping):
        group = group.model_dump()
    return (str(group["group"]), str(group.get("tyres") or "dual"), bool(group.get("wide_base")),
            bool(group.get("drive")), bool(group.get("trailer")))


def weighing_day(weighing: Mapping[str, Any]) -> str:
    """The weighing's legal date as ISO text (stored instants carry +08:00: a slice)."""
    text: str = weighing["weighed_at"]
    if text[19:] == "+08:00":
        return text[:10]
    return legal_date(datetime.fromisoformat(text)).isoformat()


def screener_for(log: EventLog, rulebook: Rulebook) -> Screener:
    """A screener that knows every vehicle registration and permit already in the log."""
    return Screener(rulebook).catch_up(log)
