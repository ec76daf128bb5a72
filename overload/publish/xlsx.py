"""名单.xlsx: the public list as a sheet a clerk can print, sort and forward.

Every cell is text (type "s", number format "@", quote prefix): a credit code never turns into a
number, a date never into a serial, and a name beginning with `=` is shown, never evaluated.
"""

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.header_footer import _HeaderFooterPart as _Part
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from overload.publish.ooxml import reproducible
from overload.publish.sheet import HEADINGS, TITLE, cells, subtitle
from overload.publish.templating import DRAFT_MARK

# Column widths in characters (a CJK character counts about 2).
WIDTHS = (6, 12, 22, 22, 22, 20, 36, 34, 16, 15, 15, 12)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _text(sheet: Worksheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    cell.number_format = "@"
    cell.quotePrefix = True


def list_xlsx(context: dict[str, Any]) -> bytes:
    """名单.xlsx: title and subtitle rows, a header row repeated on every printed page, A4 landscape."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    draft = bool(context["act"]["draft"])
    title = f"{TITLE}（{DRAFT_MARK}）" if draft else TITLE
    _text(sheet, 1, 1, title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=16, color="B00000" if draft else "000000")
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    _text(sheet, 2, 1, subtitle(context))
    sheet.cell(row=2, column=1).alignment = Alignment(horizontal="center")
    last = get_column_letter(len(HEADINGS))
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    header = 3
    for column, heading in enumerate(HEADINGS, 1):
        _text(sheet, header, column, heading)
        cell = sheet.cell(row=header, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    for offset, row in enumerate(context["rows"], 1):
        for column, value in enumerate(cells(row, dates="cn"), 1):
            _text(sheet, header + offset, column, value)
            sheet.cell(row=header + offset, column=column).alignment = _WRAP
            sheet.cell(row=header + offset, column=column).border = _BORDER
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if draft:
        sheet.HeaderFooter.oddHeader = HeaderFooterItem(center=_Part(text=DRAFT_MARK, color="B00000"))
    sheet.HeaderFooter.oddFooter = HeaderFooterItem(
        center=_Part(text="第 &P 页，共 &N 页"),
        right=_Part(text=f"日志校验码：{context['act']['log_head']}", size=7))
    book.properties.creator = context["bureau"]["publishing_authority"] or "overload"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible(buffer.getvalue(), context["act"]["date"])
