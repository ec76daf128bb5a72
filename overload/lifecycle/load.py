"""Timelines of every entry, from the entries and the operators' lifecycle events in the log."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from overload.evaluation.entries import Entry
from overload.evaluation.run import current, load_state
from overload.events import (
    LIFECYCLE_EVENTS,
    EntryAnnounced,
    EntryListed,
    Event,
    OperatorAction,
)
from overload.lifecycle.timeline import Timeline, build
from overload.projections.state import State
from overload.rulebook.model import Rulebook
from overload.store.log import EventLog

ACT_ENTRY_EVENTS = ("EntryAnnounced", "EntryListed")


def lifecycle_events(log: EventLog) -> dict[str, list[Event]]:
    """The operators' actions (objections, repairs) and the acts' per-entry events
    (announcements, listings), by entry id: one read of the log for every entry.

    The acts' events are one or two per entry, so a province's list reads tens of thousands:
    they are built from their stored payloads without validating them again (validated when
    written; the hash chain shows them unchanged), as the state replay does."""
    by_entry: dict[str, list[Event]] = defaultdict(list)
    for stored in log.read(types=LIFECYCLE_EVENTS):
        event = stored.model()
        if isinstance(event, OperatorAction):
            by_entry[event.entry_id].append(event)
    for _, kind, payload in log.payloads(ACT_ENTRY_EVENTS):
        by_entry[payload["entry_id"]].append(_act_event(kind, payload))
    return by_entry


def _act_event(kind: str, payload: dict[str, Any]) -> Event:
    if kind == "EntryAnnounced":
        return EntryAnnounced.model_construct(
            entry_id=payload["entry_id"], announced_on=_day(payload["announced_on"]),
            notice_no=payload["notice_no"], announcement_no=payload["announcement_no"],
            objection_period_ends=_day(payload["objection_period_ends"]),
            calendar=payload["calendar"])
    legacy = payload.get("publication_as_of")
    return EntryListed.model_construct(
        entry_id=payload["entry_id"], listed_on=_day(payload["listed_on"]),
        listing_no=payload.get("listing_no"), batch=payload.get("batch"),
        publication_as_of=_day(legacy) if legacy else None)


@lru_cache(maxsize=4096)
def _day(text: str) -> date:
    return date.fromisoformat(text)


def timelines(log: EventLog, entries: list[Entry], rulebook: Rulebook) -> dict[str, Timeline]:
    by_entry = lifecycle_events(log)
    return {e.entry_id: build(e, by_entry.get(e.entry_id, []), rulebook) for e in entries}


@dataclass(frozen=True)
class View:
    """Everything a listing command needs, computed once from the log."""

    rulebook: Rulebook
    entries: list[Entry]
    timelines: dict[str, Timeline]
    names: dict[tuple[str, str], str]
    state: State | None


def view(
    log: EventLog, rulebook_id: str | None, with_state: bool = False,
    subject_id: str | None = None,
) -> View:
    """Entries (from the projection, caught up first) and their timelines; the full replayed
    state only when asked (publication and case follow-up need it; the list does not); only one
    subject's entries when `subject_id` is given (explain)."""
    now = current(log, rulebook_id, subject_id=subject_id)
    state = now.state
    if with_state and state is None:
        state = load_state(log)
    entries = now.entries if subject_id is None else [
        e for e in now.entries if e.subject_id == subject_id]
    return View(now.rulebook, entries, timelines(log, entries, now.rulebook), now.names, state)
