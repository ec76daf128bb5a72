"""The console speaks Chinese by default and English on request, help texts included."""

import pytest
from typer.testing import CliRunner

from overload import i18n, i18n_tools
from overload.cli.app import app


def test_the_catalog_translates_every_text_and_its_compiled_form_is_current() -> None:
    assert i18n_tools.problems() == []


@pytest.mark.parametrize("args, env, chosen", [
    ([], {}, "zh_CN"),
    ([], {"OVERLOAD_LANG": "en"}, "en"),
    (["--lang", "en", "list"], {}, "en"),
    (["--lang=zh", "list"], {"OVERLOAD_LANG": "en"}, "zh_CN"),
    (["--lang", "xx"], {}, "zh_CN"),  # refused by the option itself, with the choices
    (["log", "--", "--lang", "en"], {}, "zh_CN"),
])
def test_the_language_of_a_run(args: list[str], env: dict[str, str], chosen: str) -> None:
    assert i18n.choose_from(args, env) == chosen


def test_help_is_chinese_by_default(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(i18n.ENV)
    out = runner.invoke(app, ["quarantine", "--help"]).output
    assert "用法" in out and "选项" in out and "显示全部隔离行" in out and "显示本帮助并退出" in out
    assert "Every quarantined row" not in out


@pytest.mark.parametrize("args, env", [
    (["--lang", "en", "quarantine", "--help"], {}),
    (["quarantine", "--help"], {"OVERLOAD_LANG": "en"}),
])
def test_help_is_english_on_request(runner: CliRunner, args: list[str],
                                    env: dict[str, str]) -> None:
    out = runner.invoke(app, args, env=env).output
    assert "Usage:" in out and "Every quarantined row" in out and "显示" not in out


def test_the_language_of_one_run_does_not_leak_into_the_next(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(i18n.ENV)
    assert "用法" in runner.invoke(app, ["--help"]).output
    assert "Usage:" in runner.invoke(app, ["--lang", "en", "--help"]).output
    assert "用法" in runner.invoke(app, ["--help"]).output


def test_an_unknown_language_is_refused_naming_the_choices(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--lang", "fr", "rules"])
    assert result.exit_code == 2 and "zh_CN, en" in result.output


def test_a_message_and_a_table_value_follow_the_language() -> None:
    i18n.select("zh_CN")
    assert i18n._("error: {message}").format(message="x") == "错误：x"
    assert i18n.pgettext("status", "announced") == "公示中"
    i18n.select("en")
    assert i18n._("error: {message}").format(message="x") == "error: x"


@pytest.mark.parametrize("args, chinese, in_english", [
    (["list", "--bogus"], "没有选项：--bogus", "No such option: --bogus"),
    (["lst"], "没有命令“lst”", "No such command 'lst'."),
    (["quarantine", "--format", "xml"], "不是 'table', 'json', 'csv' 之一",
     "is not one of 'table', 'json', 'csv'"),
    (["quarantine", "dismiss"], "缺少参数", "Missing argument"),
])
def test_a_usage_error_is_said_in_the_language_of_the_run_with_exit_code_2(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], chinese: str,
    in_english: str,
) -> None:
    monkeypatch.delenv(i18n.ENV)
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and chinese in result.output and "用法" in result.output
    result = runner.invoke(app, ["--lang", "en", *args])
    assert result.exit_code == 2 and in_english in result.output and "Usage:" in result.output
