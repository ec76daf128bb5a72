"""The contexts of an act's documents (documents-contract.md): plain dicts, public data masked.

No internal id reaches a public context except the `entry_id(s)` keys JSON keeps.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from overload.evaluation.entries import Entry
from overload.identifiers import mask_id_number, mask_name
from overload.lifecycle.timeline import Timeline
from overload.projections.state import Decision, State
from overload.publish.notes import citation
from overload.publish.public import SUBJECT_ZH, authority
from overload.rulebook.model import Rulebook


def ground_of(timeline: Timeline, state: State, rulebook: Rulebook) -> tuple[str, str]:
    """(rule text, basis) of an entry, with the Notice 8 item of a conduct record."""
    entry, info = timeline.entry, rulebook.rule(timeline.entry.rule)
    text = info.summary
    items: tuple[str, ...] = ()
    if entry.rule == "serious-conduct":
        codes = sorted({c.conduct for c in state.conducts if c.document_no in entry.evidence})
        said = [rulebook.conduct_codes.get(c, c) for c in codes]
        text += "：" + "；".join(said)
        items = tuple(sorted({s[:s.index("）") + 1] for s in said if s.startswith("（")},
                             key=said_order))
    return text, citation(entry.rule, info.legal_basis, items)


_ITEMS = "（一）（二）（三）（四）（五）（六）（七）（八）（九）（十）"


def said_order(item: str) -> int:
    """Notice 8's items in their own order （四） before （十）."""
    return _ITEMS.find(item)


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
            # 认定机关 is the bureau that identifies the entry (its settings), not the authority
            # that decided a penalty it rests on (a 处罚机关, named in the 告知书's facts).
            "authority": bureau.get("identifying_authority") or next((a for a in found if a), ""),
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


def place_of(decision: Decision, state: State) -> str | None:
    """The place of a violation as a document states it (station name and road), never a bare
    station code: the registered station's name and place first (`station_registered`), else
    the place the decision itself names (a decision made away from a registered station)."""
    station = state.stations.get(decision.station_id) if decision.station_id else None
    if station is not None and station.name:
        return f"{station.name}（{station.place}）" if station.place else station.name
    return decision.place


def _excess(gross_kg: int, limit_kg: int) -> tuple[str, str]:
    """Excess in tonnes ("3.50") and per cent of the limit ("12.3%"), as the notice prints them."""
    over = gross_kg - limit_kg
    return f"{over / 1000:.2f}", f"{100 * over / limit_kg:.1f}%" if limit_kg else ""


def notice_facts(timeline: Timeline, state: State, rulebook: Rulebook, day: date,
                 weighings: Mapping[str, tuple[int, int]],
                 earlier_end: date | None = None) -> list[dict[str, Any]]:
    """告知书 facts on `day`: the decisions still valid (revoked ones are not facts), the share,
    orders and conduct documents. `weighings`: weighing key -> (axles, gross_kg) of the weighings
    the decisions rest on; `earlier_end`: the day the subject's previous entry of the rule ended
    (said beside a share that counted only after it). A fact nobody knows stays None: the
    rendering refuses it by name."""
    entry, facts = timeline.entry, []
    for case in entry.evidence:
        decision = state.decisions.get(case)
        revocation = state.revocations.get(case)
        if decision is None or (revocation is not None and revocation.revoked_on <= day):
            continue
        weighed = weighings.get(decision.weighing_key or "")
        gross = decision.gross_kg if decision.gross_kg is not None else (
            weighed[1] if weighed else None)
        excess_t, excess_pct = (_excess(gross, decision.limit_kg)
                                if gross is not None and decision.limit_kg else (None, None))
        facts.append({"date": decision.violation_on, "place": place_of(decision, state),
                      "plate": decision.plate, "axles": weighed[0] if weighed else None,
                      "gross_kg": gross, "limit_kg": decision.limit_kg, "excess_t": excess_t,
                      "excess_pct": excess_pct, "case_no": case,
                      "decided_on": decision.decided_on})
    if entry.share and entry.window is not None:
        facts.append({"share_text": share_text(entry, earlier_end)})
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


def share_text(entry: Entry, earlier_end: date | None = None) -> str:
    """The share as a fact, with the period it actually counted: a share whose year began
    before the subject's previous trip counted only the violations after that trip (one entry
    of a rule at a time), and the notice says so and why, never a year it did not count."""
    assert entry.share is not None and entry.window is not None
    numerator, denominator = entry.share
    pct = f"{100 * numerator / denominator:.1f}%" if denominator else ""
    year = f"{cn(entry.window.first)}至{cn(entry.window.end)}"
    start = entry.counted_from()
    if start is None:
        return (f"1年内（{year}）违法超限运输的货运车辆{numerator}辆，"
                f"占本单位货运车辆总数{denominator}辆的{pct}")
    assert entry.previous_trip_on is not None
    ended = f"，该认定已于{cn(earlier_end)}终结" if earlier_end is not None else ""
    return (f"1年内（{year}）本单位货运车辆总数{denominator}辆；其中{cn(start)}至"
            f"{cn(entry.window.end)}违法超限运输的货运车辆{numerator}辆，占{pct}（此前本机关已于"
            f"{cn(entry.previous_trip_on)}依据同一情形作出认定{ended}；同一情形一次只作一次认定，"
            f"该日及以前的违法不计入本次认定）")


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def addressee_of(timeline: Timeline, state: State, day: date) -> dict[str, Any]:
    """Full identity (a private document): a vehicle's owner, the driver, or the enterprise.

    A vehicle is addressed to the enterprise whose fleet holds it on `day`, with its plate, else
    to the person its registration names as owner (`owner_name`/`owner_id`, feed v1.1). When
    the registry names no owner at all, the name and code stay None, so a final act is refused
    naming the entry, and a draft shows 〔未提供〕; a notice is never addressed to a plate alone."""
    subject_type, subject_id = timeline.entry.subject_type, timeline.entry.subject_id
    if subject_type == "vehicle":
        owner = state.fleet_on(subject_id, day)
        if owner:
            return {"name": state.enterprise_names.get(owner), "code": owner,
                    "kind_zh": "企业", "plate": subject_id}
        person = state.owner_on(subject_id, day)
        return {"name": person[0] if person else None, "code": person[1] if person else None,
                "kind_zh": "个人", "plate": subject_id}
    if subject_type == "driver":
        return {"name": state.driver_names.get(subject_id), "code": subject_id,
                "kind_zh": "个人", "plate": None}
    return {"name": state.enterprise_names.get(subject_id), "code": subject_id,
            "kind_zh": "企业", "plate": None}


def what_changed(timeline: Timeline, state: State, day: date,
                  only: tuple[str, ...] | None = None) -> str:
    """更正公告: which decisions were revoked and when, in Chinese (`only`: these cases)."""
    cases = [c for c in timeline.entry.evidence if c in state.revocations
             and state.revocations[c].revoked_on <= day and (only is None or c in only)]
    return "；".join(
        f"行政处罚决定书{c}已于{state.revocations[c].revoked_on.year}年"
        f"{state.revocations[c].revoked_on.month}月{state.revocations[c].revoked_on.day}日被撤销"
        for c in cases) or "据以认定的决定已被撤销"
