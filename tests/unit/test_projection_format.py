"""Stored entries round-trip exactly, in today's array form and in the object form before it."""

from datetime import date

import orjson

from overload.evaluation.entries import Entry
from overload.evaluation.windows import Window
from overload.store.projection import FIELDS, from_json, to_json

FULL = Entry(
    entry_id="E0123456789", rulebook="linfen-2020", rulebook_version=1,
    rule="enterprise-fleet-share", subject_type="enterprise", subject_id="91141000MA0GUXYR1E",
    tripped_on=date(2026, 3, 2), previous_trip_on=date(2025, 3, 1),
    evidence=("晋交罚〔2026〕1号", "晋交罚〔2026〕2号"), positions=(17, 42), violations=None,
    share=(2, 19), window=Window(date(2025, 3, 2), date(2026, 3, 2), date(2026, 3, 2), "rolling"),
    withdrawn_on=date(2026, 5, 1), withdrawal_reason="revoked", revoked_cases=("晋交罚〔2026〕1号",),
)
BARE = Entry(
    entry_id="E9876543210", rulebook="mot-2017", rulebook_version=1, rule="vehicle-repeat",
    subject_type="vehicle", subject_id="晋L10001", tripped_on=date(2026, 4, 10),
    previous_trip_on=None, evidence=("a", "b", "c", "d"), positions=(1, 2, 3, 4), violations=4,
    share=None, window=None,
)


def test_entries_round_trip_through_the_stored_array() -> None:
    for entry in (FULL, BARE):
        text = to_json(entry, "汾河物流")
        assert text.startswith("[")
        assert from_json(text) == (entry, "汾河物流")


def test_entries_stored_as_objects_before_the_array_form_still_read() -> None:
    for entry in (FULL, BARE):
        values = orjson.loads(to_json(entry, "名"))
        legacy = orjson.dumps(dict(zip(FIELDS, values, strict=True))).decode()
        assert legacy.startswith("{")
        assert from_json(legacy) == (entry, "名")
