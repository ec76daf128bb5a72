"""domain.md §3: "more than 3" within one year, for vehicles and drivers, both rulebooks."""

from datetime import date

from tests.builders import (
    driver,
    entries,
    in_effect,
    penalties,
    penalty,
    person,
    revoke,
    vehicle,
)


def test_third_violation_within_a_year_does_not_flag_the_vehicle() -> None:
    found = entries(*penalties("晋L10001", ["2025-03-15", "2025-07-01", "2025-12-01"]))
    assert found == []


def test_fourth_violation_within_a_year_flags_the_vehicle_on_its_decision_date() -> None:
    found = entries(*penalties("晋L10001", ["2025-03-15", "2025-07-01", "2025-12-01", "2026-03-15"]))
    [entry] = found
    assert (entry.rule, entry.subject_id, entry.tripped_on) == (
        "vehicle-repeat", "晋L10001", date(2026, 3, 15)
    )
    assert entry.violations == 4
    assert entry.rulebook == "linfen-2020" and entry.rulebook_version == 1


def test_four_violations_ending_on_the_corresponding_day_are_within_one_year() -> None:
    found = entries(*penalties("晋L10001", ["2025-03-15", "2025-07-01", "2025-12-01", "2026-03-15"]))
    assert [e.window.end for e in found if e.window] == [date(2026, 3, 15)]


def test_four_violations_ending_the_day_after_the_corresponding_day_are_not() -> None:
    found = entries(*penalties("晋L10001", ["2025-03-15", "2025-07-01", "2025-12-01", "2026-03-16"]))
    assert found == []


def test_a_year_from_29_february_ends_on_28_february() -> None:
    inside = entries(*penalties("晋L10002", ["2024-02-29", "2024-06-01", "2024-10-01", "2025-02-28"]))
    outside = entries(*penalties("晋L10003", ["2024-02-29", "2024-06-01", "2024-10-01", "2025-03-01"]))
    assert [e.tripped_on for e in inside] == [date(2025, 2, 28)]
    assert outside == []


def test_violation_date_is_the_shanghai_date_of_a_utc_instant() -> None:
    # 2025-03-14T16:30Z is 00:30 on 15 March in Shanghai: the window reaches 2026-03-15.
    late = [penalty("晋L10004", "2025-03-14T16:30:00Z", "2025-03-20")]
    late += penalties("晋L10004", ["2025-07-01", "2025-12-01", "2026-03-15"])
    # 2025-03-14T15:59Z is 23:59 on 14 March in Shanghai: the window ends 2026-03-14.
    early = [penalty("晋L10005", "2025-03-14T15:59:00Z", "2025-03-20")]
    early += penalties("晋L10005", ["2025-07-01", "2025-12-01", "2026-03-15"])
    assert [e.tripped_on for e in entries(*late)] == [date(2026, 3, 15)]
    assert entries(*early) == []


def test_an_instant_without_offset_is_shanghai_local_time() -> None:
    decision = penalty("晋L10006", "2025-03-14T23:59:00", "2025-03-20")
    assert decision.violation_at.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


def test_a_decision_counts_only_from_its_decided_on_date() -> None:
    events = penalties("晋L10007", ["2025-03-15", "2025-07-01", "2025-12-01"])
    events.append(penalty("晋L10007", "2026-03-01", "2026-03-20"))
    found = entries(*events)
    assert in_effect(found, "2026-03-19") == []
    assert [e.tripped_on for e in in_effect(found, "2026-03-20")] == [date(2026, 3, 20)]


def test_revoking_one_of_four_withdraws_the_entry_on_the_revocation_date() -> None:
    events = penalties("晋L10008", ["2025-03-15", "2025-07-01", "2025-12-01", "2026-03-15"])
    found = entries(*events, revoke(events[1].case_no, "2026-05-10"))
    [entry] = found
    assert entry.withdrawn_on == date(2026, 5, 10)
    assert entry.revoked_cases == (events[1].case_no,)
    assert in_effect(found, "2026-05-09") == [entry]
    assert in_effect(found, "2026-05-10") == []


def test_revoking_one_of_five_decided_by_the_trip_date_leaves_four_and_the_entry_stands() -> None:
    events = penalties("晋L10009", ["2025-07-01", "2025-08-01", "2025-09-01"])
    events += [penalty("晋L10009", "2025-10-01", "2025-10-20"),
               penalty("晋L10009", "2025-10-02", "2025-10-20")]
    found = entries(*events, revoke(events[0].case_no, "2026-05-10"))
    [entry] = found
    assert entry.withdrawn_on is None
    assert entry.tripped_on == date(2025, 10, 20)


def test_a_decision_decided_after_the_trip_never_props_it_up_after_a_revocation() -> None:
    # domain.md §4.6: judged as known on the trip date. The fifth decision came later: the entry
    # is withdrawn on the revocation date and a new one trips on it (the four left meet the rule).
    events = penalties(
        "晋L10019", ["2025-03-15", "2025-07-01", "2025-12-01", "2026-03-15", "2026-03-16"]
    )
    found = entries(*events, revoke(events[0].case_no, "2026-05-10"))
    assert [(e.tripped_on, e.withdrawn_on) for e in found] == [
        (date(2026, 3, 15), date(2026, 5, 10)), (date(2026, 5, 10), None)]
    assert events[0].case_no not in found[1].evidence


def test_a_revocation_before_the_fourth_decision_prevents_the_trip() -> None:
    events = penalties("晋L10010", ["2025-03-15", "2025-07-01", "2025-12-01"])
    events.append(penalty("晋L10010", "2026-03-01", "2026-03-20"))
    found = entries(*events, revoke(events[0].case_no, "2026-03-10"))
    assert found == []


def test_two_decisions_on_the_same_weighing_count_once() -> None:
    events = penalties("晋L10011", ["2025-03-15", "2025-07-01"])
    events.append(penalty("晋L10011", "2025-12-01", weighing=("LF-TS-01", "R1")))
    events.append(penalty("晋L10011", "2025-12-01", "2025-12-20", weighing=("LF-TS-01", "R1")))
    assert entries(*events) == []
    events.append(penalty("晋L10011", "2026-01-05"))
    [entry] = entries(*events)
    assert entry.violations == 4 and entry.tripped_on == date(2026, 1, 5)


def test_a_driver_is_listed_across_vehicles_while_no_vehicle_is() -> None:
    who = person(1)
    events = [
        penalty("晋L20001", "2025-04-01", driver=who),
        penalty("晋L20002", "2025-06-01", driver=who),
        penalty("晋L20003", "2025-09-01", driver=who),
        penalty("晋L20001", "2026-01-10", driver=who),
    ]
    found = entries(driver(who), *events)
    assert [(e.rule, e.subject_id, e.tripped_on) for e in found] == [
        ("driver-repeat", who, date(2026, 1, 10))
    ]


def test_one_entry_of_a_rule_at_a_time_and_a_new_trip_only_after_it_ended() -> None:
    first = penalties("晋L10012", ["2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10"])
    more = penalties("晋L10012", ["2025-05-10", "2025-06-10", "2025-07-10", "2025-08-10"])
    [entry] = entries(*first, *more)
    assert entry.tripped_on == date(2025, 4, 10)  # in effect: the later four do not re-trip
    ended = {entry.entry_id: date(2025, 9, 1)}
    assert [e.tripped_on for e in entries(*first, *more, ends=ended)] == [
        date(2025, 4, 10), date(2025, 9, 1)]  # the day it ended, with violations after the trip
    three = penalties("晋L10013", ["2025-01-10", "2025-02-10", "2025-03-10", "2025-04-10",
                                   "2025-05-10", "2025-06-10", "2025-07-10"])
    [only] = entries(*three)
    assert [e.tripped_on for e in entries(*three, ends={only.entry_id: date(2025, 9, 1)})] == [
        date(2025, 4, 10)]  # three after the trip: not enough


def test_mot_2017_lists_the_third_violation_and_not_the_second() -> None:
    two = penalties("晋L30001", ["2025-03-15", "2025-07-01"])
    three = [*two, *penalties("晋L30001", ["2025-12-01"])]
    assert entries(*two, rulebook="mot-2017") == []
    [entry] = entries(*three, rulebook="mot-2017")
    assert (entry.rulebook, entry.tripped_on, entry.violations) == (
        "mot-2017", date(2025, 12, 1), 3
    )
    assert "no licence date known" in entry.window.note  # type: ignore[union-attr]


def test_mot_2017_counts_within_the_licence_year_not_the_rolling_year() -> None:
    licensed = vehicle("晋L30002", None, licence="2020-06-01")
    same_year = penalties("晋L30002", ["2025-06-01", "2025-09-01", "2026-05-31"])
    [entry] = entries(licensed, *same_year, rulebook="mot-2017")
    assert entry.window is not None and entry.window.end == date(2026, 5, 31)
    assert entry.window.note.startswith("licence year 2025-06-01")
    next_year = penalties("晋L30003", ["2025-06-01", "2025-09-01", "2026-06-01"])
    licensed_too = vehicle("晋L30003", None, licence="2020-06-01")
    assert entries(licensed_too, *next_year, rulebook="mot-2017") == []
    # The same dates are within one rolling year, so linfen-2020 would count them together.
    assert len(entries(licensed_too, *next_year, *penalties("晋L30003", ["2026-05-15"]))) == 1


def test_mot_2017_licence_year_of_a_driver_comes_from_the_qualification_certificate() -> None:
    who = person(2)
    events = [
        penalty("晋L30004", "2025-03-01", driver=who),
        penalty("晋L30005", "2025-03-02", driver=who),
        penalty("晋L30006", "2025-03-03", driver=who),
    ]
    # Licence issued 2011-03-02: 1 March 2025 is in the year before the other two.
    assert entries(driver(who, licence="2011-03-02"), *events, rulebook="mot-2017") == []
    [entry] = entries(driver(who, licence="2011-03-01"), *events, rulebook="mot-2017")
    assert entry.rule == "driver-repeat"
