"""Evaluate every subject (or some) under one rulebook: the entries, in a stable order."""

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from datetime import date

from overload import sentences
from overload.evaluation.entries import Entry, Probe, entry_id, walk
from overload.evaluation.probes import CountProbe, OrderProbe, ShareProbe
from overload.projections.state import Conduct, Decision, Membership, Order, State
from overload.rulebook.engine import Matcher
from overload.rulebook.model import Rulebook
from overload.timeutil import one_year_before

Subject = tuple[str, str]  # (subject_type, subject_id)


def probes(
    state: State, rulebook: Rulebook, only: Collection[Subject] | None = None
) -> Iterator[tuple[Subject, Probe]]:
    """Every (subject, probe) pair the rulebook's rules call for (only these subjects, if given)."""
    by_plate: dict[str, list[Decision]] = defaultdict(list)
    by_driver: dict[str, list[Decision]] = defaultdict(list)
    by_enterprise: dict[str, list[Decision]] = defaultdict(list)
    for decision in state.decisions.values():
        by_plate[decision.plate].append(decision)
        if decision.driver_id:
            by_driver[decision.driver_id].append(decision)
        enterprise = state.enterprise_of(decision)
        if enterprise:
            by_enterprise[enterprise].append(decision)
    orders: dict[str, list[Order]] = defaultdict(list)
    for order in state.orders:
        orders[order.enterprise_id].append(order)
    # Fleets only of the enterprises a share can be measured for (memberships are computed per
    # plate on demand: most of a province's plates belong to fleets without decisions).
    wanted = set(by_enterprise) | set(orders)
    if only is not None:
        wanted &= {subject_id for kind, subject_id in only if kind == "enterprise"}
    fleets: dict[str, list[Membership]] = defaultdict(list)
    if rulebook.has_rule("enterprise-fleet-share") and wanted:
        for plate in state.fleet_plates(wanted):
            for membership in state.memberships(plate):
                if membership.enterprise_id in wanted:
                    fleets[membership.enterprise_id].append(membership)

    if rulebook.has_rule("vehicle-repeat"):
        for plate, decisions in by_plate.items():
            if only is not None and ("vehicle", plate) not in only:
                continue
            yield ("vehicle", plate), CountProbe(
                "vehicle-repeat", decisions, state.revocations, state.vehicle_licences.get(plate),
                rulebook,
            )
    if rulebook.has_rule("driver-repeat"):
        for driver, decisions in by_driver.items():
            if only is not None and ("driver", driver) not in only:
                continue
            yield ("driver", driver), CountProbe(
                "driver-repeat", decisions, state.revocations, state.driver_licences.get(driver),
                rulebook,
            )
    if rulebook.has_rule("enterprise-fleet-share"):
        for enterprise in sorted(set(by_enterprise) | set(orders)):
            if only is not None and ("enterprise", enterprise) not in only:
                continue
            yield ("enterprise", enterprise), ShareProbe(
                enterprise, by_enterprise.get(enterprise, []), state.revocations,
                fleets.get(enterprise, []), orders.get(enterprise, []),
                state.enterprise_licences.get(enterprise), rulebook,
            )
    if rulebook.has_rule("enterprise-suspended"):
        for enterprise, enterprise_orders in orders.items():
            if only is not None and ("enterprise", enterprise) not in only:
                continue
            yield ("enterprise", enterprise), OrderProbe(enterprise_orders)


def evaluate(
    state: State,
    rulebook: Rulebook,
    matcher: Matcher,
    only: Collection[Subject] | None = None,
    ends: Mapping[str, date] | None = None,
) -> list[Entry]:
    """All entries under the rulebook, sorted by trip date, rule and subject; `ends` are the
    dates acts ended entries (rejected, repaired, expired), from which a subject may re-trip."""
    revoked_on: dict[date, list[str]] = defaultdict(list)
    for revocation in state.revocations.values():
        if revocation.case_no in state.decisions:
            revoked_on[revocation.revoked_on].append(revocation.case_no)
    cases_on = {day: tuple(sorted(cases)) for day, cases in revoked_on.items()}
    entries: list[Entry] = []
    for (subject_type, subject_id), probe in probes(state, rulebook, only):
        entries.extend(walk(probe, subject_type, subject_id, rulebook, matcher, cases_on, ends))
    if rulebook.has_rule("serious-conduct"):
        entries.extend(_conduct_entries(state.conducts, rulebook, matcher, only, ends))
    return sorted(entries, key=lambda e: (e.tripped_on, e.rule, e.subject_type, e.subject_id))


def conduct_grounds(
    records: list[Conduct], rulebook: Rulebook
) -> list[tuple[Conduct, bool, str]]:
    """Each record of one subject with whether it grounds a trip and, if not, why (explain)."""
    result = []
    for record in sorted(records, key=lambda r: (r.decided_on or r.occurred_on, r.document_no)):
        if record.decided_on is None:
            result.append((record, False, sentences.CONDUCT_UNDATED))
        elif record.conduct not in rulebook.conduct_codes:
            result.append((record, False,
                           sentences.CONDUCT_UNKNOWN_CODE.format(code=record.conduct)))
        elif record.conduct in rulebook.conduct_repeat:
            fine_min, count_min = rulebook.conduct_repeat[record.conduct]
            first = one_year_before(record.decided_on)
            same = [r for r in records if r.conduct == record.conduct and r.decided_on is not None
                    and first <= r.decided_on <= record.decided_on]
            if record.fine_yuan is not None and record.fine_yuan >= fine_min:
                result.append((record, True, sentences.CONDUCT_FINE.format(
                    fine=record.fine_yuan, minimum=fine_min)))
            elif len(same) >= count_min:
                result.append((record, True,
                               sentences.CONDUCT_REPEATED.format(count=len(same))))
            else:
                result.append((record, False, sentences.CONDUCT_NOT_ENOUGH.format(
                    minimum=fine_min, count=len(same), needed=count_min)))
        else:
            result.append((record, True, sentences.CONDUCT_DECISION))
    return result


def _conduct_entries(
    conducts: list[Conduct],
    rulebook: Rulebook,
    matcher: Matcher,
    only: Collection[Subject] | None,
    ends: Mapping[str, date] | None = None,
) -> list[Entry]:
    """serious-conduct: a decision on one of Notice 8's items (四)-(十) meeting its condition
    trips on its `decided_on`, unless an entry of the rule is still in effect then."""
    by_subject: dict[Subject, list[Conduct]] = defaultdict(list)
    for conduct in conducts:
        by_subject[(conduct.subject_type, conduct.subject_id)].append(conduct)
    entries: list[Entry] = []
    for subject, records in sorted(by_subject.items()):
        if only is not None and subject not in only:
            continue
        grounds = [(r, r.decided_on) for r, ok, _ in conduct_grounds(records, rulebook) if ok]
        previous: Entry | None = None
        for day in sorted({d for _, d in grounds if d is not None}):
            if previous is not None:
                ended = (ends or {}).get(previous.entry_id)
                if ended is None or ended > day:
                    continue  # one entry of the rule at a time
            matching = sorted(
                (r for r, d in grounds if d == day
                 and matcher.matches({"rule": "serious-conduct", "conduct": r.conduct})),
                key=lambda r: r.document_no,
            )
            if not matching:
                continue
            previous = Entry(
                entry_id=entry_id(rulebook, "serious-conduct", subject[0], subject[1], day),
                rulebook=rulebook.id,
                rulebook_version=rulebook.version,
                rule="serious-conduct",
                subject_type=subject[0],
                subject_id=subject[1],
                tripped_on=day,
                previous_trip_on=previous.tripped_on if previous else None,
                evidence=tuple(r.document_no for r in matching),
                positions=tuple(r.position for r in matching),
                violations=None,
                share=None,
                window=None,
            )
            entries.append(previous)
    return entries
