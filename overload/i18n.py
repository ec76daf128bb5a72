"""The operator's language: gettext catalogs compiled by Babel, Chinese by default.

The msgids are the English texts; `overload/locale/zh_CN/LC_MESSAGES/overload.mo` turns them
into Chinese. The language of a run is chosen once, before anything is parsed or printed
(`--lang`, else `OVERLOAD_LANG`, else zh_CN): see `choose_from`, called by the root command's
`main()` in the console script and under Typer's CliRunner alike.

How a module marks its texts:
- a message built at run time: `_("...")` or `_("... {name}").format(name=...)` — the msgid is
  the literal, never an f-string (an f-string cannot be looked up);
- a table header or a value shown in a table (statuses, record types): `pgettext(context, key)`,
  where the key stays the English identifier of the JSON contract (see overload/cli/vocabulary.py);
- a text defined at import (a constant): `N_("...")` marks it for extraction, `_()` at use;
- help texts (docstrings of commands, `help=` of options, arguments and Typer apps) need no
  marking: `overload.i18n_tools` extracts them and `translate_commands` translates the built
  command tree, so they follow the language chosen for the run.
"""

import gettext as _gettext
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "overload"
DEFAULT = "zh_CN"
ENGLISH = "en"
LANGUAGES = (DEFAULT, ENGLISH)  # a new language: a catalog in locale/ and its code here
ALIASES = {"zh": DEFAULT, "zh_cn": DEFAULT, "zh-cn": DEFAULT, "cn": DEFAULT, "en": ENGLISH,
           "en_us": ENGLISH, "en-us": ENGLISH, "en_gb": ENGLISH, "c": ENGLISH}
ENV = "OVERLOAD_LANG"


class UnknownLanguageError(ValueError):
    """A `--lang` or OVERLOAD_LANG value with no catalog."""


def normalize(code: str) -> str:
    """`zh`, `zh-CN`, `zh_CN.UTF-8` → zh_CN; `en`, `en_US` → en; anything else is refused."""
    base = code.strip().split(".", 1)[0]
    found = ALIASES.get(base.lower()) or (base if base in LANGUAGES else None)
    if found is None:
        raise UnknownLanguageError(
            f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    return found


@cache
def _catalog(language: str) -> _gettext.NullTranslations:
    """English is the msgids themselves; a missing catalog falls back to them, never fails."""
    if language == ENGLISH:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


_active: list[str] = [DEFAULT]


def select(language: str) -> str:
    """Make `language` the language of every later message; returns its normalized code."""
    code = normalize(language)
    _active[0] = code
    return code


def current() -> str:
    return _active[0]


def choose_from(args: Sequence[str], environ: dict[str, str] | os._Environ[str]) -> str:
    """The language of a run: `--lang X`/`--lang=X` among the arguments, else OVERLOAD_LANG,
    else Chinese. A bad value falls back to Chinese here; the `--lang` option reports it."""
    wanted = environ.get(ENV) or DEFAULT
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            wanted = args[index + 1]
        elif arg.startswith("--lang="):
            wanted = arg.partition("=")[2]
    try:
        return select(wanted)
    except UnknownLanguageError:
        return select(DEFAULT)


def _(message: str) -> str:
    """The message in the language of the run."""
    return _catalog(_active[0]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(_active[0]).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short text whose meaning depends on where it stands (a column key, a status)."""
    return _catalog(_active[0]).pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    """Marks a text for extraction where it is defined; it is translated where it is used."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802
    """Marks a text with a context for extraction (see pgettext)."""
    return message


def translate_commands(command: Any) -> None:
    """Translate the help texts of a built click command tree in place.

    Typer builds a fresh tree for every run (`typer.main.get_command`), from the English
    docstrings and `help=` texts; translating that tree after the language is chosen gives
    help in the run's language without evaluating any text at import.
    """
    for item in _walk(command):
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(item, attribute, None)
            if isinstance(text, str) and text:
                setattr(item, attribute, _(text))
        for param in getattr(item, "params", ()):
            if isinstance(getattr(param, "help", None), str) and param.help:
                param.help = _(param.help)


def _walk(command: Any) -> Iterable[Any]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _walk(sub)
