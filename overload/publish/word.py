"""告知书 and 信用修复决定书 as Word files (.docx) the bureau edits, prints and seals in Word or WPS.

The wording lives in a template (`notice.docx.j2`, `repair.docx.j2`, replaceable like the others)
that writes one line per paragraph, `kind: text`; this module lays the lines out on an A4 page in
the usual form of an official letter: centred title and number, indented body, a facts table, the
authority, （印章） and the date at the right. The file is read back and checked for every required
part, as the HTML is.
"""

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from overload.errors import OverloadError
from overload.publish.ooxml import reproducible
from overload.publish.required import check, document_label
from overload.publish.templating import DRAFT_MARK, environment, render

SERIF = "宋体"
TITLE_FONT = "黑体"
_RED = RGBColor(0xB0, 0x00, 0x00)


def _font(paragraph: Paragraph, text: str, size: float, bold: bool = False, font: str = SERIF,
          color: RGBColor | None = None) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color is not None:
        run.font.color.rgb = color


def _page_number(paragraph: Paragraph) -> None:
    """第 X 页，共 Y 页 with Word's own PAGE and NUMPAGES fields."""
    _font(paragraph, "第 ", 9)
    for field, after in (("PAGE", " 页，共 "), ("NUMPAGES", " 页")):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)
        _font(paragraph, after, 9)


def _setup(document: DocumentObject, draft: bool, log_head: str = "") -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    if log_head:  # `verify --anchor` finds the log head the act saw in every file it wrote
        anchor = section.footer.add_paragraph()
        anchor.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(anchor, f"日志校验码：{log_head}", 7)
    if draft:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(header, DRAFT_MARK, 14, bold=True, color=_RED)


def _table(document: DocumentObject, rows: list[list[str]]) -> Table:
    table: Table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            _font(paragraph, value, 9, bold=r == 0)
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The header row repeats when the table runs onto a second page.
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    row_properties.append(repeat)
    return table


def _paragraph(document: DocumentObject, kind: str, text: str) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.space_after = Pt(0)
    layout.line_spacing = Pt(28)
    if kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        layout.space_after = Pt(6)
        _font(paragraph, text, 20, bold=True, font=TITLE_FONT)
    elif kind == "number":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        layout.space_after = Pt(12)
        _font(paragraph, text, 15)
    elif kind == "sign":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        layout.right_indent = Cm(1.5)
        _font(paragraph, text, 15)
    elif kind == "h":
        layout.first_line_indent = Pt(30)
        _font(paragraph, text, 15, bold=True, font=TITLE_FONT)
    elif kind == "note":
        layout.first_line_indent = Pt(30)
        _font(paragraph, text, 12)
    else:  # p, li, flush
        layout.first_line_indent = Pt(0 if kind == "flush" else 30 if kind == "p" else 45)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _font(paragraph, text, 15)


def text_of(data: bytes) -> str:
    """Everything a reader of the Word file sees: paragraphs, table cells, header and footer."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def word_document(kind: str, context: dict[str, Any], templates: Path | None = None) -> bytes:
    """`notice` or `repair` as .docx bytes, reproducible for the same context."""
    act = context["act"]
    draft = bool(act.get("draft"))
    name = f"{kind}.docx.j2"
    label = f"{document_label(kind, context)} ({name})"
    lines = render(environment("text", templates, draft=draft), name, context, label).decode()
    document = Document()
    _setup(document, draft, str(act.get("log_head") or ""))
    if draft:
        _paragraph(document, "number", DRAFT_MARK)
    table: list[list[str]] = []
    for number, line in enumerate(lines.splitlines(), 1):
        if not line.strip():
            continue
        kind_of, separator, text = line.partition(": ")
        if not separator:
            raise OverloadError(f"template {name}, output line {number}: expected `kind: text`")
        if kind_of in ("table", "row"):
            table.append(text.split("\t"))
            continue
        if table:
            _table(document, table)
            table = []
        _paragraph(document, kind_of, text)
    if table:
        _table(document, table)
    if draft:
        _paragraph(document, "number", DRAFT_MARK)
    document.core_properties.title = document_label(kind, context)
    document.core_properties.author = context["bureau"].get("identifying_authority") or ""
    buffer = io.BytesIO()
    document.save(buffer)
    data = reproducible(buffer.getvalue(), act["date"])
    check(kind, context, text_of(data), "text", label)
    return data
