"""Issue 14.4: half-finished work never looks finished.

A re-screen records its progress (`ScreeningCompleted`) with each batch, so a killed rebuild
resumes and ends with the detections a clean run makes; an ingest killed before evaluating is
finished by running it again, and `verify` says meanwhile that evaluation lags the log.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from overload.cli.app import app
from overload.feeds.ingest import ingest
from overload.rulebook import loader
from overload.screening.rescreen import rescreen, screened_through
from overload.screening.screen import screener_for
from overload.store.db import open_engine
from overload.store.log import EventLog
from tests.conftest import FIXTURES, ROOT

WEIGHINGS = 3_000


def overweight(path: Path, rows: int, start: int = 0) -> Path:
    """Two-axle trucks at 20 t: every row is over the 18 t limit under both rulebooks."""
    lines = ["type,station_id,record_id,plate,axles,gross_kg,weighed_at"]
    lines += [f"weighing,LF-TS-01,{i},晋L{20000 + i % 5000:05d},2,20000,2026-01-05T10:00:00"
              for i in range(start, start + rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def detections(db: str, rulebook: str) -> list[str]:
    with open_engine(db).connect() as conn:
        return [k for (k,) in conn.execute(text(
            "SELECT key FROM event WHERE type = 'OverloadDetected' AND key LIKE :p ORDER BY key"),
            {"p": f"detection:{rulebook}@%"})]


def markers(db: str, rulebook: str = "mot-2017") -> int:
    """ScreeningCompleted markers of one rulebook (an ingest under the default leaves its own)."""
    with open_engine(db).connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM event WHERE type = 'ScreeningCompleted' AND payload LIKE :p"),
            {"p": f'%"rulebook":"{rulebook}"%'}).scalar_one())


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def clean_run(tmp_path: Path, feeds: list[Path]) -> list[str]:
    """What an uninterrupted `--rulebook mot-2017 rebuild` makes of the same weighings."""
    db = str(tmp_path / "clean.db")
    runner = CliRunner()
    for feed in feeds:
        run(runner, db, "ingest", str(feed))
    run(runner, db, "--rulebook", "mot-2017", "rebuild")
    return detections(db, "mot-2017")


def test_a_rebuild_killed_after_its_first_batch_resumes_and_ends_like_a_clean_run(
    db: str, tmp_path: Path
) -> None:
    feed = overweight(tmp_path / "w.csv", WEIGHINGS)
    runner = CliRunner()
    run(runner, db, "ingest", str(feed))
    env = {**os.environ, "OVERLOAD_RESCREEN_BATCH": "10"}
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", db, "--rulebook",
                              "mot-2017", "rebuild"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and child.poll() is None and markers(db) == 0:
        time.sleep(0.005)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    partial = len(detections(db, "mot-2017"))
    assert markers(db) >= 1 and 0 < partial < WEIGHINGS
    code, out, _ = run(runner, db, "--rulebook", "mot-2017", "rebuild", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["rescreened"] is True
    assert summary["screened_after_position"] > 0  # resumed, not started over
    assert summary["appended_detections"] == WEIGHINGS - partial
    assert detections(db, "mot-2017") == clean_run(tmp_path, [feed])
    _, out, _ = run(runner, db, "--rulebook", "mot-2017", "rebuild", "--format", "json")
    assert json.loads(out)["rescreened"] is False


def test_a_rescreen_that_dies_midway_leaves_a_marker_only_for_what_it_committed(
    db: str, tmp_path: Path
) -> None:
    feed = overweight(tmp_path / "w.csv", 500)
    log = EventLog(open_engine(db))
    ingest(log, [feed])
    mot = loader.load("mot-2017")

    def crash(_position: int) -> None:
        raise KeyboardInterrupt  # the operator's Ctrl-C, or anything that ends the process

    with pytest.raises(KeyboardInterrupt):
        rescreen(log, mot, batch=100, on_batch=crash)
    assert len(detections(db, "mot-2017")) == 100
    through = screened_through(log, mot)
    weighings = [p for p, _, _ in log.payloads(("WeighingRecorded",))]
    assert through == weighings[99]  # the last weighing of the committed batch
    result = rescreen(log, mot, after=through)
    assert result.appended == 400 and screened_through(log, mot) == log.head()[0] - 401
    assert detections(db, "mot-2017") == clean_run(tmp_path, [feed])


def test_weighings_ingested_while_a_rebuild_screens_are_screened_by_the_next_one(
    db: str, tmp_path: Path
) -> None:
    first, second = overweight(tmp_path / "a.csv", 300), overweight(tmp_path / "b.csv", 300, 300)
    log = EventLog(open_engine(db))
    ingest(log, [first])
    mot = loader.load("mot-2017")
    linfen = loader.load(None)

    def concurrent_ingest(_position: int) -> None:
        if not log.known({"weighing:LF-TS-01:300"}):  # an ingest under the default rulebook
            ingest(log, [second], screener=screener_for(log, linfen))

    rescreen(log, mot, batch=100, on_batch=concurrent_ingest)
    assert len(detections(db, "mot-2017")) == 300  # the run covers what it saw at its start
    code, out, _ = run(CliRunner(), db, "--rulebook", "mot-2017", "rebuild", "--format", "json")
    assert code == 0 and json.loads(out)["appended_detections"] == 300
    assert detections(db, "mot-2017") == clean_run(tmp_path, [first, second])
    assert len(detections(db, "linfen-2020")) == 300  # the ingest's own screener did its part


def test_an_ingest_that_died_before_evaluating_is_finished_by_running_it_again(
    runner: CliRunner, db: str
) -> None:
    files = [p for p in sorted(FIXTURES.iterdir()) if p.suffix in (".jsonl", ".csv")]
    log = EventLog(open_engine(db))
    ingest(log, files, screener=screener_for(log, loader.load(None)))  # committed, not evaluated
    assert not list(log.read(types=("EntityFlagged",)))
    code, out, err = run(runner, db, "verify")
    assert code == 0 and out.startswith("OK")
    assert "evaluation lags the log: the entries of linfen-2020@1 reflect it up to position 0" in err
    _, out, _ = run(runner, db, "verify", "--format", "json")
    assert json.loads(out)["evaluation_lag"]["checkpoint"] is None
    code, out, _ = run(runner, db, "ingest", "--format", "json", *map(str, files))
    assert json.loads(out)["totals"]["accepted"] == 0  # every row a duplicate ...
    assert list(log.read(types=("EntityFlagged",)))  # ... and the flags are there
    code, out, err = run(runner, db, "verify")
    assert code == 0 and "lags" not in err


def test_an_ingest_that_screened_every_weighing_after_the_last_marker_records_one(
    db: str, tmp_path: Path
) -> None:
    """The first rebuild after an ingest need not screen again what the ingest screened."""
    runner = CliRunner()
    run(runner, db, "ingest", str(overweight(tmp_path / "a.csv", 300)))
    assert markers(db, "linfen-2020") == 1
    code, out, _ = run(runner, db, "rebuild", "--format", "json")
    assert code == 0 and json.loads(out)["rescreened"] is False
    run(runner, db, "ingest", str(overweight(tmp_path / "b.csv", 200, 300)))
    assert markers(db, "linfen-2020") == 2  # continuous: the second ingest extends it
    code, out, _ = run(runner, db, "rebuild", "--format", "json")
    assert json.loads(out)["rescreened"] is False


def test_an_ingest_after_unscreened_weighings_records_no_marker(db: str, tmp_path: Path) -> None:
    """Weighings appended without this rulebook's screener (here: none at all) stay for the
    next rebuild to screen; a later ingest must not cover them with its marker."""
    log = EventLog(open_engine(db))
    ingest(log, [overweight(tmp_path / "a.csv", 100)])  # no screener
    runner = CliRunner()
    run(runner, db, "ingest", str(overweight(tmp_path / "b.csv", 100, 100)))
    assert markers(db, "linfen-2020") == 0
    code, out, _ = run(runner, db, "rebuild", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["rescreened"] is True and summary["appended_detections"] == 100
