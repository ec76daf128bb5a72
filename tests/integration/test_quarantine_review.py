"""`overload quarantine` shows what still needs an operator; `quarantine dismiss` records why a
row is dropped. The quarantine table itself is never changed."""

import json
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import event
from typer.testing import CliRunner

from overload.cli.app import app
from overload.store.db import open_engine
from overload.store.log import EventLog
from overload.store.quarantine import review

HEADER = "type,plate,enterprise_id,axles,kind,registered_on\n"
LINE = "vehicle_registered,晋LA{n:05d},91141002MA0GA1B2CT,4,rigid,2018-05-02\n"


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.output


def registry(path: Path, rows: int, broken: bool) -> Path:
    """A registry export; `broken`: as first sent from Excel on Chinese Windows, in GBK with
    the kind typed in Chinese (every row quarantined), else the fixed file in UTF-8."""
    lines = "".join(LINE.format(n=n) for n in range(rows))
    if broken:
        lines = lines.replace(",rigid,", ",货车,")
    path.write_bytes((HEADER + lines).encode("gbk" if broken else "utf-8"))
    return path


def enterprise(tmp_path: Path) -> Path:
    path = tmp_path / "enterprise.jsonl"
    path.write_text(json.dumps({"type": "enterprise_registered",
                                "enterprise_id": "91141002MA0GA1B2CT", "name": "汾河物流",
                                "registered_on": "2015-01-01"}, ensure_ascii=False) + "\n")
    return path


def test_a_gbk_file_fixed_as_utf8_leaves_nothing_to_do(
    runner: CliRunner, db: str, tmp_path: Path,
) -> None:
    run(runner, db, "ingest", str(enterprise(tmp_path)))
    saved = registry(tmp_path / "vehicles.csv", 5, broken=True)  # Excel on Chinese Windows
    code, _ = run(runner, db, "ingest", str(saved))
    assert code == 1
    _, out = run(runner, db, "quarantine", "--format", "json")
    assert len(json.loads(out)) == 5
    registry(saved, 5, broken=False)  # the clerk saves it again as "CSV UTF-8"
    assert run(runner, db, "ingest", str(saved))[0] == 0
    _, out = run(runner, db, "quarantine", "--format", "json")
    assert json.loads(out) == []
    _, out = run(runner, db, "quarantine", "--all", "--format", "json")
    assert {r["status"] for r in json.loads(out)} == {"resolved"}


def test_a_new_file_under_an_old_name_does_not_resolve_an_old_bad_line(
    runner: CliRunner, db: str, tmp_path: Path,
) -> None:
    run(runner, db, "ingest", str(enterprise(tmp_path)))
    saved = registry(tmp_path / "vehicles.csv", 2, broken=True)
    run(runner, db, "ingest", str(saved))
    saved.write_text(HEADER + LINE.format(n=70) + LINE.format(n=71))  # other vehicles
    run(runner, db, "ingest", str(saved))
    _, out = run(runner, db, "quarantine", "--format", "json")
    assert [r["line"] for r in json.loads(out)] == [2, 3]


@freeze_time("2026-12-01T02:00:00Z")
def test_a_dismissed_row_is_hidden_recorded_and_shown_with_all(
    runner: CliRunner, db: str, tmp_path: Path,
) -> None:
    run(runner, db, "ingest", str(registry(tmp_path / "v.csv", 3, broken=True)))
    _, out = run(runner, db, "quarantine", "--format", "json")
    first, second, _third = (r["id"] for r in json.loads(out))
    code, out = run(runner, db, "quarantine", "dismiss", str(first), str(second),
                    "--note", "测试数据", "--by", "张三")
    assert code == 0 and "2" in out
    _, out = run(runner, db, "quarantine", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == [_third]
    _, out = run(runner, db, "quarantine", "--all", "--format", "json")
    assert [r["status"] for r in json.loads(out)] == ["dismissed", "dismissed", "pending"]
    _, out = run(runner, db, "log", "--type", "QuarantineDismissed", "--format", "json")
    [dismissed, _] = json.loads(out)
    assert dismissed["payload"]["operator"] == "张三"
    assert dismissed["payload"]["dismissed_on"] == "2026-12-01"
    # again: the same decision is a duplicate, not a second event
    run(runner, db, "quarantine", "dismiss", str(first), "--note", "测试数据", "--by", "张三")
    _, out = run(runner, db, "log", "--type", "QuarantineDismissed", "--format", "json")
    assert len(json.loads(out)) == 2


@pytest.mark.parametrize("args, message", [
    (["quarantine", "dismiss", "999", "--note", "x", "--by", "张三"], "no quarantined row"),
    (["quarantine", "dismiss", "1", "--note", "x"], "operator name is required"),
])
def test_a_dismissal_is_refused_in_one_line(
    runner: CliRunner, db: str, tmp_path: Path, args: list[str], message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OVERLOAD_OPERATOR", raising=False)
    run(runner, db, "ingest", str(registry(tmp_path / "v.csv", 1, broken=True)))
    result = runner.invoke(app, ["--db", db, *args])
    assert result.exit_code == 2 and message in result.output


def test_resolution_costs_a_few_queries_however_many_rows(tmp_path: Path, db: str,
                                                          runner: CliRunner) -> None:
    run(runner, db, "ingest", str(enterprise(tmp_path)))
    run(runner, db, "ingest", str(registry(tmp_path / "v.csv", 3000, broken=True)))
    log = EventLog(open_engine(db))
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(log.engine, "before_cursor_execute", listener)
    try:
        rows = review(log)
    finally:
        event.remove(log.engine, "before_cursor_execute", listener)
    assert len(rows) == 3000 and {r["status"] for r in rows} == {"pending"}
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 4
