"""Operator actions on entries: each is checked against the timeline, then becomes an event."""

from dataclasses import dataclass
from datetime import date

from overload import clock
from overload.errors import OverloadError, RefusedError
from overload.events import EntryRepaired, Event, ObjectionDecided, ObjectionFiled
from overload.lifecycle.timeline import Timeline
from overload.store.log import EventLog, Pending


@dataclass(frozen=True)
class Done:
    event: Event
    message: str


def operator_name(name: str | None) -> str:
    if not name or not name.strip():
        raise OverloadError("an operator name is required: --by NAME or OVERLOAD_OPERATOR")
    return name.strip()


class FutureActError(OverloadError):
    """An act dated after today (Asia/Shanghai): acts are done, never scheduled (exit 2)."""


def not_in_future(what: str, on: date, earliest: date | None = None) -> None:
    """Refuse an act dated after today, or before `earliest`, in one line giving the range."""
    today = clock.today()
    if on > today or (earliest is not None and on < earliest):
        allowed = f"from {earliest} to {today}" if earliest is not None else f"up to {today}"
        raise FutureActError(f"{what} on {on} is refused: it may be dated {allowed} "
                             "(Asia/Shanghai; no act in the future)")


def _timeline(timelines: dict[str, Timeline], entry_id: str) -> Timeline:
    timeline = timelines.get(entry_id.strip().upper())
    if timeline is None:
        raise OverloadError(f"no entry {entry_id!r} under the selected rulebook (see overload list)")
    return timeline


def _append(log: EventLog, event: Event, operator: str) -> None:
    [outcome] = log.write([Pending.of(event, f"operator:{operator}")])
    if outcome.status == "conflict":
        raise RefusedError(f"{event.key()} was already recorded differently")


def file_objection(
    log: EventLog, timelines: dict[str, Timeline], entry_id: str, on: date, note: str,
    operator: str | None,
) -> Done:
    """异议 within the publicity period; refused after it, or on an entry no longer in effect."""
    who = operator_name(operator)
    not_in_future("an objection", on)
    timeline = _timeline(timelines, entry_id)
    entry = timeline.entry
    if timeline.announced_on is None or timeline.period_end is None:
        raise RefusedError(f"{entry.entry_id} has not been announced (公示) yet: the objection "
                           "period starts with the publication act that announces it")
    if on < timeline.announced_on:
        raise RefusedError(f"{entry.entry_id} was announced on {timeline.announced_on}; "
                           f"an objection on {on} is before it")
    if on > timeline.period_end:
        raise RefusedError(
            f"the objection period of {entry.entry_id} ended on {timeline.period_end} "
            f"(announced on {timeline.announced_on}); an objection filed on {on} is refused"
        )
    status = timeline.status_on(on)
    if status != "announced":
        raise RefusedError(f"{entry.entry_id} is {status} on {on}: no objection can be filed")
    objection_id = f"{entry.entry_id}-O{len(timeline.objections) + 1}"
    event = ObjectionFiled(entry_id=entry.entry_id, operator=who, objection_id=objection_id,
                           filed_on=on, note=note)
    _append(log, event, who)
    return Done(event, f"objection {objection_id} filed on {on} against {entry.entry_id}; "
                       "the entry is not listed while it is pending")


def decide_objection(
    log: EventLog, timelines: dict[str, Timeline], objection_id: str, upheld: bool, on: date,
    note: str, operator: str | None,
) -> Done:
    who = operator_name(operator)
    not_in_future("an objection decision", on)
    wanted = objection_id.strip().upper()
    for timeline in timelines.values():
        for objection in timeline.objections:
            if objection.objection_id == wanted:
                if objection.decided_on is not None:
                    raise RefusedError(f"objection {wanted} was already decided on "
                                       f"{objection.decided_on}")
                if on < objection.filed_on:
                    raise RefusedError(f"objection {wanted} was filed on {objection.filed_on}; "
                                       f"it cannot be decided on {on}")
                event = ObjectionDecided(entry_id=objection.entry_id, operator=who,
                                         objection_id=wanted, upheld=upheld, decided_on=on,
                                         note=note)
                _append(log, event, who)
                outcome = (
                    "upheld: the entry is rejected; the next 公示 says it is not listed (不予列入)"
                    if upheld else "dismissed: the next publication act after the period lists it")
                return Done(event, f"objection {wanted} {outcome}")
    raise OverloadError(f"no objection {objection_id!r} (see overload explain or overload audit)")


def repair(
    log: EventLog, timelines: dict[str, Timeline], entry_id: str, on: date, document: str,
    operator: str | None,
) -> Done:
    """信用修复: only a listed entry, and not before the rulebook's minimum period."""
    who = operator_name(operator)
    not_in_future("a repair", on)
    timeline = _timeline(timelines, entry_id)
    status = timeline.status_on(on)
    if status != "listed" or timeline.repair_from is None:
        raise RefusedError(f"{timeline.entry.entry_id} is {status or 'not yet flagged'} on {on}: "
                           "only a listed entry can be repaired")
    if on < timeline.repair_from:
        raise RefusedError(
            f"{timeline.entry.entry_id} was listed on {timeline.listed_on}; repair is allowed from "
            f"{timeline.repair_from} (the rulebook's minimum period), not on {on}"
        )
    event = EntryRepaired(entry_id=timeline.entry.entry_id, operator=who, repaired_on=on,
                          document_no=document)
    _append(log, event, who)
    return Done(event, f"{timeline.entry.entry_id} repaired on {on} ({document}); "
                       "it leaves the public list and stays on record")
