"""The public list as cells: one row per subject, for CSV, XLSX and JSON alike.

Spreadsheet safety: a cell a spreadsheet program would read as a formula (it starts with `=`,
`+`, `-`, `@`, a tab or a carriage return) gets a leading `'` in the CSV, which Excel and WPS
show as text and do not evaluate (OWASP "CSV injection"). Names are masked by the act before they
reach here, so the `'` is added to the masked text and survives.
"""

import csv
import io
from datetime import date
from typing import Any

import orjson

from overload.publish.notes import merged_basis
from overload.publish.templating import DRAFT_MARK, cn_date
from overload.timeutil import iso_default

HEADINGS = ("序号", "主体类型", "名称／车牌号", "统一社会信用代码／身份证号码", "所属企业", "道路运输证号",
            "失信行为", "认定依据", "认定机关", "列入日期", "公布截止日期", "批次")
TITLE = "超限超载运输严重违法失信名单"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell that would start a formula, as text: `'=HYPERLINK(...)`."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _numbered(grounds: list[dict[str, Any]], key: str) -> str:
    if len(grounds) == 1:
        return str(grounds[0][key])
    return "\n".join(f"{i}. {g[key]}" for i, g in enumerate(grounds, 1))


def cells(row: dict[str, Any], dates: str = "iso") -> list[str]:
    """One row of the list as text cells; `dates` is "iso" (CSV) or "cn" (printed sheets)."""
    def day(value: date) -> str:
        return value.isoformat() if dates == "iso" else str(cn_date(value))

    return [str(row["no"]), row["subject_type_zh"], row["name"], row["code"] or "", row["owner"] or "",
            row["transport_licence_no"] or "", _numbered(row["grounds"], "text"),
            merged_basis(row["grounds"]), row["authority"], day(row["listed_on"]),
            day(row["display_until"]), row["batch"]]


def subtitle(context: dict[str, Any]) -> str:
    """发布机关 and the date the list stands at, under the title of every sheet."""
    return (f"发布机关：{context['bureau']['publishing_authority']}　"
            f"截至日期：{cn_date(context['act']['date'])}　共 {len(context['rows'])} 个主体")


def list_csv(context: dict[str, Any]) -> bytes:
    """名单.csv: UTF-8 with a BOM (Excel reads it as UTF-8), ISO dates, formulas neutralised.

    A draft's first line says so: a draft must say it wherever it is opened.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if context["act"]["draft"]:
        writer.writerow([DRAFT_MARK])
    writer.writerow(HEADINGS)
    for row in context["rows"]:
        writer.writerow([neutralise(cell) for cell in cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode()


def list_json(context: dict[str, Any]) -> bytes:
    """名单.json: the same rows for machines, ISO dates, and the entry ids (JSON only)."""
    act = context["act"]
    document = {
        "title": TITLE,
        "draft": bool(act["draft"]),
        "publishing_authority": context["bureau"]["publishing_authority"],
        "date": act["date"].isoformat(),
        "batch": act["batch"],
        "log_head": act["log_head"],
        "rows": [{**row, "grounds": [{**g, "listed_on": g["listed_on"].isoformat(),
                                       "display_until": g["display_until"].isoformat()}
                                      for g in row["grounds"]],
                  "listed_on": row["listed_on"].isoformat(),
                  "display_until": row["display_until"].isoformat()} for row in context["rows"]],
    }
    return orjson.dumps(document, default=iso_default, option=orjson.OPT_INDENT_2) + b"\n"
