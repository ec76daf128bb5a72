"""An entry's legal timeline, read off its events (domain.md §4).

flagged on the trip date (derived) -> announced by a publication act on D (公示 and 告知书; the
objection deadline fixed in the act) -> listed by the first act after the deadline with no
objection pending (`listed_on` is that act's date) -> expired after display_until. Rejected
(objection upheld), repaired (repair act) and withdrawn (revocations) end it. Nothing here is
computed ahead of an act: an entry is never "listed" on a date no act listed it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from overload import sentences
from overload.evaluation.entries import Entry
from overload.events import (
    EntryAnnounced,
    EntryListed,
    EntryRepaired,
    Event,
    ObjectionDecided,
    ObjectionFiled,
)
from overload.rulebook.model import Rulebook
from overload.timeutil import add_years

IN_EFFECT = ("flagged", "announced", "listed")


@dataclass(frozen=True)
class Objection:
    objection_id: str
    entry_id: str
    filed_on: date
    note: str
    operator: str
    decided_on: date | None = None
    upheld: bool | None = None
    decision_note: str | None = None


@dataclass(frozen=True)
class Timeline:
    """Every date of one entry's lifecycle; statuses on a date are read off these."""

    entry: Entry
    announced: EntryAnnounced | None = None
    listing: EntryListed | None = None
    objections: tuple[Objection, ...] = ()
    rejected_on: date | None = None
    expires_on: date | None = None  # the first day no longer shown (display_until + 1)
    repair_from: date | None = None
    repaired_on: date | None = None
    repair_document: str | None = None

    @property
    def withdrawn_on(self) -> date | None:
        return self.entry.withdrawn_on

    @property
    def announced_on(self) -> date | None:
        return self.announced.announced_on if self.announced else None

    @property
    def period_end(self) -> date | None:
        """The objection deadline fixed by the act that announced the entry."""
        return self.announced.objection_period_ends if self.announced else None

    @property
    def calendar(self) -> str | None:
        return self.announced.calendar if self.announced else None

    @property
    def calendar_note(self) -> str | None:
        if self.announced is None or sentences.MONDAY_FRIDAY not in self.announced.calendar:
            return None
        return sentences.FALLBACK_DEADLINE

    @property
    def listed_on(self) -> date | None:
        return self.listing.listed_on if self.listing else None

    @property
    def display_until(self) -> date | None:
        return self.expires_on - timedelta(days=1) if self.expires_on else None

    def ended(self, day: date) -> tuple[str, date] | None:
        """The first end (withdrawn, rejected, repaired, expired) on or before `day`."""
        ends = [(when, status) for when, status in (
            (self.withdrawn_on, "withdrawn"), (self.rejected_on, "rejected"),
            (self.repaired_on, "repaired"), (self.expires_on, "expired"))
            if when is not None and when <= day]
        if not ends:
            return None
        when, status = min(ends)
        return status, when

    def status_on(self, day: date) -> str | None:
        """None before the trip date; else flagged, announced, listed, or how it ended."""
        if day < self.entry.tripped_on:
            return None
        end = self.ended(day)
        if end is not None:
            return end[0]
        if self.listed_on is not None and self.listed_on <= day:
            return "listed"
        if self.announced_on is not None and self.announced_on <= day:
            return "announced"
        return "flagged"

    def in_effect_on(self, day: date) -> bool:
        return self.status_on(day) in IN_EFFECT

    def pending_objection(self, day: date) -> Objection | None:
        for objection in self.objections:
            if objection.filed_on <= day and (objection.decided_on is None
                                              or objection.decided_on > day):
                return objection
        return None

    def listable_on(self, day: date) -> bool:
        """May an act on `day` list it: announced, the period over, no objection pending."""
        return (self.status_on(day) == "announced" and self.period_end is not None
                and self.period_end < day and self.pending_objection(day) is None)

    def next_date(self, day: date, status: str | None = None) -> tuple[str, date | None] | None:
        """What happens next, and when (for `overload list`); `status` if known already."""
        status = status or self.status_on(day)
        if status == "flagged":
            return "to be announced by the next publication act", None
        if status == "announced":
            pending = self.pending_objection(day)
            if pending is not None:
                return f"objection {pending.objection_id} pending", None
            if self.period_end is not None and day <= self.period_end:
                return "objection period ends", self.period_end
            return "to be listed by the next publication act", None
        if status == "listed" and self.expires_on is not None:
            if self.repair_from is not None and day < self.repair_from:
                return "repair possible from", self.repair_from
            return "displayed until", self.display_until
        return None


def build(entry: Entry, events: Iterable[Event], rulebook: Rulebook) -> Timeline:
    """The timeline of one entry from its lifecycle and act events (any order).

    Legacy `EntryListed` events (dates computed by the old `publish`, not acts) are ignored."""
    filed: dict[str, ObjectionFiled] = {}
    decided: dict[str, ObjectionDecided] = {}
    repaired: EntryRepaired | None = None
    announced: EntryAnnounced | None = None
    listing: EntryListed | None = None
    for event in events:
        if isinstance(event, ObjectionFiled):
            filed[event.objection_id] = event
        elif isinstance(event, ObjectionDecided):
            decided[event.objection_id] = event
        elif isinstance(event, EntryRepaired):
            repaired = event
        elif isinstance(event, EntryAnnounced):
            announced = event
        elif isinstance(event, EntryListed) and event.is_act:
            listing = event
    objections = tuple(
        Objection(
            f.objection_id, f.entry_id, f.filed_on, f.note, f.operator,
            decided[f.objection_id].decided_on if f.objection_id in decided else None,
            decided[f.objection_id].upheld if f.objection_id in decided else None,
            decided[f.objection_id].note if f.objection_id in decided else None,
        )
        for f in sorted(filed.values(), key=lambda f: (f.filed_on, f.objection_id))
    )
    upheld = [o.decided_on for o in objections if o.upheld and o.decided_on is not None]
    expires_on = repair_from = None
    if listing is not None:
        expires_on = add_years(listing.listed_on, rulebook.display_years)
        repair_from = add_years(listing.listed_on, rulebook.repair_min_years)
    return Timeline(
        entry, announced, listing, objections, min(upheld) if upheld else None, expires_on,
        repair_from, repaired.repaired_on if repaired else None,
        repaired.document_no if repaired else None,
    )
