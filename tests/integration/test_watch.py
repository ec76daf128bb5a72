"""The drop folder (issue 4): complete files only, filed with a report, safe to kill."""

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from overload.feeds.ingest import ingest_opened
from overload.feeds.watch import IngestFile, process, ready, type_from_name
from overload.store.log import EventLog
from tests.conftest import ROOT


def taker(log: EventLog) -> IngestFile:
    """What the watcher does with a file it has opened and checked: ingest it."""
    return lambda path, handle, csv_type: ingest_opened(log, path, handle, csv_type=csv_type)


def drop(folder: Path, name: str, text: str, age_seconds: float = 3600) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    past = time.time() - age_seconds
    os.utime(path, (past, past))
    return path


WEIGHING = ("station_id,record_id,plate,axles,gross_kg,weighed_at\n"
            "LF-TS-01,1,晋L12345,2,19000,2026-01-05T10:00:00\n")


def test_temporary_names_and_files_still_changing_are_not_taken(tmp_path: Path) -> None:
    drop(tmp_path, "weighing-a.csv.part", WEIGHING)
    drop(tmp_path, ".weighing-b.csv", WEIGHING)
    fresh = drop(tmp_path, "weighing-c.csv", WEIGHING, age_seconds=0)
    assert ready(tmp_path, settle_seconds=30) == []
    os.utime(fresh, (time.time() - 31, time.time() - 31))
    assert ready(tmp_path, settle_seconds=30) == [fresh]


def test_a_csv_takes_its_type_from_the_file_name() -> None:
    assert type_from_name("weighing-LF01-20260105.csv") == "weighing"
    assert type_from_name("vehicle_deregistered_2026.csv") == "vehicle_deregistered"
    assert type_from_name("penalties.csv") is None


def test_a_file_is_ingested_and_moved_to_done_with_a_report(tmp_path: Path, log: EventLog) -> None:
    path = drop(tmp_path, "weighing-LF01.csv", WEIGHING)
    filed = process(path, taker(log))
    assert filed is not None and filed.folder == "done"
    assert not path.exists() and (tmp_path / "done" / "weighing-LF01.csv").exists()
    report = json.loads((tmp_path / "done" / "weighing-LF01.csv.report.json").read_text())
    assert report["totals"] == {"read": 1, "accepted": 1, "duplicate": 0, "quarantined": 0}


def test_a_file_that_cannot_be_read_goes_to_failed_with_the_reason(
    tmp_path: Path, log: EventLog
) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes("{\"type\": \"司机\"}\n".encode("gbk"))
    os.utime(path, (0, 0))
    filed = process(path, taker(log))
    assert filed is not None and filed.folder == "failed"
    report = json.loads((tmp_path / "failed" / "feed.jsonl.report.json").read_text())
    assert "not UTF-8" in report["error"] and report["exit_code"] == 2


def test_a_file_with_quarantined_rows_goes_to_failed_and_its_good_rows_land(
    tmp_path: Path, log: EventLog
) -> None:
    bad = WEIGHING + "LF-TS-01,2,晋Z1,2,19000,2026-01-05T10:00:00\n"
    filed = process(drop(tmp_path, "weighing-x.csv", bad), taker(log))
    assert filed is not None and filed.folder == "failed"
    assert filed.report["totals"]["accepted"] == 1 and filed.report["totals"]["quarantined"] == 1


def test_the_same_name_sent_again_never_overwrites_an_earlier_file(
    tmp_path: Path, log: EventLog
) -> None:
    for _ in range(2):
        process(drop(tmp_path, "weighing-x.csv", WEIGHING), taker(log))
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == [
        "weighing-x.csv", "weighing-x.csv.1", "weighing-x.csv.1.report.json",
        "weighing-x.csv.report.json",
    ]


def test_a_file_locked_by_another_watcher_is_left_alone(tmp_path: Path, log: EventLog) -> None:
    path = drop(tmp_path, "weighing-x.csv", WEIGHING)
    with path.open("rb") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert process(path, taker(log)) is None
    assert path.exists() and log.count() == 0


def _big_feed(path: Path, rows: int) -> None:
    lines = ["station_id,record_id,plate,axles,gross_kg,weighed_at"]
    lines += [f"LF-TS-01,{i},晋L{10000 + i % 80000:05d},2,{17000 + i % 3000},2026-01-05T10:00:00"
              for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.utime(path, (0, 0))


def _feed_keys(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [k for (k,) in conn.execute(
            "SELECT key FROM event WHERE type = 'WeighingRecorded' ORDER BY key")]


def test_a_watcher_killed_in_the_middle_of_a_file_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    _big_feed(folder / "weighing-big.csv", 60_000)
    db = tmp_path / "watch.db"
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "watch", str(folder),
               "--once", "--settle", "0"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=0.1) as conn:
                    if conn.execute("SELECT count(*) FROM event").fetchone()[0] > 0:
                        break
            except sqlite3.OperationalError:
                continue
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    partial = len(_feed_keys(db))
    assert 0 < partial < 60_000 and (folder / "weighing-big.csv").exists()

    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert (folder / "done" / "weighing-big.csv").exists()
    report = json.loads((folder / "done" / "weighing-big.csv.report.json").read_text())
    assert report["totals"]["duplicate"] == partial
    assert report["totals"]["accepted"] == 60_000 - partial

    clean = tmp_path / "clean.db"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(clean), "ingest",
                    "--type", "weighing", str(folder / "done" / "weighing-big.csv")], check=True,
                   stdout=subprocess.DEVNULL)
    assert _feed_keys(db) == _feed_keys(clean)


def test_a_long_running_screener_learns_registrations_appended_since_it_last_read(
    log: EventLog,
) -> None:
    from overload.events import VehicleRegistered
    from overload.rulebook import loader
    from overload.screening.screen import screener_for
    from overload.store.log import Pending

    screener = screener_for(log, loader.load())
    weighing = {"station_id": "S", "record_id": "1", "plate": "晋L12345", "axles": 3,
                "gross_kg": 26_000, "weighed_at": "2026-01-05T10:00:00+08:00"}
    assert screener.screen(weighing) is None  # 3 axles default to a combination: 27 t
    rigid = VehicleRegistered.model_validate({"plate": "晋L12345", "axles": 3, "kind": "rigid",
                                              "registered_on": "2020-01-01"})
    log.write([Pending.of(rigid, "registry.jsonl:1")])
    assert screener.catch_up(log).screen(weighing) is not None  # rigid: 25 t
