"""The demo's documents and console as a legal office reads them (the reader's defects).

One demo over the fixtures (module scope: it takes a few seconds), then each defect at its
boundary: a 告知书 that states the period a share really counted, a repair that warns when the
subject meets the rule again that day, citations each ground's own, counts of subjects, a
correction that says the subject is identified anew, a repair decision dated on its day, the
layout of the notice and the list, and the small faults of `explain` and `todo`.
"""

import json
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload import clock
from overload.cli.app import app
from overload.publish.word import text_of
from tests.conftest import FIXTURES

ZH = {"OVERLOAD_LANG": "zh_CN", "COLUMNS": "200"}


class Demo:
    def __init__(self, root: Path, output: str) -> None:
        self.root, self.output, self.out = root, output, root / "out"
        self.db = str(root / "demo.db")

    def doc(self, day: str, folder: str, prefix: str, ext: str = "html") -> str:
        path = next((self.out / day / folder).glob(f"{prefix}*.{ext}"))
        if ext == "docx":
            return text_of(path.read_bytes())
        data = path.read_text(encoding="utf-8")
        return readable(data) if ext == "html" else data.replace("\\*", "*")  # md: lines kept

    def run(self, *args: str, env: dict[str, str] | None = None, code: int = 0) -> str:
        result = CliRunner().invoke(app, ["--db", self.db, *args], env=env,
                                    catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output


def readable(html: str) -> str:
    """An HTML document as its reader sees the text: no style, no tags, spaces kept single."""
    text = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("legal")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: date(2026, 12, 1))
        result = CliRunner().invoke(app, ["--db", str(root / "demo.db"), "demo", "--fixtures",
                                          str(FIXTURES), "--out", str(root / "out")],
                                    env=ZH, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        yield Demo(root, result.output)


def notice_of(demo: Demo, day: str, ground: str) -> str:
    """The 告知书 (html, as text) of `day` whose ground is `ground`."""
    for path in sorted((demo.out / day / "to-subjects").glob("告知书*.html")):
        text = readable(path.read_text(encoding="utf-8"))
        if f"上述情形属于“{ground}" in text:
            return text
    raise AssertionError(f"no notice of {ground} on {day}")


# 1. A share counted only after an earlier trip says the period it counted, and why.
def test_a_share_notice_states_the_period_it_counted_after_an_earlier_entry(demo: Demo) -> None:
    text = notice_of(demo, "2026-03-25", "1年内违法超限运输的货运车辆超过")
    assert "晋南货运有限公司" in text
    assert "其中2025年10月17日至2026年1月6日违法超限运输的货运车辆1辆" in text
    assert "2025年10月16日依据同一情形作出认定，该认定已于2025年10月30日终结" in text
    assert "1年内（2025年1月6日至2026年1月6日）违法超限运输的货运车辆1辆" not in text
    report = json.loads(demo.run("explain", "91141023MA0GC5F6GU", "--as-of", "2026-06-30",
                                 "--format", "json"))
    windows = {e["entry_id"]: e["window"] for e in report["entries"]}
    assert windows["E63C4C1BA4B"]["counted_from"] == "2025-10-17"
    assert windows["E40B07AF95F"]["counted_from"] is None
    said = demo.run("explain", "91141023MA0GC5F6GU", "--as-of", "2026-06-30", env=ZH)
    assert "只计 2025-10-17 至 2026-01-06 的违法" in said


# 2. A repair whose subject meets the rule again that day warns, and explain says so.
def test_a_repair_warns_when_the_subject_meets_the_rule_again_that_day(demo: Demo) -> None:
    repair = demo.output[demo.output.index("overload repair"):]
    assert "警告：91141002MA0GA1B2CT 在修复当日再次满足规则：条目 EB163632B43" in repair
    report = json.loads(demo.run("explain", "91141002MA0GA1B2CT", "--as-of", "2026-11-30",
                                 "--format", "json"))
    again = {e["entry_id"]: e.get("tripped_again") for e in report["entries"]}
    assert again == {"EAB593E61B7": "EB163632B43", "EB163632B43": None}
    said = demo.run("explain", "91141002MA0GA1B2CT", "--as-of", "2026-11-30", env=ZH)
    assert "条目 EB163632B43 于修复当日触发" in said


# 3. Citations: each ground its own; the regulation beside the local plan; "超过" only where used.
def test_each_ground_cites_its_own_basis_and_the_reading_of_over_only_where_it_applies(
    demo: Demo,
) -> None:
    suspended = notice_of(demo, "2026-03-25", "被交通运输管理部门责令停业整顿")
    assert "依据交办公路〔2017〕8号 一、（三）；《公路安全保护条例》第六十六条；临文明委" in suspended
    assert "民法典" not in suspended
    conduct = notice_of(demo, "2026-06-30", "其他严重失信行为")
    assert "交办公路〔2017〕8号 一、（七）；" in conduct and "（四）至（十）" not in conduct
    assert "民法典" not in conduct
    assert "民法典》第一千二百五十九条" in notice_of(demo, "2026-03-25", "货运车辆1年内")
    listed = demo.doc("2026-06-30", "public", "名单", "md")
    row = next(line for line in listed.splitlines() if "晋南货运有限公司" in line)
    assert row.count("临文明委〔2020〕11号") == 1 and row.count("第六十六条") == 1
    html = demo.doc("2026-06-30", "public", "名单", "html")
    assert html.count("临文明委〔2020〕11号 二(六)18（本市实施方案）") == 2  # two rows, once each


# 4. The 公示 counts subjects, not rows.
def test_the_announcement_counts_distinct_subjects(demo: Demo) -> None:
    text = demo.doc("2026-03-25", "public", "公示", "md")
    assert "拟将下列5个主体（共6项失信行为）列入" in text


# 5. A withdrawn entry tripped again on the revocation date is said to be identified anew;
#    sanctions are lifted only where an entry was listed.
def test_the_correction_says_the_subject_is_identified_anew_and_lifts_only_applied_sanctions(
    demo: Demo,
) -> None:
    text = demo.doc("2026-06-30", "public", "更正公告", "md")
    items = [line for line in text.splitlines() if re.match(r"^\d．", line)]
    anew = [line for line in items if "依据其余有效的处罚决定重新认定，另行公示" in line]
    assert len(anew) == 2 and "刘*国" in anew[0] and "晋LA10000" in anew[1]
    assert all("拟列入名单" in line and "解除" not in line for line in items)


# 6. The repair decision is dated the day the repair was decided, in html and docx.
def test_the_repair_decision_is_dated_on_the_repair_date(demo: Demo) -> None:
    for ext in ("html", "docx"):
        text = demo.doc("2026-11-30", "to-subjects", "信用修复决定书", ext)
        assert "自2026年11月10日起" in text
        assert text.rstrip().split("（印章）")[-1].strip().startswith("2026年11月10日"), ext
        assert "2026年11月30日" not in text, ext


# 7. The notice's measures read cleanly; identifiers are not cut; the list drops empty columns.
def test_the_notice_measures_and_the_lists_columns_read_cleanly(demo: Demo) -> None:
    html = next(text for path in sorted((demo.out / "2026-03-25" / "to-subjects").glob("告知书*.html"))
                if "行政处罚决定书文号" in (text := path.read_text(encoding="utf-8")))
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items and not any("公布期限" in item for item in items)
    assert all(item.endswith("；") for item in items[:-1]) and items[-1].endswith("。")
    assert re.search(r'<td class="id">临交罚〔\d{4}〕\d+号</td>', html)
    assert "white-space: nowrap" in html
    docx = demo.doc("2026-03-25", "to-subjects", "告知书", "docx")
    assert "公布期限二年；" not in docx and "提高检查频次。" in docx
    listed = demo.doc("2026-06-30", "public", "名单", "md")
    assert "道路运输证号" not in listed and "所属企业" not in listed  # empty in every row
    assert "道路运输证号" not in demo.doc("2026-06-30", "public", "名单", "html")


# 8. explain and todo: the plate once, station names, an objection note not repeated, a spaced title.
def test_explain_and_todo_say_things_once_and_by_name(demo: Demo) -> None:
    said = demo.run("explain", "晋LB10037", "--as-of", "2026-06-30", env=ZH)
    assert "车辆 晋LB10037 — 截至 2026-06-30" in said
    assert "洪洞北超限检测站" in said and "LF-TS-03" not in said
    csv = demo.run("explain", "晋LB10037", "--as-of", "2026-06-30", "--format", "csv")
    assert "LF-TS-03" in csv and "洪洞北超限检测站" in csv  # codes kept for machines
    said = demo.run("explain", "91141023MA0GC5F6GU", "--as-of", "2026-06-30", env=ZH)
    assert "2025-10-30 异议成立" in said and "异议成立（异议成立）" not in said
    todo = demo.run("todo", "--on", "2026-12-01", env=ZH, code=3)  # 3: something is overdue
    assert "2026-12-01 待办事项" in todo
