"""The files of a publication act: one context per document (documents-contract.md), rendered by
the templates and writers of `bundle`, and the event that records the act.

Deterministic: every byte comes from the log, the act (its date, its numbers, the log head it
saw) and the bureau's settings; rows are sorted, so rendering a recorded act again gives
identical files (xlsx and docx included: see ooxml.py).
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from overload.events import PublicationMade
from overload.lifecycle.load import View
from overload.lifecycle.timeline import Timeline
from overload.projections.state import State
from overload.publish.act import Planned
from overload.publish.bundle import private_files, public_files
from overload.publish.contexts import (
    addressee_of,
    ground_of,
    notice_facts,
    public_item,
    roster,
    what_changed,
)
from overload.publish.notes import calendar_note, reading_note_for
from overload.publish.public import SUBJECT_ZH
from overload.publish.templating import MissingPartError
from overload.rulebook.model import Rulebook
from overload.store.log import EventLog, Pending
from overload.timeutil import iso_default

ENDED_ZH = {"expired": "公布期满", "repaired": "信用修复"}


def _json(value: Any) -> bytes:
    return orjson.dumps(value, default=iso_default, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass
class Publication:
    """What an act writes: public files (for the website) and private ones (for service)."""

    act: PublicationMade
    public: dict[str, bytes] = field(default_factory=dict)
    private: dict[str, bytes] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)

    def hashes(self) -> dict[str, str]:
        files = {**{f"public/{n}": d for n, d in self.public.items()},
                 **{f"to-subjects/{n}": d for n, d in self.private.items()}}
        return {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}


def log_head(act: PublicationMade) -> str:
    """The token `verify --anchor` reads back: HASH@POSITION of the log the act saw."""
    return f"{act.head_hash}@{act.head_position}"


def weighings_of(log: EventLog, state: State, timelines: list[Timeline]) -> dict[str, tuple[int, int]]:
    """(axles, gross_kg) of the weighings the notices' decisions rest on, read by plate from the
    log (weighings are not kept in the replayed state: a province has millions)."""
    wanted = {d.weighing_key: d.plate for t in timelines for case in t.entry.evidence
              if (d := state.decisions.get(case)) is not None and d.weighing_key}
    found: dict[str, tuple[int, int]] = {}
    plates = sorted(set(wanted.values()))
    for start in range(0, len(plates), 500):
        for _, _, payload in log.payloads(("WeighingRecorded",), any_of=plates[start:start + 500]):
            key = f"weighing:{payload['station_id']}:{payload['record_id']}"
            if key in wanted:
                found[key] = (int(payload["axles"]), int(payload["gross_kg"]))
    return found


def _refusing(what: str, render: Any, *args: Any) -> Any:
    """Render, naming the entry in the one-line refusal when a fact or a part is missing."""
    try:
        return render(*args)
    except MissingPartError as error:
        raise MissingPartError(f"{what}: {error}") from None


@dataclass
class _Act:
    """What every document of one act shares."""

    state: State
    rulebook: Rulebook
    day: date
    common: dict[str, Any]
    draft: bool

    def number(self, value: str | None) -> str | None:
        """A draft consumes no number: its documents show 〔未提供〕 where the number goes."""
        return None if self.draft else (value or None)

    def item(self, timeline: Timeline) -> dict[str, Any]:
        return public_item(timeline, self.state, self.rulebook, self.day)


def prepare(
    planned: Planned, view: View, templates: Path | None, bureau: Mapping[str, Any],
    weighings: Mapping[str, tuple[int, int]], since: date | None = None,
) -> Publication:
    """Render every document of the act; the caller writes the files and records the act."""
    if view.state is None:
        raise ValueError("publication needs the replayed state: view(..., with_state=True)")
    state, rulebook, act = view.state, view.rulebook, planned.act
    timelines, day = planned.timelines, act.published_on
    batch = next((t.listing.batch for e in act.listed
                  if (t := timelines[e]).listing and t.listing.batch), "")
    common = {"bureau": dict(bureau), "act": {
        "date": day, "seq": act.seq, "batch": batch, "draft": planned.draft,
        "log_head": log_head(act)}}
    ctx = _Act(state, rulebook, day, common, planned.draft)
    publication = Publication(act)
    rows = roster(timelines, state, rulebook, day, bureau)
    documents: list[tuple[str, dict[str, Any]]] = []
    private: list[tuple[str, str, dict[str, Any]]] = []

    announced = [timelines[e] for e in act.announced]
    rejected = [timelines[e] for e in act.not_listed]
    if announced or rejected:
        first = announced[0].announced if announced else None
        documents.append(("announcement", {
            **common, "document_no": ctx.number((act.numbers.get("announcement") or ("",))[0]),
            "entries": [{"no": i, **ctx.item(t)} for i, t in enumerate(announced, start=1)],
            # A subject with two grounds is one subject on two rows: count subjects, not rows.
            "subjects": len({(t.entry.subject_type, t.entry.subject_id) for t in announced}),
            "objection_deadline": first.objection_period_ends if first else None,
            "objection_channel": bureau["objection_channel"],
            "calendar_note": calendar_note(first.calendar, day, first.objection_period_ends)
            if first else None,
            "not_listed": [{**ctx.item(t), "reason": "经复核，异议成立，不予列入",
                            "decided_on": t.rejected_on} for t in rejected]}))
    for timeline in announced:
        private.append(("notice", _entry_label(timeline),
                        _notice(ctx, timeline, weighings, timelines)))

    listed = [timelines[e] for e in act.listed]
    if listed:
        listed_ids = set(act.listed)
        documents.append(("listing", {
            **common, "document_no": ctx.number((act.numbers.get("listing") or ("",))[0]),
            "entries": [{**r, "no": no} for no, r in enumerate(
                (r for r in rows if set(r["entry_ids"]) & listed_ids), start=1)],
            "display_years": rulebook.display_years,
            "question_channel": bureau["question_channel"]}))

    corrected = [timelines[e] for e in act.corrected]
    if corrected:
        documents.append(("correction", {
            **common, "document_no": ctx.number((act.numbers.get("correction") or ("",))[0]),
            "items": [_correction(ctx, t, act, timelines) for t in corrected]}))

    ended = [timelines[e] for e in act.ended]
    if ended:
        items = []
        for timeline in ended:
            end = timeline.ended(day)
            assert end is not None
            items.append({**ctx.item(timeline), "reason": end[0],
                          "repair_document_no": timeline.repair_document, "removed_on": end[1]})
            if end[0] == "repaired":
                private.append(("repair", _entry_label(timeline), _repair(ctx, timeline)))
        documents.append(("removal", {
            **common, "document_no": ctx.number((act.numbers.get("removal") or ("",))[0]),
            "items": items}))

    changes = _changes(ctx, since, listed, ended, corrected, announced, rejected)
    list_context = {**common, "document_no": "", "rows": rows}
    publication.public = public_files(list_context, documents, changes["document"], templates)
    publication.public["changes.json"] = _json(changes["json"])
    for order, (kind, label, context) in enumerate(private, start=1):
        files = _refusing(label, private_files, [(kind, context)], templates)
        if planned.draft:  # numbered by their order in the act, not each from 1
            files = {name.replace("草稿0001", f"草稿{order:04d}"): data
                     for name, data in files.items()}
        publication.private.update(files)
    publication.summary = {"announced": len(announced), "listed": len(listed),
                           "on_list": len(rows), "corrected": len(corrected),
                           "removed": len(ended), "not_listed": len(rejected)}
    return publication


def _entry_label(timeline: Timeline) -> str:
    entry = timeline.entry
    return f"entry {entry.entry_id} ({entry.subject_id}, {entry.rule})"


def _earlier_end(timeline: Timeline, timelines: Mapping[str, Timeline]) -> date | None:
    """The day the subject's previous entry of the same rule ended (rejected, repaired,
    expired): the notice of a share that counted only after it says when it ended."""
    entry = timeline.entry
    if entry.previous_trip_on is None:
        return None
    for other in timelines.values():
        mine = other.entry
        if (mine.rule, mine.subject_type, mine.subject_id, mine.tripped_on) == (
                entry.rule, entry.subject_type, entry.subject_id, entry.previous_trip_on):
            end = other.ended(entry.tripped_on)
            return end[1] if end else None
    return None


def sanctions(measures: list[str]) -> list[str]:
    """The measures the notice lists under "并依法实施下列措施": the publication itself (its
    sites and two years) is said in the sentence before the list, so a settings item that only
    restates it is not repeated as item 1; trailing punctuation is the template's."""
    kept = [m.strip().rstrip("；;。，,") for m in measures]
    return [m for m in kept if m and not ("公布" in m and "期限" in m)]


def _notice(ctx: _Act, timeline: Timeline, weighings: Mapping[str, tuple[int, int]],
            timelines: Mapping[str, Timeline]) -> dict[str, Any]:
    """告知书 (documents.md): addressed, every fact, the rights and the deadline."""
    announced = timeline.announced
    assert announced is not None
    text, basis = ground_of(timeline, ctx.state, ctx.rulebook)
    bureau = ctx.common["bureau"]
    return {
        **ctx.common, "document_no": ctx.number(announced.notice_no),
        "addressee": addressee_of(timeline, ctx.state, ctx.day),
        "subject_type_zh": SUBJECT_ZH[timeline.entry.subject_type],
        "facts": notice_facts(timeline, ctx.state, ctx.rulebook, ctx.day, weighings,
                              _earlier_end(timeline, timelines)),
        "ground_text": text, "basis": basis,
        "reading_note": reading_note_for(ctx.rulebook.id, timeline.entry.rule),
        "measures": sanctions(bureau["measures"]), "objection_deadline": announced.objection_period_ends,
        "objection_channel": bureau["objection_channel"], "review_body": bureau["review_body"],
        "court": bureau["court"], "display_years": ctx.rulebook.display_years,
        "repair_years": ctx.rulebook.repair_min_years,
        "calendar_note": calendar_note(announced.calendar, ctx.day,
                                       announced.objection_period_ends),
        "date": ctx.day}


def _repair(ctx: _Act, timeline: Timeline) -> dict[str, Any]:
    """信用修复决定书: numbered by the repair act that decided it (`overload repair --document`)."""
    return {**ctx.common, "document_no": ctx.number(timeline.repair_document),
            "addressee": addressee_of(timeline, ctx.state, ctx.day),
            "ground_text": ground_of(timeline, ctx.state, ctx.rulebook)[0],
            "listed_on": timeline.listed_on, "repaired_on": timeline.repaired_on,
            "repair_document_no": ctx.number(timeline.repair_document)}


def _retripped_on(timeline: Timeline, timelines: Mapping[str, Timeline]) -> date | None:
    """The day a new entry of the same subject and rule tripped on the remaining decisions, when
    the withdrawal left enough of them (domain.md §4.6): the correction says it is identified
    anew, so the same day's 公示 naming the subject again is no contradiction."""
    entry = timeline.entry
    if entry.withdrawn_on is None:
        return None
    for other in timelines.values():
        mine = other.entry
        if (mine.rule, mine.subject_type, mine.subject_id, mine.tripped_on) == (
                entry.rule, entry.subject_type, entry.subject_id, entry.withdrawn_on) \
                and mine.entry_id != entry.entry_id:
            return mine.tripped_on
    return None


def _correction(ctx: _Act, timeline: Timeline, act: PublicationMade,
                timelines: Mapping[str, Timeline]) -> dict[str, Any]:
    withdrawn = timeline.entry.entry_id not in act.revised
    was_listed = timeline.listed_on is not None and timeline.listed_on <= ctx.day
    original = (timeline.listing.listing_no if was_listed and timeline.listing else
                timeline.announced.announcement_no if timeline.announced else None)
    return {**ctx.item(timeline),
            "what_changed": what_changed(timeline, ctx.state, ctx.day,
                                         act.revised.get(timeline.entry.entry_id)),
            "effect": "withdrawn" if withdrawn else "facts_corrected",
            "was_listed": was_listed, "original_document_no": original,
            "identified_anew_on": _retripped_on(timeline, timelines) if withdrawn else None}


def _changes(ctx: _Act, since: date | None, listed: list[Timeline], ended: list[Timeline],
             corrected: list[Timeline], announced: list[Timeline],
             rejected: list[Timeline]) -> dict[str, Any]:
    """变更说明 (Chinese, for the public) and changes.json (the same, with entry ids)."""
    added = [{**ctx.item(t), "reason": "公示期满，无异议或者异议不成立"} for t in listed]
    gone = []
    for timeline in ended:
        end = timeline.ended(ctx.day)
        assert end is not None
        reason = ENDED_ZH[end[0]]
        if end[0] == "repaired" and timeline.repair_document:
            reason += f"（{timeline.repair_document}）"
        gone.append({**ctx.item(timeline), "reason": reason, "on": end[1]})
    fixed = [{**ctx.item(t), "what_changed": what_changed(t, ctx.state, ctx.day), "on": ctx.day}
             for t in corrected]
    document = {**ctx.common, "document_no": "", "since": since, "added": added, "ended": gone,
                "corrected": fixed}
    record = {"published_on": ctx.day, "seq": ctx.common["act"]["seq"],
              "log_head": ctx.common["act"]["log_head"], "since": since,
              "announced": [ctx.item(t) for t in announced], "listed": added, "ended": gone,
              "corrected": fixed, "not_listed": [ctx.item(t) for t in rejected]}
    return {"document": document, "json": record}


def record(log: EventLog, planned: Planned, publication: Publication) -> PublicationMade:
    """Append the act's per-entry events and the act itself (with its files' hashes)."""
    act = publication.act.model_copy(update={"files": publication.hashes()})
    source = f"operator:{act.operator}"
    log.write([*(Pending.of(e, source) for e in planned.entry_events), Pending.of(act, source)])
    return act
