"""What a rulebook states: identity, legal sources, parameters, and the rules it defines."""

from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

WindowKind = Literal["rolling", "licence-year"]


class Source(BaseModel):
    """A legal text a rulebook rests on."""

    model_config = ConfigDict(frozen=True)
    short: str
    text: str
    gives: str


class RuleInfo(BaseModel):
    """A rule's stable id, its subject, and the legal basis printed on every decision."""

    model_config = ConfigDict(frozen=True)
    id: str
    subject_type: Literal["vehicle", "driver", "enterprise", "source_unit", "any"]
    summary: str  # Chinese, as printed on notices and the public list
    note: str  # how the engine reads it, in English
    legal_basis: str


class Rulebook(BaseModel):
    """One version of one reading of the law; every decision records id and version."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    id: str
    version: int
    title: str
    effective_from: date
    effective_to: date | None = None
    sources: tuple[Source, ...]
    rules: tuple[RuleInfo, ...]
    # Thresholds (the conditions in the rulebook file compare facts against these).
    vehicle_min_violations: int
    driver_min_violations: int
    fleet_share: Fraction
    fleet_share_inclusive: bool
    fleet_share_needs_suspension: bool
    window: WindowKind
    # What counts (domain.md §2).
    tolerance_kg: int = 0
    limits_table: str = "order62_limits.json"
    conduct_codes: dict[str, str]
    # Codes whose single decision does not suffice: code -> (minimum fine in yuan, or the
    # n-th decision of that code within one year). Notice 8 item (五).
    conduct_repeat: dict[str, tuple[int, int]] = {}
    # Lifecycle periods (domain.md §4).
    publicity_working_days: int = 10
    display_years: int = 2
    repair_min_years: int = 1
    undecided: tuple[str, ...] = ()

    @property
    def ruleset_name(self) -> str:
        """durable-rules ruleset names are global per process: one per rulebook version."""
        return f"{self.id}-v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    def rule(self, rule_id: str) -> RuleInfo:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def has_rule(self, rule_id: str) -> bool:
        return any(rule.id == rule_id for rule in self.rules)
