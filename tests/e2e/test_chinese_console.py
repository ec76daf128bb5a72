"""In Chinese (the default) an operator reads no English word but identifiers: plates, ID
numbers, credit codes, entry ids, document numbers, dates, file names and options. Phase 2 of
issue 13 adds `list`, `explain`, `todo` and `audit` here as their modules are translated."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload import i18n
from overload.cli.app import app
from tests.integration.test_quarantine_review import LINE, enterprise, registry

ALLOWED = [
    re.compile(p) for p in (
        r"\b[a-z][a-z-]*:\S+",  # an idempotency key (enterprise:91141002MA0GA1B2CT:2015-01-01)
        r"\S*/\S+",  # a path or file name
        r"\S+\.(?:csv|jsonl)\b",
        r"--[a-z][a-z-]*",  # an option the operator types
        r"[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}",  # a plate
        r"\b\d{17}[\dX]\b",  # an ID number
        r"\b[0-9A-HJ-NPQRTUWXY]{18}\b",  # a credit code
        r"\bE[0-9A-F]{10}(?:-O\d+)?\b",  # an entry or objection id
        r"\b\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2} \+08:00)?",  # a date, a Beijing time
        r"\b[0-9a-f]{8,}",  # a hash or fingerprint (shortened ones end in ...)
        r"\bUTF-8\b", r"\bJSON\b", r"\bCSV\b",
    )
]
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    return WORD.findall(text)


def test_the_checker_finds_english_and_spares_identifiers() -> None:
    assert english_words("晋LA10000 91141002MA0GA1B2CT 2026-12-02 03:05:07 +08:00 "
                         "E7CAE45F23B a/b.csv --wide UTF-8") == []
    assert english_words("状态 listed") == ["listed"]


def run(runner: CliRunner, db: str, width: int, *args: str) -> str:
    result = runner.invoke(app, ["--db", db, *args], env={"OVERLOAD_LANG": None,
                                                          "COLUMNS": str(width)},
                           catch_exceptions=False)
    return result.output


@pytest.mark.parametrize("width", [80, 160])
def test_quarantine_and_log_in_chinese_have_no_english_word(
    runner: CliRunner, db: str, tmp_path: Path, width: int,
) -> None:
    run(runner, db, width, "ingest", str(enterprise(tmp_path)))
    run(runner, db, width, "ingest", str(registry(tmp_path / "v.csv", 3, broken=True)))
    first = json.loads(run(runner, db, width, "quarantine", "--format", "json"))[0]["id"]
    outputs = [
        run(runner, db, width, "quarantine", "dismiss", str(first), "--note", "重复数据",
            "--by", "张三"),
        run(runner, db, width, "quarantine"),
        run(runner, db, width, "quarantine", "--all", "--wide"),
        run(runner, db, width, "log", "--type", "enterprise_registered"),
        run(runner, db, width, "log", "--type", "QuarantineDismissed"),
        run(runner, db, width, "quarantine", "--format", "csv"),
    ]
    data = set(WORD.findall(LINE))  # the raw column shows the file's own text, as delivered
    for out in outputs:
        assert [w for w in english_words(out) if w not in data] == [], out
    assert "待处理" in outputs[2] and "已驳回" in outputs[2] and "驳回隔离行" in outputs[4]
    assert "汾河物流" in outputs[3] and "2015-01-01" in outputs[3]


@pytest.mark.parametrize("width", [80, 160])
def test_the_same_in_english_is_english(runner: CliRunner, db: str, tmp_path: Path,
                                        width: int) -> None:
    run(runner, db, width, "ingest", str(registry(tmp_path / "v.csv", 1, broken=True)))
    out = runner.invoke(app, ["--db", db, "--lang", "en", "quarantine"],
                        env={"COLUMNS": str(width)}).output
    assert "Quarantined rows" in out and "pending" not in out  # status is not essential
    assert i18n.current() == "en"
