"""告知书 and 信用修复决定书 as Word files: every part, the draft marks, the same bytes every time."""

import io
import time
from pathlib import Path

import pytest
from docx import Document

from overload.publish.required import plain
from overload.publish.templating import DRAFT_MARK, PLACEHOLDER, MissingPartError
from overload.publish.word import text_of, word_document
from tests import documents

TEMPLATES = Path(__file__).parents[2] / "overload" / "publish" / "templates"


def test_the_notice_in_word_has_every_part_and_a_facts_table() -> None:
    data = word_document("notice", documents.notice())
    text = plain(text_of(data), "text")
    for part in ("拟列入超限超载运输严重违法失信名单告知书", "临交信告〔2026〕3号", "王建国：",
                 "141002198008080078",
                 "G108国道临汾北超限检测站", "临交罚〔2026〕0004号", "六十日内向临汾市人民政府申请行政复议",
                 "六个月内向临汾市尧都区人民法院提起行政诉讼", "（印章）", "2026年6月30日"):
        assert part in text, part
    document = Document(io.BytesIO(data))
    [table] = document.tables
    assert len(table.rows) == 5 and table.cell(0, 2).text == "地点"
    assert documents.english_in(text_of(data), ["xinyong@lfjt.example.cn"]) == []
    assert PLACEHOLDER not in text and DRAFT_MARK not in text_of(data)


def test_the_repair_decision_in_word() -> None:
    text = plain(text_of(word_document("repair", documents.repair())), "text")
    assert "信用修复决定书" in text and "临交信修〔2026〕3号" in text and "2025年3月31日" in text


def test_a_draft_word_file_says_so_in_its_page_header_and_body() -> None:
    document = Document(io.BytesIO(word_document("notice", documents.notice(draft=True))))
    assert document.sections[0].header.paragraphs[0].text == DRAFT_MARK
    assert document.paragraphs[0].text == DRAFT_MARK and document.paragraphs[-1].text == DRAFT_MARK


def test_a_tab_or_newline_in_a_value_cannot_break_the_facts_table() -> None:
    context = documents.notice()
    context["facts"][0]["place"] = "G108\t国道\n临汾北"
    document = Document(io.BytesIO(word_document("notice", context)))
    assert document.tables[0].cell(1, 2).text == "G108 国道 临汾北"


def test_a_missing_court_is_refused_in_word_as_in_html() -> None:
    context = documents.notice()
    context["court"] = None
    with pytest.raises(MissingPartError, match="court"):
        word_document("notice", context)


def test_a_word_replacement_without_the_review_body_is_refused(tmp_path: Path) -> None:
    source = (TEMPLATES / "notice.docx.j2").read_text(encoding="utf-8")
    replaced = source.replace("{{ review_body }}", "有关机关")
    (tmp_path / "notice.docx.j2").write_text(replaced, encoding="utf-8")
    with pytest.raises(MissingPartError, match="review body"):
        word_document("notice", documents.notice(), tmp_path)


def test_the_same_context_gives_the_same_word_bytes() -> None:
    first = word_document("notice", documents.notice())
    time.sleep(1.1)
    assert word_document("notice", documents.notice()) == first
