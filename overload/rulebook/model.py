"""What a rulebook states: identity, legal sources, parameters, and the rules it defines."""

from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from overload import i18n

WindowKind = Literal["rolling", "licence-year"]


class Source(BaseModel):
    """A legal text a rulebook rests on."""

    model_config = ConfigDict(frozen=True)
    short: str
    text: str
    gives: str
    short_zh: str = ""  # the same two in Chinese, for an operator reading in Chinese
    gives_zh: str = ""

    def said(self) -> str:
        """What the source gives, in the run's language (the English when no Chinese is given)."""
        return _in_language(self.gives, self.gives_zh)

    def short_said(self) -> str:
        return _in_language(self.short, self.short_zh)


def _in_language(english: str, chinese: str) -> str:
    return chinese if chinese and i18n.current() != i18n.ENGLISH else english


class RuleInfo(BaseModel):
    """A rule's stable id, its subject, and the legal basis printed on every decision."""

    model_config = ConfigDict(frozen=True)
    id: str
    subject_type: Literal["vehicle", "driver", "enterprise", "source_unit", "any"]
    summary: str  # Chinese, as printed on notices and the public list
    note: str  # how the engine reads it, in English
    legal_basis: str
    # The reading in Chinese. A rulebook's texts live in the rulebook, not in the program's
    # catalogs: a bureau adopts its own reading by adding a rulebook, without a release, and its
    # legal office reads both texts side by side.
    note_zh: str = ""

    def reading(self) -> str:
        """How the engine reads the rule, in the run's language."""
        return _in_language(self.note, self.note_zh)


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
    undecided_zh: tuple[str, ...] = ()  # the same notes in Chinese, in the same order
    title_zh: str = ""

    def undecided_said(self) -> tuple[str, ...]:
        """The points not yet decided, in the run's language."""
        if self.undecided_zh and i18n.current() != i18n.ENGLISH:
            return self.undecided_zh
        return self.undecided

    def title_said(self) -> str:
        return _in_language(self.title, self.title_zh)

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
