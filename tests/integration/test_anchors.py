"""Issue 14.2: a log rewritten by someone who recomputes the hashes must not pass `verify`.

Each test plays a forger with write access to the database: the chain alone cannot tell, a head
written down before (an anchor, or a head the log recorded at a publication) can.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from overload.cli.app import app
from overload.store.db import open_engine
from overload.store.log import GENESIS, Pending, canonical_json, chain_hash
from tests.builders import penalty
from tests.conftest import FIXTURES
from tests.documents import write_settings

FORGED = "晋L66666"

@pytest.fixture(autouse=True)
def bureau_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A complete settings file: publication acts here are real acts, not drafts."""
    monkeypatch.setenv("OVERLOAD_CONFIG", str(write_settings(tmp_path / "bureau.toml")))



def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def rechain(db: str) -> None:
    """What a forger does after editing rows: recompute every hash from the genesis."""
    with open_engine(db).begin() as conn:
        rows = conn.execute(text("SELECT position, type, key, payload, event_at, recorded_at, "
                                 "source, hash FROM event ORDER BY position")).all()
        previous = GENESIS
        for position, kind, key, payload, event_at, recorded_at, source, stored in rows:
            fresh = chain_hash(previous, position, kind, key, payload, event_at, recorded_at,
                               source)
            if fresh != stored:
                conn.execute(text("UPDATE event SET hash = :h WHERE position = :p"),
                             {"h": fresh, "p": position})
            previous = fresh


def edit_first(db: str, kind: str, change: Callable[[dict[str, Any]], None]) -> int:
    """Change the payload of the first event of a type in place; returns its position."""
    with open_engine(db).begin() as conn:
        position, payload = conn.execute(text(
            "SELECT position, payload FROM event WHERE type = :t ORDER BY position LIMIT 1"),
            {"t": kind}).one()
        data = json.loads(payload)
        change(data)
        conn.execute(text("UPDATE event SET payload = :p WHERE position = :n"),
                     {"p": canonical_json(data), "n": position})
    return int(position)


def later_decision(payload: dict[str, Any]) -> None:
    payload["decided_on"] = "2025-12-31"


def sql(db: str, *statements: str) -> None:
    with open_engine(db).begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def take_anchor(runner: CliRunner, db: str) -> str:
    code, out = run(runner, db, "anchor", "--format", "json")
    assert code == 0
    return str(json.loads(out[: out.rindex("}") + 1])["anchor"])


@pytest.fixture
def loaded(runner: CliRunner, db: str) -> str:
    run(runner, db, "ingest", str(FIXTURES))
    return db


def listed_plates(runner: CliRunner, db: str) -> set[str]:
    result = runner.invoke(app, ["--db", db, "list", "--as-of", "2026-06-30", "--format", "json"])
    return {row["subject_id"] for row in json.loads(result.stdout)}


def test_the_anchor_command_prints_the_head_that_verify_reports(
    runner: CliRunner, loaded: str
) -> None:
    token = take_anchor(runner, loaded)
    code, out = run(runner, loaded, "verify", "--format", "json")
    verdict = json.loads(out[: out.rindex("}") + 1])
    assert code == 0 and verdict["anchor"] == token
    assert token == f"{verdict['head_hash']}@{verdict['events']}"
    code, out = run(runner, loaded, "verify", "--anchor", token)
    assert code == 0 and f"anchor {token} (command line): contained in the log" in out


def test_forged_decisions_slipped_in_before_an_anchor_are_caught_by_it(
    runner: CliRunner, loaded: str
) -> None:
    token = take_anchor(runner, loaded)
    # Four decisions for a plate that never offended, placed among the old rows so that they
    # look as old as the anchor, every later row moved up and every hash recomputed.
    forged = [Pending.of(penalty(FORGED, day, case=f"伪〔2026〕{n}号"), "05-penalties.jsonl:99")
              for n, day in enumerate(["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"])]
    sql(loaded, "UPDATE event SET position = position + 1000000 WHERE position >= 100",
        "UPDATE event SET position = position - 1000000 + 4 WHERE position >= 1000000")
    with open_engine(loaded).begin() as conn:
        for offset, p in enumerate(forged):
            conn.execute(text(
                "INSERT INTO event (position, type, key, payload, content_hash, event_at, "
                "recorded_at, source, subjects, hash) VALUES (:position, :type, :key, :payload, "
                ":content_hash, :event_at, '2026-11-28T10:00:00.000000+00:00', :source, "
                ":subjects, '')"),
                {"position": 100 + offset, "type": p.type, "key": p.key, "payload": p.payload,
                 "content_hash": p.content_hash, "event_at": p.event_at, "source": p.source,
                 "subjects": p.subjects})
    rechain(loaded)
    run(runner, loaded, "rebuild")
    assert FORGED in listed_plates(runner, loaded)
    code, out = run(runner, loaded, "verify")
    assert code == 0 and out.startswith("OK")  # the chain alone cannot tell
    code, out = run(runner, loaded, "verify", "--anchor", token)
    position = token.rpartition("@")[2]
    assert code == 1
    assert f"anchor {token} (command line): the row at position {position} now has hash" in out
    assert "rewritten" in out


def test_a_chain_recomputed_from_some_position_on_is_caught_by_an_earlier_anchor(
    runner: CliRunner, loaded: str
) -> None:
    token = take_anchor(runner, loaded)
    edit_first(loaded, "PenaltyDecided", later_decision)
    rechain(loaded)
    assert run(runner, loaded, "verify")[0] == 0
    code, out = run(runner, loaded, "verify", "--anchor", token, "--format", "json")
    verdict = json.loads(out[: out.rindex("}") + 1])
    assert code == 1 and verdict["ok"] is False
    [anchor] = verdict["anchors"]
    assert anchor["ok"] is False and "rewritten" in anchor["problem"]


def test_deleting_the_last_rows_is_caught_by_an_anchor(runner: CliRunner, loaded: str) -> None:
    token = take_anchor(runner, loaded)
    head = int(token.rpartition("@")[2])
    sql(loaded, f"DELETE FROM event WHERE position > {head - 3}")
    assert run(runner, loaded, "verify")[0] == 0  # what is left still chains
    code, out = run(runner, loaded, "verify", "--anchor", token)
    assert code == 1
    assert f"position {head} is not in the log, which ends at {head - 3}: the log was truncated" in out


def test_a_head_recorded_by_a_publication_catches_a_rewrite_without_any_anchor(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    published, _ = run(runner, loaded, "publish", "--on", "2026-06-30", "--by", "张三",
                       "--out", str(tmp_path / "out"))
    assert published == 0
    code, out = run(runner, loaded, "verify")
    assert code == 0 and "recorded heads: 1 checked, all still in the log" in out
    edit_first(loaded, "PenaltyDecided", later_decision)
    rechain(loaded)
    code, out = run(runner, loaded, "verify", "--format", "json")
    verdict = json.loads(out[: out.rindex("}") + 1])
    assert code == 1 and verdict["ok"] is False
    [recorded] = verdict["recorded_heads"]
    assert recorded["source"].startswith("PublicationMade at position")
    assert "rewritten at or before position" in recorded["problem"]


def test_a_recorded_head_that_no_longer_matches_fails_verify(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    published, _ = run(runner, loaded, "publish", "--on", "2026-06-30", "--by", "张三",
                       "--out", str(tmp_path / "out"))
    assert published == 0
    other = "f" * 64
    edit_first(loaded, "PublicationMade", lambda payload: payload.update(head_hash=other))
    rechain(loaded)
    code, out = run(runner, loaded, "verify")
    assert code == 1
    assert f"records head {other}@" in out and "now has hash" in out


def test_rows_appended_after_the_newest_anchor_are_not_covered_by_it(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    """What anchors do not prove (the README says so): the rows after the newest one."""
    token = take_anchor(runner, loaded)
    feed = tmp_path / "late.jsonl"
    feed.write_text(json.dumps({"type": "penalty_revoked", "case_no": "X", "reason": "x",
                                "revoked_on": "2026-01-01"}) + "\n", encoding="utf-8")
    run(runner, loaded, "ingest", str(feed))
    assert run(runner, loaded, "verify", "--anchor", token)[0] == 0


def test_bad_anchors_are_one_line_errors(runner: CliRunner, loaded: str, tmp_path: Path) -> None:
    empty = tmp_path / "list.json"
    empty.write_text("[]\n", encoding="utf-8")
    for value, message in (
        ("abc@12", "neither HASH@POSITION nor a readable file"),
        (str(empty), "no anchor (HASH@POSITION) found in the file"),
    ):
        result = runner.invoke(app, ["--db", loaded, "verify", "--anchor", value])
        assert result.exit_code == 2 and message in result.output
        assert "Traceback" not in result.output


def test_an_anchor_before_the_first_row_or_at_a_missing_row_is_reported(
    runner: CliRunner, loaded: str
) -> None:
    assert run(runner, loaded, "verify", "--anchor", f"{GENESIS}@0")[0] == 0
    code, out = run(runner, loaded, "verify", "--anchor", f"{'a' * 64}@999999")
    assert code == 1 and "the log was truncated" in out
