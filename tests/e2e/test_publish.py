"""Publication (issue 5): deterministic files, masked personal data, escaped HTML, notices."""

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload.cli.app import app
from overload.store.db import open_engine
from overload.store.log import EventLog
from tests.builders import company, person
from tests.conftest import FIXTURES

PUBLIC_PREFIXES = ("list.", "changes.", "notices/公告-", "notices/更正公告-")


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def loaded(runner: CliRunner, db: str) -> str:
    run(runner, db, "ingest", str(FIXTURES))
    return db


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_publish_writes_the_list_changes_and_notices(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    code, _ = run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "o"))
    assert code == 0
    written = files(tmp_path / "o")
    assert {"list.csv", "list.json", "list.md", "list.html", "changes.json", "changes.md"} <= set(
        written)
    rows = json.loads(written["list.json"])
    _, listed = run(runner, loaded, "list", "--as-of", "2026-06-30", "--format", "json")
    expected = [r["entry_id"] for r in json.loads(listed) if r["status"] == "listed"]
    assert sorted(r["entry_id"] for r in rows) == sorted(expected)
    kinds = {name.split("/")[1].split("-")[0] for name in written if name.startswith("notices/")}
    assert kinds == {"告知书", "公告", "更正公告"}
    for name, data in written.items():
        assert b"None" not in data, name


def test_the_same_log_and_date_give_byte_identical_files(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "a"))
    run(runner, loaded, "publish", "--period", "2026-Q2", "--out", str(tmp_path / "b"))
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_the_publication_is_an_event_with_the_files_hashes_and_the_head_it_was_made_from(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    head_before = EventLog(open_engine(loaded)).head()
    run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "o"))
    _, out = run(runner, loaded, "log", "--type", "ListPublished", "--format", "json")
    [event] = json.loads(out)
    payload = event["payload"]
    assert (payload["head_position"], payload["head_hash"]) == head_before
    assert payload["files"] == {n: hashlib.sha256(d).hexdigest()
                                for n, d in files(tmp_path / "o").items()}
    _, out = run(runner, loaded, "log", "--type", "EntryListed", "--format", "json")
    assert len(json.loads(out)) == len(payload["listed_entries"])


def test_a_later_publication_reports_what_changed_since_the_previous_one(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    run(runner, loaded, "publish", "--as-of", "2026-04-30", "--out", str(tmp_path / "april"))
    run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "june"))
    changes = json.loads((tmp_path / "june" / "changes.json").read_text())
    assert changes["since"] == "2026-04-30"
    first = json.loads((tmp_path / "april" / "list.json").read_text())
    second = json.loads((tmp_path / "june" / "list.json").read_text())
    added = {r["entry_id"] for r in second} - {r["entry_id"] for r in first}
    assert {a["entry_id"] for a in changes["added"]} == added
    assert [c["on"] for c in changes["corrected"]] == ["2026-06-02", "2026-06-02"]
    notices = [n for n in files(tmp_path / "june") if n.startswith("notices/告知书-")]
    assert notices and all("2026-04-30" < _tripped(tmp_path / "june" / n) for n in notices)


def _tripped(path: Path) -> str:
    text = path.read_text()
    return text.split("自 ")[1][:10]


def test_a_published_vehicle_leaves_the_list_when_withdrawn_and_changes_say_why(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    run(runner, loaded, "publish", "--as-of", "2026-05-31", "--out", str(tmp_path / "may"))
    may = {r["entry_id"] for r in json.loads((tmp_path / "may" / "list.json").read_text())}
    run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "june"))
    changes = json.loads((tmp_path / "june" / "changes.json").read_text())
    ended = {e["entry_id"]: e for e in changes["ended"]}
    assert ended and set(ended) <= may
    assert all(e["status"] == "withdrawn" and "revoked" in e["reason"] for e in ended.values())


def _privacy_feed(path: Path, drivers: list[tuple[str, str]]) -> None:
    lines = []
    for driver_id, name in drivers:
        lines.append({"type": "driver_registered", "driver_id": driver_id, "name": name})
    case = 0
    for n, (driver_id, _) in enumerate(drivers):
        for k, day in enumerate(["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-06"]):
            case += 1
            lines.append({"type": "penalty_decided", "case_no": f"P-{case}",
                          "plate": f"晋L{20000 + n * 4 + k}", "violation_at": f"{day}T09:00:00",
                          "decided_on": day, "driver_id": driver_id})
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")


def test_public_files_never_show_a_full_id_number_or_a_full_driver_name(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    surnames, given = "王李张刘陈杨赵黄周吴欧阳司马", "建国明华军强伟平芳丽红兵海东志"
    drivers = [(person(100 + i), surnames[i % 14] + given[i % 15] + given[(i * 7) % 15][: i % 2])
               for i in range(24)]
    feed = tmp_path / "drivers.jsonl"
    _privacy_feed(feed, drivers)
    assert run(runner, db, "ingest", str(feed))[0] == 0
    out = tmp_path / "out"
    run(runner, db, "publish", "--as-of", "2026-06-30", "--out", str(out))
    published = files(out)
    public = {n: d.decode() for n, d in published.items() if n.startswith(PUBLIC_PREFIXES)}
    assert len(json.loads(public["list.json"])) == 24
    for name, text in public.items():
        for driver_id, full_name in drivers:
            assert driver_id not in text, (name, driver_id)
            assert full_name not in text, (name, full_name)
    notices = {n: d.decode() for n, d in published.items() if n.startswith("notices/告知书-")}
    assert any(drivers[0][0] in text for text in notices.values())  # the subject's own notice


def _hostile_feed(path: Path) -> str:
    code = company(77)
    name = "<script>alert('x')</script>|*危险*物流"
    lines = [
        {"type": "enterprise_registered", "enterprise_id": code, "name": name,
         "registered_on": "2015-01-01"},
        {"type": "suspension_ordered", "enterprise_id": code, "order_no": "'; DROP TABLE event; --",
         "ordered_on": "2026-03-02", "authority": "<b>局</b>"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    return name


def test_html_and_markdown_escape_names_from_feeds(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    feed = tmp_path / "hostile.jsonl"
    name = _hostile_feed(feed)
    run(runner, db, "ingest", str(feed))
    run(runner, db, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "out"))
    html = (tmp_path / "out" / "list.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>局</b>" not in html
    markdown = (tmp_path / "out" / "list.md").read_text()
    assert "\\<script\\>" in markdown and "\\|\\*危险\\*物流" in markdown
    assert json.loads((tmp_path / "out" / "list.json").read_text())[0]["enterprise_name"] == name
    assert EventLog(open_engine(db)).count() > 2  # the table is still there


def test_a_bureau_can_replace_a_template_and_missing_fields_show_a_placeholder(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "notice.md.j2").write_text(
        "告知书 {{ entry_id }} 送达地址：{{ address }} 机关：{{ authority }}\n", encoding="utf-8")
    run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(tmp_path / "out"),
        "--templates", str(templates))
    notices = [p for p in (tmp_path / "out" / "notices").iterdir() if p.name.startswith("告知书")]
    text = notices[0].read_text()
    assert text.startswith("告知书 E") and "送达地址：〔未提供〕" in text


def test_publish_needs_exactly_one_date(runner: CliRunner, loaded: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", loaded, "publish", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--as-of" in result.output
    result = runner.invoke(app, ["--db", loaded, "publish", "--period", "2026-13",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 2 and "YYYY-Qn" in result.output


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_html_list_renders_in_headless_chromium_with_one_row_per_entry(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(runner, loaded, "publish", "--as-of", "2026-06-30", "--out", str(out))
    rows = json.loads((out / "list.json").read_text())
    page = (out / "list.html").as_uri()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    body = dom.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == len(rows) > 0
    assert all(r["subject"].split("（")[0] in dom for r in rows if r["plate"])
    screenshot = Path(__file__).resolve().parents[2] / "out" / "list.png"
    screenshot.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--window-size=1400,900",
             f"--screenshot={screenshot}", page],
            capture_output=True, timeout=120, check=True,
        )
    assert screenshot.stat().st_size > 10_000


def test_a_broken_template_or_an_unwritable_folder_is_a_one_line_error(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "notice.md.j2").write_text("line one\n{% for x in %}\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", loaded, "publish", "--as-of", "2026-06-30", "--out",
                                 str(tmp_path / "o"), "--templates", str(templates)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "template notice.md.j2, line 2" in result.output
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = runner.invoke(app, ["--db", loaded, "publish", "--as-of", "2026-06-30", "--out",
                                 str(blocked / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(blocked) in result.output
