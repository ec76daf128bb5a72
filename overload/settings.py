"""The bureau's settings: who issues the documents, where objections go, how documents are numbered.

Kept in a TOML file the clerk edits (`overload init` writes a commented one), read with tomllib
and checked with pydantic, so a typo is a one-line error naming the file and the key, never a
document that goes out with a wrong court or an empty address.
"""

import os
import string
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from overload.errors import OverloadError
from overload.i18n import _
from overload.reasons import said_message

SETTINGS_FILE = "overload.toml"
# The document kinds that take a number from the bureau's sequence (documents-contract.md).
NUMBERED_KINDS = ("notice", "announcement", "listing", "correction", "removal", "repair")
KIND_ZH = {"notice": "告知书", "announcement": "公示", "listing": "公告", "correction": "更正公告",
           "removal": "移出公告", "repair": "信用修复决定书"}
# The joint sanctions of Notice 8 and Opinion 49 that follow a listing; a bureau keeps the ones it
# applies (documents.md, 告知书 part 5).
DEFAULT_MEASURES = (
    "在本机关网站和“信用交通”网站公布，公布期限二年",
    "被列入名单的货运车辆不享受鲜活农产品运输“绿色通道”车辆通行费减免政策",
    "依法限制其参与政府采购、招标投标、政府资金项目申报和政府性资金支持",
    "依法限制其享受财政补贴、税收优惠等优惠政策，暂停评先评优资格",
    "在市场准入、行政审批等工作中予以重点审查",
    "列为重点监管对象，提高检查频次",
)

Text = Annotated[str, Field(max_length=500)]


class SettingsError(OverloadError):
    """The settings file cannot be read, or a value in it is wrong."""


class BureauSettings(BaseModel):
    """Every setting a document needs; an empty string means "not set yet"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    identifying_authority: Text = ""
    publishing_authority: Text = ""
    address: Text = ""
    postcode: Text = ""
    phone: Text = ""
    contact: Text = ""
    objection_address: Text = ""
    objection_phone: Text = ""
    objection_email: Text = ""
    objection_website: Text = ""
    review_body: Text = ""
    court: Text = ""
    website: Text = ""
    measures: list[Text] = Field(default_factory=lambda: list(DEFAULT_MEASURES))
    numbering: dict[str, Text] = Field(default_factory=dict)
    calendar_files: list[Path] = Field(default_factory=list)

    @field_validator("numbering")
    @classmethod
    def _known_kinds_and_placeholders(cls, value: dict[str, str]) -> dict[str, str]:
        for kind, pattern in value.items():
            if kind not in NUMBERED_KINDS:
                raise ValueError(_("unknown document kind {kind} (known: {known})").format(
                    kind=repr(kind), known=", ".join(NUMBERED_KINDS)))
            if not pattern:
                continue
            try:
                names = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
            except ValueError as error:
                raise ValueError(f"{kind}: {error}") from None
            if "n" not in names or not names <= {"year", "n"}:
                raise ValueError(
                    _("{kind}: the pattern must contain {{n}} and may contain {{year}}, nothing "
                      "else").format(kind=kind))
        return value

    def number(self, kind: str, year: int, n: int) -> str:
        """The document number of the n-th document of a kind in a year (临交信公〔2026〕3号)."""
        pattern = self.numbering.get(kind, "")
        if not pattern:
            raise SettingsError(_("numbering.{kind}: no document number pattern is set").format(
                kind=kind))
        return pattern.format(year=year, n=n)

    def objection_channel(self) -> str:
        """How a subject files a statement, a defence or an objection, in one Chinese phrase."""
        return _channel(self.objection_address or self.address, self.objection_phone or self.phone,
                        self.objection_email,
                        f"通过{self.objection_website}在线提交" if self.objection_website else "")

    def question_channel(self) -> str:
        """Where the public asks about a list: the bureau's own address and phone, and its site."""
        return _channel(self.address, self.phone, "", f"登录{self.website}查询" if self.website else "")

    def context(self) -> dict[str, Any]:
        """The `bureau` of every document context (documents-contract.md)."""
        values = self.model_dump(mode="python")
        values["calendar_files"] = [str(p) for p in self.calendar_files]
        values["objection_channel"] = self.objection_channel()
        values["question_channel"] = self.question_channel()
        return values


def _channel(address: str, phone: str, email: str, website: str) -> str:
    parts = []
    if address:
        parts.append(f"邮寄或者递交至{address}")
    if phone:
        parts.append(f"电话{phone}")
    if email:
        parts.append(f"电子邮箱{email}")
    if website:
        parts.append(website)
    return "，".join(parts)


# Labels for messages and for `missing_for_publication`: the key the clerk edits.
_REQUIRED = ("identifying_authority", "publishing_authority", "address", "phone", "contact",
             "review_body", "court", "website")


def missing_for_publication(settings: BureauSettings) -> list[str]:
    """Keys a non-draft publication needs and the file leaves empty, in file order."""
    missing = [key for key in _REQUIRED if not getattr(settings, key).strip()]
    if not (settings.objection_address or settings.address).strip():
        missing.append("objection_address")
    if not settings.measures:
        missing.append("measures")
    missing.extend(f"numbering.{kind}" for kind in NUMBERED_KINDS if not settings.numbering.get(kind))
    return missing


def require_complete(settings: BureauSettings, path: Path) -> None:
    """Refuse a non-draft publication while a required setting is empty, naming every one."""
    missing = missing_for_publication(settings)
    if missing:
        raise SettingsError(_("{path}: not set: {missing} (fill them in, or publish with "
                              "--draft)").format(path=path, missing=", ".join(missing)))


def locate(config: str | None, db: str) -> Path:
    """`--config`/OVERLOAD_CONFIG, else overload.toml beside the SQLite file (or here for a server)."""
    chosen = config or os.environ.get("OVERLOAD_CONFIG")
    if chosen:
        return Path(chosen)
    if "://" in db:
        if db.startswith("sqlite:///") and len(db) > len("sqlite:///"):
            return Path(db[len("sqlite:///"):]).parent / SETTINGS_FILE
        return Path(SETTINGS_FILE)
    return Path(db).parent / SETTINGS_FILE


def load_settings(path: Path) -> BureauSettings:
    """Read and check the file; calendar files are read relative to the settings file."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise SettingsError(_("{path}: no settings file (write one with `overload init`)").format(
            path=path)) from None
    except UnicodeDecodeError:
        raise SettingsError(_("{path}: not UTF-8 text").format(path=path)) from None
    except OSError as error:
        raise SettingsError(f"{path}: {error.strerror}") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: {error}") from None
    try:
        settings = BureauSettings.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(file)"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{path}: {key}: {said_message(message)}") from None
    files = [f if f.is_absolute() else path.parent / f for f in settings.calendar_files]
    return settings.model_copy(update={"calendar_files": files})


def write_default(path: Path) -> None:
    """Write the commented settings file; an existing file is never overwritten."""
    from overload.settings_template import TEMPLATE

    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(TEMPLATE)
    except FileExistsError:
        raise SettingsError(_("{path}: already exists; edit it, or choose another path with "
                              "--path").format(path=path)) from None
