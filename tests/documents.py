"""Sample document contexts in the shape of documents-contract.md, and checkers for public text.

The publication act builds these contexts from the log; the templates and writers are tested
from these samples so that they do not depend on it. `contexts()` gives one context per kind.
"""

import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from overload.identifiers import PROVINCES
from overload.settings import BureauSettings
from tests.builders import company, person

ACT_DATE = date(2026, 6, 30)
DEADLINE = date(2026, 7, 14)
INJECTIONS = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)",
              "\tTAB", "\rCR")
BASIS_VEHICLE = "交办公路〔2017〕8号 一、（一）；《公路安全保护条例》第六十六条"
BASIS_ENTERPRISE = "交办公路〔2017〕8号 一、（三）；《公路安全保护条例》第六十六条"
GROUND_VEHICLE = "货运车辆1年内违法超限运输超过3次"
GROUND_SHARE = "道路运输企业1年内违法超限运输的货运车辆超过本单位货运车辆总数10%"
GROUND_DRIVER = "货运车辆驾驶人1年内违法超限运输超过3次"


def bureau(**changes: Any) -> dict[str, Any]:
    """A bureau whose every setting is filled in (settings.BureauSettings.context() shape)."""
    values: dict[str, Any] = {
        "identifying_authority": "临汾市交通运输局",
        "publishing_authority": "临汾市交通运输局",
        "address": "山西省临汾市尧都区滨河西路1号",
        "postcode": "041000",
        "phone": "0357-1234567",
        "contact": "信用管理科",
        "objection_address": "山西省临汾市尧都区滨河西路1号信用管理科",
        "objection_phone": "0357-7654321",
        "objection_email": "xinyong@lfjt.example.cn",
        "objection_website": "",
        "review_body": "临汾市人民政府",
        "court": "临汾市尧都区人民法院",
        "website": "信用交通（山西）网站",
        "measures": ["在本机关网站和“信用交通”网站公布，公布期限二年",
                     "被列入名单的货运车辆不享受鲜活农产品运输“绿色通道”车辆通行费减免政策",
                     "列为重点监管对象，提高检查频次"],
        "numbering": {"notice": "临交信告〔{year}〕{n}号", "announcement": "临交信示〔{year}〕{n}号",
                      "listing": "临交信公〔{year}〕{n}号", "correction": "临交信更〔{year}〕{n}号",
                      "removal": "临交信移〔{year}〕{n}号", "repair": "临交信修〔{year}〕{n}号"},
        "calendar_files": [],
    }
    values.update(changes)
    valid = {key: value for key, value in values.items() if value is not None}
    return BureauSettings.model_validate(valid).context() | changes


def act(draft: bool = False, on: date = ACT_DATE) -> dict[str, Any]:
    return {"date": on, "seq": 1, "batch": f"{on.year}年第2批", "draft": draft,
            "log_head": "3f2a9c@1024"}


def _ground(text: str, basis: str, listed_on: date) -> dict[str, Any]:
    return {"text": text, "basis": basis, "listed_on": listed_on,
            "display_until": listed_on.replace(year=listed_on.year + 2) - timedelta(days=1)}


def rows(count: int = 12, free_text: str | None = None) -> list[dict[str, Any]]:
    """`count` public rows cycling through the four subject types; `free_text` goes into every
    free-text field (names, owner, licence, ground texts, bases, authority)."""
    found = []
    for i in range(count):
        kind = i % 4
        listed = ACT_DATE - timedelta(days=30 * (i % 3))
        grounds = [_ground(GROUND_VEHICLE, BASIS_VEHICLE, listed)]
        if kind == 0:
            name, code, type_zh = f"晋LA{10000 + i}（黄色）", "", "货运车辆"
            owner, licence = "临汾市汾河物流有限公司", f"晋交运管临字141002{100000 + i}号"
        elif kind == 1:
            name, code, type_zh = "王*国", f"141002********{1000 + i}", "货运车辆驾驶人"
            owner, licence = "", ""
            grounds = [_ground(GROUND_DRIVER, "交办公路〔2017〕8号 一、（二）", listed)]
        elif kind == 2:
            name, code, type_zh = "晋南货运有限公司", company(i), "道路运输企业"
            owner, licence = "", ""
            grounds.append(_ground(GROUND_SHARE, BASIS_ENTERPRISE, listed - timedelta(days=10)))
            grounds[0]["text"] = "道路运输企业1年内所属货运车辆违法超限运输超过3次"
        else:
            name, code, type_zh = "临汾市尧都区某煤矿", company(100 + i), "货运源头单位"
            owner, licence = "", ""
        if free_text is not None:
            name = owner = licence = free_text
            for ground in grounds:
                ground["text"] = ground["basis"] = free_text
        found.append({
            "no": i + 1, "subject_type_zh": type_zh, "name": name, "code": code, "owner": owner,
            "transport_licence_no": licence, "grounds": grounds,
            "authority": free_text if free_text is not None else "临汾市交通运输局",
            "listed_on": min(g["listed_on"] for g in grounds),
            "display_until": max(g["display_until"] for g in grounds),
            "batch": "2026年第2批", "entry_ids": [f"E{i:010d}"],
        })
    return found


def _common(kind: str, draft: bool, n: int = 3) -> dict[str, Any]:
    pattern = bureau()["numbering"].get(kind)
    number = pattern.format(year=ACT_DATE.year, n=n) if pattern else ""
    return {"bureau": bureau(), "act": act(draft), "document_no": number}


def penalty_fact(n: int = 1) -> dict[str, Any]:
    return {"date": date(2026, 3, n), "place": "G108国道临汾北超限检测站", "plate": "晋LA10000",
            "axles": 6, "gross_kg": 55_000 + n, "limit_kg": 49_000, "excess_t": f"{6 + n / 1000:.2f}",
            "excess_pct": "12.2%", "case_no": f"临交罚〔2026〕{n:04d}号", "decided_on": date(2026, 3, 10 + n)}


def notice(draft: bool = False, share: bool = False) -> dict[str, Any]:
    context = _common("notice", draft)
    if share:
        facts: list[dict[str, Any]] = [{"share_text": (
            "1年内（2025年7月1日至2026年6月30日）违法超限运输的货运车辆3辆，"
            "占本单位货运车辆总数20辆的15.0%")}]
        addressee = {"name": "临汾市汾河物流有限公司", "code": company(7), "kind_zh": "企业", "plate": None}
        ground, basis, type_zh = GROUND_SHARE, BASIS_ENTERPRISE, "道路运输企业"
    else:
        facts = [penalty_fact(n) for n in (1, 2, 3, 4)]
        addressee = {"name": "王建国", "code": person(7), "kind_zh": "个人", "plate": "晋LA10000"}
        ground, basis, type_zh = GROUND_VEHICLE, BASIS_VEHICLE, "货运车辆"
    context.update({
        "addressee": addressee, "subject_type_zh": type_zh, "facts": facts,
        "ground_text": ground, "basis": basis,
        "reading_note": "“超过”按《民法典》第一千二百五十九条理解，不包括本数",
        "measures": context["bureau"]["measures"], "objection_deadline": DEADLINE,
        "objection_channel": context["bureau"]["objection_channel"],
        "review_body": context["bureau"]["review_body"], "court": context["bureau"]["court"],
        "display_years": 2, "repair_years": 1,
        "calendar_note": "异议期限按国务院办公厅公布的2026年部分节假日安排计算工作日",
        "date": ACT_DATE,
    })
    return context


def repair(draft: bool = False) -> dict[str, Any]:
    context = _common("repair", draft)
    context.update({"addressee": {"name": "晋南货运有限公司", "code": company(3), "kind_zh": "企业",
                                  "plate": None},
                    "ground_text": GROUND_SHARE, "listed_on": date(2025, 3, 31),
                    "repaired_on": ACT_DATE, "repair_document_no": context["document_no"]})
    return context


def announcement(draft: bool = False, count: int = 4) -> dict[str, Any]:
    context = _common("announcement", draft)
    entries = [{"no": r["no"], "subject_type_zh": r["subject_type_zh"], "name": r["name"],
                "code": r["code"], "ground_text": r["grounds"][0]["text"], "basis": r["grounds"][0]["basis"],
                "entry_id": r["entry_ids"][0]} for r in rows(count)]
    context.update({"entries": entries, "objection_deadline": DEADLINE,
                    "objection_channel": context["bureau"]["objection_channel"],
                    "calendar_note": None,
                    "not_listed": [{"name": "晋LA20000（蓝色）", "code": "", "ground_text": GROUND_VEHICLE,
                                    "reason": "当事人提出异议，经复核，临交罚〔2026〕0011号"
                                              "行政处罚决定书已被撤销，异议成立",
                                    "decided_on": date(2026, 6, 20)}]})
    return context


def listing(draft: bool = False, count: int = 12) -> dict[str, Any]:
    context = _common("listing", draft)
    context.update({"entries": rows(count), "display_years": 2,
                    "question_channel": context["bureau"]["question_channel"]})
    return context


def the_list(draft: bool = False, count: int = 12, free_text: str | None = None) -> dict[str, Any]:
    return {"bureau": bureau(), "act": act(draft), "document_no": "", "rows": rows(count, free_text)}


def correction(draft: bool = False) -> dict[str, Any]:
    context = _common("correction", draft)
    context["items"] = [
        {"name": "晋南货运有限公司", "code": company(2), "ground_text": GROUND_SHARE,
         "what_changed": "行政处罚决定书临交罚〔2026〕0008号已于2026年5月1日被撤销",
         "effect": "withdrawn", "was_listed": True, "original_document_no": "临交信公〔2026〕1号"},
        {"name": "晋LA10004（黄色）", "code": "", "ground_text": GROUND_VEHICLE,
         "what_changed": "行政处罚决定书临交罚〔2026〕0009号已于2026年5月3日被撤销，其余决定仍满足认定条件",
         "effect": "facts_corrected", "was_listed": False, "original_document_no": "临交信示〔2026〕2号"},
    ]
    return context


def removal(draft: bool = False) -> dict[str, Any]:
    context = _common("removal", draft)
    context["items"] = [
        {"name": "晋LA10008（黄色）", "code": "", "ground_text": GROUND_VEHICLE, "reason": "expired",
         "repair_document_no": None, "removed_on": date(2026, 6, 1)},
        {"name": "晋南货运有限公司", "code": company(3), "ground_text": GROUND_SHARE, "reason": "repaired",
         "repair_document_no": "临交信修〔2026〕3号", "removed_on": date(2026, 6, 30)},
    ]
    return context


def changes(draft: bool = False) -> dict[str, Any]:
    """变更说明: what the public list gained, lost and had corrected since the previous act."""
    return {"bureau": bureau(), "act": act(draft), "document_no": "", "since": date(2026, 3, 31),
            "added": [{"name": "晋LA10000（黄色）", "code": "", "subject_type_zh": "货运车辆",
                       "ground_text": GROUND_VEHICLE, "reason": "公示期满无异议"}],
            "ended": [{"name": "晋LA10008（黄色）", "code": "", "subject_type_zh": "货运车辆",
                       "ground_text": GROUND_VEHICLE, "reason": "公布期满", "on": date(2026, 6, 1)}],
            "corrected": [{"name": "晋南货运有限公司", "code": company(2), "subject_type_zh": "道路运输企业",
                           "ground_text": GROUND_SHARE,
                           "what_changed": "行政处罚决定书临交罚〔2026〕0008号"
                                           "已于2026年5月1日被撤销，撤销列入",
                           "on": date(2026, 5, 1)}]}


def contexts(draft: bool = False) -> dict[str, dict[str, Any]]:
    """One context per kind of document."""
    return {"list": the_list(draft), "announcement": announcement(draft), "listing": listing(draft),
            "correction": correction(draft), "removal": removal(draft), "changes": changes(draft),
            "notice": notice(draft), "repair": repair(draft)}


# Identifiers and codes may carry ASCII letters; nothing else in a public text may.
_ALLOWED = [
    re.compile(rf"[{PROVINCES}][A-Z][A-Z0-9]{{4,6}}"),                                    # plates
    re.compile(r"\b[0-9A-Z]{18}\b"),                                                       # credit codes
    re.compile(r"\d{6}\*+\d{3}[\dX]"),                                                     # masked ID
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),                          # e-mail
    re.compile(r"https?://\S+|www\.\S+"),                                                  # site
    re.compile(r"\b[GSXYZ]\d{1,4}\b|[GSXYZ]\d{1,4}(?=[\u4e00-\u9fff])"),                    # road numbers
    re.compile(r"K\d+(\+\d+)?"),                                                            # mileposts
    re.compile(r"\b[0-9a-f]{6,64}@[0-9]+\b"),                              # log head (verify --anchor)
]
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&[#0-9A-Za-z]+;")
_LETTERS = re.compile(r"[A-Za-z]+")


def visible_text(text: str) -> str:
    """What a reader sees of an HTML or Markdown document: no tags, styles or entities."""
    return _ENTITY.sub(" ", _TAG.sub(" ", _STYLE.sub(" ", text)))


def english_in(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """ASCII letter sequences in public text other than identifiers, plates, codes and roads."""
    seen = visible_text(text)
    for literal in sorted(allowed, key=len, reverse=True):
        if literal:
            seen = seen.replace(literal, " ")
    for pattern in _ALLOWED:
        seen = pattern.sub(" ", seen)
    return _LETTERS.findall(seen)


_FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")


def readable_text(name: str, data: bytes) -> str:
    """The text of a published file, whatever its format (xlsx and docx unzipped)."""
    if name.endswith((".xlsx", ".docx")):
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(member).decode("utf-8", "replace")
                             for member in archive.namelist() if member.endswith(".xml"))
    return data.decode("utf-8-sig")


def personal_data_in(files: dict[str, bytes], names: Iterable[str] = ()) -> list[str]:
    """Full ID numbers, and any of the given full personal names, found in public files."""
    found = []
    wanted = [n for n in names if len(n) >= 2]
    for name, data in sorted(files.items()):
        text = readable_text(name, data)
        found += [f"{name}: {number}" for number in _FULL_ID.findall(text)]
        found += [f"{name}: {person}" for person in wanted if person in text]
    return found


SETTINGS_TOML = """\
identifying_authority = "临汾市交通运输局"
publishing_authority = "临汾市交通运输局"
address = "山西省临汾市尧都区滨河西路1号"
phone = "0357-1234567"
contact = "信用管理科"
objection_address = "山西省临汾市尧都区滨河西路1号信用管理科"
objection_phone = "0357-7654321"
objection_email = "xinyong@lfjt.example.cn"
review_body = "临汾市人民政府"
court = "临汾市尧都区人民法院"
website = "信用交通（山西）网站"

[numbering]
notice = "临交信告〔{year}〕{n}号"
announcement = "临交信示〔{year}〕{n}号"
listing = "临交信公〔{year}〕{n}号"
correction = "临交信更〔{year}〕{n}号"
removal = "临交信移〔{year}〕{n}号"
repair = "临交信修〔{year}〕{n}号"
"""


def write_settings(path: Path, text: str = SETTINGS_TOML) -> Path:
    """A complete bureau settings file (the same bureau as `bureau()`)."""
    path.write_text(text, encoding="utf-8")
    return path


def settings() -> BureauSettings:
    """The same bureau as a settings object, for calling `publish` directly."""
    import tomllib

    return BureauSettings.model_validate(tomllib.loads(SETTINGS_TOML))
