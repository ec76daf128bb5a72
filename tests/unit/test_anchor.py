"""Anchors are found wherever a publication or an auditor may have written one down."""

import zipfile
from pathlib import Path

import pytest

from overload.store.anchor import (
    Anchor,
    AnchorError,
    anchors_in_file,
    find_anchors,
    format_anchor,
    parse_anchor,
    read_anchor,
)

HASH = "0cb33e02197ed6cfb0058c33ac7395da8b013a4416ff13d4b3934ec3a0073d5f"
TOKEN = f"{HASH}@1182"


def test_a_token_is_the_hash_an_at_sign_and_the_position() -> None:
    assert format_anchor(1182, HASH) == TOKEN
    assert parse_anchor(f"  {TOKEN}\n") == Anchor(1182, HASH, "command line")
    assert parse_anchor(TOKEN.upper()).hash == HASH  # copied in capitals
    for bad in ("", HASH, f"{HASH[:-1]}@5", f"{HASH}@", f"{HASH}@-1", f"{HASH}0@5"):
        with pytest.raises(AnchorError):
            parse_anchor(bad)


def test_tokens_are_found_in_text_but_not_inside_longer_hex_or_numbers() -> None:
    text = f"head {TOKEN}; again {TOKEN}. not: a{HASH}@3 {HASH}@12345678901234567890"
    assert find_anchors(text) == [Anchor(1182, HASH)]


@pytest.mark.parametrize("name, content", [
    ("list.json", f'{{"rows": [], "log_head": "{TOKEN}"}}\n'),
    ("list.csv", f"plate,rule\n晋L1,vehicle-repeat\n# 日志头 {TOKEN}\n"),
    ("list.md", f"| a |\n\n日志头：`{TOKEN}`\n"),
    ("list.html", f"<footer><p>日志头 <code>{HASH[:20]}<wbr>{HASH[20:]}@1182</code></p></footer>"),
])
def test_a_published_text_file_gives_its_anchor(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert [(a.position, a.hash, a.source) for a in anchors_in_file(path)] == [
        (1182, HASH, str(path))]


def test_html_cells_stay_apart_when_markup_is_looked_through() -> None:
    found = find_anchors(f"<tr><td>{HASH[:30]}<b>{HASH[30:]}@7</b></td><td>99</td></tr>")
    assert found == [Anchor(7, HASH)]


def test_word_and_excel_documents_give_the_anchor_in_their_xml(tmp_path: Path) -> None:
    docx = tmp_path / "notice.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", (
            "<w:document><w:body><w:p><w:r><w:t>日志头 " + HASH[:33] + "</w:t></w:r>"
            "<w:r><w:rPr><w:b/></w:rPr><w:t>" + HASH[33:] + "@1182</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>3</w:t></w:r></w:p></w:body></w:document>"))
    xlsx = tmp_path / "list.xlsx"
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", f"<sst><si><t>{TOKEN}</t></si><si><t>9</t></si></sst>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    for path in (docx, xlsx):
        assert [(a.position, a.hash) for a in anchors_in_file(path)] == [(1182, HASH)]


def test_a_file_without_an_anchor_or_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "list.json"
    empty.write_text("[]", encoding="utf-8")
    broken = tmp_path / "list.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(AnchorError, match="no anchor"):
        anchors_in_file(empty)
    with pytest.raises(AnchorError):
        anchors_in_file(broken)
    with pytest.raises(AnchorError, match="neither HASH@POSITION nor a readable file"):
        read_anchor(str(tmp_path / "missing.json"))
    assert read_anchor(TOKEN) == [Anchor(1182, HASH, "command line")]
