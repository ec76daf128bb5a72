"""The listing lifecycle as the bureau's dated acts (issue 11, domain.md §4): every boundary."""

from datetime import date
from pathlib import Path

import pytest

from overload import clock
from overload.errors import OverloadError, RefusedError
from overload.events import (
    EntryListed,
    Event,
    ListPublished,
    PenaltyDecided,
    PublicationMade,
    VehicleRegistered,
    WeighingRecorded,
)
from overload.lifecycle import actions
from overload.lifecycle.load import view
from overload.lifecycle.timeline import Timeline
from overload.publish.act import ActRefusedError, acts
from overload.publish.publish import Published, publish
from overload.store.log import EventLog, Pending
from tests import builders
from tests.builders import company, enterprise, revoke
from tests.documents import settings

D = date.fromisoformat
PLATE = "晋L10001"
BUREAU = settings()


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Acts are never in the future: most tests act on dates up to 2028 (the clock itself is
    patched, not frozen, so that dates stay plain `date` objects in stored JSON)."""
    monkeypatch.setattr(clock, "today", lambda: date(2029, 1, 1))


def penalty(plate: str, violation: str, decided: str | None = None) -> PenaltyDecided:
    """A decision with every fact its 告知书 states: the place, the masses, the weighing."""
    base = builders.penalty(plate, violation, decided)
    return PenaltyDecided.model_validate({
        **base.model_dump(mode="json", exclude_none=True), "station_id": "LF-TS-01",
        "record_id": base.case_no, "gross_kg": 55_000, "limit_kg": 49_000,
        "place": "G108国道临汾北超限检测站"})


def penalties(plate: str, on: list[str]) -> list[PenaltyDecided]:
    return [penalty(plate, day) for day in on]


def registry(plate: str) -> list[Event]:
    """The plate's owner (an enterprise of its own, so that its notice has an addressee) in a
    fleet of twelve (one violating vehicle is not over 10 %)."""
    owner = company(int(plate[2:]) % 100_000)
    fleet = [plate, *(f"{plate}{k}" for k in "ABCDEFGHJKM")]
    return [enterprise(owner, f"测试{plate[2:]}运输有限公司"),
            *(VehicleRegistered.model_validate({"plate": p, "enterprise_id": owner, "axles": 6,
                                                "registered_on": "2020-01-01"}) for p in fleet)]


def feed(log: EventLog, *events: Event) -> None:
    """The events, each decision with the weighing it rests on and its vehicle's owner."""
    extra: list[Event] = []
    for event in events:
        if isinstance(event, PenaltyDecided) and event.station_id and event.record_id:
            extra += registry(event.plate)
            extra.append(WeighingRecorded.model_validate({
                "station_id": event.station_id, "record_id": event.record_id,
                "plate": event.plate, "axles": 6, "gross_kg": event.gross_kg,
                "weighed_at": event.violation_at.isoformat()}))
    log.write([Pending.of(e, "test") for e in [*extra, *events]])


def trip(log: EventLog, on: str = "2026-09-18", plate: str = PLATE) -> list[Event]:
    """A vehicle tripping on `on` (its fourth decision, three before it that year)."""
    year = int(on[:4])
    earlier = [f"{year}-01-05", f"{year}-02-05", f"{year}-02-20"]
    events: list[Event] = list(penalties(plate, [*earlier, on]))
    feed(log, *events)
    return events


def act(log: EventLog, on: str, out: Path, allow_empty: bool = False,
        allow_fallback: bool = False, draft: bool = False) -> Published:
    return publish(log, None, D(on), out / on, "审核员", None, [], bureau=BUREAU,
                   allow_empty=allow_empty,
                   allow_fallback=allow_fallback, draft=draft)


def only(log: EventLog) -> Timeline:
    [timeline] = view(log, None).timelines.values()
    return timeline


def timelines(log: EventLog) -> dict[str, Timeline]:
    return view(log, None).timelines


def test_the_period_runs_from_the_announcing_act_over_national_day_and_listing_waits_for_an_act(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    assert only(log).status_on(D("2026-12-31")) == "flagged"  # nothing happens by itself
    act(log, "2026-09-25", tmp_path)  # 1-8 October 2026 are holidays, Sat 10 Oct is worked
    timeline = only(log)
    assert (timeline.announced_on, timeline.period_end) == (D("2026-09-25"), D("2026-10-15"))
    assert timeline.announced is not None and timeline.announced.calendar == "chinesecalendar"
    act(log, "2026-10-15", tmp_path, allow_empty=True)  # the period's last day: not yet
    assert only(log).listed_on is None
    act(log, "2026-10-16", tmp_path)  # the day after: listed by this act
    timeline = only(log)
    assert timeline.listed_on == D("2026-10-16")
    assert timeline.display_until == D("2028-10-15")
    assert timeline.status_on(D("2028-10-15")) == "listed"
    assert timeline.status_on(D("2028-10-16")) == "expired"


def test_an_act_after_the_period_lists_on_its_own_date_never_earlier(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    act(log, "2026-09-25", tmp_path)
    act(log, "2026-11-30", tmp_path)
    timeline = only(log)
    assert timeline.listed_on == D("2026-11-30")
    assert timeline.repair_from == D("2027-11-30")
    assert timeline.status_on(D("2026-11-29")) == "announced"


def test_an_objection_is_filed_from_the_announcement_to_the_deadline_inclusive(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    entry_id = only(log).entry.entry_id
    with pytest.raises(RefusedError, match="not been announced"):
        actions.file_objection(log, timelines(log), entry_id, D("2026-09-20"), "异议", "张三")
    act(log, "2026-09-25", tmp_path)
    with pytest.raises(RefusedError, match="ended on 2026-10-15"):
        actions.file_objection(log, timelines(log), entry_id, D("2026-10-16"), "迟", "张三")
    with pytest.raises(RefusedError, match="announced on 2026-09-25"):
        actions.file_objection(log, timelines(log), entry_id, D("2026-09-24"), "早", "张三")
    actions.file_objection(log, timelines(log), entry_id, D("2026-10-15"), "异议", "张三")
    act(log, "2026-10-20", tmp_path, allow_empty=True)
    assert only(log).listed_on is None  # pending objection: not listed
    actions.decide_objection(log, timelines(log), f"{entry_id}-O1", False, D("2026-10-22"),
                             "不成立", "李四")
    act(log, "2026-10-23", tmp_path)
    assert only(log).listed_on == D("2026-10-23")


def test_an_upheld_objection_rejects_and_the_next_announcement_says_not_listed(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    entry_id = only(log).entry.entry_id
    act(log, "2026-09-25", tmp_path)
    actions.file_objection(log, timelines(log), entry_id, D("2026-10-09"), "称重设备未检定", "张三")
    actions.decide_objection(log, timelines(log), f"{entry_id}-O1", True, D("2026-10-20"),
                             "异议成立", "李四")
    assert only(log).status_on(D("2026-10-20")) == "rejected"
    act(log, "2026-10-21", tmp_path)
    latest = acts(log)[-1]
    assert latest.not_listed == (entry_id,) and latest.listed == ()
    [announcement] = (tmp_path / "2026-10-21" / "public").glob("公示-*.md")
    assert "不予列入" in announcement.read_text()
    assert only(log).listed_on is None


def test_withdrawal_after_listing_is_corrected_by_the_next_act(
    log: EventLog, tmp_path: Path,
) -> None:
    events = trip(log)
    act(log, "2026-09-25", tmp_path)
    act(log, "2026-10-16", tmp_path)
    feed(log, revoke(events[0].case_no, "2026-11-02"))  # type: ignore[attr-defined]
    assert only(log).status_on(D("2026-11-02")) == "withdrawn"
    act(log, "2026-11-03", tmp_path)
    assert acts(log)[-1].corrected == (only(log).entry.entry_id,)
    assert list((tmp_path / "2026-11-03" / "public").glob("更正公告-*.md"))


def test_repair_from_one_year_after_listing_then_removed_by_the_next_act(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    act(log, "2026-09-25", tmp_path)
    act(log, "2026-10-16", tmp_path)
    entry_id = only(log).entry.entry_id
    with pytest.raises(RefusedError, match="repair is allowed from 2027-10-16"):
        actions.repair(log, timelines(log), entry_id, D("2027-10-15"), "修复1", "王五")
    actions.repair(log, timelines(log), entry_id, D("2027-10-16"), "修复1", "王五")
    assert only(log).status_on(D("2027-10-16")) == "repaired"
    act(log, "2027-10-20", tmp_path)
    assert acts(log)[-1].ended == (entry_id,)
    assert list((tmp_path / "2027-10-20" / "public").glob("移出公告-*.md"))


def test_expiry_after_two_years_is_removed_by_the_next_act(log: EventLog, tmp_path: Path) -> None:
    trip(log)
    act(log, "2026-09-25", tmp_path)
    act(log, "2026-10-16", tmp_path)
    act(log, "2028-10-15", tmp_path, allow_empty=True)
    assert acts(log)[-1].ended == ()
    act(log, "2028-10-16", tmp_path)
    assert acts(log)[-1].ended == (only(log).entry.entry_id,)


def test_no_act_in_the_future(
    log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    trip(log)
    entry_id = only(log).entry.entry_id
    with pytest.raises(OverloadError, match="up to 2026-12-01"):
        act(log, "2026-12-02", tmp_path)
    act(log, "2026-12-01", tmp_path)
    with pytest.raises(OverloadError, match="up to 2026-12-01"):
        actions.file_objection(log, timelines(log), entry_id, D("2026-12-02"), "异议", "张三")
    with pytest.raises(OverloadError, match="up to 2026-12-01"):
        actions.repair(log, timelines(log), entry_id, D("2027-03-20"), "修复", "王五")
    actions.file_objection(log, timelines(log), entry_id, D("2026-12-01"), "异议", "张三")
    with pytest.raises(OverloadError, match="up to 2026-12-01"):
        actions.decide_objection(log, timelines(log), f"{entry_id}-O1", True, D("2026-12-02"),
                                 "x", "李四")


def test_an_act_before_the_latest_is_refused_with_the_allowed_range(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    act(log, "2026-09-25", tmp_path)
    with pytest.raises(ActRefusedError, match="from 2026-09-25 to 2029-01-01"):
        act(log, "2026-09-24", tmp_path, allow_empty=True)


def test_the_same_date_with_nothing_new_records_nothing_and_writes_the_same_files(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log)
    act(log, "2026-09-25", tmp_path)
    before = log.count()
    first = {p.name: p.read_bytes() for p in (tmp_path / "2026-09-25").rglob("*") if p.is_file()}
    done = publish(log, None, D("2026-09-25"), tmp_path / "again", "审核员", None, [],
                   bureau=BUREAU)
    assert "nothing new" in done.message and log.count() == before
    again = {p.name: p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert again == first
    trip(log, plate="晋L10002")  # something new on the same date: a second act of that date
    act(log, "2026-09-25", tmp_path)
    assert [(a.published_on, a.seq) for a in acts(log)] == [(D("2026-09-25"), 1),
                                                           (D("2026-09-25"), 2)]


def test_document_numbers_run_per_year_and_kind_across_acts(log: EventLog, tmp_path: Path) -> None:
    trip(log)
    trip(log, "2026-09-21", plate="晋L10002")
    act(log, "2026-09-25", tmp_path)
    first = acts(log)[-1]
    assert first.numbers == {"announcement": ("临交信示〔2026〕1号",),
                             "notice": ("临交信告〔2026〕1号", "临交信告〔2026〕2号")}
    trip(log, "2026-12-01", plate="晋L10003")
    act(log, "2026-12-10", tmp_path)  # lists the first two, announces the third
    second = acts(log)[-1]
    assert second.numbers == {"announcement": ("临交信示〔2026〕2号",), "listing": ("临交信公〔2026〕1号",),
                              "notice": ("临交信告〔2026〕3号",)}
    act(log, "2027-01-20", tmp_path)  # a new year starts every sequence again
    third = acts(log)[-1]
    assert third.numbers == {"listing": ("临交信公〔2027〕1号",)}
    listed = [t for t in timelines(log).values() if t.listing and t.listed_on == D("2027-01-20")]
    assert [t.listing.batch for t in listed if t.listing] == ["2027年第1批"]
    assert isinstance(third, PublicationMade) and third.operator == "审核员"


def test_a_draft_uses_no_number_and_records_nothing(log: EventLog, tmp_path: Path) -> None:
    trip(log)
    only(log)  # the engine records its flags first: they are not the act's
    before = log.count()
    act(log, "2026-09-25", tmp_path, draft=True)
    assert log.count() == before
    act(log, "2026-09-25", tmp_path)
    assert acts(log)[-1].numbers["notice"] == ("临交信告〔2026〕1号",)


def test_announcing_with_a_fallback_deadline_needs_a_calendar_or_the_flag(
    log: EventLog, tmp_path: Path,
) -> None:
    trip(log, "2027-03-01")
    with pytest.raises(ActRefusedError, match="holiday data for 2027"):
        act(log, "2027-03-02", tmp_path)
    assert acts(log) == []
    calendar = tmp_path / "2027.toml"
    calendar.write_text('[2027]\nholidays = ["2027-03-05"]\nworkdays = []\n')
    publish(log, None, D("2027-03-02"), tmp_path / "o", "审核员", None, [calendar], bureau=BUREAU)
    timeline = only(log)
    # 10 working days from 3 March 2027 with 5 March off: 17 March.
    assert timeline.period_end == D("2027-03-17")
    assert timeline.calendar == "bureau calendar 2027.toml"


def test_the_fallback_flag_announces_and_names_the_calendar(log: EventLog, tmp_path: Path) -> None:
    trip(log, "2027-03-01")
    act(log, "2027-03-02", tmp_path, allow_fallback=True)
    timeline = only(log)
    assert timeline.period_end == D("2027-03-16")
    assert timeline.calendar == "Monday-Friday"


def test_publishing_nothing_on_a_new_date_needs_allow_empty(log: EventLog, tmp_path: Path) -> None:
    with pytest.raises(ActRefusedError, match="--allow-empty"):
        act(log, "2026-09-25", tmp_path)
    act(log, "2026-09-25", tmp_path, allow_empty=True)
    assert len(acts(log)) == 1


def test_every_operator_action_needs_an_operator_name(log: EventLog, tmp_path: Path) -> None:
    trip(log)
    with pytest.raises(OverloadError, match="operator name is required"):
        publish(log, None, D("2026-09-25"), tmp_path, None, None, [], bureau=BUREAU)


def test_legacy_publication_events_are_read_but_give_no_date(log: EventLog, tmp_path: Path) -> None:
    trip(log)
    entry_id = only(log).entry.entry_id
    legacy = [
        EntryListed(entry_id=entry_id, listed_on=D("2026-10-03"),
                    publication_as_of=D("2026-12-31")),
        ListPublished(rulebook="linfen-2020", rulebook_version=1, as_of=D("2026-12-31"),
                      head_position=1, head_hash="0" * 64, files={}, listed_entries=(entry_id,)),
    ]
    log.write([Pending.of(e, "engine:linfen-2020@1") for e in legacy])
    assert [s.model() for s in log.read(types=("EntryListed", "ListPublished"))] == legacy
    assert only(log).status_on(D("2026-12-31")) == "flagged"  # computed dates are not acts
    act(log, "2026-09-25", tmp_path)
    act(log, "2026-10-16", tmp_path)  # no key collision with the legacy `listed:` event
    assert only(log).listed_on == D("2026-10-16")


def test_one_entry_at_a_time_and_a_new_trip_the_day_an_act_ended_it(
    log: EventLog, tmp_path: Path,
) -> None:
    days = ["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-10",
            "2026-05-10", "2026-06-10", "2026-07-10", "2026-08-10"]
    feed(log, *penalties(PLATE, days))
    [first] = timelines(log).values()  # the later four do not trip while it is in effect
    assert first.entry.tripped_on == D("2026-04-10")
    act(log, "2026-09-01", tmp_path)
    actions.file_objection(log, timelines(log), first.entry.entry_id, D("2026-09-02"), "异议",
                           "张三")
    actions.decide_objection(log, timelines(log), f"{first.entry.entry_id}-O1", True,
                             D("2026-09-10"), "异议成立", "李四")
    # The upheld objection ended it: the projection catches up without any new feed event.
    found = sorted(timelines(log).values(), key=lambda t: t.entry.tripped_on)
    assert [t.entry.tripped_on for t in found] == [D("2026-04-10"), D("2026-09-10")]
    assert found[1].entry.violations == 4 and found[1].status_on(D("2026-09-10")) == "flagged"


def test_a_standing_entry_gets_a_facts_correction_then_a_withdrawal_each_once(
    log: EventLog, tmp_path: Path,
) -> None:
    events: list[Event] = list(penalties(PLATE, ["2025-07-01", "2025-08-01", "2025-09-01"]))
    events += [penalty(PLATE, "2025-10-01", "2025-10-20"), penalty(PLATE, "2025-10-02", "2025-10-20")]
    feed(log, *events)
    act(log, "2025-10-25", tmp_path)
    act(log, "2025-11-20", tmp_path)
    entry_id = only(log).entry.entry_id
    first, second = (e.case_no for e in events[:2])  # type: ignore[attr-defined]
    feed(log, revoke(first, "2026-01-10"))  # four of five, known on the trip date: it stands
    act(log, "2026-01-15", tmp_path)
    assert (acts(log)[-1].corrected, acts(log)[-1].revised) == ((entry_id,), {entry_id: (first,)})
    text = next((tmp_path / "2026-01-15" / "public").glob("更正公告-*.md")).read_text()
    assert first in text and "认定维持不变" in text
    act(log, "2026-01-20", tmp_path, allow_empty=True)  # reported once
    assert acts(log)[-1].corrected == ()
    feed(log, revoke(second, "2026-02-10"))  # three left: withdrawn
    act(log, "2026-02-15", tmp_path)
    assert (acts(log)[-1].corrected, acts(log)[-1].revised) == ((entry_id,), {})
    text = next((tmp_path / "2026-02-15" / "public").glob("更正公告-*.md")).read_text()
    assert "撤销对其列入名单的认定" in text


def test_a_notice_missing_a_fact_or_an_addressee_refuses_the_act_naming_the_entry(
    log: EventLog, tmp_path: Path,
) -> None:
    bare = [builders.penalty(PLATE, day) for day in ["2026-01-05", "2026-02-05", "2026-02-20",
                                                      "2026-09-18"]]
    log.write([Pending.of(e, "test") for e in [*registry(PLATE), *bare]])
    entry_id = only(log).entry.entry_id
    with pytest.raises(OverloadError, match=rf"entry {entry_id} \({PLATE}.*facts\[1\]\.place"):
        act(log, "2026-09-25", tmp_path)
    assert acts(log) == [] and not (tmp_path / "2026-09-25").exists()
    draft = act(log, "2026-09-25", tmp_path, draft=True)  # a draft shows what is missing
    assert "nothing recorded" in draft.message
    notice = next((tmp_path / "2026-09-25" / "to-subjects").glob("*.html")).read_text()
    assert "〔未提供〕" in notice and "草稿" in notice


def test_a_vehicle_whose_owner_the_registry_does_not_know_is_never_addressed_by_plate(
    log: EventLog, tmp_path: Path,
) -> None:
    events = penalties(PLATE, ["2026-01-05", "2026-02-05", "2026-02-20", "2026-09-18"])
    weighings = [WeighingRecorded.model_validate({
        "station_id": "LF-TS-01", "record_id": e.record_id, "plate": PLATE, "axles": 6,
        "gross_kg": 55_000, "weighed_at": e.violation_at.isoformat()}) for e in events]
    log.write([Pending.of(e, "test") for e in [*weighings, *events]])  # no registration
    with pytest.raises(OverloadError, match=r"addressee\.name is not known"):
        act(log, "2026-09-25", tmp_path)
    assert acts(log) == []


def test_an_individually_owned_vehicle_is_addressed_to_the_person_its_registration_names(
    log: EventLog, tmp_path: Path,
) -> None:
    """Feed v1.1 `owner_name`/`owner_id`: the 告知书 goes to the owner, never to the plate, and
    the owner's name stays out of every public file."""
    events = penalties(PLATE, ["2026-01-05", "2026-02-05", "2026-02-20", "2026-09-18"])
    weighings = [WeighingRecorded.model_validate({
        "station_id": "LF-TS-01", "record_id": e.record_id, "plate": PLATE, "axles": 6,
        "gross_kg": 55_000, "weighed_at": e.violation_at.isoformat()}) for e in events]
    owner = VehicleRegistered.model_validate({
        "plate": PLATE, "axles": 6, "registered_on": "2020-01-01", "owner_name": "王建国",
        "owner_id": builders.person(77)})
    log.write([Pending.of(e, "test") for e in [owner, *weighings, *events]])
    act(log, "2026-09-25", tmp_path)
    folder = tmp_path / "2026-09-25"
    [notice] = (folder / "to-subjects").glob("*.html")
    text = notice.read_text()
    assert "王建国" in text and builders.person(77) in text and PLATE in text
    public = "".join(p.read_text(errors="ignore") for p in (folder / "public").glob("*.*")
                     if p.suffix in (".html", ".md", ".json", ".csv"))
    assert "王建国" not in public and builders.person(77) not in public
