"""domain.md §3: the fleet share (exact, > 10 %), suspension orders, serious conduct."""

from datetime import date

from overload.evaluation.entries import Entry
from overload.evaluation.evaluate import conduct_grounds
from overload.events import Event
from overload.rulebook.loader import load
from tests.builders import (
    company,
    conduct,
    entries,
    fleet,
    leaves,
    penalty,
    state_of,
    suspension,
    vehicle,
)


def _fleet(code: str, size: int, on: str = "2020-01-01") -> tuple[list[str], list[Event]]:
    plates = fleet(code, size)
    return plates, [vehicle(p, code, on) for p in plates]


def _share_entries(code: str, size: int, violating: int, rulebook: str = "linfen-2020",
                   extra: tuple[Event, ...] = ()) -> list[Entry]:
    plates, registrations = _fleet(code, size)
    decisions = [penalty(p, f"2026-01-{10 + i:02d}") for i, p in enumerate(plates[:violating])]
    found = entries(*registrations, *decisions, *extra, rulebook=rulebook)
    return [e for e in found if e.rule == "enterprise-fleet-share"]


def test_exactly_ten_percent_of_the_fleet_is_not_over_ten_percent() -> None:
    assert _share_entries(company(1), 20, 2) == []


def test_just_over_ten_percent_flags_the_enterprise_on_the_day_it_first_exceeds() -> None:
    [entry] = _share_entries(company(2), 19, 2)
    assert entry.share == (2, 19)
    assert entry.tripped_on == date(2026, 1, 11)


def test_mot_2017_needs_ten_percent_or_more_and_a_suspension_order() -> None:
    code = company(3)
    assert _share_entries(code, 20, 2, "mot-2017") == []
    with_order = _share_entries(code, 20, 2, "mot-2017", (suspension(code, "2026-02-01"),))
    assert [e.tripped_on for e in with_order] == [date(2026, 2, 1)]
    under = _share_entries(code, 21, 2, "mot-2017", (suspension(code, "2026-02-01"),))
    assert under == []


def test_a_fleet_of_size_zero_never_trips() -> None:
    code = company(4)
    decisions = [penalty(f"晋L4000{i}", f"2026-01-1{i}", enterprise=code) for i in range(3)]
    assert [e for e in entries(*decisions) if e.rule == "enterprise-fleet-share"] == []


def test_the_enterprise_on_the_decision_wins_over_the_fleet() -> None:
    mine, other = company(5), company(6)
    plates, registrations = _fleet(mine, 5)
    decision = penalty("晋L59999", "2026-01-10", enterprise=mine)
    [entry] = [e for e in entries(*registrations, decision) if e.subject_id == mine]
    assert entry.evidence == (decision.case_no,)
    assert entries(*registrations, penalty("晋L59999", "2026-01-10", enterprise=other)) == []


def test_a_vehicle_that_changed_fleets_counts_for_the_fleet_it_was_in_on_the_violation_date() -> None:
    first, second = company(7), company(8)
    plates1, reg1 = _fleet(first, 10)
    plates2, reg2 = _fleet(second, 10)
    mover = "晋L77777"
    moves = [vehicle(mover, first, "2020-01-01"), vehicle(mover, second, "2026-03-01")]
    before = penalty(mover, "2026-02-10")
    after = penalty(mover, "2026-03-10")
    found = entries(*reg1, *reg2, *moves, before, after)
    shares = {e.subject_id: e.share for e in found if e.rule == "enterprise-fleet-share"}
    # Each fleet had 10 vehicles plus the mover at some time in the year: 1/11 is not over 10 %.
    assert shares == {}
    found = entries(*reg1, *reg2, *moves, before, after, penalty(plates1[0], "2026-02-11"))
    shares = {e.subject_id: e.share for e in found if e.rule == "enterprise-fleet-share"}
    assert shares == {first: (2, 11)}


def test_a_vehicle_that_left_the_fleet_stays_in_the_denominator_for_a_year() -> None:
    code = company(9)
    plates, registrations = _fleet(code, 11)
    left = leaves(plates[10], "2025-01-01")
    decision = penalty(plates[0], "2025-06-01", "2025-06-01")
    # 1/11 until 2026-01-01, then the leaver ages out of the year: 1/10 is still not over.
    assert [e for e in entries(*registrations, left, decision)
            if e.rule == "enterprise-fleet-share"] == []
    plates, registrations = _fleet(code, 10)
    two = [penalty(plates[0], "2025-06-01"), penalty(plates[1], "2025-06-02")]
    left = leaves(plates[9], "2025-03-01")
    grown = [*registrations, vehicle("晋L99001", code), vehicle("晋L99002", code)]
    # 2/12 on 2025-06-02 is already over 10 %.
    [entry] = [e for e in entries(*grown, left, *two) if e.rule == "enterprise-fleet-share"]
    assert entry.tripped_on == date(2025, 6, 2)


def test_the_share_window_drops_violations_older_than_one_year() -> None:
    code = company(10)
    plates, registrations = _fleet(code, 19)
    old = penalty(plates[0], "2025-01-05", "2025-01-05")
    new = penalty(plates[1], "2026-01-06", "2026-01-06")
    assert [e for e in entries(*registrations, old, new)
            if e.rule == "enterprise-fleet-share"] == []
    within = penalty(plates[1], "2026-01-05", "2026-01-05")
    [entry] = [e for e in entries(*registrations, old, within)
               if e.rule == "enterprise-fleet-share"]
    assert entry.tripped_on == date(2026, 1, 5)


def test_a_suspension_order_lists_the_enterprise_on_the_order_date() -> None:
    code = company(11)
    [entry] = entries(suspension(code, "2026-04-02"))
    assert (entry.rule, entry.tripped_on, entry.evidence) == (
        "enterprise-suspended", date(2026, 4, 2), ("ORDER-1",)
    )


def test_serious_conduct_lists_only_notice_8_items_and_trips_on_the_decision_date() -> None:
    code = company(12)
    listed = conduct("source_unit", code, "refusing-inspection", "2026-04-09T10:00:00", "DOC-1",
                     decided_on="2026-04-20")
    unknown = conduct("source_unit", code, "source-overloading", "2026-04-10T10:00:00", "DOC-2",
                      decided_on="2026-04-21")
    found = entries(listed, unknown)
    assert [(e.subject_type, e.rule, e.evidence, e.tripped_on) for e in found] == [
        ("source_unit", "serious-conduct", ("DOC-1",), date(2026, 4, 20))
    ]


def test_a_conduct_record_without_decided_on_is_kept_but_grounds_nothing() -> None:
    code = company(12)
    record = conduct("source_unit", code, "obstruction", "2026-04-09T10:00:00", "DOC-1")
    assert entries(record) == []
    [(_, grounds, why)] = conduct_grounds(state_of(record).conducts, load("linfen-2020"))
    assert not grounds and "decided_on" in why


def test_instructing_a_driver_needs_a_fine_of_20000_or_a_third_decision_in_a_year() -> None:
    code = company(12)
    small = [conduct("enterprise", code, "instructing-driver", f"2026-0{m}-01T09:00:00",
                     f"DOC-{m}", decided_on=f"2026-0{m}-05", fine_yuan=19_999) for m in (1, 2)]
    assert entries(*small) == []
    big = conduct("enterprise", code, "instructing-driver", "2026-01-01T09:00:00", "DOC-9",
                  decided_on="2026-01-05", fine_yuan=20_000)
    [entry] = entries(big)
    assert entry.tripped_on == date(2026, 1, 5)
    third = conduct("enterprise", code, "instructing-driver", "2026-03-01T09:00:00", "DOC-3",
                    decided_on="2026-03-05", fine_yuan=100)
    [entry] = entries(*small, third)
    assert (entry.tripped_on, entry.evidence) == (date(2026, 3, 5), ("DOC-3",))
    late = conduct("enterprise", code, "instructing-driver", "2027-03-10T09:00:00", "DOC-4",
                   decided_on="2027-03-10", fine_yuan=100)
    # Within the year before 2027-03-10 there is only this one: no trip.
    assert [e.tripped_on for e in entries(small[1], third, late)] == []


def test_a_vehicle_that_left_and_rejoined_the_fleet_counts_once_in_the_denominator() -> None:
    code = company(13)
    plates, registrations = _fleet(code, 9)
    returning = [vehicle("晋L88888", code, "2020-01-01"), leaves("晋L88888", "2025-09-01"),
                 vehicle("晋L88888", code, "2025-11-01")]
    one = [penalty(plates[0], "2026-01-10")]
    # 10 distinct vehicles in the year: 1/10 is not over 10 %; counted twice it would be 1/11.
    assert [e for e in entries(*registrations, *returning, *one)
            if e.rule == "enterprise-fleet-share"] == []
    two = [*one, penalty("晋L88888", "2026-01-11")]
    [entry] = [e for e in entries(*registrations, *returning, *two)
               if e.rule == "enterprise-fleet-share"]
    assert entry.share == (2, 10)


def test_a_share_entry_cites_a_suspension_order_only_where_its_condition_uses_one() -> None:
    code = company(14)
    order = (suspension(code, "2026-01-02"),)
    [linfen] = _share_entries(code, 10, 2, extra=order)
    assert not any(e.startswith("ORDER") for e in linfen.evidence)
    [national] = _share_entries(code, 10, 2, "mot-2017", order)
    assert "ORDER-1" in national.evidence
