"""The drop folder under attack (issue 14 items 1 and 5) and saying what it did (issue 13)."""

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from typer.testing import CliRunner

from overload.cli.app import app
from overload.feeds.ingest import IngestReport, ingest_opened
from overload.feeds.watch import IngestFile, process, refused, scan
from overload.store.db import open_engine
from overload.store.log import EventLog

GOOD = ('{"type": "vehicle_deregistered", "plate": "晋L54321", '
        '"deregistered_on": "2026-01-01"}\n')
DEEP = ('{"type": "vehicle_deregistered", "plate": "晋L54322", "deregistered_on": "2026-01-01", '
        '"x": ' + "[" * 300 + "]" * 300 + "}\n")


def drop(folder: Path, name: str, text: str, age_seconds: float = 3600) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (path.stat().st_mtime - age_seconds,) * 2)
    return path


def watch(db: str, folder: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", db, "watch", str(folder), "--once", "--settle", "0",
                                      *options])
    return result.exit_code, result.stdout


def report(folder: Path, name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((folder / f"{name}.report.json").read_text("utf-8"))
    return value


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The drop folder: beside the test's database, not around it."""
    path = tmp_path / "drop"
    path.mkdir()
    return path


def taker(log: EventLog) -> IngestFile:
    return lambda path, handle, csv_type: ingest_opened(log, path, handle, csv_type=csv_type)


def test_the_deep_row_goes_to_failed_with_its_report_and_the_next_file_lands(
    folder: Path, db: str
) -> None:
    drop(folder, "a-deep.jsonl", GOOD + DEEP, age_seconds=7200)
    drop(folder, "b-good.jsonl", GOOD.replace("54321", "54323"))
    code, out = watch(db, folder)
    assert code == 1 and not (folder / "a-deep.jsonl").exists()
    failed = report(folder / "failed", "a-deep.jsonl")
    assert failed["totals"] == {"read": 2, "accepted": 1, "duplicate": 0, "quarantined": 1}
    assert "line 2: x: nested deeper than 32 levels" in failed["reasons"][0]
    assert report(folder / "done", "b-good.jsonl")["totals"]["accepted"] == 1
    assert "failed a-deep.jsonl -> failed/" in out and "done b-good.jsonl -> done/" in out


def test_an_unexpected_error_in_a_file_files_it_in_failed_and_the_next_file_lands(
    folder: Path, log: EventLog
) -> None:
    first = drop(folder, "a.jsonl", GOOD, age_seconds=7200)
    second = drop(folder, "b.jsonl", GOOD.replace("54321", "54323"))

    def fragile(path: Path, handle: BinaryIO, csv_type: str | None) -> IngestReport:
        if path.name == "a.jsonl":
            raise ZeroDivisionError("division by zero")
        return ingest_opened(log, path, handle, csv_type=csv_type)

    filed = [process(p, fragile) for p in (first, second)]
    assert [f.folder if f else None for f in filed] == ["failed", "done"]
    assert report(folder / "failed", "a.jsonl")["error"].endswith(
        "a.jsonl: internal error: ZeroDivisionError: division by zero")
    assert log.count() == 1


def test_a_symbolic_link_is_filed_in_failed_as_a_link_and_nothing_is_read(
    tmp_path: Path, db: str
) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret:19000:0:99999:7:::\n")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "passwords.jsonl").symlink_to(secret)
    drop(folder, "good.jsonl", GOOD)
    code, out = watch(db, folder)
    moved = folder / "failed" / "passwords.jsonl"
    assert code == 1 and moved.is_symlink() and os.readlink(moved) == str(secret)
    assert secret.read_text().startswith("root:")
    assert report(folder / "failed", "passwords.jsonl")["error"] == "refused: symbolic link"
    assert "refused passwords.jsonl -> failed/: symbolic link" in out
    log = EventLog(open_engine(db))
    assert log.quarantined() == [] and log.count() == 1


def test_a_link_swapped_in_after_the_scan_is_refused_unread(
    tmp_path: Path, folder: Path, log: EventLog
) -> None:
    secret = tmp_path / "secret.jsonl"
    secret.write_text(GOOD)
    link = folder / "drop.jsonl"
    link.symlink_to(secret)
    filed = process(link, taker(log))
    assert filed is not None and filed.report["error"] == "refused: symbolic link"
    assert log.count() == 0 and (folder / "failed" / "drop.jsonl").is_symlink()


def test_a_pipe_is_refused_without_blocking(folder: Path, log: EventLog) -> None:
    os.mkfifo(folder / "feed.csv")
    [seen] = scan(folder, 0, {os.geteuid()})
    assert (seen.status, seen.reason) == ("refused", "not a regular file (a pipe)")
    filed = process(folder / "feed.csv", taker(log))
    assert filed is not None and filed.folder == "failed"
    assert stat.S_ISFIFO(os.lstat(folder / "failed" / "feed.csv").st_mode)


def test_a_file_of_another_owner_is_refused_unless_named_with_owner(
    folder: Path, log: EventLog
) -> None:
    path = drop(folder, "a.jsonl", GOOD)
    other = os.geteuid() + 4242
    assert refused(os.lstat(path), {other}) == (
        f"owned by uid {os.geteuid()}, not an allowed owner (see --owner)")
    filed = process(path, taker(log), owners={other})
    assert filed is not None and filed.folder == "failed" and log.count() == 0
    path = drop(folder, "b.jsonl", GOOD)
    filed = process(path, taker(log), owners={other, os.geteuid()})
    assert filed is not None and filed.folder == "done" and log.count() == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_owner_option_takes_another_users_files(folder: Path, db: str) -> None:
    path = drop(folder, "a.jsonl", GOOD)
    os.chown(path, 54321, 54321)
    code, out = watch(db, folder)
    assert code == 1 and "owned by uid 54321" in out
    path = drop(folder, "b.jsonl", GOOD)
    os.chown(path, 54321, 54321)
    code, out = watch(db, folder, "--owner", "54321", "--owner", "root")
    assert code == 0 and "done b.jsonl -> done/" in out


def test_control_characters_in_a_name_never_reach_the_terminal_or_the_report_raw(
    folder: Path, db: str
) -> None:
    name = "evil\x1b[2J\nforged line\u202e.jsonl"
    drop(folder, name, GOOD)
    code, out = watch(db, folder)
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    assert "taken evil\\x1b[2J\\nforged line\\u202e.jsonl" in out
    assert all(re.match(r"\d{4}-\d\d-\d\dT", line) for line in out.splitlines())
    [written] = [p for p in (folder / "done").iterdir() if p.name.endswith(".report.json")]
    assert json.loads(written.read_text())["file"] == "evil\\x1b[2J\\nforged line\\u202e.jsonl"
    [event] = EventLog(open_engine(db)).read()
    assert "\n" not in event.source and "\\x1b" in event.source


def test_a_report_name_planted_as_a_link_is_neither_followed_nor_overwritten(
    tmp_path: Path, folder: Path, log: EventLog
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    (folder / "failed").mkdir()
    (folder / "failed" / "a.jsonl.report.json").symlink_to(victim)
    filed = process(drop(folder, "a.jsonl", "not json\n"), taker(log))
    assert filed is not None and filed.folder == "failed"
    assert victim.read_text() == "keep me"
    assert (folder / "failed" / "a.jsonl.1").exists()
    assert json.loads((folder / "failed" / "a.jsonl.1.report.json").read_text())["totals"][
        "quarantined"] == 1


def test_a_done_folder_that_is_a_link_stops_the_watcher_before_anything_moves(
    tmp_path: Path, db: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "done").symlink_to(elsewhere)
    drop(folder, "a.jsonl", GOOD)
    result = CliRunner().invoke(app, ["--db", db, "watch", str(folder), "--once"])
    assert result.exit_code == 2 and "not a folder" in result.stderr
    assert (folder / "a.jsonl").exists() and list(elsewhere.iterdir()) == []


def test_watch_says_what_it_skipped_and_why_and_exits_0_when_nothing_failed(
    folder: Path, db: str
) -> None:
    drop(folder, "a.jsonl.part", GOOD)
    drop(folder, "b.jsonl", GOOD, age_seconds=0)
    drop(folder, "c.jsonl", GOOD)
    (folder / "sub").mkdir()
    result = CliRunner().invoke(app, ["--db", db, "watch", str(folder), "--once",
                                      "--settle", "60"])
    lines = [line.split(" ", 1)[1] for line in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert lines == [
        "skipped a.jsonl.part: temporary name",
        "skipped b.jsonl: not settled yet",
        "skipped sub: a folder, not a file",
        "taken c.jsonl",
        "done c.jsonl -> done/: read 1, accepted 1, duplicate 0, quarantined 0",
    ]
    assert result.stdout.split(" ", 1)[0].endswith("+08:00")  # Beijing time, offset shown


def test_a_name_that_is_not_utf8_is_ingested_under_an_escaped_name(
    folder: Path, log: EventLog
) -> None:
    raw = os.path.join(os.fsencode(folder), b"station-\xff.jsonl")
    with open(raw, "wb") as handle:
        handle.write(GOOD.encode())
    path = Path(os.fsdecode(raw))
    filed = process(path, taker(log))
    assert filed is not None and filed.folder == "done" and filed.name == "station-\\udcff.jsonl"
    [event] = log.read()
    assert event.source.endswith("station-\\udcff.jsonl:1")


def test_an_unknown_owner_name_exits_2(folder: Path, db: str) -> None:
    result = CliRunner().invoke(app, ["--db", db, "watch", str(folder), "--once", "--owner",
                                      "no-such-user-here"])
    assert result.exit_code == 2 and "--owner: no user 'no-such-user-here'" in result.stderr
