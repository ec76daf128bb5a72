"""`overload todo` on the fixtures (issue 13): at three dates it lists exactly what this test
computes on its own from `list --all`, `cases`, `quarantine` and the log's events — not from
overload.worklist — with chinesecalendar counting the working days."""

import json
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from typer.testing import CliRunner

from overload import clock
from overload.cli.app import app
from tests.conftest import FIXTURES
from tests.documents import write_settings
from tests.e2e.test_chinese_console import english_words

D = date.fromisoformat
BEIJING = ZoneInfo("Asia/Shanghai")
BY = ("--by", "审核员")
# Notice 8 items (四)-(十) (domain.md §3): any other code grounds nothing.
NOTICE_8 = {"illegal-modification", "instructing-driver", "permit-fraud", "refusing-inspection",
            "obstruction", "serious-accident", "violence"}
GRACE, SOON, EXPIRING, OLDER_THAN, PUBLICITY = 5, 7, 30, 30, 10
DATES = ("2025-10-31", "2026-03-20", "2026-12-18")

@pytest.fixture(autouse=True)
def bureau_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A complete settings file: publication acts here are real acts, not drafts."""
    monkeypatch.setenv("OVERLOAD_CONFIG", str(write_settings(tmp_path / "bureau.toml")))



def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def procedure(runner: CliRunner, db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> str:
    """The fixtures ingested on 2025-07-01, a 公示, an objection (pending, then dismissed), a
    公告, a 公示 in 2026 with a correction, and a repair not yet made public."""
    # The clock patched, not frozen: freezegun's dates do not serialize into the projection.
    monkeypatch.setattr(clock, "now", lambda: datetime(2025, 7, 1, 2, tzinfo=UTC))
    run(runner, db, "ingest", str(FIXTURES))
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 1, 2, tzinfo=UTC))
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    steps = [
        ("publish", "--on", "2025-10-20", "--out", str(tmp_path / "a"), *BY),
        ("objection", "file", "E40B07AF95F", "--on", "2025-10-22", "--note", "异议", *BY),
        ("objection", "decide", "E40B07AF95F-O1", "--on", "2025-11-05", "--dismissed",
         "--note", "驳回", *BY),
        ("publish", "--on", "2025-11-20", "--out", str(tmp_path / "b"), *BY),
        ("publish", "--on", "2026-06-30", "--out", str(tmp_path / "c"), *BY),
        ("repair", "EAB593E61B7", "--on", "2026-11-25", "--document", "信修〔2026〕1号", *BY),
    ]
    for step in steps:
        code, out = run(runner, db, *step)
        assert code == 0, out
    return db


def working_after(day: date, count: int) -> date:
    """The count-th working day after `day` (chinesecalendar; Monday-Friday where it has none)."""
    while count:
        day += timedelta(days=1)
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            working = day.weekday() < 5
        count -= working
    return day


def owed(since: date, day: date) -> str:
    return "overdue" if day > working_after(since, GRACE) else "due"


def expected(runner: CliRunner, db: str, day: date,
             monkeypatch: pytest.MonkeyPatch) -> set[tuple[Any, ...]]:
    """(kind, entry or subject id, urgency, due_on) of every item, computed independently."""
    _, out = run(runner, db, "list", "--all", "--as-of", str(day), "--format", "json")
    rows = json.loads(out)
    _, out = run(runner, db, "log", "--format", "json")
    events = json.loads(out)
    acts = [e["payload"] for e in events if e["type"] == "PublicationMade"
            and D(e["payload"]["published_on"]) <= day]
    filed = {e["payload"]["objection_id"]: D(e["payload"]["filed_on"])
             for e in events if e["type"] == "ObjectionFiled"}
    dismissed = defaultdict(list)
    for e in events:
        if e["type"] == "ObjectionDecided" and not e["payload"]["upheld"]:
            dismissed[e["payload"]["entry_id"]].append(D(e["payload"]["decided_on"]))
    revoked = {e["payload"]["case_no"]: D(e["payload"]["revoked_on"])
               for e in events if e["type"] == "PenaltyRevoked"}
    found: set[tuple[Any, ...]] = set()
    for row in rows:
        entry, status = row["entry_id"], row["status"]
        ope = D(row["objection_period_ends"]) if row["objection_period_ends"] else None
        pending = re.fullmatch(r"objection (\S+) pending", row["next"] or "")
        if status == "flagged":
            found.add(("announce", entry, owed(D(row["tripped_on"]), day), row["tripped_on"]))
        if pending:
            since = filed[pending[1]]
            found.add(("objection", entry, owed(since, day), str(since)))
        if status == "announced" and ope and day <= ope <= day + timedelta(days=SOON):
            found.add(("period_ends", entry, "due" if ope == day else "soon", str(ope)))
        if status == "announced" and ope and ope < day and not pending:
            since = max([ope + timedelta(days=1),
                         *(d for d in dismissed[entry] if d <= day)])
            found.add(("list", entry, owed(since, day), str(since)))
        public = row["announced_on"] and D(row["announced_on"]) <= day
        listed = {"expired": "ended", "repaired": "ended", "withdrawn": "corrected",
                  "rejected": "not_listed"}
        if public and status in listed and not any(
                entry in a[listed[status]] and entry not in a.get("revised", {}) for a in acts):
            when = D(row["ended_on"])
            found.add(("make_public", entry, owed(when, day), str(when)))
        if public and status in ("announced", "listed"):
            told = {c for a in acts for c in a.get("revised", {}).get(entry, ())}
            new = [revoked[c] for c in row["evidence"]
                   if c in revoked and revoked[c] <= day and c not in told]
            if new:
                found.add(("make_public", entry, owed(max(new), day), str(max(new))))
        if status == "listed" and D(row["repair_from"]) <= day:
            found.add(("repair_possible", entry, "info", row["repair_from"]))
        if status == "listed":
            expires = D(row["display_until"]) + timedelta(days=1)
            if day < expires <= day + timedelta(days=EXPIRING):
                found.add(("expiry", entry, "soon", str(expires)))
    monkeypatch.setattr(clock, "today", lambda: day)  # cases counts ages and revocations to it
    _, out = run(runner, db, "cases", "--format", "json")
    for case in json.loads(out)["cases"]:
        weighed = D(case["weighed_on"])
        parties = [case[p] for p in ("vehicle", "driver", "enterprise", "source_unit")]
        if (day - weighed).days >= OLDER_THAN and {"open", "unknown"} & set(parties):
            found.add(("backlog", case["plate"], "overdue",
                       str(weighed + timedelta(days=OLDER_THAN))))
    _, out = run(runner, db, "quarantine", "--format", "json")
    first: dict[str, date] = {}
    for q in json.loads(out):
        recorded = datetime.fromisoformat(q["recorded_at"]).replace(tzinfo=UTC).astimezone(
            BEIJING).date() if "+" not in q["recorded_at"] else datetime.fromisoformat(
            q["recorded_at"]).astimezone(BEIJING).date()
        if recorded <= day:
            first[q["file"]] = min(first.get(q["file"], recorded), recorded)
    found |= {("quarantine", file, "due", str(on)) for file, on in first.items()}
    for e in events:
        p = e["payload"]
        if e["type"] == "SeriousConductRecorded":
            occurred = datetime.fromisoformat(p["occurred_at"]).astimezone(BEIJING).date()
            if occurred <= day and (not p.get("decided_on") or p["conduct"] not in NOTICE_8):
                found.add(("conduct", p["subject_id"], "due", str(occurred)))
    for offset in range(SOON + 1):
        act_on = day + timedelta(days=offset)
        for year in range(act_on.year, working_after(act_on, PUBLICITY).year + 1):
            try:
                chinese_calendar.is_workday(date(year, 1, 2))
            except NotImplementedError:
                if not any(f[0] == "calendar" and f[1] == str(year) for f in found):
                    found.add(("calendar", str(year), "due" if act_on == day else "soon",
                               str(act_on)))
    return found


def listed_by_todo(runner: CliRunner, db: str, day: date) -> tuple[int, dict[str, Any]]:
    code, out = run(runner, db, "todo", "--on", str(day), "--format", "json")
    return code, json.loads(out)


@pytest.mark.parametrize("on", DATES)
def test_todo_on_the_fixtures_lists_exactly_what_the_procedure_leaves_to_do(
    runner: CliRunner, procedure: str, monkeypatch: pytest.MonkeyPatch, on: str,
) -> None:
    day = D(on)
    want = expected(runner, procedure, day, monkeypatch)
    code, document = listed_by_todo(runner, procedure, day)
    got = {(i["kind"], i["entry_id"] or i["subject_id"], i["urgency"], i["due_on"])
           for i in document["items"]}
    assert got == want
    assert len(got) == len(document["items"])  # no item twice
    assert code == (3 if any(w[2] == "overdue" for w in want) else 0) == document["exit_code"]
    assert document["on"] == on


def test_the_three_dates_see_the_procedure_move(
    runner: CliRunner, procedure: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dates were chosen to show its parts: a pending objection and a period ending, then
    the 2026 trips to announce, then a repair possible and a calendar year missing."""
    kinds = {on: {i["kind"] for i in listed_by_todo(runner, procedure, D(on))[1]["items"]}
             for on in DATES}
    assert {"objection", "period_ends", "backlog", "quarantine"} <= kinds["2025-10-31"]
    assert {"announce", "backlog", "quarantine"} <= kinds["2026-03-20"]
    assert {"repair_possible", "calendar", "make_public"} <= kinds["2026-12-18"]
    assert "conduct" not in kinds["2026-12-18"]  # the fixtures' conduct record is complete


def test_an_empty_log_has_nothing_to_do_and_exits_0(runner: CliRunner, db: str) -> None:
    run(runner, db, "ingest", str(FIXTURES / "01-registry.jsonl"))
    code, out = run(runner, db, "todo", "--on", "2026-03-01")
    assert code == 0 and "Nothing to do on 2026-03-01." in out


def test_a_table_in_chinese_names_the_kinds_and_a_csv_keeps_the_keys(
    runner: CliRunner, procedure: str,
) -> None:
    code, out = run(runner, procedure, "--lang", "zh_CN", "todo", "--on", "2025-10-31")
    assert code == 3
    assert "待办事项" in out and "异议待决定" in out and "已逾期" in out
    assert "overdue" not in out and "backlog" not in out
    _, csv_out = run(runner, procedure, "todo", "--on", "2025-10-31", "--format", "csv", "--keys")
    assert csv_out.lstrip("\ufeff").startswith("kind,urgency,overdue,due_on,age_days,entry_id")


def test_a_negative_number_of_days_is_a_one_line_error(runner: CliRunner, db: str) -> None:
    run(runner, db, "ingest", str(FIXTURES / "01-registry.jsonl"))
    code, out = run(runner, db, "todo", "--older-than", "-1")
    assert code == 2 and "--older-than" in out


@pytest.mark.parametrize("width", [80, 160])
def test_in_chinese_the_only_english_is_the_commands_to_type(
    runner: CliRunner, procedure: str, width: int,
) -> None:
    document = listed_by_todo(runner, procedure, D("2026-12-18"))[1]
    typed = {w for i in document["items"] for w in english_words(i["command"])}
    result = runner.invoke(app, ["--db", procedure, "--lang", "zh_CN", "todo", "--on",
                                 "2026-12-18"], env={"COLUMNS": str(width)})
    assert result.exit_code == 3
    # the library by its name, and the feed field the record lacks (decided_on)
    assert set(english_words(result.output)) <= typed | {"chinesecalendar", "decided", "on"}
    for item in document["items"]:  # identifiers whole on one line
        assert item["subject_id"] in result.output and item["due_on"] in result.output
