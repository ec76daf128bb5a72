"""Jinja2 environments for the documents; a bureau can replace any template by name (--templates).

A missing fact never prints as a gap in a document that goes out. Before rendering, every None in
the context becomes an Undefined that knows its path (`bureau.court`, `facts[1].place`): printed in
a final document it stops the rendering with a one-line error naming the document and the part;
printed in a draft it shows 〔未提供〕 beside the 草稿 marks. It stays falsy, so `{% if %}` can still
leave out an optional line (a calendar note, an empty 不予列入 section).
HTML is autoescaped; Markdown output escapes its own control characters, so a name such as
`<script>` or `a|b` prints as text in both.
"""

import re
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, TemplateError, Undefined
from markupsafe import Markup

from overload.errors import OverloadError
from overload.publish.notes import merged_basis

PLACEHOLDER = "〔未提供〕"
DRAFT_MARK = "草稿 — 不得对外发布"
FORMATS = {"html": "html", "md": "markdown", "docx": "text"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")
_CN_DIGITS = "零一二三四五六七八九十"


class MissingPartError(OverloadError):
    """A document cannot be issued: a fact it must state is not known, or its template omits it."""


class _Missing(Undefined):
    """A value the context lacks; its name is the path from the context's root."""

    __slots__ = ()

    def part(self) -> str:
        return self._undefined_name or "a value"


class DraftMissing(_Missing):
    """In a draft a missing value shows as 〔未提供〕: the clerk sees what is still to be supplied."""

    __slots__ = ()

    def __str__(self) -> str:
        return PLACEHOLDER


class RefusedMissing(_Missing):
    """In a document that goes out a missing value stops the rendering."""

    __slots__ = ()

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise MissingPartError(f"{self.part()} is not known")

    __str__ = _refuse
    __iter__ = _refuse
    __len__ = _refuse


def cn_date(value: Any) -> Any:
    """2026年6月30日 (no leading zeros), the form every Chinese official document uses."""
    if isinstance(value, Undefined):
        return value
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.year}年{day.month}月{day.day}日"


def cn_count(value: Any) -> Any:
    """Small counts in words (二年, 十个工作日); larger ones stay in digits."""
    if isinstance(value, Undefined):
        return value
    number = int(value)
    if 0 <= number <= 10:
        return _CN_DIGITS[number]
    if number < 20:
        return "十" + _CN_DIGITS[number - 10]
    return str(number)


def tonnes(value: Any) -> Any:
    """Kilograms as tonnes with two decimals (49000 → 49.00), as weighing records print them."""
    if isinstance(value, Undefined):
        return value
    return f"{int(value) / 1000:.2f}"


def _finalize_html(value: Any) -> Any:
    return "" if value is None else value


def _finalize_markdown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup | Undefined):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def _finalize_text(value: Any) -> Any:
    """Word lines: a value never breaks its line or adds a table cell (tab)."""
    if value is None:
        return ""
    if isinstance(value, Undefined):
        return value
    return re.sub(r"[\t\r\n]+", " ", str(value))


_FINALIZE = {"html": _finalize_html, "markdown": _finalize_markdown, "text": _finalize_text}


def environment(kind: str, templates: Path | None, draft: bool = False) -> Environment:
    """`kind` is "html", "markdown" or "text"; `templates` is a bureau's folder of replacements."""
    loaders: list[Any] = []
    if templates is not None:
        loaders.append(FileSystemLoader(str(templates)))
    loaders.append(PackageLoader("overload.publish", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=kind == "html",
        undefined=DraftMissing if draft else RefusedMissing,
        finalize=_FINALIZE[kind],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["cn_count"] = cn_count
    env.filters["tonnes"] = tonnes
    env.filters["merged_basis"] = merged_basis
    env.globals["PLACEHOLDER"] = PLACEHOLDER
    env.globals["DRAFT_MARK"] = DRAFT_MARK
    return env


def mark_missing(value: Any, env: Environment, path: str = "") -> Any:
    """A copy of the context where every None is the environment's Undefined, named by its path."""
    if value is None:
        return env.undefined(name=path or "context")
    if isinstance(value, dict):
        return {key: mark_missing(item, env, f"{path}.{key}" if path else str(key))
                for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mark_missing(item, env, f"{path}[{i + 1}]") for i, item in enumerate(value)]
    return value


def render(env: Environment, name: str, context: dict[str, Any], document: str | None = None) -> bytes:
    """Render one template; a missing fact or a broken template is a one-line error."""
    label = document or name
    try:
        return env.get_template(name).render(mark_missing(context, env)).encode()
    except MissingPartError as error:
        raise MissingPartError(f"{label}: cannot be issued: {error}") from None
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{name}" + (f", line {line}" if line else "")
        raise OverloadError(f"template {where}: {error.message or error}") from None


def render_document(kind: str, fmt: str, context: dict[str, Any], templates: Path | None = None) -> bytes:
    """Render `{kind}.{fmt}.j2` ("html" or "md") and check every required part is in the result.

    Draft or final comes from `context["act"]["draft"]`; `kind` is one of the contract's kinds
    (list, announcement, listing, correction, removal, changes, notice, repair).
    """
    from overload.publish.required import check, document_label

    draft = bool(context.get("act", {}).get("draft"))
    env = environment(FORMATS[fmt], templates, draft=draft)
    name = f"{kind}.{fmt}.j2"
    label = f"{document_label(kind, context)} ({name})"
    data = render(env, name, context, label)
    check(kind, context, data.decode(), fmt, label)
    return data
