"""Entries: a subject's trips of one rule, found by walking the days its fact can change.

The walk is causal: on each day it uses only decisions decided and revocations made by that day,
so the history computed with everything known equals the history known on any earlier date, and
`list --as-of` does not depend on the order files arrived in.
"""

import hashlib
from bisect import insort
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Protocol

from overload import sentences
from overload.evaluation.probes import Measure
from overload.evaluation.windows import Window
from overload.rulebook.engine import Matcher
from overload.rulebook.model import Rulebook


class Probe(Protocol):
    rule: str
    monotone: bool
    days: list[date]
    revocation_days: set[date]

    def fact(self, day: date, after: date | None, revoked_by: date) -> dict[str, Any]: ...

    def measure(self, day: date, after: date | None, revoked_by: date) -> Measure: ...


@dataclass(frozen=True)
class Entry:
    """One trip of one rule by one subject, and how it ended (if it did) through revocations."""

    entry_id: str
    rulebook: str
    rulebook_version: int
    rule: str
    subject_type: str
    subject_id: str
    tripped_on: date
    previous_trip_on: date | None
    evidence: tuple[str, ...]
    positions: tuple[int, ...]
    violations: int | None
    share: tuple[int, int] | None
    window: Window | None
    withdrawn_on: date | None = None
    withdrawal_reason: str | None = None
    revoked_cases: tuple[str, ...] = ()

    def in_effect_on(self, day: date) -> bool:
        return self.tripped_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    def counted_from(self) -> date | None:
        """The first violation date a share counted, when an earlier trip cut into its year.

        One entry of a rule at a time: the violations on or before the previous trip date
        grounded that trip and never count again, so a share measured over the year
        [window.first, tripped_on] counted only those from the day after the previous trip.
        None when the whole year counted (no previous trip, or one before the year began)."""
        if self.share is None or self.window is None or self.previous_trip_on is None:
            return None
        start = self.previous_trip_on + timedelta(days=1)
        return start if start > self.window.first else None


def entry_id(rulebook: Rulebook, rule: str, subject_type: str, subject_id: str, on: date) -> str:
    """A stable id: the same trip gets the same id on every rebuild and every backend."""
    text = f"{rulebook.label}|{rule}|{subject_type}|{subject_id}|{on.isoformat()}"
    return "E" + hashlib.sha256(text.encode()).hexdigest()[:10].upper()


def walk(
    probe: Probe,
    subject_type: str,
    subject_id: str,
    rulebook: Rulebook,
    matcher: Matcher,
    revoked_cases_on: dict[date, tuple[str, ...]] | None = None,
    ends: Mapping[str, date] | None = None,
) -> list[Entry]:
    """All entries of one subject under one rule.

    One entry of a rule at a time (domain.md §4): while the latest standing entry is in effect
    (not withdrawn, and not ended by an act in `ends`: rejected, repaired or expired), the subject
    does not trip again; the violations after its trip date count toward a new trip from the day
    it ended. A withdrawn entry anchors nothing."""
    entries: list[Entry] = []
    days = list(probe.days)
    index_of_day = 0
    while index_of_day < len(days):
        day = days[index_of_day]
        index_of_day += 1
        if day in probe.revocation_days:
            for index, entry in enumerate(entries):
                if entry.withdrawn_on is None and not _supported(probe, entry, day, matcher):
                    mine = {d.case_no for d in getattr(probe, "decisions", [])}
                    cases = tuple(c for c in (revoked_cases_on or {}).get(day, ()) if c in mine)
                    entries[index] = replace(
                        entry,
                        withdrawn_on=day,
                        withdrawal_reason=sentences.UNSUPPORTED.format(
                            cases=", ".join(cases) if cases else sentences.A_SUPPORTING_DECISION,
                            day=day.isoformat()),
                        revoked_cases=cases,
                    )
        standing = [e for e in entries if e.withdrawn_on is None]
        after = standing[-1].tripped_on if standing else None
        if after is not None and after >= day:
            continue
        if standing and _in_effect(standing[-1], day, ends):
            continue
        if matcher.matches(probe.fact(day, after, day)):
            measure = probe.measure(day, after, day)
            entries.append(
                Entry(
                    entry_id=entry_id(rulebook, probe.rule, subject_type, subject_id, day),
                    rulebook=rulebook.id,
                    rulebook_version=rulebook.version,
                    rule=probe.rule,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    tripped_on=day,
                    previous_trip_on=after,
                    evidence=measure.evidence,
                    positions=measure.positions,
                    violations=measure.violations,
                    share=measure.share,
                    window=measure.window,
                )
            )
            ended = (ends or {}).get(entries[-1].entry_id)
            if ended is not None and ended > day and ended not in days:
                insort(days, ended)  # the day it ended, a new trip may follow
    return entries


def _in_effect(entry: Entry, day: date, ends: Mapping[str, date] | None) -> bool:
    """Is the entry still in effect on `day` (no act ended it by then)?"""
    ended = (ends or {}).get(entry.entry_id)
    return ended is None or ended > day


def _supported(probe: Probe, entry: Entry, day: date, matcher: Matcher) -> bool:
    """Revocations are judged as known on the trip date (domain.md §4.6): the entry stands if
    the decisions still valid after `day`, among those decided by its trip date, met the rule on
    its trip date. A decision decided later never props up an earlier trip."""
    return matcher.matches(probe.fact(entry.tripped_on, entry.previous_trip_on, day))
