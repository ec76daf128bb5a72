"""The over-limit standard as data (rules/order62_limits.json), and the check of one weighing.

Strictly greater than a limit is over; equal is not. The rulebook's tolerance (kg, default 0) is
added to the gross-mass limit and shown on every detection.
"""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from overload.errors import RulebookError


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


@dataclass(frozen=True)
class LimitsTable:
    id: str
    source: str
    dimensions: dict[str, tuple[int, str]]
    mass: list[dict[str, Any]]

    def mass_limit(self, axles: int, kind: str, single_drive_axle: bool) -> tuple[int, str]:
        """The gross-mass limit for a vehicle: by axles, kind and (6+ axles) the drive axle."""
        wanted = min(axles, 6)
        for row in self.mass:
            if row["axles"] != wanted or row["kind"] not in ("any", kind):
                continue
            if "single_drive_axle" in row and row["single_drive_axle"] != single_drive_axle:
                continue
            return int(row["limit"]), str(row["text"])
        raise RulebookError(f"limits table {self.id} has no row for {axles} axles, {kind}")

    def check(
        self,
        axles: int,
        kind: str,
        single_drive_axle: bool,
        gross_kg: int,
        dimensions_mm: dict[str, int | None],
        tolerance_kg: int = 0,
    ) -> list[Exceeded]:
        """Every limit the measurement is strictly over (empty: compliant)."""
        found = []
        limit, text = self.mass_limit(axles, kind, single_drive_axle)
        if gross_kg > limit + tolerance_kg:
            found.append(Exceeded("gross_kg", limit, gross_kg, text))
        for name, (dim_limit, dim_text) in self.dimensions.items():
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
    return LimitsTable(
        id=data["id"],
        source=data["source"],
        dimensions={k: (int(v["limit"]), str(v["text"])) for k, v in data["dimensions_mm"].items()},
        mass=list(data["gross_mass_kg"]),
    )
