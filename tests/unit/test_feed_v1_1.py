"""Feed v1.1 (issue 15): the new fields and record types validate, and a bad one is a one-line
quarantine reason naming the field; every v1 record keeps its meaning."""

import pytest

from overload.events import PermitIssued, StationRegistered, VehicleRegistered, WeighingRecorded
from overload.feeds.validate import Rejection, to_event

WEIGHING = {"type": "weighing", "station_id": "LF-TS-01", "record_id": "R1", "plate": "晋L12345",
            "axles": 3, "gross_kg": 26_000, "weighed_at": "2026-01-05T10:00:00"}


def test_axle_groups_come_as_a_list_or_as_json_text_in_a_csv_cell() -> None:
    groups = [{"group": "single", "tyres": "single"}, {"group": "tandem", "drive": True}]
    listed = to_event({**WEIGHING, "axle_groups": groups})
    text = to_event({**WEIGHING, "axle_groups": '[{"group": "single", "tyres": "single"}, '
                                                '{"group": "tandem", "drive": true}]'})
    assert isinstance(listed, WeighingRecorded) and listed == text
    assert listed.axle_groups is not None and listed.axle_groups[1].tyres == "dual"


@pytest.mark.parametrize("fields, field, words", [
    ({**WEIGHING, "axle_groups": [{"group": "tandem"}]}, "(row)", "count 2 axles, axles says 3"),
    ({**WEIGHING, "axle_groups": "[not json"}, "axle_groups", "JSON list"),
    ({**WEIGHING, "axle_groups": [{"group": "quad"}]}, "axle_groups.0.group", "single"),
    ({"type": "permit_issued", "permit_no": "P1", "plate": "晋L12345", "valid_from": "2026-02-01",
      "valid_to": "2026-01-01", "gross_kg": 60_000}, "(row)", "valid_to is before valid_from"),
    ({"type": "station_registered", "station_id": "S1", "name": "站", "kind": "bridge"}, "kind",
     "fixed-static"),
    ({"type": "vehicle_registered", "plate": "晋L12345", "axles": 2, "registered_on": "2025-01-01",
      "category": "bus"}, "category", "truck"),
])
def test_a_bad_v1_1_field_quarantines_the_row_naming_it(
    fields: dict[str, object], field: str, words: str
) -> None:
    result = to_event(fields)
    assert isinstance(result, Rejection), result
    assert result.field == field and words in result.reason and "\n" not in result.reason


def test_the_new_record_types_validate_with_their_keys() -> None:
    permit = to_event({"type": "permit_issued", "permit_no": "晋超2026-001", "plate": "晋L12345",
                       "valid_from": "2026-01-01", "valid_to": "2026-01-31", "gross_kg": 62_000})
    station = to_event({"type": "station_registered", "station_id": "LF-TS-01", "name": "临汾东站",
                        "certificate_no": "C1", "certificate_valid_from": "2025-01-01"})
    assert isinstance(permit, PermitIssued) and permit.key() == "permit:晋超2026-001"
    assert isinstance(station, StationRegistered) and station.key() == "station:LF-TS-01:C1"


def test_registry_fields_ride_on_vehicle_registered() -> None:
    event = to_event({"type": "vehicle_registered", "plate": "晋L12345", "axles": 2,
                      "registered_on": "2025-01-01", "category": "low-speed",
                      "licensed_total_kg": "4500", "special": "refrigerated"})
    assert isinstance(event, VehicleRegistered)
    assert (event.category, event.licensed_total_kg, event.special) == ("low-speed", 4500,
                                                                        "refrigerated")
