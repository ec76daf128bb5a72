"""Timelines of every entry, from the entries and the operators' lifecycle events in the log."""

from collections import defaultdict
from dataclasses import dataclass

from overload.evaluation.entries import Entry
from overload.evaluation.run import current, load_state
from overload.events import LIFECYCLE_EVENTS, Event, OperatorAction
from overload.lifecycle.timeline import Timeline, build
from overload.projections.state import State
from overload.rulebook.model import Rulebook
from overload.store.log import EventLog


def lifecycle_events(log: EventLog) -> dict[str, list[Event]]:
    """The operators' lifecycle events (objections, repairs), by entry id."""
    by_entry: dict[str, list[Event]] = defaultdict(list)
    for stored in log.read(types=LIFECYCLE_EVENTS):
        event = stored.model()
        if isinstance(event, OperatorAction):
            by_entry[event.entry_id].append(event)
    return by_entry


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
