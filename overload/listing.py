"""The list on a date: entries in effect (or all, with `--all`), as rows for every format."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from overload.evaluation.entries import Entry
from overload.lifecycle.timeline import IN_EFFECT, Timeline
from overload.projections.state import State
from overload.rulebook.model import Rulebook

LIST_COLUMNS = (
    "entry_id", "subject_type", "subject_id", "subject_name", "rule", "rulebook",
    "rulebook_version", "status", "tripped_on", "violations", "share", "evidence",
    "objection_period_ends", "listed_on", "display_until", "repair_from", "next", "next_date",
    "ended_on", "legal_basis",
)


def subject_name(state: State, subject_type: str, subject_id: str) -> str:
    """Name as registered (full: this is an internal output); a plate names itself."""
    if subject_type == "driver":
        return state.driver_names.get(subject_id, "")
    if subject_type in ("enterprise", "source_unit"):
        return state.enterprise_names.get(subject_id, "")
    return subject_id


def rows(
    timelines: Sequence[Timeline],
    names: dict[tuple[str, str], str],
    rulebook: Rulebook,
    as_of: date,
    subject_type: str | None = None,
    rule: str | None = None,
    include_ended: bool = False,
) -> list[dict[str, Any]]:
    """The list as of a date, using only what was known on that date."""
    result = []
    for timeline in timelines:
        entry = timeline.entry
        status = timeline.status_on(as_of)
        if status is None:
            continue
        if subject_type and entry.subject_type != subject_type:
            continue
        if rule and entry.rule != rule:
            continue
        if status not in IN_EFFECT and not include_ended:
            continue
        result.append(row(timeline, names, rulebook, as_of, status))
    return result


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def row(
    timeline: Timeline, names: dict[tuple[str, str], str], rulebook: Rulebook, as_of: date,
    status: str | None = None,
) -> dict[str, Any]:
    """One list row; `status` on `as_of` when the caller has it already."""
    entry: Entry = timeline.entry
    status = status or timeline.status_on(as_of)
    ended = timeline.ended(as_of)
    upcoming = timeline.next_date(as_of, status)
    listed = timeline.listed_on if timeline.listed_on and timeline.listed_on <= as_of else None
    return {
        "entry_id": entry.entry_id,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "subject_name": names.get((entry.subject_type, entry.subject_id), ""),
        "rule": entry.rule,
        "rulebook": entry.rulebook,
        "rulebook_version": entry.rulebook_version,
        "status": status,
        "tripped_on": entry.tripped_on.isoformat(),
        "violations": entry.violations,
        "share": f"{entry.share[0]}/{entry.share[1]}" if entry.share else None,
        "evidence": list(entry.evidence),
        "objection_period_ends": timeline.period_end.isoformat(),
        "listed_on": _iso(listed),
        "display_until": _iso(timeline.expires_on - timedelta(days=1))
        if listed and timeline.expires_on else None,
        "repair_from": _iso(timeline.repair_from) if listed else None,
        "next": upcoming[0] if upcoming else None,
        "next_date": _iso(upcoming[1]) if upcoming else None,
        "ended_on": _iso(ended[1]) if ended else None,
        "legal_basis": rulebook.rule(entry.rule).legal_basis,
    }
