"""The public form of entries (domain.md §6): what is shown, with personal data masked."""

from datetime import date, timedelta
from typing import Any

from overload.identifiers import mask_id_number, mask_name
from overload.lifecycle.timeline import Timeline
from overload.projections.state import State
from overload.publish.templating import PLACEHOLDER
from overload.rulebook.model import Rulebook

SUBJECT_ZH = {"vehicle": "货运车辆", "driver": "货运车辆驾驶人", "enterprise": "道路运输企业",
              "source_unit": "货运源头单位"}
PUBLIC_COLUMNS = (
    "entry_id", "subject_type", "subject", "plate", "enterprise_name", "credit_code",
    "driver_name", "id_number", "rule", "conduct", "legal_basis", "violations", "share",
    "tripped_on", "listed_on", "display_until", "authority",
)
# The printed list shows one identity column and one count-or-share column.
DISPLAY_COLUMNS = (
    "subject_type", "subject", "rule", "legal_basis", "violations_or_share", "tripped_on",
    "listed_on", "display_until", "authority",
)
HEADINGS_ZH = {
    "entry_id": "编号",
    "subject_type": "主体类型",
    "subject": "主体",
    "plate": "车牌号",
    "enterprise_name": "单位名称",
    "credit_code": "统一社会信用代码",
    "driver_name": "驾驶人姓名",
    "id_number": "身份证号码",
    "rule": "失信行为",
    "conduct": "认定情形",
    "legal_basis": "认定依据",
    "violations": "违法次数",
    "share": "违法车辆占比",
    "violations_or_share": "违法次数/车辆占比",
    "tripped_on": "认定日期",
    "listed_on": "公布日期",
    "display_until": "公布截止日期",
    "authority": "认定机关",
}


def authority(timeline: Timeline, state: State) -> str | None:
    """The deciding authority: that of the latest supporting document that names one."""
    found: list[tuple[str, str]] = []
    evidence = set(timeline.entry.evidence)
    for decision in state.decisions.values():
        if decision.case_no in evidence and decision.authority:
            found.append((decision.decided_on.isoformat(), decision.authority))
    for order in state.orders:
        if order.order_no in evidence and order.authority:
            found.append((order.ordered_on.isoformat(), order.authority))
    for conduct in state.conducts:
        if conduct.document_no in evidence and conduct.authority:
            found.append((conduct.occurred_on.isoformat(), conduct.authority))
    return max(found)[1] if found else None


def identity(subject_type: str, subject_id: str, state: State, masked: bool) -> dict[str, Any]:
    """Who the entry is about; personal data masked for the public."""
    fields: dict[str, Any] = {"plate": None, "enterprise_name": None, "credit_code": None,
                              "driver_name": None, "id_number": None}
    if subject_type == "vehicle":
        fields["plate"] = subject_id
    elif subject_type == "driver":
        name = state.driver_names.get(subject_id)
        fields["driver_name"] = (mask_name(name) if masked else name) if name else None
        fields["id_number"] = mask_id_number(subject_id) if masked else subject_id
    else:
        fields["enterprise_name"] = state.enterprise_names.get(subject_id)
        fields["credit_code"] = subject_id
    return fields


def subject_text(fields: dict[str, Any]) -> str:
    """One printable identity: a plate; a name with its credit code or (masked) ID number."""
    if fields["plate"]:
        return str(fields["plate"])
    if fields["credit_code"]:
        return f"{fields['enterprise_name'] or PLACEHOLDER}（{fields['credit_code']}）"
    return f"{fields['driver_name'] or PLACEHOLDER}（{fields['id_number']}）"


def public_row(timeline: Timeline, state: State, rulebook: Rulebook) -> dict[str, Any]:
    entry = timeline.entry
    conduct = None
    if entry.rule == "serious-conduct":
        codes = {c.conduct for c in state.conducts if c.document_no in entry.evidence}
        conduct = "；".join(rulebook.conduct_codes.get(c, c) for c in sorted(codes))
    who = identity(entry.subject_type, entry.subject_id, state, masked=True)
    share = f"{entry.share[0]}/{entry.share[1]}" if entry.share else None
    return {
        "entry_id": entry.entry_id,
        "subject_type": SUBJECT_ZH[entry.subject_type],
        "subject": subject_text(who),
        **who,
        "rule": rulebook.rule(entry.rule).summary + (f"：{conduct}" if conduct else ""),
        "conduct": conduct,
        "legal_basis": rulebook.rule(entry.rule).legal_basis,
        "violations": entry.violations,
        "share": share,
        "violations_or_share": f"{entry.violations} 次" if entry.violations
        else (f"{share} 辆" if share else "—"),
        "tripped_on": entry.tripped_on.isoformat(),
        "listed_on": timeline.listed_on.isoformat() if timeline.listed_on else None,
        "display_until": (timeline.expires_on - timedelta(days=1)).isoformat()
        if timeline.expires_on else None,
        "authority": authority(timeline, state),
    }


def listed_on(timelines: list[Timeline], day: date) -> list[Timeline]:
    """Entries on the public list on a date, in a stable order."""
    chosen = [t for t in timelines if t.status_on(day) == "listed"]
    return sorted(chosen, key=lambda t: (t.listed_on, t.entry.tripped_on, t.entry.rule,
                                         t.entry.subject_id))
