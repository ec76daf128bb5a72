"""The over-limit standard as data (rules/order62_limits.json), and the check of one weighing.

Strictly greater than a limit is over; equal is not. The rulebook's tolerance (kg, default 0) is
added to the gross-mass limit and shown on every detection. How Art. 3 ¶2 turns a vehicle's
configuration into its limit is overload/screening/order62.py.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from overload.errors import RulebookError
from overload.events import LimitRule

# (group, tyres, wide_base, drive, trailer) of one axle group: hashable, one per configuration
Group = tuple[str, str, bool, bool, bool]


@dataclass(frozen=True, slots=True)
class Exceeded:
    """One limit a weighing exceeds."""

    what: str  # "gross_kg", "height_mm", "width_mm" or "length_mm"
    limit: int
    measured: int
    text: str

    @property
    def excess(self) -> int:
        return self.measured - self.limit

    @property
    def excess_pct(self) -> str:
        """Excess over the limit in percent, two decimals, computed in integers (no float drift)."""
        hundredths = (self.excess * 10_000 + self.limit // 2) // self.limit
        return f"{hundredths // 100}.{hundredths % 100:02d}"


@dataclass(frozen=True, slots=True)
class Vehicle:
    """Everything a limit depends on (hashable: a limit is computed once per configuration).
    None is an absent field; `kind_assumed` and `drive_assumed` say the v1 defaults were used."""

    axles: int
    kind: str
    single_drive_axle: bool
    kind_assumed: bool = False
    drive_assumed: bool = False
    axle_groups: tuple[Group, ...] | None = None
    air_suspension: bool | None = None
    combination: str | None = None
    semitrailer_axle_spacing_mm: int | None = None
    category: str | None = None
    licensed_total_kg: int | None = None
    special: str | None = None

    @property
    def plain(self) -> bool:
        """Nothing beyond the v1 fields: the limit is the table row alone."""
        return (self.axle_groups is None and self.air_suspension is None
                and self.combination is None and self.category is None
                and self.licensed_total_kg is None and self.special is None)


@dataclass(frozen=True, slots=True)
class Limit:
    """A vehicle's limits and how they were made."""

    mass_kg: int
    mass_text: str
    rules: tuple[LimitRule, ...]
    dimensions: tuple[tuple[str, int, str], ...]
    defaults: tuple[str, ...]


@dataclass(frozen=True)
class LimitsTable:
    id: str
    source: str
    dimensions: dict[str, tuple[int, str]]
    mass: list[dict[str, Any]]
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    special_dimensions: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)
    _limits: dict[Vehicle, Limit] = field(default_factory=dict, compare=False, repr=False)

    def _row(self, axles: int, kind: str, single_drive_axle: bool,
             combination: str | None = None) -> dict[str, Any]:
        wanted = min(axles, 6)
        for row in self.mass:
            if row["axles"] != wanted or row["kind"] not in ("any", kind):
                continue
            if "single_drive_axle" in row and row["single_drive_axle"] != single_drive_axle:
                continue
            if "combination" in row and row["combination"] != combination:
                continue
            return row
        raise RulebookError(f"limits table {self.id} has no row for {axles} axles, {kind}")

    def mass_limit(self, axles: int, kind: str, single_drive_axle: bool) -> tuple[int, str]:
        """The gross-mass limit for a vehicle: by axles, kind and (6+ axles) the drive axle."""
        row = self._row(axles, kind, single_drive_axle)
        return int(row["limit"]), str(row["text"])

    def limit(self, vehicle: Vehicle) -> Limit:
        """The vehicle's limits with the rules that made them (memoised per configuration)."""
        found = self._limits.get(vehicle)
        if found is None:
            from overload.screening.order62 import make_limit  # the rules use this table

            found = self._limits[vehicle] = make_limit(self, vehicle)
        return found

    def check(
        self,
        axles: int,
        kind: str,
        single_drive_axle: bool,
        gross_kg: int,
        dimensions_mm: dict[str, int | None],
        tolerance_kg: int = 0,
    ) -> list[Exceeded]:
        """Every limit the measurement is strictly over (empty: compliant); the v1 reading."""
        return exceeded(self.limit(Vehicle(axles, kind, single_drive_axle)), gross_kg,
                        dimensions_mm, tolerance_kg)

    def rule(self, name: str, limit_kg: int, text: str | None = None) -> LimitRule:
        spec = self.rules[name]
        return LimitRule(rule=name, limit_kg=limit_kg, text=text or str(spec["text"]),
                         source=str(spec["source"]), source_uncertain=spec.get("source_uncertain"))


def exceeded(limit: Limit, gross_kg: int, dimensions_mm: dict[str, int | None],
             tolerance_kg: int = 0) -> list[Exceeded]:
    """Every limit the measurement is strictly over (empty: compliant)."""
    found = []
    if gross_kg > limit.mass_kg + tolerance_kg:
        found.append(Exceeded("gross_kg", limit.mass_kg, gross_kg, limit.mass_text))
    for name, dim_limit, dim_text in limit.dimensions:
        measured = dimensions_mm.get(name)
        if measured is not None and measured > dim_limit:
            found.append(Exceeded(name, dim_limit, measured, dim_text))
    return found


@cache
def load_limits(name: str) -> LimitsTable:
    """A limits table shipped in `rules/` (a data file, so a new standard needs no release)."""
    try:
        data = json.loads(resources.files("rules").joinpath(name).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as error:
        raise RulebookError(f"limits table {name}: {error}") from None
    special = {
        kind: {k: (int(v["limit"]), str(v["text"])) for k, v in dims.items()}
        for kind, dims in data.get("special_dimensions_mm", {}).items()
    }
    return LimitsTable(
        id=data["id"],
        source=data["source"],
        dimensions={k: (int(v["limit"]), str(v["text"])) for k, v in data["dimensions_mm"].items()},
        mass=list(data["gross_mass_kg"]),
        rules=dict(data.get("rules", {})),
        special_dimensions=special,
    )
