"""A plain-Python reference implementation of the linfen-2020 rules, for benchmark 2.

Written independently of the engine (no import from overload.evaluation or the rulebook) from
shared/domain.md §3-§4: the benchmark checks that both give the same entries, then compares
their times. Thresholds and conduct codes are hard-coded here on purpose.

The benchmark has no bureau acts (no publication, objection or repair), so an entry ends only by
withdrawal. With one entry per subject and rule at a time (§4), a subject trips a rule again only
after its entry was withdrawn, and a withdrawn entry anchors nothing: every trip counts all the
violations still valid, never only those after an earlier trip.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

MIN_VIOLATIONS = 4
SHARE_NUM, SHARE_DEN = 1, 10  # strictly more than 1/10
# Notice 8 items (四)-(十), domain.md §3; item (五) needs a fine of 20,000 yuan or the 3rd such
# decision within one year.
CONDUCT = {"illegal-modification", "instructing-driver", "permit-fraud", "refusing-inspection",
           "obstruction", "serious-accident", "violence"}
REPEATED_CONDUCT, FINE_MIN, REPEAT_MIN = "instructing-driver", 20_000, 3


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
# holds(known, revoked_by): does the rule hold on `known` with the decisions decided by then and
# not revoked by `revoked_by`?
Holds = Callable[[date, date], bool]


def _valid(ds: list[D], revoked: dict[str, date], known: date, revoked_by: date) -> list[D]:
    return [d for d in ds if d.decided <= known
            and not (d.case in revoked and revoked[d.case] <= revoked_by)]


def _max_in_year(ds: list[D]) -> int:
    first_dates: dict[str, date] = {}
    for d in ds:
        key = d.weighing or d.case
        first_dates[key] = min(first_dates.get(key, d.violated), d.violated)
    dates = sorted(first_dates.values())
    return max((bisect_right(dates, plus_year(x)) - i for i, x in enumerate(dates)), default=0)


def _walk(days: list[date], revocation_days: set[date], holds: Holds) -> list[tuple[date, date | None]]:
    """Trips (trip date, withdrawal date) of one subject under one rule (domain.md §4).

    At most one entry stands at a time. On a revocation day the standing entry is judged as
    known on its trip date: it stands if the decisions decided by then and still valid met the
    rule on its trip date, else it is withdrawn that day, and the subject may trip again that
    same day on what remains."""
    trips: list[tuple[date, date | None]] = []
    standing: date | None = None
    for day in days:
        if standing is not None and day in revocation_days and not holds(standing, day):
            trips.append((standing, day))
            standing = None
        if standing is None and holds(day, day):
            standing = day
    if standing is not None:
        trips.append((standing, None))
    return trips


def _conduct_trip(records: list[tuple[str, date | None, int | None]]) -> date | None:
    """The first decided_on of a record that grounds serious conduct (one entry, never ended)."""
    grounded: list[date] = []
    for code, decided, fine in records:
        if decided is None or code not in CONDUCT:
            continue  # kept by the feed, grounds nothing
        if code == REPEATED_CONDUCT and not (fine is not None and fine >= FINE_MIN):
            first = year_start(decided)
            same = sum(1 for c, d, _ in records
                       if c == code and d is not None and first <= d <= decided)
            if same < REPEAT_MIN:
                continue
        grounded.append(decided)
    return min(grounded, default=None)


def reference(
    decisions: list[D],
    revoked: dict[str, date],
    memberships: list[tuple[str, str | None, date, date | None]],
    orders: list[tuple[str, str, date]],
    conducts: list[tuple[str, str, str, date | None, int | None]],
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

            def counts(known: date, revoked_by: date, ds: list[D] = ds) -> bool:
                return _max_in_year(_valid(ds, revoked, known, revoked_by)) >= MIN_VIOLATIONS

            for tripped, withdrawn in _walk(days, rdays, counts):
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
    for enterprise, ds in by_enterprise.items():
        fleet = fleets.get(enterprise, [])
        rdays = {revoked[d.case] for d in ds if d.case in revoked}
        # The share can rise only when a decision is decided, or a vehicle that left the fleet
        # drops out of the year's denominator (suspension orders are another rule's).
        aging = {plus_year(end - timedelta(days=1)) + timedelta(days=1) for _, _, end in fleet
                 if end}
        days = sorted({d.decided for d in ds} | rdays | aging)

        def share(known: date, revoked_by: date, ds: list[D] = ds,
                  fleet: list[tuple[str, date, date | None]] = fleet) -> bool:
            first = year_start(known)
            plates = {d.plate for d in _valid(ds, revoked, known, revoked_by)
                      if first <= d.violated <= known}
            size = len({p for p, start, end in fleet
                        if start <= known and (end is None or end > first)})
            return size > 0 and len(plates) * SHARE_DEN > size * SHARE_NUM

        for tripped, withdrawn in _walk(days, rdays, share):
            results.add(("enterprise-fleet-share", "enterprise", enterprise, tripped, withdrawn))

    first_order: dict[str, date] = {}
    for enterprise, _number, on in orders:
        first_order[enterprise] = min(first_order.get(enterprise, on), on)
    for enterprise, on in first_order.items():  # one entry, never withdrawn: no later trip
        results.add(("enterprise-suspended", "enterprise", enterprise, on, None))

    records: dict[tuple[str, str], list[tuple[str, date | None, int | None]]] = defaultdict(list)
    for subject_type, subject_id, code, decided, fine in conducts:
        records[(subject_type, subject_id)].append((code, decided, fine))
    for (subject_type, subject_id), mine in records.items():
        trip = _conduct_trip(mine)
        if trip is not None:
            results.add(("serious-conduct", subject_type, subject_id, trip, None))
    return results
