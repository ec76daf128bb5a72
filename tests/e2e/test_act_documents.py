"""The documents a publication act writes from the fixtures (issue 12): every kind through real
acts, Chinese only, the bureau's settings, drafts, spreadsheet safety, privacy at scale, a crash
mid-write, and printing."""

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from overload import clock
from overload.cli.app import app
from overload.identifiers import mask_name
from overload.publish.required import plain
from overload.publish.word import text_of
from tests.conftest import FIXTURES, ROOT
from tests.documents import (
    INJECTIONS,
    SETTINGS_TOML,
    english_in,
    personal_data_in,
    readable_text,
    write_settings,
)
from tests.integration.test_print import (
    A4_LANDSCAPE,
    CHROMIUM,
    PDFTOTEXT,
    page_size,
    pages,
    print_pdf,
)

BY = ("--by", "审核员")


def run(runner: CliRunner, db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def demo(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's acts over the fixtures: a 公示, a 公告, a 更正公告, a repair and its 移出公告."""
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    out = tmp_path / "out"
    code, output = run(runner, str(tmp_path / "demo.db"), "demo", "--fixtures", str(FIXTURES),
                       "--out", str(out))
    assert code == 0, output
    return out


def test_every_kind_of_document_comes_out_of_the_fixtures_in_chinese_only(demo: Path) -> None:
    written = tree(demo)
    kinds = {name.split("/")[-1].split("-")[0].split(".")[0] for name in written}
    assert {"名单", "公示", "公告", "更正公告", "移出公告", "变更说明", "告知书", "信用修复决定书"} <= kinds
    settings = (demo / "overload.toml").read_text(encoding="utf-8")
    assert "演示" in settings  # the demo bureau says it is one
    allowed = ["demo@example.cn"]
    for name, data in written.items():
        if not name.endswith((".html", ".md", ".docx")):
            continue
        text = text_of(data) if name.endswith(".docx") else data.decode()
        if name.endswith(".md"):
            text = plain(text, "md")  # Markdown escapes (141021\*\*…) undone, as a reader sees it
        tokens = re.findall(r"[0-9a-f]{64}@[0-9]+", text)  # the log head (verify --anchor)
        assert english_in(text, [*allowed, *tokens]) == [], name
        assert "〔未提供〕" not in text and "草稿" not in text, name
    # the facts of a penalty notice: place, masses, the excess, the decision
    notice = next(d for n, d in written.items() if "告知书" in n and n.endswith(".html")
                  and "行政处罚决定书文号" in d.decode()).decode()
    assert "超限检测站" in notice and "超限率" in notice and "%" in notice
    # a vehicle's notice goes to its owner, never to the plate alone
    vehicle = [d.decode() for n, d in written.items() if "告知书" in n and n.endswith(".html")
               and "所属货运车辆" in d.decode()]
    assert vehicle and all("有限公司：" in text for text in vehicle)


def test_the_public_list_csv_and_xlsx_keep_injection_strings_as_text(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OVERLOAD_CONFIG", str(write_settings(tmp_path / "b.toml")))
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    feed, names = tmp_path / "hostile.jsonl", []
    lines: list[dict[str, Any]] = []
    codes = ["91141002MA0GA1B2CT", "91141002MA0GB3D4EL", "91141023MA0GC5F6GU", "91141000MA0GD7H8JB",
             "91140100MA0K9FX34X", "91140100MA0KA0LB5E", "91140100MA0KA3WC2D"]
    for n, (text, credit) in enumerate(zip(INJECTIONS, codes, strict=False)):
        lines.append({"type": "enterprise_registered", "enterprise_id": credit,
                      "name": text + "运输公司", "registered_on": "2015-01-01"})
        lines.append({"type": "suspension_ordered", "enterprise_id": credit,
                      "order_no": f"临交运责〔2026〕{n + 1}号", "ordered_on": "2026-03-02",
                      "authority": text})
        names.append(text + "运输公司")
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    db = str(tmp_path / "h.db")
    run(runner, db, "ingest", str(feed))
    for on in ("2026-03-10", "2026-06-30"):
        code, output = run(runner, db, "publish", "--on", on, "--out", str(tmp_path / on), *BY)
        assert code == 0, output
    public = tmp_path / "2026-06-30" / "public"
    rows = list(csv.reader(io.StringIO((public / "名单.csv").read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 1 and names
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any(cell.startswith("'=") for cell in cells)
    sheet = openpyxl.load_workbook(public / "名单.xlsx").active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(min_row=4) for c in row]
    assert values and all(c.data_type == "s" for c in values if c.value is not None)
    assert any(str(c.value).startswith("=") for c in values)  # shown as text, never evaluated


def test_publishing_needs_the_bureaus_settings_naming_each_missing_one_unless_a_draft(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    db = str(tmp_path / "s.db")
    run(runner, db, "ingest", str(FIXTURES))
    code, output = run(runner, db, "publish", "--on", "2026-03-25", "--out", str(tmp_path / "o"), *BY)
    assert code == 2 and "no settings file" in output and "overload init" in output
    partial = write_settings(tmp_path / "overload.toml", SETTINGS_TOML.replace(
        'court = "临汾市尧都区人民法院"', 'court = ""').replace('listing = "临交信公〔{year}〕{n}号"', ""))
    code, output = run(runner, db, "publish", "--on", "2026-03-25", "--out", str(tmp_path / "o"), *BY)
    flat = output.replace("\n", "")
    assert code == 2 and str(partial.name) in flat and "court" in flat and "numbering.listing" in flat
    assert not (tmp_path / "o").exists()
    partial.unlink()
    code, output = run(runner, db, "publish", "--on", "2026-03-25", "--out", str(tmp_path / "d"),
                       "--draft", *BY)
    assert code == 0, output
    _, events = run(runner, db, "log", "--type", "PublicationMade", "--format", "json")
    assert json.loads(events) == []
    for name, data in tree(tmp_path / "d").items():
        text = readable_text(name, data) if not name.endswith(".docx") else text_of(data)
        if name.endswith(("html", "md", "csv", "docx", "xlsx")):
            assert "草稿" in text and "不得对外发布" in text, name
        assert "临交信" not in text, name  # no number consumed


def _province(out: Path) -> list[str]:
    """A small generated province (bench/generate.py), with real-looking personal names, the
    places the documents state, and every vehicle in an enterprise's fleet."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate

    generate("tiny", out, seed=7, vehicles_wanted=400, weighings_wanted=12_000)
    surnames, given = "王李张刘陈杨赵黄周吴欧阳司马", "建国明华军强伟平芳丽红兵海东志"
    registry, names = [], []
    for line in (out / "registry.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["type"] == "driver_registered":
            i = int(record["name"].removeprefix("驾驶员"))
            record["name"] = surnames[i % 13] + given[i % 15] + given[(i * 7) % 15][: i % 2]
            names.append(record["name"])
        registry.append(json.dumps(record, ensure_ascii=False))
    (out / "registry.jsonl").write_text("\n".join(registry), encoding="utf-8")
    vehicles = (out / "vehicles.csv").read_text(encoding="utf-8").splitlines()
    first = vehicles[1].split(",")[2]
    (out / "vehicles.csv").write_text("\n".join(
        ",".join(c if i != 2 or c else first for i, c in enumerate(line.split(",")))
        for line in vehicles), encoding="utf-8")
    decisions = []
    for line in (out / "decisions.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["type"] == "penalty_decided":
            record["place"] = f"G{int(record['station_id'][-2:]) + 100}国道超限检测站"
        decisions.append(json.dumps(record, ensure_ascii=False))
    (out / "decisions.jsonl").write_text("\n".join(decisions), encoding="utf-8")
    return names


def test_a_generated_province_publishes_no_full_id_number_or_name_and_keeps_notices_private(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OVERLOAD_CONFIG", str(write_settings(tmp_path / "b.toml")))
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    names = _province(tmp_path / "province")
    db = str(tmp_path / "p.db")
    province = tmp_path / "province"
    run(runner, db, "ingest", str(province / "registry.jsonl"), str(province / "vehicles.csv"))
    run(runner, db, "ingest", str(province / "weighings.csv"), "--type", "weighing")
    run(runner, db, "ingest", str(province / "decisions.jsonl"))
    public: dict[str, bytes] = {}
    for on in ("2026-06-01", "2026-06-30"):
        code, output = run(runner, db, "publish", "--on", on, "--out", str(tmp_path / on),
                           "--allow-fallback-calendar", *BY)
        assert code == 0, output
        public.update({f"{on}/{n}": d for n, d in tree(tmp_path / on / "public").items()})
        private = tmp_path / on / "to-subjects"
        assert oct(private.stat().st_mode & 0o777) == "0o700"
        assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in private.iterdir())
    rows = json.loads(public["2026-06-30/名单.json"])["rows"]
    drivers = [r for r in rows if r["subject_type_zh"] == "货运车辆驾驶人"]
    assert drivers, "the generated province lists some drivers"
    full = [n for n in names if mask_name(n) != n]
    assert personal_data_in(public, full) == []


def test_a_publish_killed_midway_leaves_the_old_output_or_the_whole_new_one(
    tmp_path: Path,
) -> None:
    config = write_settings(tmp_path / "b.toml")
    pristine, db = tmp_path / "pristine.db", tmp_path / "k.db"
    env = {**os.environ, "OVERLOAD_CONFIG": str(config), "PYTHONPATH": str(ROOT)}

    def cli(database: Path, *args: str) -> list[str]:
        return [sys.executable, str(ROOT / "main.py"), "--db", str(database), *args]

    subprocess.run(cli(pristine, "ingest", str(FIXTURES)), env=env, capture_output=True, timeout=300)
    out = tmp_path / "out"
    subprocess.run(cli(pristine, "publish", "--on", "2026-03-25", "--out", str(out), *BY), env=env,
                   capture_output=True, timeout=300, check=True)
    old = tree(out)
    shutil.copy(pristine, db)
    subprocess.run(cli(db, "publish", "--on", "2026-06-30", "--out", str(tmp_path / "ref"), *BY),
                   env=env, capture_output=True, timeout=300, check=True)
    new = set(tree(tmp_path / "ref"))
    outcomes = []
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.4, 2.8, 3.5):
        shutil.copy(pristine, db)  # the act is never recorded between attempts
        process = subprocess.Popen(cli(db, "publish", "--on", "2026-06-30", "--out", str(out), *BY),
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = {n: d for n, d in tree(out).items() if not n.startswith(".overload")}
        if now == old:
            outcomes.append("old")
            continue
        assert set(now) == new, sorted(set(now) ^ new)  # never a mixture, never a part
        openpyxl.load_workbook(out / "public" / "名单.xlsx")
        outcomes.append("new")
        shutil.rmtree(out)  # the old output again, for the next attempt
        out.mkdir()
        for name, data in old.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
    # the next run cleans up whatever a kill left behind, and finishes the act
    subprocess.run(cli(db, "publish", "--on", "2026-06-30", "--out", str(out), *BY), env=env,
                   capture_output=True, timeout=300, check=True)
    assert not [p for p in out.iterdir() if p.name.startswith(".overload")]
    assert set(tree(out)) == new and outcomes


@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None, reason="needs Chromium and poppler")
def test_the_demo_list_and_listing_print_on_few_a4_pages_with_the_header_repeated(
    demo: Path, tmp_path: Path,
) -> None:
    public = demo / "2026-06-30" / "public"
    rows = json.loads((public / "名单.json").read_text())["rows"]
    pdf = print_pdf((public / "名单.html").read_bytes(), tmp_path, "list")
    printed = pages(pdf)
    assert page_size(pdf) == A4_LANDSCAPE
    assert len(printed) <= max(1, len(rows) // 6)  # not one page per two rows
    assert all("认定依据" in page for page in printed)
    listing = next(public.glob("公告-*.html"))
    printed = pages(print_pdf(listing.read_bytes(), tmp_path, "listing"))
    assert "（印章）" in printed[0] and len(printed) <= 4
    assert all("认定依据" in page for page in printed[1:])
