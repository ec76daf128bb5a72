"""The required parts of each document (documents.md), checked in the rendered text.

Why the output and not the template: a bureau's replacement can hide a part in many ways the
template's syntax tree does not show (a condition that is never true, a comment, a block that is
overridden by nothing, a macro never called). What the subject or the public receives is the
rendered text, so that is what is checked: every required value of the context (document number,
deadline, channel, review body, court...) and every required phrase (陈述、申辩, 行政复议 with its
60 days, 行政诉讼 with its 6 months, （印章）) must appear in it. The same check runs on our own
templates, on a bureau's replacements and on the Word files, at every rendering; a part left out is
refused naming the part. A value the context lacks is reported as missing unless the act is a
draft, where it prints as 〔未提供〕 beside the 草稿 marks.
"""

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from overload.publish.templating import DRAFT_MARK, PLACEHOLDER, MissingPartError, cn_date, tonnes

Groups = list[tuple[str, ...]]  # every group must be present; within a group, any alternative


class _Absent(Exception):
    """A value the part needs is not in the context."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _get(context: dict[str, Any], path: str) -> Any:
    value: Any = context
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
        if value is None or value == "" or value == []:
            raise _Absent(path)
    return value


def _date(context: dict[str, Any], path: str) -> str:
    return str(cn_date(_get(context, path)))


def _each(context: dict[str, Any], path: str, limit: int = 24) -> Iterator[dict[str, Any]]:
    """Items of a list, sampled evenly when long: a 17,000-row list is checked in milliseconds."""
    items = _get(context, path)
    if len(items) <= limit:
        yield from items
        return
    step = (len(items) - 1) / (limit - 1)
    for i in range(limit):
        yield items[round(i * step)]


@dataclass(frozen=True)
class Part:
    label: str
    groups: Callable[[dict[str, Any]], Groups]


def _value(label: str, path: str) -> Part:
    return Part(label, lambda c: [(str(_get(c, path)),)])


def _phrases(label: str, *groups: tuple[str, ...]) -> Part:
    fixed: Groups = list(groups)
    return Part(label, lambda c: fixed)


def _rows_named(label: str, path: str, *keys: str, may_be_empty: bool = False) -> Part:
    """Each row's values in the text; `may_be_empty`: a list with no rows is a valid document
    (no one on the list yet, nothing added since the last act)."""
    def groups(context: dict[str, Any]) -> Groups:
        if may_be_empty and context.get(path) == []:
            return []
        return [(str(item[key]),) for item in _each(context, path) for key in keys if item.get(key)]
    return Part(label, groups)


NUMBER = _value("document number (文号)", "document_no")
ACT_DATE = Part("date of issue (年月日)", lambda c: [(_date(c, "act.date"),)])
SEAL = _phrases("seal place （印章）", ("（印章）",))
PUBLISHER = _value("publishing authority (发布机关)", "bureau.publishing_authority")
DECIDER = _value("identifying authority (认定机关)", "bureau.identifying_authority")


def _facts(context: dict[str, Any]) -> Groups:
    found: Groups = []
    for fact in _get(context, "facts"):
        if "share_text" in fact:
            found.append((str(_get(fact, "share_text")),))
        elif "case_no" in fact:
            for key in ("place", "plate", "axles", "case_no", "gross_kg", "limit_kg", "excess_t",
                        "excess_pct", "decided_on"):
                if fact.get(key) in (None, ""):
                    raise _Absent(f"facts: {key} of {fact.get('case_no') or 'a penalty'}")
            for key in ("place", "plate", "case_no", "excess_t", "excess_pct"):
                found.append((str(fact[key]),))
            for key in ("gross_kg", "limit_kg"):  # printed in kilograms or in tonnes
                found.append((str(fact[key]), str(tonnes(fact[key]))))
            found.append((str(cn_date(fact["date"])),))
        else:
            found += [(str(_get(fact, "document_no")),), (str(_get(fact, "text")),)]
    return found


def _measures(context: dict[str, Any]) -> Groups:
    return [(str(m),) for m in _get(context, "measures")]


def _correction_effects(context: dict[str, Any]) -> Groups:
    items = _get(context, "items")
    effects = {item.get("effect") for item in items}
    found: Groups = []
    if "withdrawn" in effects:
        found += [("撤销",), ("停止公布",)]
        # Sanctions are lifted only where they applied: an entry that was listed (an entry
        # only announced had none).
        if any(i.get("effect") == "withdrawn" and i.get("was_listed") for i in items):
            found += [("解除",)]
    if "facts_corrected" in effects:
        found += [("更正",)]
    return found


def _removal_reasons(context: dict[str, Any]) -> Groups:
    found: Groups = []
    for item in _each(context, "items"):
        if item.get("reason") == "repaired":
            found += [("信用修复",), (str(_get(item, "repair_document_no")),)]
        else:
            found += [("公布期满", "公布期限届满")]
        found.append((str(cn_date(_get(item, "removed_on"))),))
    return found


def _not_listed(context: dict[str, Any]) -> Groups:
    rows = context.get("not_listed") or []
    found: Groups = [("不予列入",)] if rows else []
    return found + [(str(r["name"]),) for r in rows]


REQUIRED: dict[str, list[Part]] = {
    "notice": [
        _phrases("title (告知书)", ("告知书",)), NUMBER,
        _value("addressee (当事人)", "addressee.name"), _value("addressee's identifier", "addressee.code"),
        Part("facts (违法事实)", _facts),
        _value("ground (失信行为)", "ground_text"), _value("basis (认定依据)", "basis"),
        Part("measures (惩戒措施)", _measures),
        _phrases("right to state and defend (陈述、申辩)", ("陈述",), ("申辩",), ("异议",)),
        Part("objection deadline (异议期限)", lambda c: [(_date(c, "objection_deadline"),)]),
        _value("objection channel (异议渠道)", "objection_channel"),
        _phrases("administrative review (行政复议)", ("行政复议",), ("六十日", "60日")),
        _value("review body (行政复议机关)", "review_body"),
        _phrases("administrative litigation (行政诉讼)", ("行政诉讼",), ("六个月", "6个月")),
        _value("court (人民法院)", "court"),
        _phrases("removal and repair (移出和信用修复)", ("信用修复",)),
        _value("contact (联系人)", "bureau.contact"), _value("phone (联系电话)", "bureau.phone"),
        _value("address (地址)", "bureau.address"), DECIDER, SEAL, ACT_DATE,
    ],
    "repair": [
        _phrases("title (信用修复决定书)", ("信用修复决定书",)), NUMBER,
        _value("addressee (当事人)", "addressee.name"), _value("ground (失信行为)", "ground_text"),
        Part("listing date (列入日期)", lambda c: [(_date(c, "listed_on"),)]),
        # Dated the day the repair was decided (its number is that act's), not the day the
        # next publication act serves it: the repair date is the date of issue.
        Part("repair date (修复日期)", lambda c: [(_date(c, "repaired_on"),)]),
        DECIDER, SEAL,
    ],
    "announcement": [
        _phrases("title (公示)", ("公示",)), NUMBER, ACT_DATE,
        _rows_named("announced subjects", "entries", "name", "ground_text", may_be_empty=True),
        Part("objection deadline (异议期限)", lambda c: [(_date(c, "objection_deadline"),)]
             if c.get("entries") != [] else []),
        Part("objection channel (异议渠道)", lambda c: [(str(_get(c, "objection_channel")),)]
             if c.get("entries") != [] else []),
        Part("entries not listed (不予列入)", _not_listed), PUBLISHER, SEAL,
    ],
    "listing": [
        _phrases("title (公告)", ("公告",)), _value("batch (批次)", "act.batch"), NUMBER, ACT_DATE,
        _rows_named("listed subjects (附件)", "entries", "name"),
        Part("display period (公布期限)", lambda c: [(f"{_get(c, 'display_years')}年",
                                                      f"{'零一二三四五'[_get(c, 'display_years')]}年")]),
        _value("channel for questions (咨询渠道)", "question_channel"), PUBLISHER, SEAL,
    ],
    "correction": [
        _phrases("title (更正公告)", ("更正公告",)), NUMBER, ACT_DATE,
        _rows_named("corrected entries", "items", "name", "what_changed"),
        Part("effect (处理结果)", _correction_effects), PUBLISHER, SEAL,
    ],
    "removal": [
        _phrases("title (移出公告)", ("移出公告",)), NUMBER, ACT_DATE,
        _rows_named("removed subjects", "items", "name"),
        Part("reason and date of removal (移出原因)", _removal_reasons), PUBLISHER, SEAL,
    ],
    "list": [
        _phrases("columns (序号、认定依据、公布截止日期、批次)", ("序号",), ("认定依据",),
                 ("公布截止日期",), ("批次",)),
        _rows_named("listed subjects", "rows", "name", "code", may_be_empty=True), PUBLISHER,
        ACT_DATE,
    ],
    "changes": [
        _rows_named("added subjects", "added", "name", may_be_empty=True),
        _rows_named("ended subjects", "ended", "name", may_be_empty=True),
        _rows_named("corrected subjects", "corrected", "name", may_be_empty=True), ACT_DATE,
    ],
}
_TITLES = {"notice": "告知书", "repair": "信用修复决定书", "announcement": "公示", "listing": "公告",
           "correction": "更正公告", "removal": "移出公告", "list": "名单", "changes": "变更说明"}
_TAG = re.compile(r"<[^>]*>")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]<>|#])")
_SPACE = re.compile(r"\s+")


def document_label(kind: str, context: dict[str, Any]) -> str:
    """告知书 临交信告〔2026〕1号: how messages name a document."""
    number = context.get("document_no")
    return f"{_TITLES.get(kind, kind)} {number}" if number else _TITLES.get(kind, kind)


def plain(text: str, fmt: str) -> str:
    """The words a reader sees: tags dropped, entities and Markdown escapes undone, no whitespace."""
    if fmt == "html":
        text = html.unescape(_TAG.sub("", text))
    elif fmt == "md":
        text = _MD_ESCAPE.sub(r"\1", text)
    return _SPACE.sub("", text)


def check(kind: str, context: dict[str, Any], text: str, fmt: str, label: str) -> None:
    """Refuse a rendered document that lacks a required part, naming the part.

    `fmt` is "html", "md" or "text" (Word files, read back as text).
    """
    draft = bool(context.get("act", {}).get("draft"))
    seen = plain(text, fmt)
    if draft and DRAFT_MARK.replace(" ", "") not in seen:
        raise MissingPartError(f"{label}: a draft must say {DRAFT_MARK} on every page")
    if not draft and PLACEHOLDER in seen:
        raise MissingPartError(f"{label}: contains the placeholder {PLACEHOLDER}")
    for part in REQUIRED.get(kind, []):
        try:
            groups = part.groups(context)
        except _Absent as absent:
            if draft:
                continue
            raise MissingPartError(f"{label}: cannot be issued without the {part.label}: "
                                   f"{absent.path} is not known") from None
        for group in groups:
            if not any(_SPACE.sub("", alternative) in seen for alternative in group):
                raise MissingPartError(f"{label}: the template leaves out the {part.label} "
                                       f"({' or '.join(group)})")
