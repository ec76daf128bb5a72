"""The contexts of an act's documents (documents-contract.md): plain dicts, public data masked.

No internal id reaches a public context except the `entry_id(s)` keys JSON keeps.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from overload.identifiers import mask_id_number, mask_name
from overload.lifecycle.timeline import Timeline
from overload.projections.state import State
from overload.publish.public import SUBJECT_ZH, authority
from overload.rulebook.model import Rulebook

# Until the bureau's settings land (documents issue): empty, never an invented authority.
BUREAU_DEFAULTS: dict[str, Any] = {
    "identifying_authority": "", "publishing_authority": "", "address": "", "phone": "",
    "contact": "", "objection_address": "", "objection_phone": "", "objection_email": "",
    "objection_website": "", "review_body": "", "court": "", "website": "", "measures": [],
}

def ground_of(timeline: Timeline, state: State, rulebook: Rulebook) -> tuple[str, str]:
    """(rule text, basis) of an entry, with the Notice 8 item of a conduct record."""
    entry, info = timeline.entry, rulebook.rule(timeline.entry.rule)
    text = info.summary
    if entry.rule == "serious-conduct":
        codes = sorted({c.conduct for c in state.conducts if c.document_no in entry.evidence})
        text += "：" + "；".join(rulebook.conduct_codes.get(c, c) for c in codes)
    return text, info.legal_basis


def identity(subject_type: str, subject_id: str, state: State, day: date) -> dict[str, str]:
    """Public identity: plate, enterprise name and code, or a masked driver."""
    if subject_type == "vehicle":
        owner_id = state.fleet_on(subject_id, day)
        owner = state.enterprise_names.get(owner_id, "") if owner_id else ""
        return {"name": subject_id, "code": "", "owner": owner}
    if subject_type == "driver":
        name = state.driver_names.get(subject_id, "")
        return {"name": mask_name(name) if name else "", "code": mask_id_number(subject_id),
                "owner": ""}
    return {"name": state.enterprise_names.get(subject_id, ""), "code": subject_id, "owner": ""}


def roster(timelines: Mapping[str, Timeline], state: State, rulebook: Rulebook, day: date,
           bureau: Mapping[str, Any]) -> list[dict[str, Any]]:
    """名单: one row per subject listed on `day`, every ground in effect in its row."""
    by_subject: dict[tuple[str, str], list[Timeline]] = {}
    for timeline in timelines.values():
        if timeline.status_on(day) == "listed":
            key = (timeline.entry.subject_type, timeline.entry.subject_id)
            by_subject.setdefault(key, []).append(timeline)
    rows = []
    ordered = sorted(by_subject.items(), key=lambda kv: (
        min(t.listed_on or day for t in kv[1]), kv[0][0], kv[0][1]))
    for no, ((subject_type, subject_id), mine) in enumerate(ordered, start=1):
        mine.sort(key=lambda t: (t.listed_on or day, t.entry.rule, t.entry.entry_id))
        grounds = []
        for timeline in mine:
            text, basis = ground_of(timeline, state, rulebook)
            grounds.append({"text": text, "basis": basis, "listed_on": timeline.listed_on,
                            "display_until": timeline.display_until})
        latest = max(mine, key=lambda t: t.listed_on or day)
        found = [authority(t, state) for t in mine]
        rows.append({
            "no": no, "subject_type_zh": SUBJECT_ZH[subject_type],
            **identity(subject_type, subject_id, state, day), "transport_licence_no": "",
            "grounds": grounds,
            "authority": next((a for a in found if a), None)
            or bureau.get("identifying_authority", ""),
            "listed_on": min(t.listed_on or day for t in mine),
            "display_until": max(t.display_until or day for t in mine),
            "batch": latest.listing.batch if latest.listing and latest.listing.batch else "",
            "entry_ids": [t.entry.entry_id for t in mine],
        })
    return rows


def public_item(timeline: Timeline, state: State, rulebook: Rulebook, day: date) -> dict[str, Any]:
    """One entry as the 公示, 更正公告 and 移出公告 name it (masked; its id for JSON only)."""
    who = identity(timeline.entry.subject_type, timeline.entry.subject_id, state, day)
    text, basis = ground_of(timeline, state, rulebook)
    return {"name": who["name"], "code": who["code"], "subject_type_zh":
            SUBJECT_ZH[timeline.entry.subject_type], "ground_text": text, "basis": basis,
            "entry_id": timeline.entry.entry_id}


def notice_facts(timeline: Timeline, state: State, rulebook: Rulebook,
           day: date) -> list[dict[str, Any]]:
    """告知书 facts on `day`: the decisions still valid (revoked ones are not facts), the share,
    orders and conduct documents."""
    entry, facts = timeline.entry, []
    for case in entry.evidence:
        decision = state.decisions.get(case)
        revocation = state.revocations.get(case)
        if decision is None or (revocation is not None and revocation.revoked_on <= day):
            continue
        facts.append({"date": decision.violation_on, "place": decision.station_id or "",
                      "plate": decision.plate, "axles": None, "gross_kg": None, "limit_kg": None,
                      "excess_t": "", "excess_pct": "", "case_no": case,
                      "decided_on": decision.decided_on})
    if entry.share and entry.window is not None:
        numerator, denominator = entry.share
        pct = f"{100 * numerator / denominator:.1f}%" if denominator else ""
        facts.append({"share_text": (
            f"1年内（{entry.window.first.year}年{entry.window.first.month}月"
            f"{entry.window.first.day}日至{entry.window.end.year}年{entry.window.end.month}月"
            f"{entry.window.end.day}日）违法超限运输的货运车辆{numerator}辆，占本单位货运车辆总数"
            f"{denominator}辆的{pct}")})
    for order in state.orders:
        if order.order_no in entry.evidence:
            facts.append({"document_no": order.order_no, "date": order.ordered_on,
                          "text": "被交通运输管理部门责令停业整顿"})
    for conduct in state.conducts:
        if conduct.document_no in entry.evidence:
            facts.append({"document_no": conduct.document_no,
                          "date": conduct.decided_on or conduct.occurred_on,
                          "text": rulebook.conduct_codes.get(conduct.conduct, conduct.conduct)})
    return facts


def addressee_of(timeline: Timeline, state: State, day: date) -> dict[str, Any]:
    """Full identity (a private document): a vehicle's owner, the driver, or the enterprise."""
    subject_type, subject_id = timeline.entry.subject_type, timeline.entry.subject_id
    if subject_type == "vehicle":
        owner = state.fleet_on(subject_id, day)
        if owner:
            return {"name": state.enterprise_names.get(owner, ""), "code": owner,
                    "kind_zh": "企业", "plate": subject_id}
        return {"name": "", "code": "", "kind_zh": "个人", "plate": subject_id}
    if subject_type == "driver":
        return {"name": state.driver_names.get(subject_id, ""), "code": subject_id,
                "kind_zh": "个人", "plate": None}
    return {"name": state.enterprise_names.get(subject_id, ""), "code": subject_id,
            "kind_zh": "企业", "plate": None}


def objection_channel(bureau: Mapping[str, Any]) -> str:
    """Where an objection or a question goes, from the bureau's settings."""
    parts = [bureau.get(k) for k in ("objection_address", "objection_phone", "objection_email",
                                     "objection_website")]
    return "；".join(str(p) for p in parts if p)


def what_changed(timeline: Timeline, state: State, day: date,
                  only: tuple[str, ...] | None = None) -> str:
    """更正公告: which decisions were revoked and when, in Chinese (`only`: these cases)."""
    cases = [c for c in timeline.entry.evidence if c in state.revocations
             and state.revocations[c].revoked_on <= day and (only is None or c in only)]
    return "；".join(
        f"行政处罚决定书{c}已于{state.revocations[c].revoked_on.year}年"
        f"{state.revocations[c].revoked_on.month}月{state.revocations[c].revoked_on.day}日被撤销"
        for c in cases) or "据以认定的决定已被撤销"
