"""A plain-Python reference implementation of the linfen-2020 rules, for benchmark 2.

Written independently of the engine (no import from overload.evaluation or the rulebook) from
shared/domain.md §3-§4: the benchmark checks that both give the same entries, then compares
their times. Thresholds are hard-coded here on purpose.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

MIN_VIOLATIONS = 4
SHARE_NUM, SHARE_DEN = 1, 10  # strictly more than 1/10
CONDUCT = {"evade-inspection", "obstruct-inspection", "forge-documents", "source-overloading"}


@dataclass(frozen=True, slots=True)
class D:
    case: str
    plate: str
    driver: str | None
    enterprise: str | None  # as on the decision
    violated: date
    decided: date
    weighing: str | None


def plus_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 2, 28)


def year_start(day: date) -> date:
    """Earliest a with plus_year(a) >= day."""
    a = day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else date(
        day.year - 1, 3, 1)
    while plus_year(a - timedelta(days=1)) >= day:
        a -= timedelta(days=1)
    while plus_year(a) < day:
        a += timedelta(days=1)
    return a


Result = tuple[str, str, str, date, date | None]


def _live(ds: Iterable[D], revoked: dict[str, date], known: date, rev_by: date,
          after: date | None) -> list[D]:
    return [d for d in ds if d.decided <= known and not (d.case in revoked and revoked[d.case]
            <= rev_by) and (after is None or d.violated > after)]


def _max_in_year(ds: list[D]) -> int:
    first_dates: dict[str, date] = {}
    for d in ds:
        key = d.weighing or d.case
        first_dates[key] = min(first_dates.get(key, d.violated), d.violated)
    dates = sorted(first_dates.values())
    return max((bisect_right(dates, plus_year(x)) - i for i, x in enumerate(dates)), default=0)


def _walk(days: list[date], revocation_days: set[date], holds_on: object,
          monotone: bool) -> list[tuple[date, date | None]]:
    """Trips (trip date, withdrawal date) of one subject, as domain.md §4 describes."""
    trips: list[list[date | None]] = []  # [tripped, withdrawn, previous]
    for day in days:
        if day in revocation_days:
            for trip in trips:
                if trip[1] is None:
                    prev = trip[2]
                    checks = [day] if monotone else [s for s in days if s <= day
                                                     and (prev is None or s > prev)]
                    if not any(holds_on(s, prev, day) for s in checks):  # type: ignore[operator]
                        trip[1] = day
        standing = [t for t in trips if t[1] is None]
        prev = standing[-1][0] if standing else None
        if prev is not None and prev >= day:
            continue
        if holds_on(day, prev, day):  # type: ignore[operator]
            trips.append([day, None, prev])
    return [(t[0], t[1]) for t in trips]  # type: ignore[misc]


def reference(
    decisions: list[D],
    revoked: dict[str, date],
    memberships: list[tuple[str, str | None, date, date | None]],
    orders: list[tuple[str, str, date]],
    conducts: list[tuple[str, str, str, date]],
) -> set[Result]:
    results: set[Result] = set()
    by_plate: dict[str, list[D]] = defaultdict(list)
    by_driver: dict[str, list[D]] = defaultdict(list)
    for d in decisions:
        by_plate[d.plate].append(d)
        if d.driver:
            by_driver[d.driver].append(d)
    for kind, groups in (("vehicle", by_plate), ("driver", by_driver)):
        rule = f"{kind}-repeat"
        for subject, ds in groups.items():
            rdays = {revoked[d.case] for d in ds if d.case in revoked}
            days = sorted({d.decided for d in ds} | rdays)

            def counts(s: date, prev: date | None, rev: date, ds: list[D] = ds) -> bool:
                return _max_in_year(_live(ds, revoked, s, rev, prev)) >= MIN_VIOLATIONS

            for tripped, withdrawn in _walk(days, rdays, counts, monotone=True):
                results.add((rule, kind, subject, tripped, withdrawn))

    fleets: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
    plate_spans: dict[str, list[tuple[str | None, date, date | None]]] = defaultdict(list)
    for plate, enterprise, start, end in memberships:
        plate_spans[plate].append((enterprise, start, end))
        if enterprise:
            fleets[enterprise].append((plate, start, end))

    def fleet_on(plate: str, day: date) -> str | None:
        for enterprise, start, end in plate_spans.get(plate, []):
            if start <= day and (end is None or day < end):
                return enterprise
        return None

    by_enterprise: dict[str, list[D]] = defaultdict(list)
    for d in decisions:
        owner = d.enterprise or fleet_on(d.plate, d.violated)
        if owner:
            by_enterprise[owner].append(d)
    ordered: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for enterprise, number, on in orders:
        ordered[enterprise].append((number, on))
    for enterprise in set(by_enterprise) | set(ordered):
        ds = by_enterprise.get(enterprise, [])
        fleet = fleets.get(enterprise, [])
        rdays = {revoked[d.case] for d in ds if d.case in revoked}
        aging = {plus_year(end - timedelta(days=1)) + timedelta(days=1) for _, _, end in fleet
                 if end}
        days = sorted({d.decided for d in ds} | rdays | {on for _, on in ordered[enterprise]}
                      | aging)

        def share(s: date, prev: date | None, rev: date, ds: list[D] = ds,
                  fleet: list[tuple[str, date, date | None]] = fleet) -> bool:
            first = year_start(s)
            plates = {d.plate for d in _live(ds, revoked, s, rev, prev) if first <= d.violated <= s}
            size = len({p for p, start, end in fleet if start <= s and (end is None or end > first)})
            return size > 0 and len(plates) * SHARE_DEN > size * SHARE_NUM

        for tripped, withdrawn in _walk(days, rdays, share, monotone=False):
            results.add(("enterprise-fleet-share", "enterprise", enterprise, tripped, withdrawn))
        last: date | None = None
        for on in sorted({on for _, on in ordered[enterprise]}):
            if last is None or on > last:
                results.add(("enterprise-suspended", "enterprise", enterprise, on, None))
                last = on
    seen: dict[tuple[str, str], set[date]] = defaultdict(set)
    for subject_type, subject_id, code, on in conducts:
        if code in CONDUCT:
            seen[(subject_type, subject_id)].add(on)
    for (subject_type, subject_id), days_seen in seen.items():
        for on in days_seen:
            results.add(("serious-conduct", subject_type, subject_id, on, None))
    return results
