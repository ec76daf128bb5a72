"""Keep the catalogs in step with the code (a developer's tool; needs Babel, not shipped use).

    python -m overload.i18n_tools extract   # overload/locale/overload.pot from the sources
    python -m overload.i18n_tools update    # merge it into every locale's overload.po
    python -m overload.i18n_tools compile   # .po -> .mo (the .mo files ship in the package)
    python -m overload.i18n_tools check     # exit 1 if a text is untranslated or a .mo is stale
    python -m overload.i18n_tools all       # extract, update, compile

`pybabel extract -F babel.cfg -o overload/locale/overload.pot .` gives the same template: the
`overload_python` method of babel.cfg is `extract_overload` below.

What is extracted: `_()`, `ngettext()`, `pgettext()`, `N_()` and `NP_()` calls (Babel's Python
extractor), plus what Typer shows as help: the docstring of every function decorated with
`.command(...)` or `.callback(...)` and every string literal given as `help=`.
"""

import ast
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from overload.i18n import DOMAIN, ENGLISH, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parent
KEYWORDS: dict[str, Any] = {
    "_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2),
}
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
HELP_DECORATORS = {"command", "callback"}


def extract_overload(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                     options: Any) -> Iterator[tuple[Any, ...]]:
    """A Babel extraction method: gettext calls (line, function, message, comments), then
    Typer help texts."""
    source = fileobj.read()
    found: Iterator[tuple[Any, ...]] = extract_python(
        io.BytesIO(source), keywords or KEYWORDS, comment_tags or [], options)
    yield from found
    yield from help_texts(source.decode("utf-8"))


def help_texts(source: str) -> Iterator[tuple[int, str, Any, list[str]]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(_is_help_decorator(d)
                                                     for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.lineno, "_", doc, ["help: command docstring"]
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if (keyword.arg == "help" and isinstance(keyword.value, ast.Constant)
                        and isinstance(keyword.value.value, str)):
                    yield keyword.value.lineno, "_", keyword.value.value, ["help: option"]


def _is_help_decorator(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in HELP_DECORATORS)


def extract(write: bool = True) -> Catalog:
    """The template from the sources; written to overload/locale/overload.pot unless asked not."""
    catalog = Catalog(domain=DOMAIN, project="overload", charset="utf-8")
    for path in sorted(ROOT.rglob("*.py")):
        if path.name == "i18n_tools.py":
            continue
        where = path.relative_to(ROOT.parent).as_posix()
        with path.open("rb") as handle:
            for line, _funcname, message, comments in extract_overload(handle, KEYWORDS, [], {}):
                context = None
                if isinstance(message, tuple) and _funcname in ("pgettext", "NP_"):
                    context, message = message[0], message[1]
                if isinstance(message, tuple) and _funcname == "ngettext":
                    message = message[:2]  # the count is not a literal: singular and plural
                parts = message if isinstance(message, tuple) else (message,)
                if not context and _funcname in ("pgettext", "NP_") or not all(parts):
                    continue  # not a literal (a variable looked up at run time)
                catalog.add(message, locations=[(where, line)], auto_comments=comments,
                            context=context)
    if write:
        with TEMPLATE.open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=False)
    return catalog


def _po(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> None:
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    for language in LANGUAGES:
        if language == ENGLISH:
            continue  # the msgids are English
        path = _po(language)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            catalog.update(template, update_header_comment=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=DOMAIN, project="overload")
            catalog.update(template)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)


def _compiled(language: str) -> bytes:
    with _po(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        if language != ENGLISH:
            _po(language).with_suffix(".mo").write_bytes(_compiled(language))


def problems() -> list[str]:
    """Untranslated or fuzzy texts, texts the catalog lacks, and stale .mo files."""
    found = []
    wanted = {(m.context, m.id) for m in extract(write=False) if m.id}
    for language in LANGUAGES:
        if language == ENGLISH:
            continue
        with _po(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        have = {(m.context, m.id): m for m in catalog if m.id}
        for key in sorted(wanted, key=str):
            message = have.get(key)
            if message is None:
                found.append(f"{language}: not in the catalog: {key[1]!r} (run update)")
            elif not message.string or message.fuzzy:
                found.append(f"{language}: untranslated: {key[1]!r}")
        if _po(language).with_suffix(".mo").read_bytes() != _compiled(language):
            found.append(f"{language}: {DOMAIN}.mo is older than {DOMAIN}.po (run compile)")
    return found


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "all"
    if action in ("extract", "all"):
        extract()
    if action in ("update", "all"):
        update()
    if action in ("compile", "all"):
        compile_all()
    if action == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    if action not in ("extract", "update", "compile", "all", "check"):
        print(f"unknown action {action!r}: extract, update, compile, check or all")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
