"""Quarantine reasons are stored in English and said in the operator's language (issue 13)."""

import pytest

from overload import i18n
from overload.feeds.validate import Rejection, to_event
from overload.reasons import said_file_error, said_note, said_reason

VEHICLE = {"type": "vehicle_registered", "plate": "晋LA00000", "enterprise_id": "91141002MA0GA1B2CT",
           "axles": 4, "kind": "货车", "registered_on": "2018-05-02"}


def rejected(**changes: object) -> str:
    outcome = to_event({**VEHICLE, **changes})
    assert isinstance(outcome, Rejection)
    return outcome.reason


@pytest.fixture
def chinese() -> None:
    i18n.select("zh_CN")


def test_the_stored_reason_stays_english() -> None:
    assert rejected() == "kind: Input should be 'rigid' or 'combination'"


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("changes, said", [
    ({}, "车型：应为 'rigid' 或 'combination'"),
    ({"kind": "rigid", "axles": "three"}, "轴数：应为整数，无法将该文本识别为整数"),
    ({"kind": "rigid", "plate": "晋Z1"}, "'晋Z1' 不符合车牌号格式"),
    ({"kind": "rigid", "enterprise_id": "1.41002E+17"},
     "Excel 将该统一社会信用代码变成了数字（1.41002E+17）"),
    ({"kind": "rigid", "registered_on": "2018/5/2"}, "Excel 将该日期改写为 2018/5/2"),
    ({"type": "cargo"}, "类型：未知记录类型 'cargo'"),
])
def test_a_reason_is_said_in_chinese(changes: dict[str, object], said: str) -> None:
    assert said in said_reason(rejected(**changes))


@pytest.mark.usefixtures("chinese")
def test_joined_reasons_conflicts_notes_and_file_errors() -> None:
    assert said_reason("axles: required field is missing; gross_kg: Input should be greater "
                       "than or equal to 0") == "轴数：缺少必填字段；总质量（千克）：应大于或等于 0"
    assert said_reason("conflict: penalty:X is already stored at position 7 with different "
                       "content; not merged") == "冲突：penalty:X 已以不同内容存于位置 7；未合并"
    assert said_note("a/b.csv, line 3: (row): not a JSON object") == \
        "a/b.csv 第 3 行：（整行）：不是 JSON 对象"
    assert said_file_error("a: b/c.csv: no such file") == "a: b/c.csv：文件不存在"


@pytest.mark.usefixtures("chinese")
def test_unknown_text_is_shown_as_stored() -> None:
    assert said_reason("kind: something an exporter said") == "车型：something an exporter said"
    assert said_reason("free text") == "free text"


def test_in_english_the_reason_is_the_stored_text() -> None:
    stored = rejected()
    assert said_reason(stored) == stored
