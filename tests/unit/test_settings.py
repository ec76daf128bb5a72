"""The bureau's settings: `overload init`, loading, validation, and what publication requires."""

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload.cli.app import app
from overload.settings import (
    DEFAULT_MEASURES,
    NUMBERED_KINDS,
    BureauSettings,
    SettingsError,
    load_settings,
    locate,
    missing_for_publication,
    require_complete,
    write_default,
)
from overload.settings_template import TEMPLATE
from tests.documents import bureau


def complete(tmp_path: Path) -> Path:
    """A settings file with every value filled in, written as a clerk would."""
    values = bureau()
    lines = [f"{key} = {_toml(values[key])}" for key in BureauSettings.model_fields
             if key not in ("numbering", "calendar_files")]
    lines.append("calendar_files = []")
    lines.append("[numbering]")
    lines += [f"{kind} = {_toml(pattern)}" for kind, pattern in values["numbering"].items()]
    path = tmp_path / "overload.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_the_written_file_names_every_setting_and_loads_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "overload.toml"
    write_default(path)
    for key in BureauSettings.model_fields:
        assert f"{key} =" in TEMPLATE or key == "numbering"
    for kind in NUMBERED_KINDS:
        assert f"\n{kind} = " in TEMPLATE
    settings = load_settings(path)
    assert settings.measures == list(DEFAULT_MEASURES)
    assert "认定机关" in path.read_text(encoding="utf-8")


def test_a_fresh_file_is_not_enough_to_publish_and_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "overload.toml"
    write_default(path)
    missing = missing_for_publication(load_settings(path))
    assert {"identifying_authority", "review_body", "court", "objection_address",
            "numbering.notice", "numbering.repair"} <= set(missing)


def test_publication_is_refused_naming_every_missing_setting(tmp_path: Path) -> None:
    path = tmp_path / "overload.toml"
    path.write_text('identifying_authority = "临汾市交通运输局"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        require_complete(load_settings(path), path)
    assert error.value.exit_code == 2
    assert str(error.value).startswith(f"{path}: not set: publishing_authority, address, phone,")
    assert "numbering.repair (fill them in, or publish with --draft)" in str(error.value)


def test_a_complete_file_misses_nothing(tmp_path: Path) -> None:
    settings = load_settings(complete(tmp_path))
    assert missing_for_publication(settings) == []
    assert settings.number("listing", 2026, 2) == "临交信公〔2026〕2号"
    assert "0357-7654321" in settings.objection_channel()


def test_the_bureau_address_serves_objections_when_no_other_is_given(tmp_path: Path) -> None:
    settings = BureauSettings(address="临汾市滨河西路1号", phone="0357-1")
    assert "objection_address" not in missing_for_publication(settings)
    assert settings.objection_channel() == "邮寄或者递交至临汾市滨河西路1号，电话0357-1"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "overload.toml"
    path.write_text("# the clerk's work\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="already exists"):
        write_default(path)
    assert path.read_text(encoding="utf-8") == "# the clerk's work\n"


@pytest.mark.parametrize(("text", "message"), [
    ('court = 3\n', "overload.toml: court: Input should be a valid string"),
    ('courts = "x"\n', "overload.toml: courts: Extra inputs are not permitted"),
    ('[numbering]\nnotice = "临交信告〔{year}〕号"\n', "numbering: notice: the pattern must contain {n}"),
    ('[numbering]\nletter = "{n}"\n', "numbering: unknown document kind 'letter'"),
    ('court = "unterminated\n', "overload.toml: "),
])
def test_a_wrong_value_is_one_line_naming_the_file_and_the_key(
        tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "overload.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_calendar_files_are_read_beside_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "overload.toml"
    path.write_text('calendar_files = ["calendar-2027.toml"]\n', encoding="utf-8")
    assert load_settings(path).calendar_files == [tmp_path / "calendar-2027.toml"]


def test_the_file_is_found_beside_the_database_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OVERLOAD_CONFIG", raising=False)
    assert locate(None, "data/linfen.db") == Path("data/overload.toml")
    assert locate(None, "sqlite:///data/linfen.db") == Path("data/overload.toml")
    assert locate(None, "postgresql+psycopg://u@h/db") == Path("overload.toml")
    assert locate("bureau.toml", "data/linfen.db") == Path("bureau.toml")
    monkeypatch.setenv("OVERLOAD_CONFIG", "env.toml")
    assert locate(None, "data/linfen.db") == Path("env.toml")


def test_overload_init_writes_beside_the_database_and_refuses_a_second_time(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "linfen.db")
    first = runner.invoke(app, ["--db", db, "init"], env={"OVERLOAD_CONFIG": None})
    assert first.exit_code == 0, first.output
    tomllib.loads((tmp_path / "overload.toml").read_text(encoding="utf-8"))
    again = runner.invoke(app, ["--db", db, "init"], env={"OVERLOAD_CONFIG": None})
    assert again.exit_code == 2 and "already exists" in again.output


def test_overload_init_follows_config_and_path(tmp_path: Path) -> None:
    runner = CliRunner()
    named = tmp_path / "bureau.toml"
    assert runner.invoke(app, ["--config", str(named), "init"]).exit_code == 0
    assert named.exists()
    other = tmp_path / "elsewhere.toml"
    assert runner.invoke(app, ["init", "--path", str(other)]).exit_code == 0
    assert other.exists()
