"""Probes: for one subject and one rule, the fact on a given day with what was known that day.

A probe knows which days its fact can change (decisions, revocations, windows sliding) and turns
the projections into the fact the rulebook matches. It never decides: durable-rules does.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from overload import sentences
from overload.evaluation.windows import (
    Window,
    best_licence_year,
    best_rolling,
    licence_year,
    year_before,
)
from overload.projections.state import Decision, Membership, Order, Revocation
from overload.rulebook.model import Rulebook
from overload.timeutil import add_years

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Measure:
    """A fact and what it rests on."""

    fact: dict[str, Any]
    evidence: tuple[str, ...]
    positions: tuple[int, ...]
    violations: int | None = None
    share: tuple[int, int] | None = None
    window: Window | None = None
    details: dict[str, Any] = field(default_factory=dict)


def active(
    decisions: Sequence[Decision],
    revocations: dict[str, Revocation],
    known_by: date,
    revoked_by: date,
    after: date | None,
) -> list[Decision]:
    """Decisions that count: decided by `known_by`, not revoked by `revoked_by`, after a trip."""
    result = []
    for decision in decisions:
        if decision.decided_on > known_by:
            continue
        revocation = revocations.get(decision.case_no)
        if revocation is not None and revocation.revoked_on <= revoked_by:
            continue
        if after is not None and decision.violation_on <= after:
            continue
        result.append(decision)
    return result


def violations(decisions: Sequence[Decision]) -> list[tuple[date, list[Decision]]]:
    """One violation per weighing (two decisions on one weighing count once), by date."""
    groups: dict[str, list[Decision]] = {}
    for decision in decisions:
        groups.setdefault(decision.violation_key, []).append(decision)
    result = [
        (min(d.violation_on for d in group), sorted(group, key=lambda d: (d.decided_on, d.case_no)))
        for group in groups.values()
    ]
    return sorted(result, key=lambda v: (v[0], v[1][0].case_no))


def revocation_days(decisions: Sequence[Decision], revocations: dict[str, Revocation]) -> set[date]:
    return {
        revocations[d.case_no].revoked_on for d in decisions if d.case_no in revocations
    }


class CountProbe:
    """vehicle-repeat / driver-repeat: counted violations within one year."""

    monotone = True

    def __init__(
        self,
        rule: str,
        decisions: list[Decision],
        revocations: dict[str, Revocation],
        licence_on: date | None,
        rulebook: Rulebook,
    ) -> None:
        self.rule = rule
        self.decisions = decisions
        self.revocations = revocations
        self.licence_on = licence_on if rulebook.window == "licence-year" else None
        self.fallback = rulebook.window == "licence-year" and licence_on is None
        self.revocation_days = revocation_days(decisions, revocations)
        self.days = sorted({d.decided_on for d in decisions} | self.revocation_days)

    def fact(self, day: date, after: date | None, revoked_by: date) -> dict[str, Any]:
        """Only the count the rule compares (the walk asks this on every change day)."""
        first_dates: dict[str, date] = {}
        for d in active(self.decisions, self.revocations, day, revoked_by, after):
            key = d.violation_key
            known = first_dates.get(key)
            if known is None or d.violation_on < known:
                first_dates[key] = d.violation_on
        dates = sorted(first_dates.values())
        if self.licence_on is not None:
            count = best_licence_year(dates, self.licence_on)[0]
        else:
            count = best_rolling(dates)[0]
        return {"rule": self.rule, "violations_in_year": count}

    def measure(self, day: date, after: date | None, revoked_by: date) -> Measure:
        counted = violations(active(self.decisions, self.revocations, day, revoked_by, after))
        dates = [v[0] for v in counted]
        if self.licence_on is not None:
            count, i, j = best_licence_year(dates, self.licence_on)
        else:
            count, i, j = best_rolling(dates)
        window = None
        chosen = counted[i : j + 1] if count else []
        if count:
            window = self._window(dates[i], dates[j])
        return Measure(
            fact={"rule": self.rule, "violations_in_year": count},
            evidence=tuple(group[0].case_no for _, group in chosen),
            positions=tuple(group[0].position for _, group in chosen),
            violations=count,
            window=window,
        )

    def _window(self, first: date, last: date) -> Window:
        if self.licence_on is not None:
            start, end = licence_year(self.licence_on, first)
            return Window(first, last, end, sentences.LICENCE_YEAR.format(start=start, end=end))
        note = sentences.ROLLING_YEAR_CIVIL
        if self.fallback:
            note = sentences.NO_LICENCE_DATE
        return Window(first, last, add_years(first, 1), note)


class ShareProbe:
    """enterprise-fleet-share: distinct violating vehicles over the fleet, in the year."""

    monotone = False

    def __init__(
        self,
        enterprise_id: str,
        decisions: list[Decision],
        revocations: dict[str, Revocation],
        fleet: list[Membership],
        orders: list[Order],
        licence_on: date | None,
        rulebook: Rulebook,
    ) -> None:
        self.rule = "enterprise-fleet-share"
        self.enterprise_id = enterprise_id
        self.decisions = decisions
        self.revocations = revocations
        self.fleet = fleet
        self.orders = orders
        self.licence_on = licence_on if rulebook.window == "licence-year" else None
        self.fallback = rulebook.window == "licence-year" and licence_on is None
        self.share = rulebook.fleet_share
        # Evidence is what the rule's own condition used: the orders only where the rulebook's
        # condition needs a suspension order (mot-2017), never under linfen-2020.
        self.orders_are_evidence = rulebook.fleet_share_needs_suspension
        self.revocation_days = revocation_days(decisions, revocations)
        days = {d.decided_on for d in decisions} | self.revocation_days
        days |= {o.ordered_on for o in orders}
        # A vehicle that left the fleet drops out of the denominator a year later, which can
        # push the share over the threshold on a day when nothing else happened.
        days |= {add_years(m.end - ONE_DAY, 1) + ONE_DAY for m in fleet if m.end}
        self.days = sorted(days)
        # Fleet size in a window by bisection: plates with one membership in this fleet are
        # counted from sorted starts and ends; the few with several are checked one by one.
        spans: dict[str, list[Membership]] = {}
        for membership in fleet:
            spans.setdefault(membership.plate, []).append(membership)
        single = [ms[0] for ms in spans.values() if len(ms) == 1]
        self._starts = sorted(m.start for m in single)
        self._ends = sorted(m.end for m in single if m.end is not None)
        self._several = [ms for ms in spans.values() if len(ms) > 1]

    def fleet_size(self, first: date, day: date) -> int:
        """Distinct plates in the fleet at any time in [first, day]."""
        # A membership overlaps when start <= day and (no end or end > first); an end <= first
        # implies start < first <= day, so those are a subset of the starts counted.
        size = bisect_right(self._starts, day) - bisect_right(self._ends, first)
        return size + sum(1 for ms in self._several if any(m.overlaps(first, day) for m in ms))

    def fact(self, day: date, after: date | None, revoked_by: date) -> dict[str, Any]:
        """Only the numbers the rule compares (the walk asks this on every change day)."""
        first, _ = year_before(day, self.licence_on)
        plates = set()
        for d in self.decisions:
            if d.decided_on > day or not first <= d.violation_on <= day:
                continue
            if after is not None and d.violation_on <= after:
                continue
            revocation = self.revocations.get(d.case_no)
            if revocation is not None and revocation.revoked_on <= revoked_by:
                continue
            plates.add(d.plate)
        denominator = self.fleet_size(first, day)
        orders = sum(1 for o in self.orders if first <= o.ordered_on <= day)
        return {
            "rule": self.rule,
            "violating_scaled": len(plates) * self.share.denominator,
            "fleet_scaled": denominator * self.share.numerator,
            "fleet_size": denominator,
            "suspension_orders": orders,
        }

    def measure(self, day: date, after: date | None, revoked_by: date) -> Measure:
        first, note = year_before(day, self.licence_on)
        if self.fallback:
            note = sentences.NO_LICENCE_DATE
        counted = [
            d for d in active(self.decisions, self.revocations, day, revoked_by, after)
            if first <= d.violation_on <= day
        ]
        by_plate: dict[str, list[Decision]] = {}
        for decision in sorted(counted, key=lambda d: (d.violation_on, d.case_no)):
            by_plate.setdefault(decision.plate, []).append(decision)
        fleet = sorted({m.plate for m in self.fleet if m.overlaps(first, day)})
        orders = [o for o in self.orders if first <= o.ordered_on <= day]
        numerator, denominator = len(by_plate), len(fleet)
        evidence = [ds[0].case_no for _, ds in sorted(by_plate.items())]
        positions = [ds[0].position for _, ds in sorted(by_plate.items())]
        if self.orders_are_evidence:
            evidence += [o.order_no for o in orders]
            positions += [o.position for o in orders]
        return Measure(
            fact={
                "rule": self.rule,
                "violating_scaled": numerator * self.share.denominator,
                "fleet_scaled": denominator * self.share.numerator,
                "fleet_size": denominator,
                "suspension_orders": len(orders),
            },
            evidence=tuple(evidence),
            positions=tuple(positions),
            share=(numerator, denominator),
            window=Window(first, day, day, note),
            details={
                "violating_vehicles": {p: [d.case_no for d in ds] for p, ds in by_plate.items()},
                "fleet": fleet,
                "orders": [o.order_no for o in orders],
            },
        )


class OrderProbe:
    """enterprise-suspended: a suspension order (责令停业整顿) recorded."""

    monotone = True

    def __init__(self, orders: list[Order]) -> None:
        self.rule = "enterprise-suspended"
        self.orders = orders
        self.revocation_days: set[date] = set()
        self.days = sorted({o.ordered_on for o in orders})

    def fact(self, day: date, after: date | None, revoked_by: date) -> dict[str, Any]:
        return self.measure(day, after, revoked_by).fact

    def measure(self, day: date, after: date | None, revoked_by: date) -> Measure:
        orders = sorted(
            (o for o in self.orders
             if o.ordered_on <= day and (after is None or o.ordered_on > after)),
            key=lambda o: (o.ordered_on, o.order_no),
        )
        return Measure(
            fact={"rule": self.rule, "suspension_orders": len(orders)},
            evidence=tuple(o.order_no for o in orders),
            positions=tuple(o.position for o in orders),
        )
