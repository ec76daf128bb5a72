"""The files of a publication act: the contexts of every document (documents-contract.md),
rendered, and the events that record the act.

Deterministic: every byte comes from the log and the act (its date, its numbers, the log head it
saw); rows are sorted, so rendering a recorded act again gives identical files.
"""

import csv
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from overload.events import PublicationMade
from overload.lifecycle.load import View
from overload.publish.act import Planned
from overload.publish.contexts import (
    BUREAU_DEFAULTS,
    addressee_of,
    ground_of,
    notice_facts,
    objection_channel,
    public_item,
    roster,
    what_changed,
)
from overload.publish.public import SUBJECT_ZH
from overload.publish.templating import environment, render
from overload.store.log import EventLog, Pending

ROW_COLUMNS = ("no", "subject_type_zh", "name", "code", "owner", "transport_licence_no",
               "grounds", "authority", "listed_on", "display_until", "batch")
HEADINGS = {"no": "序号", "subject_type_zh": "主体类型", "name": "名称/车牌号",
            "code": "统一社会信用代码/身份证号码", "owner": "所属企业",
            "transport_licence_no": "道路运输证号", "grounds": "失信行为及认定依据",
            "authority": "认定机关", "listed_on": "列入日期", "display_until": "公布截止日期",
            "batch": "批次"}


def _json(value: Any) -> bytes:
    return orjson.dumps(value, default=_iso, option=orjson.OPT_INDENT_2) + b"\n"


def _iso(value: Any) -> str:
    """Dates of subclasses orjson does not know (a test clock's) still print as ISO dates."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


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


def file_part(document_no: str) -> str:
    """A document number as part of a file name (〔〕 kept; path separators replaced)."""
    return _UNSAFE.sub("_", document_no)


def log_head(act: PublicationMade) -> str:
    """The token `verify --anchor` reads back: HASH@POSITION of the log the act saw."""
    return f"{act.head_hash}@{act.head_position}"


def prepare(
    planned: Planned, view: View, templates: Path | None,
    bureau: Mapping[str, Any] | None = None,
) -> Publication:
    """Render every document of the act; the caller writes the files and records the act."""
    if view.state is None:
        raise ValueError("publication needs the replayed state: view(..., with_state=True)")
    state, rulebook, act = view.state, view.rulebook, planned.act
    timelines, day = planned.timelines, act.published_on
    bureau = {**BUREAU_DEFAULTS, **(bureau or {})}
    publication = Publication(act)
    html, markdown = environment("html", templates), environment("markdown", templates)
    common = {"bureau": bureau, "act": {
        "date": day, "seq": act.seq, "batch": next(
            (t.listing.batch for e in act.listed if (t := timelines[e]).listing
             and t.listing.batch), ""),
        "draft": planned.draft, "log_head": log_head(act)}}

    def both(name: str, template: str, context: dict[str, Any]) -> None:
        publication.public[f"{name}.html"] = render(html, f"act-{template}.html.j2", context)
        publication.public[f"{name}.md"] = render(markdown, f"act-{template}.md.j2", context)

    rows = roster(timelines, state, rulebook, day, bureau)
    publication.public["名单.json"] = _json(
        {"published_on": day, "seq": act.seq, "log_head": log_head(act), "rows": rows})
    publication.public["名单.csv"] = _csv(rows)
    both("名单", "list", {**common, "rows": rows, "document_no": ""})

    numbers = act.numbers
    announced = [timelines[e] for e in act.announced]
    rejected = [timelines[e] for e in act.not_listed]
    if announced or rejected:
        number = announced[0].announced.announcement_no if announced and \
            announced[0].announced else (numbers.get("announcement") or ("",))[0]
        period = announced[0].period_end if announced else None
        notes = sorted({t.calendar or "" for t in announced})
        both(f"公示-{file_part(number)}", "announcement", {
            **common, "document_no": number,
            "entries": [{"no": i, **public_item(t, state, rulebook, day)}
                        for i, t in enumerate(announced, start=1)],
            "objection_deadline": period, "objection_channel": objection_channel(bureau),
            "calendar_note": "；".join(n for n in notes if n) or None,
            "not_listed": [{**public_item(t, state, rulebook, day), "reason": "异议成立，不予列入",
                            "decided_on": t.rejected_on} for t in rejected]})
    for timeline in announced:
        assert timeline.announced is not None
        context = {
            **common, "document_no": timeline.announced.notice_no,
            "addressee": addressee_of(timeline, state, day),
            "subject_type_zh": SUBJECT_ZH[timeline.entry.subject_type],
            "facts": notice_facts(timeline, state, rulebook, day),
            "ground_text": ground_of(timeline, state, rulebook)[0],
            "basis": ground_of(timeline, state, rulebook)[1],
            "reading_note": rulebook.rule(timeline.entry.rule).note,
            "measures": bureau.get("measures", []),
            "objection_deadline": timeline.period_end, "objection_channel": objection_channel(bureau),
            "review_body": bureau.get("review_body", ""), "court": bureau.get("court", ""),
            "display_years": rulebook.display_years, "repair_years": rulebook.repair_min_years,
            "calendar_note": timeline.calendar, "date": day}
        publication.private[f"告知书-{file_part(timeline.announced.notice_no)}.html"] = render(
            html, "act-notice.html.j2", context)
    listed = [timelines[e] for e in act.listed]
    if listed:
        number = numbers.get("listing", ("",))[0] if numbers.get("listing") else (
            listed[0].listing.listing_no if listed[0].listing else "") or ""
        listed_ids = set(act.listed)
        annex = [r for r in rows if set(r["entry_ids"]) & listed_ids]
        both(f"公告-{file_part(number)}", "listing", {
            **common, "document_no": number, "entries": annex,
            "display_years": rulebook.display_years, "question_channel": objection_channel(bureau)})
    corrected = [timelines[e] for e in act.corrected]
    if corrected:
        number = (numbers.get("correction") or ("",))[0]
        items = []
        for t in corrected:
            withdrawn = t.entry.entry_id not in act.revised
            items.append({**public_item(t, state, rulebook, day),
                          "what_changed": what_changed(t, state, day,
                                                        act.revised.get(t.entry.entry_id)),
                          "effect": "withdrawn" if withdrawn else "facts_corrected",
                          "was_listed": t.listed_on is not None and t.listed_on <= day,
                          "original_document_no": (t.listing.listing_no if t.listing else
                                                   t.announced.announcement_no if t.announced
                                                   else "")})
        both(f"更正公告-{file_part(number or '草稿')}", "correction",
             {**common, "document_no": number, "items": items})
    ended = [timelines[e] for e in act.ended]
    if ended:
        number = (numbers.get("removal") or ("",))[0]
        items = []
        for t in ended:
            end = t.ended(day)
            assert end is not None
            items.append({**public_item(t, state, rulebook, day), "reason": end[0],
                          "repair_document_no": t.repair_document, "removed_on": end[1]})
        both(f"移出公告-{file_part(number or '草稿')}", "removal",
             {**common, "document_no": number, "items": items})
    changes = {
        "published_on": day, "seq": act.seq, "log_head": log_head(act),
        "announced": [public_item(t, state, rulebook, day) for t in announced],
        "listed": [public_item(t, state, rulebook, day) for t in listed],
        "corrected": [public_item(t, state, rulebook, day) for t in corrected],
        "ended": [public_item(t, state, rulebook, day) for t in ended],
        "not_listed": [public_item(t, state, rulebook, day) for t in rejected],
    }
    publication.public["changes.json"] = _json(changes)
    publication.public["变更说明.md"] = render(markdown, "act-changes.md.j2",
                                            {**common, **changes})
    publication.summary = {"announced": len(announced), "listed": len(listed),
                           "on_list": len(rows), "corrected": len(corrected),
                           "removed": len(ended), "not_listed": len(rejected)}
    return publication


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([HEADINGS[c] for c in ROW_COLUMNS])
    for row in rows:
        cells = []
        for column in ROW_COLUMNS:
            value = row[column]
            if column == "grounds":
                value = "；".join(f"{g['text']}（{g['basis']}）" for g in value)
            cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: spreadsheet programs read it as UTF-8


def write(publication: Publication, out: Path) -> None:
    """A simple writer until the documents' atomic `write_output` replaces it."""
    for folder, files, mode in (("public", publication.public, 0o644),
                                ("to-subjects", publication.private, 0o600)):
        target_dir = out / folder
        target_dir.mkdir(parents=True, exist_ok=True)
        if folder == "to-subjects":
            target_dir.chmod(0o700)
        for name, data in sorted(files.items()):
            target = target_dir / name
            target.write_bytes(data)
            target.chmod(mode)


def record(log: EventLog, planned: Planned, publication: Publication) -> PublicationMade:
    """Append the act's per-entry events and the act itself (with its files' hashes)."""
    act = publication.act.model_copy(update={"files": publication.hashes()})
    source = f"operator:{act.operator}"
    log.write([*(Pending.of(e, source) for e in planned.entry_events), Pending.of(act, source)])
    return act
