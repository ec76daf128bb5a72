"""Every document kind renders from the contract's contexts with its required parts, in Chinese."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from overload.publish.required import REQUIRED, plain
from overload.publish.templating import DRAFT_MARK, PLACEHOLDER, MissingPartError, cn_date, render_document
from tests import documents

TEMPLATES = Path(__file__).parents[2] / "overload" / "publish" / "templates"

HTML_AND_MD = [(kind, fmt) for kind in documents.contexts()
               for fmt in ("html", "md") if not (fmt == "md" and kind in ("notice", "repair"))]
HTML_AND_MD = [(k, f) for k, f in HTML_AND_MD if not (k == "changes" and f == "html")]
ALLOWED = ["xinyong@lfjt.example.cn"]


def rendered(kind: str, fmt: str, draft: bool = False, **changes: Any) -> str:
    context = documents.contexts(draft)[kind]
    context.update(changes)
    return render_document(kind, fmt, context).decode()


def test_dates_read_as_in_official_documents() -> None:
    assert cn_date(date(2026, 6, 30)) == "2026年6月30日"
    assert cn_date(date(2027, 1, 5)) == "2027年1月5日"


@pytest.mark.parametrize(("kind", "fmt"), HTML_AND_MD)
def test_every_document_renders_with_its_required_parts_and_no_english(kind: str, fmt: str) -> None:
    text = rendered(kind, fmt)  # render_document refuses a missing part itself
    assert PLACEHOLDER not in text and DRAFT_MARK not in text
    assert documents.english_in(text, ALLOWED) == []
    assert "E0000000000" not in text  # entry ids are for JSON only


@pytest.mark.parametrize(("kind", "fmt"), HTML_AND_MD)
def test_a_draft_says_so_at_the_top_and_at_the_bottom(kind: str, fmt: str) -> None:
    text = rendered(kind, fmt, draft=True)
    seen = plain(text, fmt)
    mark = DRAFT_MARK.replace(" ", "")
    assert seen.count(mark) >= 2 and seen.index(mark) < seen.index("超限")
    assert seen.rindex(mark) > seen.rindex("超限")


def test_a_draft_html_page_carries_the_mark_in_its_printed_header() -> None:
    text = rendered("notice", "html", draft=True)
    assert f'@top-center {{ content: "{DRAFT_MARK}"' in text


def test_the_notice_states_every_part_of_documents_md() -> None:
    text = plain(rendered("notice", "html"), "html")
    for part in ("拟列入超限超载运输严重违法失信名单告知书", "临交信告〔2026〕3号", "王建国",
                 "141002198008080078",
                 "G108国道临汾北超限检测站", "55.00", "49.00", "6.00", "12.2%", "临交罚〔2026〕0004号",
                 "2026年3月14日", "交办公路〔2017〕8号一、（一）", "绿色通道", "陈述", "申辩",
                 "2026年7月14日（含当日）前", "xinyong@lfjt.example.cn",
                 "六十日内向临汾市人民政府申请行政复议",
                 "六个月内向临汾市尧都区人民法院提起行政诉讼", "信用修复", "信用管理科", "0357-1234567",
                 "滨河西路1号", "临汾市交通运输局（印章）2026年6月30日"):
        assert part in text, part


def test_a_fleet_share_notice_states_both_numbers_and_the_share() -> None:
    context = documents.notice(share=True)
    text = plain(render_document("notice", "html", context).decode(), "html")
    assert "货运车辆3辆，占本单位货运车辆总数20辆的15.0%" in text
    assert "临汾市汾河物流有限公司：" in text and "你单位" in text


def test_the_listing_names_its_batch_and_carries_the_list_as_annex() -> None:
    text = plain(rendered("listing", "html"), "html")
    assert "超限超载运输严重违法失信名单公告（2026年第2批）" in text
    assert "附件超限超载运输严重违法失信名单（2026年第2批）" in text
    assert "公布期限为二年" in text


def test_the_correction_states_the_effect_of_each_item() -> None:
    text = plain(rendered("correction", "html"), "html")
    assert "撤销对其列入名单的认定，停止公布相关信息，解除据此实施的惩戒措施" in text
    assert "对认定事实予以更正" in text and "拟列入名单的认定维持不变" in text


def test_the_removal_says_why_and_cites_the_repair_decision() -> None:
    text = plain(rendered("removal", "md"), "md")
    assert "公布期满" in text and "信用修复（临交信修〔2026〕3号）" in text


def test_the_announcement_lists_entries_not_listed_after_an_upheld_objection() -> None:
    text = plain(rendered("announcement", "html"), "html")
    assert "不予列入" in text and "晋LA20000（蓝色）" in text
    without = plain(rendered("announcement", "html", not_listed=[]), "html")
    assert "不予列入" not in without


@pytest.mark.parametrize(("kind", "changes", "part"), [
    ("notice", {"court": None}, "court"),
    ("notice", {"objection_deadline": None}, "objection_deadline"),
    ("notice", {"facts": [{**documents.penalty_fact(), "place": None}]}, "facts[1].place"),
    ("announcement", {"objection_channel": ""}, "objection channel"),
    ("listing", {"document_no": ""}, "document number"),
])
def test_a_missing_fact_is_refused_naming_the_document_and_the_part(
        kind: str, changes: dict[str, Any], part: str) -> None:
    with pytest.raises(MissingPartError) as error:
        rendered(kind, "html", **changes)
    message = str(error.value)
    assert part in message and "\n" not in message
    assert message.startswith(documents_title(kind))


def documents_title(kind: str) -> str:
    return {"notice": "告知书", "announcement": "公示", "listing": "公告"}[kind]


def test_a_fact_of_the_share_or_an_order_without_its_text_is_refused() -> None:
    context = documents.notice(share=True)
    context["facts"] = [{"share_text": None}]
    with pytest.raises(MissingPartError, match="share_text"):
        render_document("notice", "html", context)
    context["facts"] = [{"document_no": "临交运责〔2026〕3号", "date": date(2026, 5, 1), "text": None}]
    with pytest.raises(MissingPartError, match="text"):
        render_document("notice", "html", context)


def test_a_draft_prints_the_missing_fact_as_a_placeholder_instead() -> None:
    text = rendered("notice", "html", draft=True, court=None)
    assert PLACEHOLDER in text


def test_a_missing_bureau_setting_is_named_by_its_key() -> None:
    context = documents.notice()
    context["bureau"] = documents.bureau(contact=None)
    with pytest.raises(MissingPartError, match="bureau.contact"):
        render_document("notice", "html", context)


@pytest.mark.parametrize(("drop", "part"), [
    ("{{ document_no }}", "document number"),
    ("{{ objection_deadline|cn_date }}", "objection deadline"),
    ("{{ objection_channel }}", "objection channel"),
    ("六十日", "administrative review"),
    ("{{ court }}", "court"),
    ("（印章）", "seal place"),
])
def test_a_replacement_template_that_leaves_out_a_part_is_refused_naming_it(
        tmp_path: Path, drop: str, part: str) -> None:
    source = (TEMPLATES / "notice.html.j2").read_text(encoding="utf-8")
    parts = (TEMPLATES / "_parts.html.j2").read_text(encoding="utf-8")
    assert drop in source + parts
    (tmp_path / "notice.html.j2").write_text(source.replace(drop, ""), encoding="utf-8")
    (tmp_path / "_parts.html.j2").write_text(parts.replace(drop, ""), encoding="utf-8")
    with pytest.raises(MissingPartError, match=f"leaves out the {part}"):
        render_document("notice", "html", documents.notice(), tmp_path)


def test_a_part_hidden_behind_a_false_condition_is_still_refused(tmp_path: Path) -> None:
    source = (TEMPLATES / "notice.html.j2").read_text(encoding="utf-8")
    hidden = source.replace("{{ court }}", "{% if false %}{{ court }}{% endif %}")
    (tmp_path / "notice.html.j2").write_text(hidden, encoding="utf-8")
    with pytest.raises(MissingPartError, match="court"):
        render_document("notice", "html", documents.notice(), tmp_path)


def test_a_replacement_that_keeps_every_part_is_used(tmp_path: Path) -> None:
    source = (TEMPLATES / "removal.md.j2").read_text(encoding="utf-8")
    (tmp_path / "removal.md.j2").write_text(source.replace("现予公告。", "现予公告。本机关另行通知。"),
                                            encoding="utf-8")
    assert "本机关另行通知" in render_document("removal", "md", documents.removal(), tmp_path).decode()


def test_a_draft_replacement_without_the_draft_mark_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_parts.md.j2").write_text(
        (TEMPLATES / "_parts.md.j2").read_text(encoding="utf-8")
        .replace("{{ DRAFT_MARK }}", "样稿"), encoding="utf-8")
    with pytest.raises(MissingPartError, match="a draft must say"):
        render_document("removal", "md", documents.removal(draft=True), tmp_path)


def test_markup_in_a_name_prints_as_text() -> None:
    context = documents.the_list(count=4, free_text="<script>x</script>|#")
    html = render_document("list", "html", context).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    markdown = render_document("list", "md", context).decode()
    assert "\\<script\\>" in markdown and "\\|\\#" in markdown


def test_every_kind_has_required_parts() -> None:
    assert set(REQUIRED) == set(documents.contexts())


def test_the_english_checker_allows_identifiers_and_finds_words() -> None:
    assert documents.english_in("晋LA10000 91141002MA000002A8 141002********123X G108国道K12+300") == []
    assert documents.english_in("说明：revocations leave the trip unsupported") == [
        "revocations", "leave", "the", "trip", "unsupported"]
    assert documents.english_in("<td class=\"x\">规则 linfen-2020@1</td>") == ["linfen"]


def test_the_bundle_names_files_as_the_contract_says_and_keeps_personal_data_private() -> None:
    from overload.publish.bundle import private_files, public_files

    samples = documents.contexts()
    public = public_files(samples["list"], [(k, samples[k]) for k in
                                            ("announcement", "listing", "correction", "removal")],
                          samples["changes"])
    assert {"名单.xlsx", "名单.csv", "名单.json", "名单.html", "变更说明.md",
            "公示-临交信示〔2026〕3号.html", "公告-临交信公〔2026〕3号.md",
            "更正公告-临交信更〔2026〕3号.html", "移出公告-临交信移〔2026〕3号.md"} <= set(public)
    private = private_files([("notice", samples["notice"]), ("repair", samples["repair"])])
    assert set(private) == {
        "告知书-临交信告〔2026〕3号.html", "告知书-临交信告〔2026〕3号.docx",
        "信用修复决定书-临交信修〔2026〕3号.html", "信用修复决定书-临交信修〔2026〕3号.docx"}
    assert documents.personal_data_in(public, ["王建国"]) == []
    assert documents.personal_data_in(private, ["王建国"]) != []
