"""The list shares one lifecycle among entries with the same trip and withdrawal dates: it must
give every entry the row its own timeline gives, on every date."""

from datetime import date, timedelta
from typing import Any

from overload.evaluation.entries import Entry
from overload.events import (
    EntryAnnounced,
    EntryListed,
    EntryRepaired,
    Event,
    ObjectionDecided,
    ObjectionFiled,
)
from overload.lifecycle.timeline import IN_EFFECT, build
from overload.listing import _dates_on, _row, rows
from overload.rulebook import loader
from tests.builders import entries, penalties, revoke

BOOK = loader.load("linfen-2020")


def trips() -> list[Entry]:
    """Vehicles tripping on the same and on different days, one of them withdrawn later."""
    found: list[Entry] = []
    for n, fourth in enumerate(["2026-03-02", "2026-03-02", "2026-03-02", "2026-04-10",
                                "2026-03-02"]):
        plate = f"晋L1000{n}"
        events: list[Any] = penalties(plate, ["2026-01-05", "2026-02-05", "2026-02-20", fourth])
        if n == 2:
            events.append(revoke(events[0].case_no, "2026-05-01"))
        found += entries(*events)
    assert len({(e.tripped_on, e.withdrawn_on) for e in found}) == 3
    return found


def operator_events(found: list[Entry]) -> dict[str, list[Event]]:
    """Acts on every entry (announced 2026-04-15, listed 2026-05-06), an objection dismissed on
    one entry, a repair on another: they get their own dates."""
    first, second = found[0].entry_id, found[1].entry_id
    acts: dict[str, list[Event]] = {e.entry_id: [
        EntryAnnounced(entry_id=e.entry_id, announced_on=date(2026, 4, 15), notice_no="告-1",
                       announcement_no="示-1", objection_period_ends=date(2026, 4, 29),
                       calendar="chinesecalendar"),
        EntryListed(entry_id=e.entry_id, listed_on=date(2026, 5, 6), listing_no="公-1",
                    batch="2026年第1批")] for e in found}
    return {
        **acts,
        first: [*acts[first],
            ObjectionFiled(entry_id=first, operator="张三", objection_id=f"{first}-O1",
                           filed_on=date(2026, 4, 16), note="异议"),
            ObjectionDecided(entry_id=first, operator="李四", objection_id=f"{first}-O1",
                             upheld=False, decided_on=date(2026, 4, 20), note="不成立"),
        ],
        second: [*acts[second], EntryRepaired(entry_id=second, operator="李四", repaired_on=date(2027, 4, 1),
                               document_no="修复-1")],
    }


def one_by_one(found: list[Entry], events: dict[str, list[Event]], day: date,
               include_ended: bool) -> list[dict[str, Any]]:
    """The reference: every entry's own timeline, nothing shared."""
    result = []
    for entry in found:
        dates = _dates_on(build(entry, events.get(entry.entry_id, []), BOOK), day)
        if dates is not None and (dates[0] in IN_EFFECT or include_ended):
            result.append(_row(entry, dates, {}, BOOK))
    return result


def test_shared_lifecycles_give_each_entry_its_own_row_on_every_date() -> None:
    found = trips()
    events = operator_events(found)
    day, seen = date(2026, 2, 25), set[tuple[str, str]]()
    while day < date(2029, 6, 1):
        for include_ended in (False, True):
            listed = rows(found, events, {}, BOOK, day, include_ended=include_ended)
            assert listed == one_by_one(found, events, day, include_ended), day
            seen.update((r["entry_id"], r["status"]) for r in listed)
        day += timedelta(days=3)
    statuses = {status for _, status in seen}
    assert {"flagged", "announced", "listed", "withdrawn", "repaired", "expired"} <= statuses
    first_rows = {status for entry_id, status in seen if entry_id == found[0].entry_id}
    assert first_rows >= {"flagged", "announced", "listed"}
