"""名单.csv, 名单.xlsx and 名单.json: text cells, no formulas, the same bytes every time."""

import csv
import io
import time

import openpyxl
import orjson
import pytest

from overload.publish.sheet import HEADINGS, list_csv, list_json, neutralise
from overload.publish.templating import DRAFT_MARK
from overload.publish.xlsx import list_xlsx
from tests import documents

FREE_TEXT_COLUMNS = ("名称／车牌号", "所属企业", "道路运输证号", "失信行为", "认定依据", "认定机关")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("injection", documents.INJECTIONS)
def test_a_formula_in_any_free_text_field_opens_as_text_in_the_csv(injection: str) -> None:
    header, *rows = csv_rows(list_csv(documents.the_list(free_text=injection)))
    assert tuple(header) == HEADINGS
    for row in rows:
        for column in FREE_TEXT_COLUMNS:
            cell = row[header.index(column)]
            # a subject with several grounds numbers them: "1. …\n2. …" starts with no formula
            assert cell == "'" + injection or (cell.startswith("1. ") and injection in cell)


@pytest.mark.parametrize("injection", documents.INJECTIONS)
def test_a_formula_in_any_free_text_field_reads_back_as_a_string_from_the_xlsx(injection: str) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(list_xlsx(documents.the_list(free_text=injection)))).active
    assert sheet is not None
    header = [c.value for c in sheet[3]]
    assert tuple(header) == HEADINGS
    for row in sheet.iter_rows(min_row=4):
        for column in FREE_TEXT_COLUMNS:
            cell = row[header.index(column)]
            assert cell.data_type == "s" and isinstance(cell.value, str) and injection in cell.value


def test_masking_comes_before_neutralising_so_the_quote_survives() -> None:
    from overload.identifiers import mask_name

    assert neutralise(mask_name("=cmd")) == "'=**d"
    assert neutralise("王*国") == "王*国"


def test_the_csv_has_iso_dates_one_row_per_subject_and_no_internal_id() -> None:
    data = list_csv(documents.the_list())
    header, *rows = csv_rows(data)
    assert len(rows) == 12
    assert rows[0][header.index("列入日期")] == "2026-06-30"
    assert b"E0000000000" not in data


def test_every_xlsx_cell_is_text_and_the_sheet_prints_a4_landscape_with_the_header_repeated() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(list_xlsx(documents.the_list()))).active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            assert cell.value is None or (cell.data_type == "s" and isinstance(cell.value, str))
    assert sheet["D5"].value == "141002********1001"
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize or 0) == 9
    assert sheet.column_dimensions["G"].width > sheet.column_dimensions["A"].width


def test_a_draft_says_so_in_every_format() -> None:
    context = documents.the_list(draft=True)
    assert csv_rows(list_csv(context))[0] == [DRAFT_MARK]
    sheet = openpyxl.load_workbook(io.BytesIO(list_xlsx(context))).active
    assert sheet is not None
    assert DRAFT_MARK in str(sheet["A1"].value) and sheet.HeaderFooter.oddHeader.center.text == DRAFT_MARK
    assert orjson.loads(list_json(context))["draft"] is True


def test_the_json_keeps_entry_ids_and_iso_dates() -> None:
    document = orjson.loads(list_json(documents.the_list()))
    assert document["rows"][0]["entry_ids"] == ["E0000000000"]
    second = documents.the_list()["rows"][2]["grounds"][1]
    assert document["rows"][2]["grounds"][1]["listed_on"] == second["listed_on"].isoformat()
    assert document["date"] == "2026-06-30" and document["batch"] == "2026年第2批"


def test_the_same_context_gives_the_same_bytes() -> None:
    first = list_xlsx(documents.the_list())
    time.sleep(1.1)  # zip members and document properties would otherwise carry the clock
    assert list_xlsx(documents.the_list()) == first
    assert list_csv(documents.the_list()) == list_csv(documents.the_list())
