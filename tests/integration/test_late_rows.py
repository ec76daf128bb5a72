"""Issue 14.8: what `list` says after incremental ingests equals what `rebuild` says.

Registry rows arrive in batches after the decisions; the feed contract lets any record arrive
late and in any order. The invariant is checked on a generated feed split into random
deliveries, against `rebuild` on the same database and a single delivery into a fresh one.
"""

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from overload.cli.app import app
from overload.store.db import open_engine
from tests.builders import company, person

Row = dict[str, Any]
ENTERPRISE = company(701)
DAYS = ("2025-03-31", "2025-09-30", "2026-03-31", "2026-12-31")


def deliver(path: Path, rows: list[Row]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def listed(runner: CliRunner, db: str, rulebook: str, days: tuple[str, ...] = DAYS) -> list[Any]:
    return [json.loads(run(runner, db, "--rulebook", rulebook, "list", "--as-of", day, "--all",
                           "--format", "json")[1]) for day in days]


def fleet_rows(size: int, start: int = 0) -> list[Row]:
    return [{"type": "vehicle_registered", "plate": f"晋L7{n:04d}", "enterprise_id": ENTERPRISE,
             "axles": 3, "registered_on": "2020-01-01"} for n in range(start, start + size)]


REGISTRY = {"type": "enterprise_registered", "enterprise_id": ENTERPRISE, "name": "迟到运输有限公司",
            "registered_on": "2015-01-01"}
DECISION = {"type": "penalty_decided", "case_no": "临交罚〔2025〕701号", "plate": "晋L70000",
            "violation_at": "2025-06-01T10:00:00", "decided_on": "2025-06-10"}


def test_a_tenth_vehicle_delivered_after_the_decision_ends_the_one_in_nine_share(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    run(runner, db, "ingest", str(deliver(tmp_path / "1.jsonl", [REGISTRY, *fleet_rows(9),
                                                                  DECISION])))
    [before] = listed(runner, db, "linfen-2020", ("2025-06-30",))
    assert [(r["subject_id"], r["share"]) for r in before] == [(ENTERPRISE, "1/9")]
    run(runner, db, "ingest", str(deliver(tmp_path / "2.jsonl", fleet_rows(1, start=9))))
    after = listed(runner, db, "linfen-2020", ("2025-06-30",))
    assert after == [[]]
    run(runner, db, "rebuild")
    assert listed(runner, db, "linfen-2020", ("2025-06-30",)) == after


def test_a_late_deregistration_creates_the_entry_it_should(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    run(runner, db, "ingest", str(deliver(tmp_path / "1.jsonl", [REGISTRY, *fleet_rows(10),
                                                                  DECISION])))
    assert listed(runner, db, "linfen-2020", ("2025-06-30",)) == [[]]  # 1/10 is not over 10 %
    gone = {"type": "vehicle_deregistered", "plate": "晋L70009", "deregistered_on": "2024-01-01"}
    run(runner, db, "ingest", str(deliver(tmp_path / "2.jsonl", [gone])))
    [after] = listed(runner, db, "linfen-2020", ("2025-06-30",))
    assert [(r["subject_id"], r["share"]) for r in after] == [(ENTERPRISE, "1/9")]
    run(runner, db, "rebuild")
    assert listed(runner, db, "linfen-2020", ("2025-06-30",)) == [after]


# ---- the invariant ---------------------------------------------------------------------------

START = date(2024, 6, 1)


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


@st.composite
def feeds(draw: st.DrawFn) -> list[Row]:
    """A small province: enterprises, fleets that move and shrink, drivers, decisions (some on
    one weighing, some naming the enterprise), revocations, orders, conduct."""
    enterprises = [company(800 + n) for n in range(draw(st.integers(1, 3)))]
    rows: list[Row] = []
    for n, code in enumerate(enterprises):
        row: Row = {"type": "enterprise_registered", "enterprise_id": code, "name": f"运输{n}",
                    "registered_on": "2015-01-01"}
        if draw(st.booleans()):
            row["licence_issued_on"] = day(draw(st.integers(-800, 0)))
        rows.append(row)
    plates = [f"晋L8{n:04d}" for n in range(draw(st.integers(1, 8)))]
    for plate in plates:
        offsets = sorted(draw(st.sets(st.integers(-400, 500), min_size=1, max_size=3)))
        for offset in offsets:
            owner = draw(st.sampled_from([*enterprises, None]))
            row = {"type": "vehicle_registered", "plate": plate, "axles": 3,
                   "registered_on": day(offset)}
            if owner:
                row["enterprise_id"] = owner
            if draw(st.booleans()):
                row["licence_issued_on"] = day(offset)
            rows.append(row)
        if draw(st.booleans()):
            rows.append({"type": "vehicle_deregistered", "plate": plate,
                         "deregistered_on": day(draw(st.integers(-300, 600)))})
    drivers = [person(900 + n) for n in range(draw(st.integers(0, 2)))]
    for n, driver in enumerate(drivers):
        rows.append({"type": "driver_registered", "driver_id": driver, "name": f"司机{n}",
                     "licence_issued_on": day(draw(st.integers(-800, 0)))})
    cases = []
    for n in range(draw(st.integers(0, 12))):
        violated = draw(st.integers(0, 600))
        case = f"临交罚〔{n}〕号"
        row = {"type": "penalty_decided", "case_no": case, "plate": draw(st.sampled_from(plates)),
               "violation_at": f"{day(violated)}T10:00:00",
               "decided_on": day(violated + draw(st.integers(0, 40)))}
        if len(drivers) > 0 and draw(st.booleans()):
            row["driver_id"] = draw(st.sampled_from(drivers))
        if draw(st.integers(0, 3)) == 0:
            row["enterprise_id"] = draw(st.sampled_from(enterprises))
        if draw(st.integers(0, 4)) == 0:
            row["station_id"], row["record_id"] = "LF-TS-01", f"W{draw(st.integers(0, 3))}"
        rows.append(row)
        cases.append((case, violated))
    for case, violated in cases:
        if draw(st.integers(0, 3)) == 0:
            rows.append({"type": "penalty_revoked", "case_no": case, "reason": "复议撤销",
                         "revoked_on": day(violated + draw(st.integers(40, 200)))})
    for n in range(draw(st.integers(0, 2))):
        rows.append({"type": "suspension_ordered", "enterprise_id": draw(st.sampled_from(enterprises)),
                     "order_no": f"责令〔{n}〕号", "ordered_on": day(draw(st.integers(0, 600)))})
    subjects = [("enterprise", e) for e in enterprises] + [("source_unit", enterprises[0])]
    subjects += [("vehicle", plates[0])] + [("driver", d) for d in drivers]
    for n in range(draw(st.integers(0, 2))):
        kind, subject = draw(st.sampled_from(subjects))
        rows.append({"type": "serious_conduct", "subject_type": kind, "subject_id": subject,
                     "conduct": "evade-inspection", "document_no": f"DOC-{n}",
                     "occurred_at": f"{day(draw(st.integers(0, 600)))}T09:00:00"})
    return rows


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[list[Row], list[list[Row]]]:
    rows = draw(feeds())
    shuffled = draw(st.permutations(rows))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(rows) - 1)), max_size=3)))
    bounds = [0, *cuts, len(rows)]
    return rows, [list(shuffled[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(feed=deliveries(), rulebook=st.sampled_from(["linfen-2020", "mot-2017"]))
def test_incremental_ingests_list_what_a_rebuild_and_a_single_delivery_list(
    feed: tuple[list[Row], list[list[Row]]], rulebook: str
) -> None:
    rows, parts = feed
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db, fresh = str(work / "incremental.db"), str(work / "single.db")
        for n, part in enumerate(parts):
            code, _ = run(runner, db, "--rulebook", rulebook, "ingest",
                          str(deliver(work / f"part-{n}.jsonl", part)))
            assert code == 0
        incremental = listed(runner, db, rulebook)
        code, out = run(runner, db, "--rulebook", rulebook, "verify", "--deep", "--format", "json")
        assert code == 0, json.loads(out)["deep"]["differences"]
        run(runner, db, "--rulebook", rulebook, "rebuild")
        assert listed(runner, db, rulebook) == incremental
        run(runner, fresh, "--rulebook", rulebook, "ingest", str(deliver(work / "all.jsonl", rows)))
        assert listed(runner, fresh, rulebook) == incremental
        for path in (db, fresh):
            open_engine(path).dispose()
