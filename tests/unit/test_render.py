"""Long listings print as plain columns that line up, Chinese names included."""

import unicodedata
from typing import Any

import pytest

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
