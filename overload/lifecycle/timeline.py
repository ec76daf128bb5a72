"""An entry's legal timeline, as dates computed from its events (domain.md §4).

flagged on the trip date -> publicity for N working days (the objection period) -> listed the day
after the period ends, if no objection is pending (a dismissed objection lets it proceed on the
day it is decided, if later) -> expired N years after listing. Rejected (objection upheld),
repaired (on application, not before the minimum period) and withdrawn (revocations) end it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from overload.evaluation.entries import Entry
from overload.events import EntryRepaired, Event, ObjectionDecided, ObjectionFiled
from overload.lifecycle.calendar import add_working_days
from overload.rulebook.model import Rulebook
from overload.timeutil import add_years

IN_EFFECT = ("flagged", "listed")


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
    period_end: date
    calendar_note: str | None
    objections: tuple[Objection, ...] = ()
    rejected_on: date | None = None
    listed_on: date | None = None
    expires_on: date | None = None
    repair_from: date | None = None
    repaired_on: date | None = None
    repair_document: str | None = None

    @property
    def withdrawn_on(self) -> date | None:
        return self.entry.withdrawn_on

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
        """None before the trip date; else flagged, listed, or how it ended."""
        if day < self.entry.tripped_on:
            return None
        end = self.ended(day)
        if end is not None:
            return end[0]
        if self.listed_on is not None and self.listed_on <= day:
            return "listed"
        return "flagged"

    def pending_objection(self, day: date) -> Objection | None:
        for objection in self.objections:
            if objection.filed_on <= day and (objection.decided_on is None or objection.decided_on > day):
                return objection
        return None

    def next_date(self, day: date, status: str | None = None) -> tuple[str, date | None] | None:
        """What happens next, and when (for `overload list`); `status` if known already."""
        status = status or self.status_on(day)
        if status == "flagged":
            pending = self.pending_objection(day)
            if pending is not None:
                return f"objection {pending.objection_id} pending", None
            if day <= self.period_end:
                return "objection period ends", self.period_end
            return "listed on", self.listed_on
        if status == "listed" and self.expires_on is not None:
            if self.repair_from is not None and day < self.repair_from:
                return "repair possible from", self.repair_from
            return "displayed until", self.expires_on - timedelta(days=1)
        return None


def build(entry: Entry, events: Iterable[Event], rulebook: Rulebook) -> Timeline:
    """The timeline of one entry from its lifecycle events (any order)."""
    filed: dict[str, ObjectionFiled] = {}
    decided: dict[str, ObjectionDecided] = {}
    repaired: EntryRepaired | None = None
    for event in events:
        if isinstance(event, ObjectionFiled):
            filed[event.objection_id] = event
        elif isinstance(event, ObjectionDecided):
            decided[event.objection_id] = event
        elif isinstance(event, EntryRepaired):
            repaired = event
    objections = tuple(
        Objection(
            f.objection_id, f.entry_id, f.filed_on, f.note, f.operator,
            decided[f.objection_id].decided_on if f.objection_id in decided else None,
            decided[f.objection_id].upheld if f.objection_id in decided else None,
            decided[f.objection_id].note if f.objection_id in decided else None,
        )
        for f in sorted(filed.values(), key=lambda f: (f.filed_on, f.objection_id))
    )
    terms = (rulebook.publicity_working_days, rulebook.display_years, rulebook.repair_min_years)
    if not objections and repaired is None:
        # Nearly every entry: its dates depend on two dates only, shared by many entries.
        dates = _plain_dates(entry.tripped_on, entry.withdrawn_on, terms)
    else:
        dates = _dates(entry.tripped_on, entry.withdrawn_on, objections,
                       repaired.repaired_on if repaired else None, terms)
    return Timeline(entry, *dates, repair_document=repaired.document_no if repaired else None)


_Dates = tuple[date, str | None, tuple[Objection, ...], date | None, date | None, date | None,
               date | None, date | None]


def _dates(
    tripped_on: date, withdrawn_on: date | None, objections: tuple[Objection, ...],
    repaired_on: date | None, terms: tuple[int, int, int],
) -> _Dates:
    """Timeline's fields after `entry`, in order (repair_document aside)."""
    working_days, display_years, repair_years = terms
    period_end, note = add_working_days(tripped_on, working_days)
    upheld = [o.decided_on for o in objections if o.upheld and o.decided_on is not None]
    rejected_on = min(upheld) if upheld else None
    listed_on = expires_on = repair_from = None
    if rejected_on is None and all(o.decided_on is not None for o in objections):
        listed_on = max([period_end + timedelta(days=1)]
                        + [o.decided_on for o in objections if o.decided_on is not None])
        if withdrawn_on is not None and withdrawn_on <= listed_on:
            listed_on = None  # withdrawn during publicity: never published
    if listed_on is not None:
        expires_on = add_years(listed_on, display_years)
        repair_from = add_years(listed_on, repair_years)
    return (period_end, note, objections, rejected_on, listed_on, expires_on, repair_from,
            repaired_on)


@lru_cache(maxsize=1 << 14)
def _plain_dates(tripped_on: date, withdrawn_on: date | None, terms: tuple[int, int, int]) -> _Dates:
    return _dates(tripped_on, withdrawn_on, (), None, terms)
