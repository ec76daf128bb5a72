"""Publish the list as of a date: files, notices, and the events that record the publication.

Deterministic: every byte comes from the log and the date (no wall clock), rows are sorted, and
the previous publication is the latest one strictly before the date, so publishing twice for one
date gives identical files.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from overload.events import EntryExpired, EntryListed, ListPublished
from overload.lifecycle.load import View
from overload.lifecycle.timeline import Timeline
from overload.listing import subject_name
from overload.projections.state import State
from overload.publish.public import (
    DISPLAY_COLUMNS,
    HEADINGS_ZH,
    PUBLIC_COLUMNS,
    SUBJECT_ZH,
    authority,
    identity,
    listed_on,
    public_row,
    subject_text,
)
from overload.publish.templating import environment, render
from overload.store.log import EventLog, Pending


@dataclass
class Publication:
    as_of: date
    since: date | None
    files: dict[str, bytes] = field(default_factory=dict)
    listed: list[Timeline] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    def hashes(self) -> dict[str, str]:
        return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(self.files.items())}


def previous(log: EventLog, view: View, as_of: date) -> ListPublished | None:
    """The latest publication under this rulebook strictly before the date."""
    found: ListPublished | None = None
    for stored in log.read(types=("ListPublished",)):
        event = stored.model()
        if (isinstance(event, ListPublished) and event.rulebook == view.rulebook.id
                and event.rulebook_version == view.rulebook.version and event.as_of < as_of
                and (found is None or event.as_of >= found.as_of)):
            found = event
    return found


def prepare(log: EventLog, view: View, as_of: date, templates: Path | None) -> Publication:
    if view.state is None:
        raise ValueError("publication needs the replayed state: view(..., with_state=True)")
    state = view.state
    before = previous(log, view, as_of)
    since = before.as_of if before else None
    timelines = sorted(view.timelines.values(), key=lambda t: (t.entry.tripped_on, t.entry.entry_id))
    listed = listed_on(timelines, as_of)
    rows = [public_row(t, state, view.rulebook) for t in listed]
    publication = Publication(as_of, since, listed=listed)
    html, markdown = environment("html", templates), environment("markdown", templates)
    context = {"as_of": as_of.isoformat(), "rows": rows, "columns": DISPLAY_COLUMNS,
               "headings": HEADINGS_ZH, "rulebook": view.rulebook.label,
               "dates": ("tripped_on", "listed_on", "display_until")}
    publication.files["list.json"] = orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n"
    publication.files["list.csv"] = _csv(rows)
    publication.files["list.md"] = render(markdown, "list.md.j2", context)
    publication.files["list.html"] = render(html, "list.html.j2", context)

    def in_period(day: date | None) -> bool:
        return day is not None and (since is None or day > since) and day <= as_of

    previously = set(before.listed_entries) if before else set()
    now = {t.entry.entry_id for t in listed}
    changes = _changes(view, state, previously, now, in_period, as_of)
    publication.files["changes.json"] = orjson.dumps(
        {"as_of": as_of.isoformat(), "since": since.isoformat() if since else None, **changes},
        option=orjson.OPT_INDENT_2) + b"\n"
    publication.files["changes.md"] = render(markdown, "changes.md.j2", {
        "as_of": as_of.isoformat(), "since": since.isoformat() if since else None, **changes})

    notices = announcements = corrections = 0
    for timeline in timelines:
        entry = timeline.entry
        withdrawn = entry.withdrawn_on is not None and entry.withdrawn_on <= as_of
        if in_period(entry.tripped_on) and not withdrawn:
            publication.files[f"notices/告知书-{entry.entry_id}.md"] = render(
                markdown, "notice.md.j2", _notice(timeline, view, state, as_of))
            notices += 1
        if entry.entry_id in now and in_period(timeline.listed_on):
            publication.files[f"notices/公告-{entry.entry_id}.md"] = render(
                markdown, "announcement.md.j2",
                {"entry_id": entry.entry_id, "as_of": as_of.isoformat(),
                 "row": public_row(timeline, state, view.rulebook)})
            announcements += 1
        if withdrawn and in_period(entry.withdrawn_on):
            publication.files[f"notices/更正公告-{entry.entry_id}.md"] = render(
                markdown, "correction.md.j2", {
                    "entry_id": entry.entry_id, "as_of": as_of.isoformat(),
                    "tripped_on": entry.tripped_on.isoformat(),
                    "withdrawn_on": entry.withdrawn_on.isoformat() if entry.withdrawn_on else None,
                    "was_listed": timeline.listed_on is not None
                    and timeline.listed_on <= (entry.withdrawn_on or as_of),
                    "revoked_cases": "、".join(entry.revoked_cases) or None,
                    "reason": entry.withdrawal_reason,
                    "row": public_row(timeline, state, view.rulebook)})
            corrections += 1
    publication.summary = {"listed": len(rows), "added": len(changes["added"]),
                           "ended": len(changes["ended"]), "corrected": len(changes["corrected"]),
                           "notices": notices, "announcements": announcements,
                           "corrections": corrections}
    return publication


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([HEADINGS_ZH[c] for c in PUBLIC_COLUMNS])
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in PUBLIC_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheet programs read it as UTF-8


def _public_subject(timeline: Timeline, state: State) -> str:
    who = identity(timeline.entry.subject_type, timeline.entry.subject_id, state, masked=True)
    return f"{SUBJECT_ZH[timeline.entry.subject_type]} {subject_text(who)}"


def _changes(view: View, state: State, previously: set[str], now: set[str], in_period: Any,
             as_of: date) -> dict[str, list[dict[str, Any]]]:
    added, ended, corrected = [], [], []
    for entry_id in sorted(now - previously):
        timeline = view.timelines[entry_id]
        objections = [o for o in timeline.objections if o.decided_on]
        reason = (f"objection dismissed on {max(o.decided_on for o in objections if o.decided_on)}"
                  if objections else f"publicity period ended on {timeline.period_end} "
                                     "with no objection")
        added.append({"entry_id": entry_id, "subject": _public_subject(timeline, state),
                      "rule": timeline.entry.rule, "reason": reason})
    for entry_id in sorted(previously - now):
        found = view.timelines.get(entry_id)
        if found is None:
            ended.append({"entry_id": entry_id, "subject": None, "status": "superseded",
                          "on": None, "reason": "no longer derived from the log"})
            continue
        timeline = found
        end = timeline.ended(as_of)
        status, on = end if end else ("flagged", None)
        reasons: dict[str, str | None] = {"expired": "display period ended (kept on record)",
                  "repaired": f"credit repaired ({timeline.repair_document})",
                  "withdrawn": timeline.entry.withdrawal_reason,
                  "rejected": "objection upheld"}
        ended.append({"entry_id": entry_id, "subject": _public_subject(timeline, state),
                      "status": status, "on": on.isoformat() if on else None,
                      "reason": reasons.get(status, status)})
    for timeline in view.timelines.values():
        entry = timeline.entry
        if in_period(entry.withdrawn_on):
            corrected.append({"entry_id": entry.entry_id, "subject": _public_subject(timeline, state),
                              "on": entry.withdrawn_on.isoformat() if entry.withdrawn_on else None,
                              "reason": entry.withdrawal_reason})
    corrected.sort(key=lambda c: (c["on"] or "", c["entry_id"]))
    return {"added": added, "ended": ended, "corrected": corrected}


def _notice(timeline: Timeline, view: View, state: State, as_of: date) -> dict[str, Any]:
    """告知书 to the subject: its own data in full, the facts, the basis, rights and deadline."""
    entry, rulebook = timeline.entry, view.rulebook
    facts = []
    for case in entry.evidence:
        decision = state.decisions.get(case)
        if decision is not None:
            facts.append({"on": decision.violation_on.isoformat(),
                          "what": f"车辆 {decision.plate} 违法超限运输"
                                  + (f"（{decision.station_id}）" if decision.station_id else ""),
                          "document": case, "authority": decision.authority})
    for order in state.orders:
        if order.order_no in entry.evidence:
            facts.append({"on": order.ordered_on.isoformat(), "what": "被责令停业整顿",
                          "document": order.order_no, "authority": order.authority})
    for conduct in state.conducts:
        if conduct.document_no in entry.evidence:
            facts.append({"on": conduct.occurred_on.isoformat(),
                          "what": rulebook.conduct_codes.get(conduct.conduct, conduct.conduct),
                          "document": conduct.document_no, "authority": conduct.authority})
    if entry.share:
        facts.append({"on": entry.tripped_on.isoformat(),
                      "what": f"1年内违法超限运输货运车辆 {entry.share[0]} 辆，"
                              f"占本单位货运车辆总数 {entry.share[1]} 辆的比例超过规定",
                      "document": None, "authority": None})
    return {
        "entry_id": entry.entry_id,
        "subject_label": SUBJECT_ZH[entry.subject_type],
        "subject_name": subject_name(state, entry.subject_type, entry.subject_id) or None,
        "subject_id": entry.subject_id,
        "rule_summary": rulebook.rule(entry.rule).summary,
        "rule_note": rulebook.rule(entry.rule).note,
        "facts": facts,
        "legal_basis": rulebook.rule(entry.rule).legal_basis,
        "tripped_on": entry.tripped_on.isoformat(),
        "publicity_days": rulebook.publicity_working_days,
        "deadline": timeline.period_end.isoformat(),
        "display_years": rulebook.display_years,
        "repair_years": rulebook.repair_min_years,
        "calendar_note": timeline.calendar_note,
        "authority": authority(timeline, state),
        "as_of": as_of.isoformat(),
    }


def write(publication: Publication, out: Path) -> None:
    for name, data in sorted(publication.files.items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def record(log: EventLog, view: View, publication: Publication, head: tuple[int, str]) -> None:
    """Append the publication and the listings and expiries it made public, from `head`."""
    source = f"engine:{view.rulebook.label}"
    events: list[Pending] = []
    for timeline in publication.listed:
        assert timeline.listed_on is not None
        events.append(Pending.of(EntryListed(entry_id=timeline.entry.entry_id,
                                             listed_on=timeline.listed_on,
                                             publication_as_of=publication.as_of), source))
    for timeline in view.timelines.values():
        end = timeline.ended(publication.as_of)
        if end is not None and end[0] == "expired":
            events.append(Pending.of(EntryExpired(entry_id=timeline.entry.entry_id,
                                                  expired_on=end[1]), source))
    events.append(Pending.of(ListPublished(
        rulebook=view.rulebook.id, rulebook_version=view.rulebook.version, as_of=publication.as_of,
        head_position=head[0], head_hash=head[1], files=publication.hashes(),
        listed_entries=tuple(t.entry.entry_id for t in publication.listed)), source))
    log.write(events)
