"""Issue 14.3: derived tables are checked against the log, and a checkpoint past it is repaired."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from overload.cli.app import app
from overload.evaluation.run import current
from overload.feeds.ingest import ingest
from overload.store.db import open_engine
from overload.store.log import EventLog
from tests.conftest import FIXTURES

LATE = "晋L77777"


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def deep(runner: CliRunner, db: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(runner, db, "verify", "--deep", "--format", "json")
    return code, json.loads(out)


def sql(db: str, statement: str, **params: Any) -> None:
    with open_engine(db).begin() as conn:
        conn.execute(text(statement), params)


@pytest.fixture
def loaded(runner: CliRunner, db: str) -> str:
    run(runner, db, "ingest", str(FIXTURES))
    return db


def four_decisions(path: Path) -> Path:
    path.write_text("".join(json.dumps({
        "type": "penalty_decided", "case_no": f"迟〔2026〕{n}号", "plate": LATE,
        "violation_at": f"2026-0{n}-05T10:00:00", "decided_on": f"2026-0{n}-06"},
        ensure_ascii=False) + "\n" for n in range(1, 5)), encoding="utf-8")
    return path


def listed(runner: CliRunner, db: str) -> list[dict[str, Any]]:
    _, out, _ = run(runner, db, "list", "--as-of", "2026-06-30", "--all", "--format", "json")
    return list(json.loads(out))


def test_deep_verify_finds_the_projections_equal_to_the_log(
    runner: CliRunner, loaded: str
) -> None:
    code, verdict = deep(runner, loaded)
    assert code == 0 and verdict["ok"] and verdict["deep"]["differences"] == []
    assert any("projection_entry linfen-2020@1" in line for line in verdict["deep"]["checked"])


def test_an_edited_entry_row_is_found_by_deep_verify(runner: CliRunner, loaded: str) -> None:
    with open_engine(loaded).connect() as conn:
        entry_id, data = conn.execute(text(
            "SELECT entry_id, data FROM projection_entry ORDER BY entry_id LIMIT 1")).one()
    values = json.loads(data)
    values[11] = (values[11] or 0) + 5  # the violations count
    sql(loaded, "UPDATE projection_entry SET data = :d WHERE entry_id = :e",
        d=json.dumps(values, ensure_ascii=False), e=entry_id)
    assert run(runner, loaded, "verify")[0] == 0  # the log itself is intact
    code, verdict = deep(runner, loaded)
    [difference] = verdict["deep"]["differences"]
    assert code == 1 and verdict["ok"] is False
    assert (difference["table"], difference["key"]) == ("projection_entry",
                                                        f"linfen-2020@1 {entry_id}")
    assert difference["stored"] != difference["rebuilt"]


def test_deleted_subject_index_rows_are_found_by_deep_verify(
    runner: CliRunner, loaded: str
) -> None:
    sql(loaded, "DELETE FROM projection_subject WHERE subject = :s", s="晋LB10037")
    code, verdict = deep(runner, loaded)
    [difference] = verdict["deep"]["differences"]
    assert code == 1 and difference["table"] == "projection_subject"
    assert difference["key"].startswith("晋LB10037 @ ")
    assert (difference["stored"], difference["rebuilt"]) == ("(none)", "present")


def test_a_raised_checkpoint_is_found_by_deep_verify_and_repaired_by_the_next_list(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    sql(loaded, "UPDATE projection_checkpoint SET position = 1000000 WHERE name = 'linfen-2020@1'")
    code, verdict = deep(runner, loaded)
    [difference] = verdict["deep"]["differences"]
    assert code == 1 and (difference["table"], difference["key"], difference["stored"]) == (
        "projection_checkpoint", "linfen-2020@1", "1000000")
    # New decisions land (an ingest killed before evaluating, or one by an older version) ...
    ingest(EventLog(open_engine(loaded)), [four_decisions(tmp_path / "late.jsonl")])
    # ... and the next read says the checkpoint was corrupt, once, and shows them.
    code, out, err = run(runner, loaded, "list", "--as-of", "2026-06-30", "--all", "--format",
                         "json")
    assert code == 0 and LATE in {row["subject_id"] for row in json.loads(out)}
    assert err.count("corrupt") == 1 and "past its last state event" in err
    _, _, again = run(runner, loaded, "list", "--as-of", "2026-06-30")
    assert "corrupt" not in again
    assert deep(runner, loaded)[0] == 0


def test_a_subject_index_checkpoint_past_the_log_is_not_trusted_and_is_rebuilt(
    runner: CliRunner, loaded: str
) -> None:
    _, before, _ = run(runner, loaded, "explain", "晋LB10037", "--as-of", "2026-06-30",
                       "--format", "json")
    sql(loaded, "DELETE FROM projection_subject WHERE subject = :s", s="晋LB10037")
    sql(loaded, "UPDATE projection_checkpoint SET position = 1000000 WHERE name = 'subjects'")
    code, after, err = run(runner, loaded, "explain", "晋LB10037", "--as-of", "2026-06-30",
                           "--format", "json")
    assert code == 0 and after == before
    assert err.count("subject index") == 1 and "corrupt" in err
    assert deep(runner, loaded)[0] == 0


def test_the_checkpoint_repair_is_said_through_the_logs_notice_hook(loaded: str) -> None:
    notices: list[str] = []
    log = EventLog(open_engine(loaded), on_notice=notices.append)
    sql(loaded, "UPDATE projection_checkpoint SET position = position + 100000")
    entries = current(log, None).entries
    assert len(notices) == 2 and entries  # the entries' checkpoint and the subject index's
    assert current(log, None).entries == entries and len(notices) == 2
