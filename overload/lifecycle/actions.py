"""Operator actions on entries: each is checked against the timeline, then becomes an event."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from overload import clock
from overload.errors import OverloadError, RefusedError
from overload.events import EntryRepaired, Event, ObjectionDecided, ObjectionFiled
from overload.i18n import N_, _, pgettext
from overload.lifecycle.load import view
from overload.lifecycle.timeline import Timeline
from overload.store.log import EventLog, Pending

# What an act is called in a refusal (`not_in_future(what, ...)` says `_(what)`); the publication
# act's name is here too, for overload/publish.
AN_OBJECTION = N_("an objection")
AN_OBJECTION_DECISION = N_("an objection decision")
A_REPAIR = N_("a repair")
A_PUBLICATION_ACT = N_("a publication act")


def _status(status: str | None) -> str:
    return pgettext("status", status) if status else _("not yet flagged")


@dataclass(frozen=True)
class Done:
    event: Event
    message: str


def operator_name(name: str | None) -> str:
    if not name or not name.strip():
        raise OverloadError(_("an operator name is required: --by NAME or OVERLOAD_OPERATOR"))
    return name.strip()


class FutureActError(OverloadError):
    """An act dated after today (Asia/Shanghai): acts are done, never scheduled (exit 2)."""


def not_in_future(what: str, on: date, earliest: date | None = None) -> None:
    """Refuse an act dated after today, or before `earliest`, in one line giving the range."""
    today = clock.today()
    if on > today or (earliest is not None and on < earliest):
        allowed = (_("from {earliest} to {today}").format(earliest=earliest, today=today)
                   if earliest is not None else _("up to {today}").format(today=today))
        raise FutureActError(_("{what} on {on} is refused: it may be dated {allowed} "
                               "(Asia/Shanghai; no act in the future)").format(
                                   what=_(what), on=on, allowed=allowed))


def _timeline(timelines: dict[str, Timeline], entry_id: str) -> Timeline:
    timeline = timelines.get(entry_id.strip().upper())
    if timeline is None:
        raise OverloadError(_("no entry {entry_id} under the selected rulebook (see overload list)")
                            .format(entry_id=repr(entry_id)))
    return timeline


def _append(log: EventLog, event: Event, operator: str) -> None:
    [outcome] = log.write([Pending.of(event, f"operator:{operator}")])
    if outcome.status == "conflict":
        raise RefusedError(_("{key} was already recorded differently").format(key=event.key()))


def file_objection(
    log: EventLog, timelines: dict[str, Timeline], entry_id: str, on: date, note: str,
    operator: str | None,
) -> Done:
    """异议 within the publicity period; refused after it, or on an entry no longer in effect."""
    who = operator_name(operator)
    not_in_future(AN_OBJECTION, on)
    timeline = _timeline(timelines, entry_id)
    entry = timeline.entry
    if timeline.announced_on is None or timeline.period_end is None:
        raise RefusedError(_("{entry_id} has not been announced (公示) yet: the objection "
                             "period starts with the publication act that announces it").format(
                                 entry_id=entry.entry_id))
    if on < timeline.announced_on:
        raise RefusedError(_("{entry_id} was announced on {announced_on}; an objection on {on} "
                             "is before it").format(entry_id=entry.entry_id,
                                                    announced_on=timeline.announced_on, on=on))
    if on > timeline.period_end:
        raise RefusedError(
            _("the objection period of {entry_id} ended on {period_end} (announced on "
              "{announced_on}); an objection filed on {on} is refused").format(
                  entry_id=entry.entry_id, period_end=timeline.period_end,
                  announced_on=timeline.announced_on, on=on))
    status = timeline.status_on(on)
    if status != "announced":
        raise RefusedError(_("{entry_id} is {status} on {on}: no objection can be filed").format(
            entry_id=entry.entry_id, status=_status(status), on=on))
    objection_id = f"{entry.entry_id}-O{len(timeline.objections) + 1}"
    event = ObjectionFiled(entry_id=entry.entry_id, operator=who, objection_id=objection_id,
                           filed_on=on, note=note)
    _append(log, event, who)
    return Done(event, _("objection {objection_id} filed on {on} against {entry_id}; the entry "
                         "is not listed while it is pending").format(
                             objection_id=objection_id, on=on, entry_id=entry.entry_id))


def decide_objection(
    log: EventLog, timelines: dict[str, Timeline], objection_id: str, upheld: bool, on: date,
    note: str, operator: str | None,
) -> Done:
    who = operator_name(operator)
    not_in_future(AN_OBJECTION_DECISION, on)
    wanted = objection_id.strip().upper()
    for timeline in timelines.values():
        for objection in timeline.objections:
            if objection.objection_id == wanted:
                if objection.decided_on is not None:
                    raise RefusedError(_("objection {objection_id} was already decided on "
                                         "{decided_on}").format(
                                             objection_id=wanted, decided_on=objection.decided_on))
                if on < objection.filed_on:
                    raise RefusedError(_("objection {objection_id} was filed on {filed_on}; it "
                                         "cannot be decided on {on}").format(
                                             objection_id=wanted, filed_on=objection.filed_on,
                                             on=on))
                event = ObjectionDecided(entry_id=objection.entry_id, operator=who,
                                         objection_id=wanted, upheld=upheld, decided_on=on,
                                         note=note)
                _append(log, event, who)
                message = (
                    _("objection {objection_id} upheld: the entry is rejected; the next 公示 says "
                      "it is not listed (不予列入)") if upheld
                    else _("objection {objection_id} dismissed: the next publication act after "
                           "the period lists it"))
                return Done(event, message.format(objection_id=wanted))
    raise OverloadError(_("no objection {objection_id} (see overload explain or overload audit)")
                        .format(objection_id=repr(objection_id)))


def repair(
    log: EventLog, timelines: dict[str, Timeline], entry_id: str, on: date, document: str,
    operator: str | None, rulebook_id: str | None = None,
) -> Done:
    """信用修复: only a listed entry, and not before the rulebook's minimum period.

    The confirmation warns (a second line) when the subject's violations after the repaired
    entry's trip already meet the rule again on the repair date (`rulebook_id`: the rulebook
    the timelines were built under, to evaluate the subject again once the repair is on
    record)."""
    who = operator_name(operator)
    not_in_future(A_REPAIR, on)
    timeline = _timeline(timelines, entry_id)
    status = timeline.status_on(on)
    if status != "listed" or timeline.repair_from is None:
        raise RefusedError(_("{entry_id} is {status} on {on}: only a listed entry can be "
                             "repaired").format(entry_id=timeline.entry.entry_id,
                                                status=_status(status), on=on))
    if on < timeline.repair_from:
        raise RefusedError(
            _("{entry_id} was listed on {listed_on}; repair is allowed from {repair_from} (the "
              "rulebook's minimum period), not on {on}").format(
                  entry_id=timeline.entry.entry_id, listed_on=timeline.listed_on,
                  repair_from=timeline.repair_from, on=on))
    event = EntryRepaired(entry_id=timeline.entry.entry_id, operator=who, repaired_on=on,
                          document_no=document)
    _append(log, event, who)
    message = _("{entry_id} repaired on {on} ({document}); it leaves the public list and stays "
                "on record").format(entry_id=timeline.entry.entry_id, on=on, document=document)
    after = view(log, rulebook_id, subject_id=timeline.entry.subject_id).timelines
    again = tripped_again(after, after.get(timeline.entry.entry_id, timeline))
    if again is not None:
        message += "\n" + tripped_again_warning(again)
    return Done(event, message)


def tripped_again(timelines: Mapping[str, Timeline] | None, repaired: Timeline) -> Timeline | None:
    """The entry of the same subject and rule that trips on the repair date itself: the
    violations after the repaired entry's trip date already meet the rule again, so the next
    publication act serves the 信用修复决定书 and, the same day, a 告知书 proposing to list the
    subject again. Repair is on application and the law does not forbid it: said, not refused."""
    entry, on = repaired.entry, repaired.repaired_on
    if on is None:
        return None
    for other in (timelines or {}).values():
        mine = other.entry
        if (mine.rule, mine.subject_type, mine.subject_id) == (
                entry.rule, entry.subject_type, entry.subject_id) \
                and mine.previous_trip_on == entry.tripped_on and mine.tripped_on == on \
                and mine.withdrawn_on is None:
            return other
    return None


def tripped_again_warning(again: Timeline) -> str:
    """The warning line the repair's confirmation and `explain` print (one sentence)."""
    entry = again.entry
    if entry.share is not None:
        basis = _("{numerator}/{denominator} vehicles with violations after {previous}").format(
            numerator=entry.share[0], denominator=entry.share[1], previous=entry.previous_trip_on)
    elif entry.violations is not None:
        basis = _("{count} violations after {previous}").format(
            count=entry.violations, previous=entry.previous_trip_on)
    else:
        basis = _("the records after {previous}").format(previous=entry.previous_trip_on)
    return _("warning: {subject_id} meets the rule again on the repair date: entry {entry_id} "
             "trips on {on} ({basis}: {cases}); the next publication act serves the repair "
             "decision and, the same day, a notice (告知书) proposing to list it again").format(
        subject_id=entry.subject_id, entry_id=entry.entry_id, on=entry.tripped_on, basis=basis,
        cases=" ".join(entry.evidence))
