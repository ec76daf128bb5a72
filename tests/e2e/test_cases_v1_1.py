"""Issue 15 through the CLI: `cases` after late registry rows, feed v1.1 records (stations,
permits, axle groups in CSV), and unknown parties counted as open work."""

import json
from pathlib import Path
from typing import Any

from freezegun import freeze_time
from typer.testing import CliRunner

from overload.cli.app import app


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def jsonl(path: Path, *rows: dict[str, Any]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return str(path)


WEIGHING = {"type": "weighing", "station_id": "LF-TS-09", "record_id": "W1", "plate": "晋L30001",
            "axles": 3, "gross_kg": 26_000, "weighed_at": "2026-01-05T10:00:00"}
RIGID = {"type": "vehicle_registered", "plate": "晋L30001", "axles": 3, "kind": "rigid",
         "registered_on": "2025-01-01"}
STATION = {"type": "station_registered", "station_id": "LF-TS-09", "name": "临汾西超限检测站",
           "road": "G108", "kilometre_post": "K1032+500", "county": "尧都区",
           "kind": "fixed-static", "certificate_no": "晋计检2025-17",
           "certificate_valid_from": "2025-06-01", "certificate_valid_to": "2026-05-31"}
DECISION = {"type": "penalty_decided", "case_no": "临交罚〔2026〕0001号", "plate": "晋L30001",
            "violation_at": "2026-01-05T10:00:00", "decided_on": "2026-01-10",
            "station_id": "LF-TS-09", "record_id": "W1"}


@freeze_time("2026-03-01T02:00:00Z")
def test_a_late_registration_opens_a_case_that_names_its_station_and_limit(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    assert run(runner, db, "ingest", jsonl(tmp_path / "1.jsonl", WEIGHING))[0] == 0
    assert json.loads(run(runner, db, "cases", "--format", "json")[1])["cases"] == []
    run(runner, db, "ingest", jsonl(tmp_path / "2.jsonl", RIGID, STATION))
    code, out = run(runner, db, "cases", "--format", "json")
    [case] = json.loads(out)["cases"]
    assert code == 0 and case["limit_kg"] == 25_000
    assert [r["rule"] for r in case["limit_rules"]] == ["art3-3-axle-rigid"]
    assert case["registration"] == "vehicle:晋L30001:2025-01-01"
    assert (case["station_name"], case["station_place"]) == ("临汾西超限检测站",
                                                             "G108 K1032+500，尧都区")
    assert case["parties"]["driver"] == {"status": "unknown", "id": None}
    _, table = run(runner, db, "cases")
    assert "临汾西超限检测站" in table


@freeze_time("2026-03-01T02:00:00Z")
def test_a_decision_naming_only_the_plate_leaves_the_case_open(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    run(runner, db, "ingest", jsonl(tmp_path / "1.jsonl", {**WEIGHING, "gross_kg": 28_000},
                                    DECISION))
    data = json.loads(run(runner, db, "cases", "--format", "json")[1])
    [case] = data["cases"]
    assert case["fully_penalised"] is False and case["vehicle"] == "penalised"
    assert data["stations"][0]["share_implemented"] == "0/1 (0.0 %)"
    opened = json.loads(run(runner, db, "cases", "--open", "--format", "json")[1])["cases"]
    assert [c["record_id"] for c in opened] == ["W1"]
    assert any(m.startswith("driver:") for m in opened[0]["missing"])


@freeze_time("2026-08-01T02:00:00Z")
def test_an_expired_scale_certificate_makes_the_reading_screening_only(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    late = {**WEIGHING, "gross_kg": 28_000, "weighed_at": "2026-06-02T10:00:00"}
    run(runner, db, "ingest", jsonl(tmp_path / "1.jsonl", late, STATION))
    data = json.loads(run(runner, db, "cases", "--format", "json")[1])
    assert data["cases"] == []
    [screening] = data["screening_only"]
    assert "晋计检2025-17" in screening["reason"]
    assert data["stations"][0]["screening_only"] == 1


@freeze_time("2026-03-01T02:00:00Z")
def test_v1_1_weighing_fields_arrive_in_csv_and_a_permit_decides(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    csv = tmp_path / "w.csv"
    groups = json.dumps([{"group": "single", "tyres": "single"}, {"group": "tandem", "drive":
                         True}, {"group": "tridem", "tyres": "single", "trailer": True}])
    cell = groups.replace('"', '""')  # a CSV cell holds the list as JSON text
    csv.write_text(
        "type,station_id,record_id,plate,axles,gross_kg,weighed_at,axle_groups,permit_no\n"
        f'weighing,LF-TS-09,C1,晋L60001,6,40001,2026-01-05T10:00:00,"{cell}",\n'
        "weighing,LF-TS-09,C2,晋L60002,6,61000,2026-01-05T11:00:00,,晋超2026-001\n", "utf-8")
    permit = {"type": "permit_issued", "permit_no": "晋超2026-001", "plate": "晋L60002",
              "valid_from": "2026-01-01", "valid_to": "2026-01-31", "gross_kg": 62_000}
    code, out = run(runner, db, "ingest", str(csv), jsonl(tmp_path / "p.jsonl", permit),
                    "--format", "json")
    assert code == 0, out
    [case] = json.loads(run(runner, db, "cases", "--format", "json")[1])["cases"]
    assert (case["record_id"], case["limit_kg"]) == ("C1", 40_000)
    assert case["limit_rules"][-1]["rule"] == "single-tyre-reduction"
