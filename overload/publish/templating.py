"""Jinja2 environments for the published files; a bureau can replace any template by name.

A value the feed did not supply renders as a visible placeholder, never as "None". HTML is
autoescaped; Markdown output escapes its own control characters, so a name such as
`<script>` or `a|b` prints as text in both.
"""

import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, TemplateError
from jinja2 import Undefined as _Undefined
from markupsafe import Markup

from overload.errors import OverloadError

PLACEHOLDER = "〔未提供〕"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


class Placeholder(_Undefined):
    """A missing field renders as the placeholder (and is falsy in `{% if %}`)."""

    def __str__(self) -> str:
        return PLACEHOLDER


def _finalize_html(value: Any) -> Any:
    return PLACEHOLDER if value is None or value == "" else value


def _finalize_markdown(value: Any) -> Any:
    if value is None or value == "":
        return PLACEHOLDER
    if isinstance(value, Markup | _Undefined):
        return value
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def environment(kind: str, templates: Path | None) -> Environment:
    """`kind` is "html" or "markdown"; `templates` is a bureau's folder of replacements."""
    loaders: list[Any] = []
    if templates is not None:
        loaders.append(FileSystemLoader(str(templates)))
    loaders.append(PackageLoader("overload.publish", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=kind == "html",
        undefined=Placeholder,
        finalize=_finalize_html if kind == "html" else _finalize_markdown,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["PLACEHOLDER"] = PLACEHOLDER
    return env





def render(env: Environment, name: str, context: dict[str, Any]) -> bytes:
    """Render one template; a bureau's broken template is a one-line error naming file and line."""
    try:
        return env.get_template(name).render(context).encode()
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{name}" + (f", line {line}" if line else "")
        raise OverloadError(f"template {where}: {error.message or error}") from None
