"""The dates acts ended entries (rejected, repaired, expired): from them a subject may re-trip.

Read once per evaluation from the few act events in the log (domain.md §4: one entry of a rule
at a time; a withdrawal is the evaluation's own and is not read here).
"""

from datetime import date

from overload.rulebook.model import Rulebook
from overload.store.log import EventLog
from overload.timeutil import add_years


def act_ends(log: EventLog, rulebook: Rulebook) -> dict[str, date]:
    """entry id -> the first date an act ended it."""
    ends: dict[str, date] = {}

    def end(entry_id: str, day: date) -> None:
        if entry_id not in ends or day < ends[entry_id]:
            ends[entry_id] = day

    for _, kind, payload in log.payloads(("ObjectionDecided", "EntryRepaired", "EntryListed")):
        if kind == "ObjectionDecided" and payload.get("upheld"):
            end(payload["entry_id"], date.fromisoformat(payload["decided_on"]))
        elif kind == "EntryRepaired":
            end(payload["entry_id"], date.fromisoformat(payload["repaired_on"]))
        elif kind == "EntryListed" and payload.get("listing_no") is not None:
            listed = date.fromisoformat(payload["listed_on"])
            end(payload["entry_id"], add_years(listed, rulebook.display_years))
    return ends


# The events that can end an entry by an act (and so let its subject trip that rule again).
END_EVENTS = ("ObjectionDecided", "EntryRepaired", "EntryListed")


def ended_subjects(log: EventLog, after: int) -> set[tuple[str, str]]:
    """Subjects of the entries that end events after `after` are about (to re-evaluate them)."""
    entry_ids = {p["entry_id"] for _, _, p in log.payloads(END_EVENTS, after=after)}
    if not entry_ids:
        return set()
    return {(p["subject_type"], p["subject_id"]) for _, _, p in log.payloads(("EntityFlagged",))
            if p["entry_id"] in entry_ids}
