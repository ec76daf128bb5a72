"""The list on a date: entries in effect (or all, with `--all`), as rows for every format."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from overload.evaluation.entries import Entry
from overload.events import Event
from overload.lifecycle.timeline import IN_EFFECT, Timeline, build
from overload.projections.state import State
from overload.rulebook.model import Rulebook

LIST_COLUMNS = (
    "entry_id", "subject_type", "subject_id", "subject_name", "rule", "rulebook",
    "rulebook_version", "status", "tripped_on", "violations", "share", "evidence",
    "objection_period_ends", "listed_on", "display_until", "repair_from", "next", "next_date",
    "ended_on", "legal_basis", "announced_on", "notice_no", "announcement_no", "listing_no",
    "calendar",
)


def subject_name(state: State, subject_type: str, subject_id: str) -> str:
    """Name as registered (full: this is an internal output); a plate names itself."""
    if subject_type == "driver":
        return state.driver_names.get(subject_id, "")
    if subject_type in ("enterprise", "source_unit"):
        return state.enterprise_names.get(subject_id, "")
    return subject_id


def rows(
    entries: Sequence[Entry],
    events: Mapping[str, Sequence[Event]],
    names: dict[tuple[str, str], str],
    rulebook: Rulebook,
    as_of: date,
    subject_type: str | None = None,
    rule: str | None = None,
    include_ended: bool = False,
) -> list[dict[str, Any]]:
    """The list as of a date, using only what was known on that date; `events` are the
    operators' lifecycle events by entry id.

    An entry without operator events (nearly all of them) has its lifecycle determined by its
    trip and withdrawal dates alone, so its dates on `as_of` are worked out once per distinct
    pair, from the same timeline an entry with events gets."""
    result = []
    shared: dict[tuple[date, date | None], _Dates | None] = {}
    for entry in entries:
        if subject_type and entry.subject_type != subject_type:
            continue
        if rule and entry.rule != rule:
            continue
        mine = events.get(entry.entry_id)
        if mine:
            dates = _dates_on(build(entry, mine, rulebook), as_of)
        else:
            key = (entry.tripped_on, entry.withdrawn_on)
            if key not in shared:
                shared[key] = _dates_on(build(entry, (), rulebook), as_of)
            dates = shared[key]
        if dates is None or (dates[0] not in IN_EFFECT and not include_ended):
            continue
        result.append(_row(entry, dates, names, rulebook))
    return result


# status, objection_period_ends, listed_on, display_until, repair_from, next, next_date, ended_on,
# announced_on, notice_no, announcement_no, listing_no, calendar
_Dates = tuple[str, date | None, date | None, date | None, date | None, str | None, date | None,
               date | None, date | None, str | None, str | None, str | None, str | None]


def _dates_on(timeline: Timeline, as_of: date) -> _Dates | None:
    """The dated columns of a row on `as_of` (None before the trip): only acts done by then."""
    status = timeline.status_on(as_of)
    if status is None:
        return None
    ended = timeline.ended(as_of)
    upcoming = timeline.next_date(as_of, status)
    announced = timeline.announced if timeline.announced_on and timeline.announced_on <= as_of \
        else None
    listing = timeline.listing if timeline.listed_on and timeline.listed_on <= as_of else None
    return (
        status,
        announced.objection_period_ends if announced else None,
        listing.listed_on if listing else None,
        timeline.display_until if listing else None,
        timeline.repair_from if listing else None,
        upcoming[0] if upcoming else None,
        upcoming[1] if upcoming else None,
        ended[1] if ended else None,
        announced.announced_on if announced else None,
        announced.notice_no if announced else None,
        announced.announcement_no if announced else None,
        listing.listing_no if listing else None,
        announced.calendar if announced else None,
    )


def _row(entry: Entry, dates: _Dates, names: dict[tuple[str, str], str],
         rulebook: Rulebook) -> dict[str, Any]:
    """One list row, keys in LIST_COLUMNS order. Dates stay dates: every output format writes
    them as YYYY-MM-DD (orjson natively, CSV and tables by str)."""
    (status, period_end, listed, display_until, repair_from, upcoming, upcoming_on, ended,
     announced_on, notice_no, announcement_no, listing_no, calendar) = dates
    return {
        "entry_id": entry.entry_id,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "subject_name": names.get((entry.subject_type, entry.subject_id), ""),
        "rule": entry.rule,
        "rulebook": entry.rulebook,
        "rulebook_version": entry.rulebook_version,
        "status": status,
        "tripped_on": entry.tripped_on,
        "violations": entry.violations,
        "share": f"{entry.share[0]}/{entry.share[1]}" if entry.share else None,
        "evidence": list(entry.evidence),
        "objection_period_ends": period_end,
        "listed_on": listed,
        "display_until": display_until,
        "repair_from": repair_from,
        "next": upcoming,
        "next_date": upcoming_on,
        "ended_on": ended,
        "legal_basis": rulebook.rule(entry.rule).legal_basis,
        "announced_on": announced_on,
        "notice_no": notice_no,
        "announcement_no": announcement_no,
        "listing_no": listing_no,
        "calendar": calendar,
    }
