"""The operator's commands over the bundled fixtures, driven through Typer's CliRunner."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from typer.testing import CliRunner

from overload import clock
from overload.cli.app import app
from overload.events import FEED_EVENTS
from overload.store.db import open_engine
from overload.store.log import EventLog, Pending
from tests.conftest import FIXTURES
from tests.documents import write_settings

LIST_FIELDS = {"subject_type", "subject_id", "subject_name", "rule", "rulebook", "status",
               "tripped_on", "violations", "share", "evidence", "announced_on", "notice_no",
               "announcement_no", "listing_no", "objection_period_ends", "listed_on"}


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def loaded(runner: CliRunner, db: str) -> str:
    code, _ = run(runner, db, "ingest", str(FIXTURES))
    assert code == 1  # the fixtures include a file of deliberately bad rows
    return db


def test_ingest_summary_reconciles_and_json_is_stable(runner: CliRunner, db: str) -> None:
    code, out = run(runner, db, "ingest", str(FIXTURES), "--format", "json")
    summary = json.loads(out)
    assert code == 1 and summary["exit_code"] == 1
    totals = summary["totals"]
    assert totals["read"] == totals["accepted"] + totals["duplicate"] + totals["quarantined"]
    for row in summary["files"]:
        assert row["read"] == row["accepted"] + row["duplicate"] + row["quarantined"]
    assert totals["quarantined"] == 9 and totals["duplicate"] == 1
    assert any("99-bad-rows.jsonl, line 1: plate" in r for r in summary["reasons"])


def test_reingesting_the_good_fixtures_reports_every_row_as_duplicate(
    runner: CliRunner, loaded: str
) -> None:
    good = [str(p) for p in sorted(FIXTURES.iterdir())
            if p.suffix in (".jsonl", ".csv") and not p.name.startswith("99")]
    code, out = run(runner, loaded, "ingest", *good, "--format", "json")
    totals = json.loads(out)["totals"]
    assert code == 0 and totals["accepted"] == 0 and totals["duplicate"] == totals["read"] > 1000


def test_the_list_json_contract(runner: CliRunner, loaded: str) -> None:
    code, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows
    for row in rows:
        assert LIST_FIELDS <= set(row)
        # No act was done: every entry is flagged, with no act's date or number.
        assert row["rulebook"] == "linfen-2020" and row["status"] == "flagged"
        assert row["announced_on"] is row["listed_on"] is row["notice_no"] is None
    vehicle = next(r for r in rows if r["subject_id"] == "晋LA10000")
    # Its 2026-03-02 trip rested on 临交罚〔2025〕0002号 (revoked 2026-05-12); the fifth decision
    # came after that trip, so it is withdrawn and a new entry trips on the revocation date.
    assert (vehicle["rule"], vehicle["tripped_on"], vehicle["violations"]) == (
        "vehicle-repeat", "2026-05-12", 4)
    shares = [r["share"] for r in rows if r["rule"] == "enterprise-fleet-share"]
    assert shares and all("/" in s for s in shares)


def test_withdrawn_entries_show_only_with_all(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--format", "json")
    assert "晋LB10037" not in {r["subject_id"] for r in json.loads(out)}
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--all", "--format", "json")
    [row] = [r for r in json.loads(out) if r["subject_id"] == "晋LB10037"]
    assert (row["status"], row["ended_on"]) == ("withdrawn", "2026-06-02")
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-01", "--format", "json")
    assert "晋LB10037" in {r["subject_id"] for r in json.loads(out)}


def test_list_filters_by_subject_and_rule(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--subject", "driver",
                 "--format", "json")
    assert {r["subject_type"] for r in json.loads(out)} == {"driver"}
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--rule",
                 "enterprise-suspended", "--format", "json")
    assert [r["evidence"] for r in json.loads(out)] == [["临交运责〔2026〕3号"]]


def test_list_csv_has_a_header_and_one_line_per_entry(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--format", "csv")
    _, js = run(runner, loaded, "list", "--as-of", "2026-06-30", "--format", "json")
    lines = out.strip().splitlines()
    # Excel reads a UTF-8 CSV as UTF-8 only after the BOM (issue 13)
    assert lines[0].startswith("\ufeffentry_id,subject_type,subject_id") and len(lines) == 1 + len(
        json.loads(js))


@freeze_time("2026-03-03T02:00:00Z")
def test_list_defaults_to_today_in_shanghai(runner: CliRunner, loaded: str) -> None:
    _, today = run(runner, loaded, "list", "--format", "json")
    _, explicit = run(runner, loaded, "list", "--as-of", "2026-03-03", "--format", "json")
    assert today == explicit


def test_explain_shows_events_window_rule_and_basis(runner: CliRunner, loaded: str) -> None:
    code, out = run(runner, loaded, "explain", "晋L·a10000", "--as-of", "2026-06-30",
                    "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["subject_id"] == "晋LA10000"
    withdrawn, entry = report["entries"]
    assert entry["legal_basis"].startswith("临文明委〔2020〕11号 二(六)18")
    assert entry["window"]["one_year_end"] == "2026-08-04"
    assert entry["rulebook"] == "linfen-2020@1"
    assert (withdrawn["status"], withdrawn["withdrawn_on"]) == ("withdrawn", "2026-05-12")
    assert [r["case_no"] for r in withdrawn["revoked_evidence"]] == ["临交罚〔2025〕0002号"]
    assert withdrawn["revocation_effect"].startswith("the entry was withdrawn")
    assert len(report["decisions"]) == 5


def test_explain_says_how_far_an_unlisted_subject_is_from_the_threshold(
    runner: CliRunner, loaded: str
) -> None:
    _, out = run(runner, loaded, "list", "--as-of", "2026-06-30", "--all", "--format", "json")
    listed = {r["subject_id"] for r in json.loads(out)}
    _, out = run(runner, loaded, "log", "--type", "penalty_decided", "--format", "json")
    plates = {e["payload"]["plate"] for e in json.loads(out)} - listed
    three = None
    for plate in sorted(plates):
        _, out = run(runner, loaded, "explain", plate, "--as-of", "2026-06-30", "--format", "json")
        [threshold] = json.loads(out)["thresholds"]
        if threshold["violations"] == 3:
            three = threshold
    assert three is not None and three["missing"] == 1 and three["met"] is False


def test_explain_an_enterprise_lists_numerator_and_denominator(
    runner: CliRunner, loaded: str
) -> None:
    _, out = run(runner, loaded, "explain", "91141002MA0GB3D4EL", "--as-of", "2026-06-30",
                 "--format", "json")
    [share] = [t for t in json.loads(out)["thresholds"] if t["rule"] == "enterprise-fleet-share"]
    assert share["share"] == "2/20" and share["met"] is False and share["needed_vehicles"] == 3
    assert len(share["fleet"]) == 20 and len(share["violating_vehicles"]) == 2


def test_rebuild_appends_nothing_and_gives_byte_identical_outputs(
    runner: CliRunner, loaded: str
) -> None:
    before = [run(runner, loaded, "list", "--as-of", d, "--all", "--format", "json")[1]
              for d in ("2025-12-31", "2026-06-30")]
    code, out = run(runner, loaded, "rebuild", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["appended_flags"] == summary["appended_withdrawals"] == 0
    after = [run(runner, loaded, "list", "--as-of", d, "--all", "--format", "json")[1]
             for d in ("2025-12-31", "2026-06-30")]
    assert before == after
    _, again = run(runner, loaded, "rebuild", "--format", "json")
    assert json.loads(again)["entries_sha256"] == summary["entries_sha256"]


def test_decisions_are_events_in_the_log(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "log", "--type", "EntityFlagged", "--format", "json")
    flags = json.loads(out)
    _, listed = run(runner, loaded, "list", "--as-of", "2099-01-01", "--all", "--format", "json")
    assert {f["payload"]["entry_id"] for f in flags} >= {r["entry_id"] for r in json.loads(listed)}
    flag = flags[0]["payload"]
    assert flag["rulebook"] == "linfen-2020" and flag["rulebook_version"] == 1
    assert flag["evidence"] and flag["supporting_positions"]
    _, out = run(runner, loaded, "log", "--type", "EntryWithdrawn", "--format", "json")
    assert any("晋" not in w["payload"]["reason"] for w in json.loads(out))


def test_the_list_does_not_depend_on_arrival_order(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    other = str(tmp_path / "reversed.db")
    files = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".jsonl", ".csv"))
    for path in reversed(files):
        run(runner, other, "ingest", str(path))
    for day in ("2025-10-01", "2026-03-19", "2026-06-30"):
        args = ("list", "--as-of", day, "--all", "--format", "json")
        assert run(runner, loaded, *args)[1] == run(runner, other, *args)[1]


def test_rebuild_from_the_raw_events_alone_derives_the_same_decisions_and_list(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    source = EventLog(open_engine(loaded))
    fresh_db = str(tmp_path / "raw-only.db")
    fresh = EventLog(open_engine(fresh_db))
    feed_types = {cls.__name__ for cls in FEED_EVENTS.values()}
    raw = [Pending.of(e.model(), e.source) for e in source.read() if e.type in feed_types]
    fresh.write(raw)
    flags = len(list(source.read(types=["EntityFlagged"])))
    code, out = run(runner, fresh_db, "rebuild", "--format", "json")
    assert code == 0 and json.loads(out)["appended_flags"] == flags
    args = ("list", "--as-of", "2026-06-30", "--all", "--format", "json")
    assert run(runner, loaded, *args)[1] == run(runner, fresh_db, *args)[1]


def test_log_filters_by_subject(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "log", "--subject", "晋lb10037", "--format", "json")
    events = json.loads(out)
    assert events and all("晋LB10037" in json.dumps(e, ensure_ascii=False) for e in events)
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)


def test_quarantine_lists_reasons(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "quarantine", "--format", "json")
    rows = json.loads(out)
    assert len(rows) == 9 and all(r["reason"] and r["file"] and r["line"] for r in rows)


def test_errors_are_one_line_with_an_exit_code(runner: CliRunner, db: str) -> None:
    result = runner.invoke(app, ["--db", db, "ingest", "nowhere.jsonl"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = runner.invoke(app, ["--db", db, "--rulebook", "nope", "list"])
    assert result.exit_code == 2 and "unknown rulebook 'nope'" in result.output
    result = runner.invoke(app, ["--db", db, "explain", "晋L99999"])
    assert result.exit_code == 1 and "no event in the log mentions" in result.output
    result = runner.invoke(app, ["--db", db, "list", "--as-of", "2026-13-01"])
    assert result.exit_code == 2 and "--as-of" in result.output


def test_rules_list_and_show(runner: CliRunner, db: str) -> None:
    code, out = run(runner, db, "rules", "--format", "json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["linfen-2020", "mot-2017"]
    code, out = run(runner, db, "rules", "show", "mot-2017", "--format", "json")
    book = json.loads(out)
    assert book["vehicle_min_violations"] == 3 and book["window"] == "licence-year"
    assert any(s["short"] == "Notice 8" for s in book["sources"])


def test_the_national_rulebook_is_selectable_and_recorded(runner: CliRunner, loaded: str) -> None:
    code, out = run(runner, loaded, "--rulebook", "mot-2017", "list", "--as-of", "2026-06-30",
                    "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and {r["rulebook"] for r in rows} == {"mot-2017"}
    assert any(r["subject_id"] == "晋LC10444" and r["violations"] == 3 for r in rows)


@freeze_time("2026-07-01T02:00:00Z")
def test_cases_show_four_parties_and_a_per_station_summary(runner: CliRunner, loaded: str) -> None:
    code, out = run(runner, loaded, "cases", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["cases"]
    for row in data["cases"]:
        assert {row[p] for p in ("vehicle", "driver", "enterprise", "source_unit")} <= {
            "penalised", "open", "unknown", "n/a"}
    assert sum(s["detections"] for s in data["stations"]) == len(data["cases"])
    _, out = run(runner, loaded, "cases", "--open", "--older-than", "30", "--format", "json")
    opened = json.loads(out)["cases"]
    assert opened and all(r["open_parties"] > 0 and r["age_days"] >= 30 for r in opened)
    _, out = run(runner, loaded, "cases", "--station", "LF-TS-01", "--format", "json")
    assert {r["station_id"] for r in json.loads(out)["cases"]} == {"LF-TS-01"}


def test_explain_lists_detections_that_do_not_count(runner: CliRunner, loaded: str) -> None:
    _, out = run(runner, loaded, "explain", "晋LB10037", "--as-of", "2026-06-30", "--format", "json")
    detections = json.loads(out)["detections"]
    assert detections and all("only penalty decisions count" in d["note"] for d in detections)


def test_explain_from_the_subject_scoped_state_equals_explain_from_the_full_state(
    loaded: str,
) -> None:
    from datetime import date

    from overload.evaluation.run import load_state
    from overload.explain import explain, scoped_state
    from overload.lifecycle.load import view
    from overload.rulebook import loader

    log = EventLog(open_engine(loaded))
    now = view(log, None)
    full = load_state(log)
    subjects = {e.subject_id for e in now.entries} | {d.plate for d in full.decisions.values()}
    subjects |= {d.driver_id for d in full.decisions.values() if d.driver_id}
    for subject in sorted(subjects):
        args: tuple[Any, ...] = (now.rulebook, now.entries, date(2026, 6, 30),
                                 loader.matcher(None), [], now.timelines)
        assert explain(subject, scoped_state(log, subject), *args) == explain(
            subject, full, *args), subject


def test_switching_rulebooks_rebuild_screens_every_weighing_for_the_new_one(
    runner: CliRunner, loaded: str
) -> None:
    _, out = run(runner, loaded, "log", "--type", "OverloadDetected", "--format", "json")
    detections = json.loads(out)
    code, out = run(runner, loaded, "--rulebook", "mot-2017", "rebuild", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["rescreened"] is True
    assert summary["appended_detections"] == len(detections) > 0
    _, out = run(runner, loaded, "--rulebook", "mot-2017", "rebuild", "--format", "json")
    assert json.loads(out)["rescreened"] is False and json.loads(out)["appended_detections"] == 0


def test_a_trip_moved_by_a_late_record_supersedes_the_earlier_flag(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    def penalty_line(case: str, violated: str, decided: str) -> str:
        return json.dumps({"type": "penalty_decided", "case_no": case, "plate": "晋L55555",
                           "violation_at": f"{violated}T10:00:00", "decided_on": decided},
                          ensure_ascii=False)

    first = tmp_path / "first.jsonl"
    first.write_text("\n".join([
        penalty_line("A1", "2026-01-05", "2026-01-10"), penalty_line("A2", "2026-02-05", "2026-02-10"),
        penalty_line("A3", "2026-03-05", "2026-03-10"), penalty_line("A4", "2026-04-05", "2026-04-20"),
    ]), encoding="utf-8")
    run(runner, db, "ingest", str(first))
    _, out = run(runner, db, "list", "--as-of", "2026-12-31", "--all", "--format", "json")
    [before] = json.loads(out)
    assert before["tripped_on"] == "2026-04-20"
    late = tmp_path / "late.jsonl"  # a decision of another authority, decided earlier, sent late
    late.write_text(penalty_line("B1", "2026-03-20", "2026-03-25"), encoding="utf-8")
    run(runner, db, "ingest", str(late))
    _, out = run(runner, db, "list", "--as-of", "2026-12-31", "--all", "--format", "json")
    [after] = json.loads(out)
    assert after["tripped_on"] == "2026-03-25" and after["entry_id"] != before["entry_id"]
    _, out = run(runner, db, "log", "--type", "EntryWithdrawn", "--format", "json")
    [superseded] = json.loads(out)
    assert superseded["payload"]["entry_id"] == before["entry_id"]
    assert superseded["payload"]["reason"].startswith("superseded")


def test_operator_commands_record_signed_actions_that_explain_and_audit_show(
    runner: CliRunner, loaded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2027, 12, 31))
    monkeypatch.setenv("OVERLOAD_CONFIG", str(write_settings(tmp_path / "bureau.toml")))
    by = ["--by", "张三"]
    assert run(runner, loaded, "publish", "--on", "2026-06-01", "--out", str(tmp_path / "a"),
               *by)[0] == 0
    assert run(runner, loaded, "objection", "file", "EF7FEB25685", "--on", "2026-06-05",
               "--note", "称重设备未检定", *by)[0] == 0
    assert run(runner, loaded, "objection", "decide", "EF7FEB25685-O1", "--dismissed", "--on",
               "2026-06-10", "--note", "异议不成立", *by)[0] == 0
    assert run(runner, loaded, "publish", "--on", "2026-06-20", "--out", str(tmp_path / "b"),
               *by)[0] == 0
    result = runner.invoke(app, ["--db", loaded, "repair", "EF7FEB25685", "--on", "2027-06-10",
                                 "--document", "修复〔2027〕1号", *by])
    assert result.exit_code == 1 and "allowed from 2027-06-20" in result.output
    result = runner.invoke(app, ["--db", loaded, "objection", "file", "EF7FEB25685", "--on",
                                 "2026-06-06", "--note", "x"])
    assert result.exit_code == 2 and "operator name is required" in result.output
    _, out = run(runner, loaded, "explain", "141023197708081079", "--as-of", "2026-06-30",
                 "--format", "json")
    [entry] = json.loads(out)["entries"]
    assert (entry["status"], entry["announced_on"], entry["objection_period_ends"],
            entry["listed_on"]) == ("listed", "2026-06-01", "2026-06-15", "2026-06-20")
    [objection] = entry["objections"]
    assert (objection["outcome"], objection["decision_note"], objection["operator"]) == (
        "dismissed", "异议不成立", "张三")
    _, out = run(runner, loaded, "audit", "--format", "json")
    assert [(a["action"], a["operator"], a["on"]) for a in json.loads(out)] == [
        ("PublicationMade", "张三", "2026-06-01"), ("ObjectionFiled", "张三", "2026-06-05"),
        ("ObjectionDecided", "张三", "2026-06-10"), ("PublicationMade", "张三", "2026-06-20")]
