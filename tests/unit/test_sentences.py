"""Sentences stored in English (withdrawal reasons, window notes, conduct reasons, calendars)
are said in the operator's language when read, and stay English where they are data."""

import re

import pytest

from overload import i18n, sentences
from overload.evaluation.windows import year_before
from overload.sentences import said


def chinese() -> None:
    i18n.select(i18n.DEFAULT)


def test_a_withdrawal_reason_is_said_in_chinese_with_its_values_and_nested_texts() -> None:
    stored = sentences.UNSUPPORTED.format(cases=sentences.A_SUPPORTING_DECISION, day="2026-05-12")
    chinese()
    assert said(stored) == "撤销后，触发日的条件不再满足：一项所依据的决定 于 2026-05-12 被撤销"
    assert said("revocations leave the trip unsupported on its trip date: 临交罚〔2025〕0002号 "
                "revoked on 2026-05-12").endswith("临交罚〔2025〕0002号 于 2026-05-12 被撤销")


def test_a_window_note_written_by_the_engine_matches_its_template() -> None:
    from datetime import date

    _start, note = year_before(date(2026, 6, 30), date(2019, 3, 1))
    assert note == "licence year from 2026-03-01 (licence issued 2019-03-01)"
    chinese()
    assert said(note) == "自 2026-03-01 起的许可年度（2019-03-01 领证）"


def test_joined_calendars_are_said_part_by_part() -> None:
    chinese()
    assert said("bureau calendar 2027.toml + chinesecalendar") == "本局日历 2027.toml + 法定节假日库"


def test_free_text_and_english_runs_are_left_as_they_are() -> None:
    chinese()
    assert said("称重设备未检定") == "称重设备未检定"
    assert said(None) == ""
    i18n.select(i18n.ENGLISH)
    assert said(sentences.COUNTED) == "counted"


@pytest.mark.parametrize("template", sentences.TEMPLATES)
def test_every_template_has_a_chinese_text_with_the_same_fields(template: str) -> None:
    chinese()
    translated = i18n._(template)
    assert translated != template or template.startswith("{")
    fields = sorted(re.findall(r"\{(\w+)\}", template))
    assert sorted(re.findall(r"\{(\w+)\}", translated)) == fields
