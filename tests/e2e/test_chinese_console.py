"""In Chinese (the default) an operator reads no English word but identifiers: plates, ID
numbers, credit codes, entry ids, document numbers, dates, file names and options. Phase 2 of
issue 13 adds `list`, `explain`, `todo` and `audit` here as their modules are translated."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload import i18n
from overload.cli import vocabulary
from overload.cli.app import app
from tests.documents import write_settings
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
        r"'[a-z][a-z0-9_-]*'",  # a value of the feed contract, quoted as the file must hold it
        r"\bGB(?:/T)? ?\d+(?:-\d{4})?",  # a national standard (GB11643-1999)
        r"\bExcel\b",  # the program's name, as the clerks call it
        r"\bYYYY-MM-DD(?:THH:MM:SS)?",  # a date's format, as the file must hold it
    )
]
WORD = re.compile(r"[A-Za-z]{2,}")

@pytest.fixture(autouse=True)
def bureau_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A complete settings file: publication acts here are real acts, not drafts."""
    monkeypatch.setenv("OVERLOAD_CONFIG", str(write_settings(tmp_path / "bureau.toml")))



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


# ---- phase 2: the session of the README, in both languages, at 80 and 160 columns -------------

STATION = re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b")  # a station id (LF-TS-03)
RULEBOOK = re.compile(r"\b[a-z]+-\d{4}(?:@\d+)?\b")  # a rulebook id or label (linfen-2020@1)
# Rule ids and conduct codes are typed by operators (`--rule vehicle-repeat`): identifiers.
CODES = re.compile(r"\b(?:" + "|".join(map(re.escape, vocabulary.RULES + vocabulary.CONDUCT_CODES))
                   + r")\b")
DATA_FILE = re.compile(r"\S+\.(?:json|toml)\b")  # a data file named in the rulebook
BOX = re.compile(r"[\s│┃|]+")  # what a console puts between the pieces of a folded cell
IDENTIFIER = re.compile(r"^(?=\S{6,}$)(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){0,4}[^\u4e00-\u9fff]*$")


def chinese_words(text: str) -> list[str]:
    """english_words, also sparing the station and rulebook ids of the fixtures."""
    for pattern in (STATION, RULEBOOK, CODES, DATA_FILE):
        text = pattern.sub(" ", text)
    return english_words(text)


def split_identifiers(text: str, identifiers: set[str]) -> list[str]:
    """Identifiers a table or a sentence cut across lines: whole once the line breaks and
    borders are taken out, but not whole in the text."""
    joined = BOX.sub("", text)
    return sorted(i for i in identifiers if i not in text and i in joined)


def identifiers_in(value: object) -> set[str]:
    """Every identifier-like string of a JSON document: no space, 6 characters or more, at most
    4 Chinese characters (a case number, not a name or a sentence)."""
    if isinstance(value, dict):
        return set().union(*(identifiers_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(identifiers_in(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) and IDENTIFIER.match(value) else set()


def session(runner: CliRunner, db: str, tmp_path: Path) -> None:
    """The README's session up to the audit: ingest, 公示, an objection and its decision, 公告."""
    from tests.conftest import FIXTURES

    def act(*args: str) -> None:
        runner.invoke(app, ["--db", db, "--lang", "en", *args, "--by", "张三"]
                      if args[0] != "ingest" else ["--db", db, *args], catch_exceptions=False)

    act("ingest", str(FIXTURES))
    act("publish", "--on", "2026-06-01", "--out", str(tmp_path / "a"))
    act("objection", "file", "EF7FEB25685", "--on", "2026-06-05", "--note", "称重设备未检定")
    act("objection", "decide", "EF7FEB25685-O1", "--dismissed", "--on", "2026-06-10",
        "--note", "异议不成立")
    act("publish", "--on", "2026-06-20", "--out", str(tmp_path / "b"))


# What a clerk reads in the session (the todo command joins when it exists).
READS: tuple[tuple[str, ...], ...] = (
    ("list", "--as-of", "2026-06-30"),
    ("list", "--as-of", "2026-06-30", "--all", "--wide"),
    ("list", "--as-of", "2026-06-30", "--format", "csv"),
    ("explain", "晋LA10000", "--as-of", "2026-06-30"),
    ("explain", "91141002MA0GB3D4EL", "--as-of", "2026-06-30"),
    ("explain", "141023197708081079", "--as-of", "2026-06-30"),
    ("explain", "141023197708081079", "--as-of", "2026-06-30", "--format", "csv"),
    ("explain", "91141002MA0GA1B2CT", "--as-of", "2026-06-30", "--wide"),
    ("audit",),
    ("audit", "--wide"),
    ("cases",),
    ("rules", "show", "linfen-2020"),
    ("objection", "file", "EFF8AD909C6", "--on", "2026-06-30", "--note", "逾期", "--by", "张三"),
    ("repair", "EF7FEB25685", "--on", "2027-06-10", "--document", "修复〔2027〕1号", "--by", "张三"),
)
JSON_READS: tuple[tuple[str, ...], ...] = (
    ("list", "--as-of", "2026-06-30", "--all", "--format", "json"),
    ("explain", "晋LA10000", "--as-of", "2026-06-30", "--format", "json"),
    ("explain", "91141002MA0GB3D4EL", "--as-of", "2026-06-30", "--format", "json"),
    ("explain", "141023197708081079", "--as-of", "2026-06-30", "--format", "json"),
    ("explain", "91141002MA0GA1B2CT", "--as-of", "2026-06-30", "--format", "json"),
    ("audit", "--format", "json"),
    ("cases", "--format", "json"),
)


def reads() -> tuple[tuple[str, ...], ...]:
    """The session's reads, with `todo` once the command exists (issue 13 names it)."""
    names = {c.name for c in app.registered_commands} | {
        g.name for g in app.registered_groups if g.name}
    return READS + ((("todo", "--on", "2026-06-30"),) if "todo" in names else ())


@pytest.fixture
def clock_2027(monkeypatch: pytest.MonkeyPatch) -> None:
    """Acts are dated up to today: today is after every act of the session."""
    from datetime import date

    from overload import clock

    monkeypatch.setattr(clock, "today", lambda: date(2027, 12, 31))


@pytest.mark.usefixtures("clock_2027")
def test_the_session_in_chinese_has_no_english_word_and_no_cut_identifier(
    runner: CliRunner, db: str, tmp_path: Path,
) -> None:
    session(runner, db, tmp_path)
    identifiers: set[str] = set()
    for args in JSON_READS:
        identifiers |= identifiers_in(json.loads(run(runner, db, 160, *args)))
    assert {"EF7FEB25685", "晋LA10000", "临交罚〔2025〕0001号", "91141002MA0GB3D4EL",
            "141023197708081079"} <= identifiers
    for width in (80, 160):
        for args in reads():
            out = run(runner, db, width, *args)
            assert out.strip(), args
            assert chinese_words(out) == [], (width, args, out)
            assert split_identifiers(out, identifiers) == [], (width, args, out)
    explained = run(runner, db, 160, "explain", "141023197708081079", "--as-of", "2026-06-30")
    assert "异议 EF7FEB25685-O1：当事人于 2026-06-05 提出（张三 登记" in explained
    assert "滚动一年" in explained and "可申请信用修复" in explained
    withdrawn = run(runner, db, 160, "explain", "晋LA10000", "--as-of", "2026-06-30")
    assert "撤销后，触发日的条件不再满足：临交罚〔2025〕0002号 于 2026-05-12 被撤销" in withdrawn
    audit = run(runner, db, 160, "audit", "--wide")
    assert "第 1 次公布：公示" in audit and "登记异议" in audit


# Words of the Chinese console (headers, titles, sentences): none is in an English run, whose
# Chinese is only data (names, legal texts, notes, document numbers).
CHINESE_UI = ("条目编号", "状态", "下一步", "处罚决定", "操作记录", "规则：", "说明：", "异议期",
              "当事人于", "未显示的列", "落实情况", "错误：", "滚动一年")


@pytest.mark.usefixtures("clock_2027")
def test_the_session_in_english_is_english_and_json_stays_the_contract(
    runner: CliRunner, db: str, tmp_path: Path,
) -> None:
    session(runner, db, tmp_path)
    for width in (80, 160):
        for args in reads():
            out = runner.invoke(app, ["--db", db, "--lang", "en", *args],
                                env={"COLUMNS": str(width)}).output
            assert out.strip() and not [w for w in CHINESE_UI if w in out], (width, args, out)
    explained = runner.invoke(app, ["--db", db, "--lang", "en", "explain", "141023197708081079",
                                    "--as-of", "2026-06-30"], env={"COLUMNS": "160"}).output
    assert ("objection EF7FEB25685-O1: filed by the subject on 2026-06-05 (recorded by 张三"
            in explained)
    assert "rolling year (Civil Code Arts. 201-202)" in explained
    # The JSON of a Chinese run is the English contract, sentences included.
    report = json.loads(run(runner, db, 160, "explain", "晋LA10000", "--as-of", "2026-06-30",
                            "--format", "json"))
    withdrawn = next(e for e in report["entries"] if e["withdrawn_on"])
    assert withdrawn["withdrawal_reason"].startswith("revocations leave the trip unsupported")
    assert withdrawn["window"]["note"] == "rolling year (Civil Code Arts. 201-202)"
    assert report["decisions"][1]["note"] == "revoked: does not count"
    audit = json.loads(run(runner, db, 160, "audit", "--format", "json"))
    assert audit[0]["detail"].startswith("act ")


@pytest.mark.parametrize("width", [80, 160])
def test_quarantine_of_the_fixtures_in_chinese(runner: CliRunner, db: str, width: int) -> None:
    from tests.conftest import FIXTURES

    run(runner, db, width, "ingest", str(FIXTURES))
    rows = json.loads(run(runner, db, width, "quarantine", "--format", "json"))
    out = run(runner, db, width, "quarantine")
    data = {w for row in rows for w in WORD.findall(row["raw"] or "")}  # the file's own text
    assert [w for w in chinese_words(out) if w not in data] == [], out
    assert split_identifiers(out, identifiers_in(rows)) == [], out


def test_errors_of_list_and_explain_are_chinese_and_one_line(
    runner: CliRunner, db: str, tmp_path: Path,
) -> None:
    run(runner, db, 80, "ingest", str(enterprise(tmp_path)))
    for args, said, code in (
        (("list", "--as-of", "2026/06/30"), "不是 YYYY-MM-DD 格式的日期", 2),
        (("explain", "晋LZ99999"), "日志中没有涉及 晋LZ99999 的事件", 1),
        (("explain", "hello"), "不是车牌号、身份证号或统一社会信用代码", 1),
    ):
        result = runner.invoke(app, ["--db", db, *args], env={"OVERLOAD_LANG": None})
        assert result.exit_code == code and said in result.output, result.output
        assert chinese_words(result.output.replace("hello", "")) == [], result.output
        assert len(result.output.strip().splitlines()) == 1


@pytest.mark.usefixtures("clock_2027")
@pytest.mark.parametrize("width", [80, 160])
def test_publish_verify_and_anchor_in_chinese_keep_the_log_head_whole(
    runner: CliRunner, db: str, tmp_path: Path, width: int,
) -> None:
    from tests.conftest import FIXTURES

    run(runner, db, width, "ingest", str(FIXTURES))
    outputs = [
        run(runner, db, width, "publish", "--on", "2026-06-01", "--out", str(tmp_path / "a"),
            "--by", "张三"),
        run(runner, db, width, "verify"),
        run(runner, db, width, "anchor"),
    ]
    head = json.loads(run(runner, db, width, "anchor", "--format", "json"))["anchor"]
    for out in outputs:
        assert chinese_words(out) == [], out
    assert re.search(r"^日志链头 [0-9a-f]{64}@\d+$", outputs[0], re.MULTILINE), outputs[0]
    assert re.search(rf"^文件位于 {re.escape(str(tmp_path / 'a'))}$", outputs[0], re.MULTILINE)
    assert head in outputs[1] and head in outputs[2] and "完好" in outputs[1]
