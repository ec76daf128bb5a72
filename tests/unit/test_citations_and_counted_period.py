"""The pieces behind the documents' basis and facts: each ground's citation, the reading of
"超过" only where a condition uses it, one citation per list row, the measures a notice lists,
and the period a share counted after an earlier trip (its boundary: the year's first day)."""

from datetime import date

from overload.evaluation.entries import Entry
from overload.evaluation.windows import Window
from overload.publish.contexts import share_text
from overload.publish.notes import citation, merged_basis, reading_note_for
from overload.publish.publication import sanctions
from rules.linfen_2020 import RULEBOOK

PLAN = "临文明委〔2020〕11号 二(六)18"


def test_a_conduct_ground_cites_its_own_item_of_notice_8() -> None:
    basis = RULEBOOK.rule("serious-conduct").legal_basis
    assert citation("serious-conduct", basis, ("（七）",)) == (
        f"交办公路〔2017〕8号 一、（七）；{PLAN}（本市实施方案）")


def test_the_suspension_ground_cites_the_regulation_beside_the_local_plan() -> None:
    said = citation("enterprise-suspended", RULEBOOK.rule("enterprise-suspended").legal_basis)
    assert said == (f"交办公路〔2017〕8号 一、（三）；《公路安全保护条例》第六十六条；"
                    f"{PLAN}（本市实施方案）")


def test_the_reading_of_over_belongs_to_count_and_share_grounds_only() -> None:
    for rule in ("vehicle-repeat", "driver-repeat", "enterprise-fleet-share"):
        assert reading_note_for("linfen-2020", rule)
    for rule in ("enterprise-suspended", "serious-conduct"):
        assert reading_note_for("linfen-2020", rule) is None


def test_a_list_row_cites_each_basis_once() -> None:
    grounds = [{"basis": f"A；B；{PLAN}（本市实施方案）"}, {"basis": f"C；B；{PLAN}（本市实施方案）"}]
    assert merged_basis(grounds) == f"A；B；{PLAN}（本市实施方案）；C"


def test_the_notice_lists_sanctions_not_the_publication_said_before_them() -> None:
    assert sanctions(["在本机关网站和“信用交通”网站公布，公布期限二年", "列为重点监管对象；"]) == [
        "列为重点监管对象"]


def share_entry(previous: date | None) -> Entry:
    return Entry("E1", "linfen-2020", 1, "enterprise-fleet-share", "enterprise", "X",
                 date(2026, 1, 6), previous, ("c",), (1,), None, (1, 6),
                 Window(date(2025, 1, 6), date(2026, 1, 6), date(2026, 1, 6), "rolling year"))


def test_a_share_counted_from_the_day_after_an_earlier_trip_inside_its_year() -> None:
    assert share_entry(None).counted_from() is None
    assert share_entry(date(2025, 1, 5)).counted_from() is None  # the whole year counted
    assert share_entry(date(2025, 1, 6)).counted_from() == date(2025, 1, 7)
    text = share_text(share_entry(date(2025, 10, 16)), date(2025, 10, 30))
    assert "其中2025年10月17日至2026年1月6日违法超限运输的货运车辆1辆，占16.7%" in text
    assert "该认定已于2025年10月30日终结" in text
    assert share_text(share_entry(None)) == (
        "1年内（2025年1月6日至2026年1月6日）违法超限运输的货运车辆1辆，占本单位货运车辆总数6辆的16.7%")
