"""`overload todo` (issue 13): the worklist's readings at their boundaries, from events built
directly (no database): the day before, of and after each deadline, exactly N days old."""

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from overload.evaluation.entries import Entry
from overload.events import (
    EntryAnnounced,
    EntryListed,
    EntryRepaired,
    Event,
    ObjectionDecided,
    ObjectionFiled,
    PublicationMade,
)
from overload.lifecycle.calendar import DEFAULT, BureauYear, Calendar, load
from overload.lifecycle.timeline import Timeline, build
from overload.projections.state import Conduct
from overload.rulebook import loader
from overload.worklist import Facts, Horizons, Item, unsettled_parties, worklist
from tests.builders import entries, penalties

D = date.fromisoformat
RULEBOOK = loader.load()
PLATE = "晋L10001"


@pytest.fixture(scope="module")
def entry() -> Entry:
    """A vehicle tripping on Monday 2026-03-02 (its fourth decision that year)."""
    [found] = entries(*penalties(PLATE, ["2026-01-05", "2026-02-05", "2026-02-20", "2026-03-02"]))
    assert found.tripped_on == D("2026-03-02")
    return found


def announced(entry: Entry, on: str = "2026-03-02", ends: str = "2026-03-16") -> EntryAnnounced:
    return EntryAnnounced(entry_id=entry.entry_id, announced_on=D(on), notice_no="信告〔2026〕1号",
                          announcement_no="信示〔2026〕1号", objection_period_ends=D(ends),
                          calendar="chinesecalendar")


def listed(entry: Entry, on: str = "2026-03-17") -> EntryListed:
    return EntryListed(entry_id=entry.entry_id, listed_on=D(on), listing_no="信公〔2026〕1号",
                       batch="2026年第1批")


def filed(entry: Entry, on: str) -> ObjectionFiled:
    return ObjectionFiled(entry_id=entry.entry_id, operator="审核员", objection_id="O1",
                          filed_on=D(on), note="当事人提出异议")


def decided(entry: Entry, on: str, upheld: bool) -> ObjectionDecided:
    return ObjectionDecided(entry_id=entry.entry_id, operator="审核员", objection_id="O1",
                            upheld=upheld, decided_on=D(on), note="复核")


def act(on: str, **lists: Any) -> PublicationMade:
    return PublicationMade(published_on=D(on), seq=1, operator="审核员", rulebook=RULEBOOK.id,
                           rulebook_version=RULEBOOK.version, head_position=1, head_hash="0",
                           **lists)


def timeline(entry: Entry, *events: Event) -> Timeline:
    return build(entry, events, RULEBOOK)


# Years chinesecalendar lacks, as a bureau file would give them (the calendar item aside).
LATER_YEARS = Calendar(tuple(BureauYear(y, frozenset(), frozenset(), "test") for y in
                             (2027, 2028, 2029)))


def todo(on: str, *timelines: Timeline, **facts: Any) -> list[Item]:
    horizons = facts.pop("horizons", Horizons())
    facts.setdefault("calendar", LATER_YEARS)
    found = Facts(timelines={t.entry.entry_id: t for t in timelines},
                  conduct_codes=tuple(RULEBOOK.conduct_codes), **facts)
    return list(worklist(found, D(on), horizons).items)


def kinds(items: list[Item]) -> list[tuple[str, str]]:
    return [(i.kind, i.urgency) for i in items]


# --- a flagged entry awaits its 公示: due from the trip, overdue after 5 working days ---------

@pytest.mark.parametrize(("on", "expected"), [
    ("2026-03-01", []),  # before the trip: nothing
    ("2026-03-02", [("announce", "due")]),
    ("2026-03-09", [("announce", "due")]),  # the 5th working day after the trip
    ("2026-03-10", [("announce", "overdue")]),
])
def test_a_flagged_entry_is_due_for_announcement_and_overdue_after_five_working_days(
    entry: Entry, on: str, expected: list[tuple[str, str]],
) -> None:
    assert kinds(todo(on, timeline(entry))) == expected


def test_an_announcement_item_names_the_act_that_announces_it_and_its_age(entry: Entry) -> None:
    [item] = todo("2026-03-05", timeline(entry))
    assert item.command == "overload publish --on 2026-03-05 --out DIR"
    assert (item.entry_id, item.subject_id, item.due_on, item.age_days) == (
        entry.entry_id, PLATE, D("2026-03-02"), 3)
    assert item.row()["detail"] == "vehicle-repeat tripped on 2026-03-02: to be announced (公示 " \
                                   "and 告知书)"


# --- the publicity period ending, then listing: due the day after, overdue after 5 -----------

@pytest.mark.parametrize(("on", "expected"), [
    ("2026-03-08", []),  # the deadline 8 days ahead: past the 7-day horizon
    ("2026-03-09", [("period_ends", "soon")]),
    ("2026-03-15", [("period_ends", "soon")]),
    ("2026-03-16", [("period_ends", "due")]),  # the last day to object
    ("2026-03-17", [("list", "due")]),
    ("2026-03-24", [("list", "due")]),  # the 5th working day after 2026-03-17
    ("2026-03-25", [("list", "overdue")]),
])
def test_the_period_ends_soon_then_the_entry_is_due_to_be_listed(
    entry: Entry, on: str, expected: list[tuple[str, str]],
) -> None:
    assert kinds(todo(on, timeline(entry, announced(entry)))) == expected


def test_a_listing_act_ends_the_listing_item_and_points_the_period_item_at_the_next_day(
    entry: Entry,
) -> None:
    [item] = todo("2026-03-12", timeline(entry, announced(entry)))
    assert item.command == "overload publish --on 2026-03-17 --out DIR"
    assert todo("2026-03-17", timeline(entry, announced(entry), listed(entry))) == []


def test_a_pending_objection_is_due_with_its_age_and_holds_the_listing(entry: Entry) -> None:
    line = timeline(entry, announced(entry), filed(entry, "2026-03-10"))
    [item] = todo("2026-03-18", line)
    assert (item.kind, item.urgency, item.age_days) == ("objection", "overdue", 8)
    assert item.command.startswith("overload objection decide O1 --on 2026-03-18")
    [item] = todo("2026-03-17", line)
    assert (item.kind, item.urgency) == ("objection", "due")  # the 5th working day after 03-10


@pytest.mark.parametrize(("on", "expected"), [
    ("2026-03-19", [("objection", "overdue")]),
    ("2026-03-20", [("list", "due")]),  # dismissed that day: listable from it
    ("2026-03-27", [("list", "due")]),
    ("2026-03-28", [("list", "overdue")]),
])
def test_after_a_dismissed_objection_the_listing_is_due_from_the_decision(
    entry: Entry, on: str, expected: list[tuple[str, str]],
) -> None:
    line = timeline(entry, announced(entry), filed(entry, "2026-03-10"),
                    decided(entry, "2026-03-20", upheld=False))
    assert kinds(todo(on, line)) == expected


def test_an_upheld_objection_is_made_public_in_the_next_act_then_nothing(entry: Entry) -> None:
    line = timeline(entry, announced(entry), filed(entry, "2026-03-10"),
                    decided(entry, "2026-03-12", upheld=True))
    [item] = todo("2026-03-13", line)
    assert (item.kind, item.args["status"], item.due_on) == ("make_public", "rejected",
                                                             D("2026-03-12"))
    assert todo("2026-03-13", line, acts=[act("2026-03-13", not_listed=(entry.entry_id,))]) == []
    # an act after the day asked about did not yet make it public
    assert kinds(todo("2026-03-13", line, acts=[act("2026-03-14", not_listed=(entry.entry_id,))])
                 ) == [("make_public", "due")]


# --- listed: repair possible after a year, expiry coming within 30 days, removal owed --------

def test_repair_becomes_possible_one_year_after_listing_for_information(entry: Entry) -> None:
    line = timeline(entry, announced(entry), listed(entry))
    assert todo("2027-03-16", line) == []
    [item] = todo("2027-03-17", line)
    assert (item.kind, item.urgency, item.overdue) == ("repair_possible", "info", False)
    assert item.command == f"overload repair {entry.entry_id} --on 2027-03-17 --document NO"


@pytest.mark.parametrize(("on", "expected"), [
    ("2028-02-15", [("repair_possible", "info")]),  # expiry 31 days ahead: not yet
    ("2028-02-16", [("expiry", "soon"), ("repair_possible", "info")]),
    ("2028-03-16", [("expiry", "soon"), ("repair_possible", "info")]),  # last day shown
    ("2028-03-17", [("make_public", "due")]),  # expired: the 移出公告 is owed
])
def test_an_expiry_is_coming_within_thirty_days_then_its_removal_is_due(
    entry: Entry, on: str, expected: list[tuple[str, str]],
) -> None:
    line = timeline(entry, announced(entry), listed(entry))
    assert kinds(todo(on, line)) == expected


def test_a_repair_is_made_public_once_by_the_next_act(entry: Entry) -> None:
    line = timeline(entry, announced(entry), listed(entry), EntryRepaired(
        entry_id=entry.entry_id, operator="审核员", repaired_on=D("2027-03-20"),
        document_no="信修〔2027〕1号"))
    [item] = todo("2027-03-22", line)
    assert (item.kind, item.args["status"], item.age_days) == ("make_public", "repaired", 2)
    assert todo("2027-03-22", line, acts=[act("2027-03-22", ended=(entry.entry_id,))]) == []


def test_a_withdrawal_of_a_public_entry_needs_a_correction_not_of_a_flagged_one(
    entry: Entry,
) -> None:
    gone = replace(entry, withdrawn_on=D("2026-04-01"))
    assert todo("2026-04-02", timeline(gone)) == []  # never made public
    [item] = todo("2026-04-02", timeline(gone, announced(gone), listed(gone)))
    assert (item.kind, item.args["status"]) == ("make_public", "withdrawn")
    assert todo("2026-04-02", timeline(gone, announced(gone), listed(gone)),
                acts=[act("2026-04-02", corrected=(entry.entry_id,))]) == []


def test_a_revoked_decision_under_a_standing_entry_needs_its_facts_corrected(
    entry: Entry,
) -> None:
    line = timeline(entry, announced(entry), listed(entry))
    case = entry.evidence[0]
    [item] = todo("2026-05-12", line, revocations={case: D("2026-05-12")})
    assert (item.kind, item.args["status"], item.args["cases"]) == ("make_public", "corrected",
                                                                    case)
    assert todo("2026-05-11", line, revocations={case: D("2026-05-12")}) == []
    done = act("2026-05-13", corrected=(entry.entry_id,), revised={entry.entry_id: (case,)})
    assert todo("2026-05-13", line, revocations={case: D("2026-05-12")}, acts=[done]) == []


# --- 一超四罚 backlog: exactly N days old with an open or unknown party -----------------------

def case(weighed_on: str, **parties: str) -> dict[str, Any]:
    statuses = {"vehicle": "penalised", "driver": "penalised", "enterprise": "penalised",
                "source_unit": "penalised", **parties}
    return {"station_id": "LF-TS-01", "record_id": "R1", "weighed_on": weighed_on,
            "plate": PLATE, **statuses}


@pytest.mark.parametrize(("on", "shown"), [("2026-02-03", False), ("2026-02-04", True)])
def test_a_detection_is_backlog_from_exactly_thirty_days_old(on: str, shown: bool) -> None:
    items = todo(on, cases=[case("2026-01-05", driver="open")])
    assert kinds(items) == ([("backlog", "overdue")] if shown else [])


def test_an_unknown_party_is_backlog_and_a_fully_penalised_case_is_not() -> None:
    [item] = todo("2026-03-01", cases=[case("2026-01-05", source_unit="unknown"),
                                       case("2026-01-06", enterprise="n/a")])
    assert item.args["parties"] == "source_unit"
    assert item.command == "overload cases --open --older-than 30"
    assert unsettled_parties(case("2026-01-05", driver="open", source_unit="unknown")) == (
        "driver", "source_unit")


def test_the_backlog_age_follows_the_older_than_option() -> None:
    items = todo("2026-01-15", cases=[case("2026-01-05", driver="open")],
                 horizons=Horizons(older_than_days=10))
    assert [(i.kind, i.age_days, i.due_on) for i in items] == [("backlog", 10, D("2026-01-15"))]


# --- data to fix: quarantine, serious conduct that grounds nothing, stations, calendar --------

def test_pending_quarantined_rows_are_due_per_file_once_recorded() -> None:
    rows = [{"id": n, "file": "a.jsonl", "recorded_on": D("2026-03-01")} for n in (1, 2)]
    rows.append({"id": 3, "file": "b.csv", "recorded_on": D("2026-03-05")})
    items = todo("2026-03-04", quarantine=rows)
    assert [(i.kind, i.urgency, i.subject_id, i.args["count"]) for i in items] == [
        ("quarantine", "due", "a.jsonl", 2)]
    assert len(todo("2026-03-05", quarantine=rows)) == 2


def conduct_record(code: str, decided_on: date | None) -> Conduct:
    return Conduct(1, "source_unit", "91141000MA0GD7H8JB", code, D("2026-04-09"), "临交源〔2026〕12号",
                   None, decided_on)


def test_serious_conduct_without_decided_on_or_outside_notice_8_is_to_be_fixed() -> None:
    records = [conduct_record("permit-fraud", None),
               conduct_record("source-overloading", D("2026-04-10")),
               conduct_record("permit-fraud", D("2026-04-10"))]
    items = todo("2026-04-10", conducts=records)
    assert [(i.kind, i.urgency) for i in items] == [("conduct", "due")] * 2
    assert "no decided_on" in items[0].row()["detail"]
    assert "not one of Notice 8" in items[1].row()["detail"]
    assert items[0].command == "overload explain 91141000MA0GD7H8JB"
    assert todo("2026-04-08", conducts=records) == []


def test_weighings_from_unregistered_stations_are_due_only_when_stations_are_registered() -> None:
    assert todo("2026-03-01", unknown_stations=None) == []
    [item] = todo("2026-03-01", unknown_stations={"LF-XX-09": (3, D("2026-02-01"))})
    assert (item.kind, item.subject_id, item.args["count"]) == ("unknown_station", "LF-XX-09", 3)


@pytest.mark.parametrize(("on", "expected"), [
    ("2026-12-10", []),
    ("2026-12-11", [("calendar", "soon")]),  # an act on 2026-12-18 counts into 2027
    ("2026-12-18", [("calendar", "due")]),
])
def test_a_year_no_calendar_covers_is_flagged_for_the_acts_within_the_horizon(
    on: str, expected: list[tuple[str, str]],
) -> None:
    items = todo(on, calendar=DEFAULT)
    assert kinds(items) == expected
    if items:
        assert (items[0].subject_id, items[0].due_on) == ("2027", D("2026-12-18"))


def test_a_bureau_calendar_file_covers_the_year(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text('[2027]\nholidays = ["2027-01-01"]\n', encoding="utf-8")
    assert todo("2026-12-18", calendar=load([path])) == []


# --- the exit code -----------------------------------------------------------------------------

def test_exit_3_only_when_something_is_overdue(entry: Entry) -> None:
    def code(on: str) -> int:
        facts = Facts(timelines={entry.entry_id: timeline(entry)})
        return worklist(facts, D(on)).exit_code

    assert code("2026-03-01") == 0  # nothing to do
    assert code("2026-03-09") == 0  # due, on time
    assert code("2026-03-10") == 3  # overdue


def test_items_are_ordered_overdue_first_then_by_date(entry: Entry) -> None:
    items = todo("2026-03-10", timeline(entry),
                 quarantine=[{"id": 1, "file": "a", "recorded_on": D("2026-03-10")}],
                 cases=[case("2026-01-05", driver="open")])
    assert [(i.urgency, i.kind) for i in items] == [
        ("overdue", "backlog"), ("overdue", "announce"), ("due", "quarantine")]
    assert items[0].due_on == D("2026-01-05") + timedelta(days=30)
