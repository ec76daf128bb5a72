"""The listing lifecycle (issue 5): every path an entry can take, with the operator's actions."""

from datetime import date

import pytest

from overload.errors import OverloadError, RefusedError
from overload.evaluation.entries import Entry
from overload.lifecycle import actions
from overload.lifecycle.load import timelines
from overload.lifecycle.timeline import Timeline
from overload.rulebook import loader
from overload.store.log import EventLog
from tests.builders import entries, penalties, revoke

BOOK = loader.load("linfen-2020")
D = date.fromisoformat


def trip(on: str, *extra: object, plate: str = "晋L10001") -> tuple[Entry, list[object]]:
    """A vehicle entry tripped on `on` (its fourth decision)."""
    events = penalties(plate, ["2026-01-05", "2026-02-05", "2026-03-05", on])
    [entry] = entries(*events, *extra)  # type: ignore[arg-type]
    return entry, events  # type: ignore[return-value]


def current(log: EventLog, entry: Entry) -> Timeline:
    return timelines(log, [entry], BOOK)[entry.entry_id]


def test_an_unopposed_entry_is_listed_after_ten_working_days_and_expires_two_years_later(
    log: EventLog,
) -> None:
    entry, _ = trip("2026-09-25")
    timeline = current(log, entry)
    assert timeline.period_end == D("2026-10-15")
    assert timeline.status_on(D("2026-09-24")) is None
    assert timeline.status_on(D("2026-10-15")) == "flagged"
    assert timeline.next_date(D("2026-10-01")) == ("objection period ends", D("2026-10-15"))
    assert timeline.status_on(D("2026-10-16")) == "listed"
    assert timeline.expires_on == D("2028-10-16")
    assert timeline.status_on(D("2028-10-15")) == "listed"
    assert timeline.status_on(D("2028-10-16")) == "expired"


def test_an_upheld_objection_rejects_the_entry_and_it_is_never_published(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    actions.file_objection(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                           D("2026-10-09"), "称重设备未检定", "张三")
    objection = f"{entry.entry_id}-O1"
    actions.decide_objection(log, {entry.entry_id: current(log, entry)}, objection, True,
                             D("2026-10-20"), "异议成立", "李四")
    timeline = current(log, entry)
    assert timeline.status_on(D("2026-10-19")) == "flagged"  # pending: not published
    assert timeline.next_date(D("2026-10-19")) == (f"objection {objection} pending", None)
    assert timeline.status_on(D("2026-10-20")) == "rejected"
    assert timeline.listed_on is None


def test_a_dismissed_objection_lets_the_entry_proceed_when_decided(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    actions.file_objection(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                           D("2026-10-15"), "异议", "张三")
    actions.decide_objection(log, {entry.entry_id: current(log, entry)}, f"{entry.entry_id}-O1",
                             False, D("2026-10-22"), "异议不成立", "李四")
    timeline = current(log, entry)
    assert timeline.status_on(D("2026-10-21")) == "flagged"
    assert timeline.listed_on == D("2026-10-22")


def test_a_dismissed_objection_within_the_period_does_not_delay_publication(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    actions.file_objection(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                           D("2026-10-08"), "异议", "张三")
    actions.decide_objection(log, {entry.entry_id: current(log, entry)}, f"{entry.entry_id}-O1",
                             False, D("2026-10-12"), "异议不成立", "李四")
    assert current(log, entry).listed_on == D("2026-10-16")


def test_an_objection_after_the_period_is_refused_with_the_date_it_ended(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    with pytest.raises(RefusedError, match="ended on 2026-10-15"):
        actions.file_objection(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                               D("2026-10-16"), "迟到的异议", "张三")
    assert log.count() == 0


def test_withdrawal_before_publication_ends_the_entry_and_it_is_never_listed(
    log: EventLog,
) -> None:
    events = penalties("晋L10002", ["2026-01-05", "2026-02-05", "2026-03-05", "2026-09-25"])
    [entry] = entries(*events, revoke(events[0].case_no, "2026-10-09"))
    timeline = current(log, entry)
    assert timeline.status_on(D("2026-10-09")) == "withdrawn"
    assert timeline.listed_on is None


def test_withdrawal_after_publication_ends_a_listed_entry(log: EventLog) -> None:
    events = penalties("晋L10003", ["2026-01-05", "2026-02-05", "2026-03-05", "2026-09-25"])
    [entry] = entries(*events, revoke(events[0].case_no, "2026-11-02"))
    timeline = current(log, entry)
    assert timeline.status_on(D("2026-11-01")) == "listed"
    assert timeline.status_on(D("2026-11-02")) == "withdrawn"
    assert timeline.ended(D("2026-12-01")) == ("withdrawn", D("2026-11-02"))


def test_repair_too_early_is_refused_and_says_when_then_allowed_on_time(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    with pytest.raises(RefusedError, match="repair is allowed from 2027-10-16"):
        actions.repair(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                       D("2027-10-15"), "修复〔2027〕1号", "王五")
    actions.repair(log, {entry.entry_id: current(log, entry)}, entry.entry_id, D("2027-10-16"),
                   "修复〔2027〕1号", "王五")
    timeline = current(log, entry)
    assert timeline.status_on(D("2027-10-15")) == "listed"
    assert timeline.status_on(D("2027-10-16")) == "repaired"


def test_a_flagged_entry_cannot_be_repaired(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    with pytest.raises(RefusedError, match="only a listed entry"):
        actions.repair(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                       D("2026-10-01"), "X", "王五")


def test_every_operator_action_needs_an_operator_name(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    with pytest.raises(OverloadError, match="operator name is required"):
        actions.file_objection(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                               D("2026-10-09"), "异议", None)


def test_an_objection_is_decided_once(log: EventLog) -> None:
    entry, _ = trip("2026-09-25")
    actions.file_objection(log, {entry.entry_id: current(log, entry)}, entry.entry_id,
                           D("2026-10-09"), "异议", "张三")
    decide = f"{entry.entry_id}-O1"
    actions.decide_objection(log, {entry.entry_id: current(log, entry)}, decide, False,
                             D("2026-10-12"), "不成立", "李四")
    with pytest.raises(RefusedError, match="already decided"):
        actions.decide_objection(log, {entry.entry_id: current(log, entry)}, decide, True,
                                 D("2026-10-13"), "改判", "李四")
