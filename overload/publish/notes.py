"""The two notes a document adds to a date or a rule, in Chinese: how the objection deadline was
counted (which holiday calendar), and how the rulebook reads "超过" (documents.md, citing the
rules). The act records the calendar as a short English source string for operators; documents
never print it."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import chinese_calendar

from overload.lifecycle.calendar import FALLBACK, LIBRARY

# How each shipped rulebook reads "超过" and "以上"; a rulebook not named here adds no note.
READINGS = {
    "linfen-2020": "本机关对“超过”按照《中华人民共和国民法典》第一千二百五十九条理解，不包括本数",
    "mot-2017": "依照交办公路〔2017〕8号，“超过”“以上”均包含本数",
}


def reading_note(rulebook_id: str) -> str | None:
    return READINGS.get(rulebook_id)


def _library_years(start: date, end: date) -> list[int]:
    """Years of the period the holiday library covers."""
    found = []
    for year in range(start.year, end.year + 1):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        found.append(year)
    return found


def calendar_note(source: str | None, start: date | None, end: date | None) -> str | None:
    """How an objection deadline from `start` (the announcing date) to `end` was counted."""
    if not source or start is None or end is None:
        return None
    parts = [p.strip() for p in source.split("+")]
    said = []
    if LIBRARY in parts:
        years = "、".join(f"{y}年" for y in _library_years(start, end))
        said.append(f"按国务院办公厅公布的{years}节假日安排计算工作日")
    bureau = [p for p in parts if p.startswith("bureau calendar")]
    if bureau:
        said.append("按本机关依据国务院办公厅节假日安排通知录入的节假日文件计算工作日")
    if FALLBACK in parts:
        said.append("期限内部分年份尚无国务院办公厅节假日安排数据，暂按周一至周五为工作日计算，"
                    "以国务院办公厅通知为准")
    return "；".join(said) or None


# Notice 8's items for the count and share rules (documents.md "Citing the rules").
NOTICE_8_ITEMS = {"vehicle-repeat": "（一）", "driver-repeat": "（二）", "enterprise-fleet-share": "（三）"}
_LOCAL_PLAN = "临文明委〔2020〕11号"


# A serious-conduct ground cites the Notice 8 item of its own record, not the whole range.
_CONDUCT_RANGE = "交办公路〔2017〕8号 一、（四）至（十）"
# The rules whose condition reads "超过" (a count or a share): the reading note is theirs only.
READS_OVER = frozenset({"vehicle-repeat", "driver-repeat", "enterprise-fleet-share"})


def reading_note_for(rulebook_id: str, rule_id: str) -> str | None:
    """How "超过" is read, for a ground whose condition uses it (never an order or conduct)."""
    return reading_note(rulebook_id) if rule_id in READS_OVER else None


def citation(rule_id: str, legal_basis: str, conduct_items: tuple[str, ...] = ()) -> str:
    """认定依据 as documents cite it: Notice 8 with its item, then the regulation, and a local
    plan last, named as the policy that orders the work (never standing as the basis alone).
    `conduct_items`: the Notice 8 items (e.g. "（七）") of a serious-conduct ground's records,
    cited instead of the range （四）至（十）."""
    parts = [p.strip() for p in legal_basis.split("；") if p.strip()]
    if conduct_items:
        own = "交办公路〔2017〕8号 一、" + "、".join(conduct_items)
        parts = [own if p == _CONDUCT_RANGE else p for p in parts]
    item = NOTICE_8_ITEMS.get(rule_id)
    if item and not any(p.startswith("交办公路〔2017〕8号 一、") for p in parts):
        parts = [f"交办公路〔2017〕8号 一、{item}" if p == "交办公路〔2017〕8号" else p
                 for p in parts]
        if not any(p.startswith("交办公路〔2017〕8号") for p in parts):
            parts.insert(0, f"交办公路〔2017〕8号 一、{item}")
    local = [p for p in parts if p.startswith(_LOCAL_PLAN)]
    rest = [p for p in parts if not p.startswith(_LOCAL_PLAN)]
    return "；".join([*rest, *(f"{p}（本市实施方案）" for p in local)])


def merged_basis(grounds: Iterable[Mapping[str, Any]]) -> str:
    """One 认定依据 for a list row of several grounds: each citation once, in first-seen order
    (two grounds under the same regulation and plan do not repeat them)."""
    seen: list[str] = []
    for ground in grounds:
        seen += [p for p in str(ground["basis"]).split("；") if p and p not in seen]
    return "；".join(seen)
