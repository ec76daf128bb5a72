"""Long listings print as plain columns that line up, Chinese names included."""

import io
import unicodedata
from typing import Any

import pytest

from overload import i18n
from overload.cli import render


def offset(line: str, value: str) -> int:
    """Display column where `value` starts in `line` (a Chinese character is two wide)."""
    before = line[: line.index(value)]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)


def test_a_long_listing_prints_every_row_in_aligned_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = ["汾河物流", "山西省第7714运输有限公司", "王*", "Linfen Haulage Co."]
    rows: list[dict[str, Any]] = [
        {"entry_id": f"E{i:05d}", "subject_name": names[i % 4], "rule": f"rule-{i % 3}",
         "evidence": [f"case-{i}", "b", "c"], "share": None}
        for i in range(render.RICH_TABLE_ROWS + 1)]
    columns = ("entry_id", "subject_name", "rule", "evidence", "share")
    render.emit_table("The list", rows, columns, caption=f"{len(rows)} entries")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "The list" and lines[-1] == f"{len(rows)} entries"
    header, body = lines[1], lines[3:-1]
    assert len(body) == len(rows)
    for row, line in zip(rows, body, strict=True):
        assert line.startswith(row["entry_id"])
        assert offset(line, row["subject_name"]) == offset(header, "subject_name")
        assert offset(line, row["rule"]) == offset(header, "rule")
        assert offset(line, "case-") == offset(header, "evidence")
        assert "(+1)" in line  # lists are shortened as in the Rich table


def test_a_listing_of_up_to_the_limit_is_a_rich_table(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"a": f"汾河物流{i}"} for i in range(render.RICH_TABLE_ROWS)]
    render.emit_table("The list", rows, ("a",))
    out = capsys.readouterr().out
    assert f"汾河物流{render.RICH_TABLE_ROWS - 1}" in out and "┃" in out


# ---- issue 13: tables that fit, Beijing time, CSV for Excel, both languages ----------------

IDENTIFIERS = {
    "entry_id": "E7CAE45F23B", "subject_id": "91141002MA0GA1B2CT", "plate": "晋LA10000",
    "driver_id": "140105197001011001", "case_no": "临交罚〔2025〕0001号", "tripped_on": "2026-03-02",
}
FREE = {"subject_name": "临汾市汾河物流有限公司第七运输分公司",
        "legal_basis": "《公路安全保护条例》第六十六条；交办公路〔2017〕8号 "
                       "relevant provisions on repeated over-limit transport within one year"}


def _table_at(width: int, *, wide: bool = False, language: str = "en",
              essential: tuple[str, ...] | None = ("entry_id", "subject_id", "plate")) -> str:
    from rich.console import Console

    i18n.select(language)
    target = Console(file=io.StringIO(), width=width, color_system=None)
    rows = [{**IDENTIFIERS, **FREE, "status": "listed", "ok": True} for _ in range(3)]
    with render.output_to(target):
        render.emit_table("List", rows, [*IDENTIFIERS, *FREE, "status"],
                          essential=essential, wide=wide)
    out = target.file.getvalue()  # type: ignore[attr-defined]
    return str(out)


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("wide", [False, True])
def test_no_identifier_is_split_across_lines(width: int, language: str, wide: bool) -> None:
    out = _table_at(width, wide=wide, language=language)
    lines = out.splitlines()
    shown = [v for k, v in IDENTIFIERS.items() if any(v in line for line in lines)]
    for value in shown:
        assert sum(line.count(value) for line in lines) == 3, value  # whole, once per row
    assert {"E7CAE45F23B", "91141002MA0GA1B2CT", "晋LA10000"} <= set(shown)


def test_at_80_columns_only_the_essential_columns_show_and_the_table_says_so() -> None:
    out = _table_at(80)
    assert "E7CAE45F23B" in out and "91141002MA0GA1B2CT" in out
    assert "legal_basis" in out and "--wide shows every column" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_at_80_columns_in_chinese_the_note_is_chinese() -> None:
    out = _table_at(80, language="zh_CN")
    assert "未显示的列" in out and "--wide" in out and "法律依据" in out


def test_wide_shows_every_column_even_past_the_width() -> None:
    out = _table_at(80, wide=True)
    assert "--wide" not in out and "140105197001011001" in out and "临交罚〔2025〕0001号" in out


def test_a_terminal_wide_enough_leaves_nothing_out() -> None:
    out = _table_at(200, essential=("entry_id",))
    assert "--wide" not in out and "临交罚〔2025〕0001号" in out


def test_statuses_types_and_booleans_are_translated_in_tables_only() -> None:
    i18n.select("zh_CN")
    assert render.shown("status", "flagged") == "待公示"
    assert render.shown("status", "withdrawn") == "已撤销列入"
    assert render.shown("subject_type", "source_unit") == "源头单位"
    assert render.shown("type", "ObjectionFiled") == "登记异议"
    assert render.shown("selected", True) == "是"
    i18n.select("en")
    assert render.shown("status", "flagged") == "flagged"
    assert render.shown("selected", False) == "no"


@pytest.mark.parametrize("text, shown", [
    ("2026-12-01T19:05:07.123456+00:00", "2026-12-02 03:05:07 +08:00"),
    ("2026-12-01T19:05:07Z", "2026-12-02 03:05:07 +08:00"),
    ("2018-05-02", "2018-05-02"),
])
def test_a_time_reads_as_beijing_time_with_its_offset_and_a_date_as_itself(
    text: str, shown: str,
) -> None:
    assert render.beijing(text) == shown


def test_csv_starts_with_the_bom_and_has_headers_in_the_operators_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [{"entry_id": "E1", "status": "listed", "recorded_at": "2026-12-01T19:05:07+00:00"}]
    i18n.select("zh_CN")
    render.emit(render.Format.csv, rows, ("entry_id", "status", "recorded_at"))
    out = capsys.readouterr().out
    assert out.startswith("\ufeff条目编号,状态,记录时间\n")
    assert "E1,已列入,2026-12-02 19:05:07 +08:00" not in out  # (sanity: Beijing is +8)
    assert "E1,已列入,2026-12-02 03:05:07 +08:00" in out
    render.emit(render.Format.csv, rows, ("entry_id", "status", "recorded_at"), keys=True)
    out = capsys.readouterr().out
    assert out.startswith("\ufeffentry_id,status,recorded_at\n")
    assert "E1,listed,2026-12-01T19:05:07+00:00" in out


def test_a_report_of_several_tables_is_one_csv_with_a_section_column(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sections = [render.Section("A", [{"x": 1}], ("x",)), render.Section("B", [{"y": 2}], ("y",))]
    render.emit_sections(render.Format.csv, sections, {"doc": 1}, keys=True)
    assert capsys.readouterr().out == "\ufeffsection,x,y\nA,1,\nB,,2\n"
    render.emit_sections(render.Format.json, sections, {"doc": 1})
    assert '"doc": 1' in capsys.readouterr().out


def test_a_cell_is_text_not_markup() -> None:
    from rich.console import Console

    target = Console(file=io.StringIO(), width=120, color_system=None)
    with render.output_to(target):
        render.emit_table(None, [{"raw": "[bold]x[/bold] [red"}], ("raw",))
    assert "[bold]x[/bold] [red" in target.file.getvalue()  # type: ignore[attr-defined]
