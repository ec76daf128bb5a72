"""Publication acts (issue 11): the files of an act, document numbers, the log head, privacy,
escaping, templates; the procedure's own boundaries are in tests/integration/test_lifecycle.py."""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from overload import clock
from overload.cli.app import app
from overload.store.db import open_engine
from overload.store.log import EventLog
from tests.builders import company, person
from tests.conftest import FIXTURES
from tests.documents import readable_text, write_settings

BY = ("--by", "审核员")


@pytest.fixture(autouse=True)
def bureau(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every act here is a final act of a bureau whose settings are complete."""
    path = write_settings(tmp_path / "bureau.toml")
    monkeypatch.setenv("OVERLOAD_CONFIG", str(path))
    return path


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


def publish(runner: CliRunner, db: str, on: str, out: Path, *extra: str) -> tuple[int, str]:
    return run(runner, db, "publish", "--on", on, "--out", str(out), *BY, *extra)


def acts(runner: CliRunner, db: str) -> list[dict[str, Any]]:
    _, out = run(runner, db, "log", "--type", "PublicationMade", "--format", "json")
    return [e["payload"] for e in json.loads(out)]


def test_an_act_writes_a_public_and_a_private_folder_named_by_document_numbers(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    code, _ = publish(runner, loaded, "2026-03-25", tmp_path / "o")
    assert code == 0
    written = files(tmp_path / "o")
    public = {n.split("/", 1)[1] for n in written if n.startswith("public/")}
    private = {n.split("/", 1)[1] for n in written if n.startswith("to-subjects/")}
    assert {"名单.json", "名单.csv", "名单.html", "名单.md", "名单.xlsx", "changes.json",
            "变更说明.md", "公示-临交信示〔2026〕1号.html", "公示-临交信示〔2026〕1号.md"} == public
    [act] = acts(runner, loaded)
    assert len(private) == 2 * len(act["announced"]) > 0
    assert {"告知书-临交信告〔2026〕1号.html", "告知书-临交信告〔2026〕1号.docx"} <= private
    assert oct((tmp_path / "o" / "to-subjects").stat().st_mode & 0o777) == "0o700"
    assert all(oct(p.stat().st_mode & 0o777) == "0o600"
               for p in (tmp_path / "o" / "to-subjects").iterdir())
    _, listed = run(runner, loaded, "list", "--as-of", "2026-03-25", "--format", "json")
    announced = [r for r in json.loads(listed) if r["status"] == "announced"]
    assert {r["entry_id"] for r in announced} == set(act["announced"])
    assert {r["announced_on"] for r in announced} == {"2026-03-25"}
    assert {r["announcement_no"] for r in announced} == {"临交信示〔2026〕1号"}
    for name, data in written.items():
        assert b"None" not in data, name


def test_the_log_head_the_act_saw_is_in_the_event_the_json_and_the_footers(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    head_before = EventLog(open_engine(loaded)).head()
    publish(runner, loaded, "2026-03-25", tmp_path / "o")
    [act] = acts(runner, loaded)
    # The engine records its flags when the act reads the entries: the act saw that head.
    assert act["head_position"] >= head_before[0]
    token = f"{act['head_hash']}@{act['head_position']}"
    out = tmp_path / "o" / "public"
    assert json.loads((out / "名单.json").read_text())["log_head"] == token
    assert token in (out / "名单.html").read_text()
    assert token in (out / "公示-临交信示〔2026〕1号.html").read_text()
    # In the Office files too: `verify --anchor` reads the token from any file of the act.
    for office in [out / "名单.xlsx", *(tmp_path / "o" / "to-subjects").glob("*.docx")]:
        assert token in readable_text(office.name, office.read_bytes()), office.name
    assert act["files"] == {n: hashlib.sha256(d).hexdigest()
                            for n, d in files(tmp_path / "o").items()}


def test_the_same_date_again_gives_byte_identical_files_and_no_second_act(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    publish(runner, loaded, "2026-03-31", tmp_path / "a")
    code, out = run(runner, loaded, "publish", "--period", "2026-03", "--out",
                    str(tmp_path / "b"), *BY)
    assert code == 0 and "nothing new on 2026-03-31" in out
    code, _ = run(runner, loaded, "publish", "--as-of", "2026-03-31", "--out",
                  str(tmp_path / "c"), *BY)
    assert code == 0
    assert files(tmp_path / "a") == files(tmp_path / "b") == files(tmp_path / "c")
    assert len(acts(runner, loaded)) == 1


def test_the_fixtures_procedure_gives_one_row_per_subject_a_listing_and_a_correction(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    publish(runner, loaded, "2026-03-25", tmp_path / "march")
    publish(runner, loaded, "2026-06-30", tmp_path / "june")
    public = tmp_path / "june" / "public"
    names = sorted(p.name for p in public.iterdir())
    assert "公告-临交信公〔2026〕1号.md" in names and "更正公告-临交信更〔2026〕1号.md" in names
    rows = json.loads((public / "名单.json").read_text())["rows"]
    subjects = [(r["subject_type_zh"], r["name"]) for r in rows]
    assert len(subjects) == len(set(subjects))
    assert ("道路运输企业", "临汾市汾河物流有限公司") in subjects
    assert {r["listed_on"] for r in rows} == {"2026-06-30"}
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1))
    correction = (public / "更正公告-临交信更〔2026〕1号.md").read_text()
    assert "临交罚〔2025〕0002号" in correction and "2026年5月12日" in correction
    changes = json.loads((public / "changes.json").read_text())
    assert {c["entry_id"] for c in changes["listed"]} == {
        e for r in rows for e in r["entry_ids"]}
    [_, june] = acts(runner, loaded)
    assert june["numbers"]["listing"] == ["临交信公〔2026〕1号"]


def test_the_fleet_share_entry_cites_no_suspension_order(
    runner: CliRunner, loaded: str
) -> None:
    _, out = run(runner, loaded, "list", "--as-of", "2026-11-30", "--all", "--format", "json")
    rows = json.loads(out)
    shares = [r for r in rows if r["rule"] == "enterprise-fleet-share"]
    assert shares and not any("临交运责" in e for r in shares for e in r["evidence"])
    # 汾河物流 and 晋南货运 hold one fleet-share entry each: no re-trip while one is in effect.
    by_name = [r["subject_name"] for r in shares]
    assert by_name.count("临汾市汾河物流有限公司") == 1 and by_name.count("晋南货运有限公司") == 1
    _, out = run(runner, loaded, "explain", "91141002MA0GA1B2CT", "--as-of", "2026-06-30",
                 "--format", "json")
    [share] = [t for t in json.loads(out)["thresholds"] if t["rule"] == "enterprise-fleet-share"]
    # The later violating vehicles are on its record, counting after its trip date.
    assert share["entry_in_effect"] == "EAB593E61B7" and share["counting_after"] == "2025-09-27"
    assert share["violating_vehicles"] and "only after it ends" in share["note"]


def test_a_bad_calendar_file_is_a_one_line_error_naming_it(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    calendar = tmp_path / "cal.toml"
    calendar.write_text('[2027]\nholidays = ["2027-01-01", "2026-12-31"]\n', encoding="utf-8")
    result = runner.invoke(app, ["--db", loaded, "publish", "--on", "2026-03-25", "--out",
                                 str(tmp_path / "o"), *BY, "--calendar", str(calendar)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "cal.toml: [2027] holidays: 2026-12-31 is not in 2027" in result.output.replace("\n", "")
    twice = tmp_path / "twice.toml"
    twice.write_text('[2027]\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-01"]\n')
    result = runner.invoke(app, ["--db", loaded, "publish", "--on", "2026-03-25", "--out",
                                 str(tmp_path / "o"), *BY],
                           env={"OVERLOAD_CALENDAR": os.pathsep.join([str(twice)])})
    assert result.exit_code == 2 and "2027-01-01 is given twice" in result.output.replace("\n", "")


def _privacy_feed(path: Path, drivers: list[tuple[str, str]]) -> None:
    lines: list[dict[str, Any]] = []
    for driver_id, name in drivers:
        lines.append({"type": "driver_registered", "driver_id": driver_id, "name": name})
    case = 0
    for n, (driver_id, _) in enumerate(drivers):
        for k, day in enumerate(["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-06"]):
            case += 1
            plate = f"晋L{20000 + n * 4 + k}"
            lines.append({"type": "weighing", "station_id": "LF-TS-01", "record_id": f"R{case}",
                          "plate": plate, "axles": 6, "gross_kg": 55_000,
                          "weighed_at": f"{day}T09:00:00", "driver_id": driver_id})
            lines.append({"type": "penalty_decided", "case_no": f"P-{case}", "plate": plate,
                          "violation_at": f"{day}T09:00:00", "decided_on": day,
                          "driver_id": driver_id, "station_id": "LF-TS-01",
                          "record_id": f"R{case}", "gross_kg": 55_000, "limit_kg": 49_000,
                          "place": "G108国道临汾北超限检测站"})
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
    published: dict[str, bytes] = {}
    for on in ("2026-04-10", "2026-06-30"):  # announced, then listed
        publish(runner, db, on, tmp_path / on)
        published.update({f"{on}/{n}": d for n, d in files(tmp_path / on).items()})
    public = {n: readable_text(n, d) for n, d in published.items() if "/public/" in n}
    assert len(json.loads(public["2026-06-30/public/名单.json"])["rows"]) == 24
    for name, text in public.items():
        for driver_id, full_name in drivers:
            assert driver_id not in text, (name, driver_id)
            assert full_name not in text, (name, full_name)
    notices = {n: d.decode() for n, d in published.items()
               if "/to-subjects/告知书-" in n and n.endswith(".html")}
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
    publish(runner, db, "2026-03-10", tmp_path / "march")
    publish(runner, db, "2026-06-30", tmp_path / "out")
    html = (tmp_path / "out" / "public" / "名单.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>局</b>" not in html
    markdown = (tmp_path / "out" / "public" / "名单.md").read_text()
    assert "\\<script\\>" in markdown and "\\|\\*危险\\*物流" in markdown
    rows = json.loads((tmp_path / "out" / "public" / "名单.json").read_text())["rows"]
    assert rows[0]["name"] == name
    assert EventLog(open_engine(db)).count() > 2  # the table is still there


def test_a_replacement_template_that_leaves_out_a_required_part_is_refused_naming_it(
    runner: CliRunner, loaded: str, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    own = (Path(__file__).resolve().parents[2] / "overload" / "publish" / "templates"
           / "notice.html.j2").read_text(encoding="utf-8")
    (templates / "notice.html.j2").write_text(own.replace("<h2>三、行政复议和行政诉讼</h2>", "")
                                              .replace("申请行政复议", "申请复查"), encoding="utf-8")
    code, out = publish(runner, loaded, "2026-03-25", tmp_path / "out", "--templates",
                        str(templates))
    assert code == 2 and "administrative review" in out.replace("\n", "")
    assert not (tmp_path / "out" / "public").exists()  # nothing written, nothing recorded
    assert acts(runner, loaded) == []
    (templates / "notice.html.j2").write_text(own.replace("特此告知。", "特此告知。送达方式：邮寄。"),
                                              encoding="utf-8")
    code, _ = publish(runner, loaded, "2026-03-25", tmp_path / "out", "--templates", str(templates))
    assert code == 0
    notice = next((tmp_path / "out" / "to-subjects").glob("告知书-*.html")).read_text()
    assert "送达方式：邮寄。" in notice


def test_publish_needs_exactly_one_date(runner: CliRunner, loaded: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", loaded, "publish", "--out", str(tmp_path), *BY])
    assert result.exit_code == 2 and "--on" in result.output
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
    publish(runner, loaded, "2026-03-25", tmp_path / "march")
    out = tmp_path / "out" / "public"
    publish(runner, loaded, "2026-06-30", tmp_path / "out")
    rows = json.loads((out / "名单.json").read_text())["rows"]
    page = (out / "名单.html").as_uri()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    body = dom.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == len(rows) > 0
    assert all(r["name"] in dom for r in rows)
    screenshot = tmp_path / "list.png"  # never into the checkout: a test leaves it as it was
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
    (templates / "list.md.j2").write_text("line one\n{% for x in %}\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", loaded, "publish", "--as-of", "2026-06-30", "--out",
                                 str(tmp_path / "o"), "--templates", str(templates), *BY])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "template list.md.j2, line 2" in result.output
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = runner.invoke(app, ["--db", loaded, "publish", "--as-of", "2026-06-30", "--out",
                                 str(blocked / "out"), *BY])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(blocked) in result.output


def test_the_demo_shows_an_announcement_a_listing_a_correction_and_a_removal(
    runner: CliRunner, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    result = runner.invoke(app, ["--db", db, "demo", "--fixtures", str(FIXTURES), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = {p.name.split("-")[0] for p in (tmp_path / "out").rglob("*.md")}
    assert {"公示", "公告", "更正公告", "移出公告"} <= names
    assert "不予列入" in "".join(p.read_text() for p in (tmp_path / "out").rglob("公示-*.md"))
