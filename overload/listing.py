"""The list on a date: entries in effect (or all, with `--all`), as rows for every format."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from overload.evaluation.entries import Entry
from overload.projections.state import State
from overload.rulebook.model import Rulebook

LIST_COLUMNS = (
    "entry_id", "subject_type", "subject_id", "subject_name", "rule", "rulebook",
    "rulebook_version", "status", "tripped_on", "violations", "share", "evidence",
    "ended_on", "legal_basis",
)


def subject_name(state: State, subject_type: str, subject_id: str) -> str:
    """Name as registered (full: this is an internal output); a plate names itself."""
    if subject_type == "driver":
        return state.driver_names.get(subject_id, "")
    if subject_type in ("enterprise", "source_unit"):
        return state.enterprise_names.get(subject_id, "")
    return subject_id


def status_on(entry: Entry, day: date) -> str:
    """Status of an entry on a date (the lifecycle refines `flagged`)."""
    if entry.withdrawn_on is not None and entry.withdrawn_on <= day:
        return "withdrawn"
    return "flagged"


def rows(
    entries: Sequence[Entry],
    state: State,
    rulebook: Rulebook,
    as_of: date,
    subject_type: str | None = None,
    rule: str | None = None,
    include_ended: bool = False,
) -> list[dict[str, Any]]:
    """The list as of a date, using only what was known on that date."""
    result = []
    for entry in entries:
        if entry.tripped_on > as_of:
            continue
        if subject_type and entry.subject_type != subject_type:
            continue
        if rule and entry.rule != rule:
            continue
        status = status_on(entry, as_of)
        if status == "withdrawn" and not include_ended:
            continue
        result.append(row(entry, state, rulebook, status))
    return result


def row(entry: Entry, state: State, rulebook: Rulebook, status: str) -> dict[str, Any]:
    return {
        "entry_id": entry.entry_id,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "subject_name": subject_name(state, entry.subject_type, entry.subject_id),
        "rule": entry.rule,
        "rulebook": entry.rulebook,
        "rulebook_version": entry.rulebook_version,
        "status": status,
        "tripped_on": entry.tripped_on.isoformat(),
        "violations": entry.violations,
        "share": f"{entry.share[0]}/{entry.share[1]}" if entry.share else None,
        "evidence": list(entry.evidence),
        "ended_on": entry.withdrawn_on.isoformat() if status == "withdrawn" and entry.withdrawn_on
        else None,
        "legal_basis": rulebook.rule(entry.rule).legal_basis,
    }
