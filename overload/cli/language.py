"""The root command's class: it chooses the run's language before anything is parsed.

Typer builds the click tree from English texts; `OverloadGroup.main` (the entry of both the
console script and Typer's CliRunner) reads `--lang`/OVERLOAD_LANG first, then translates the
tree's help texts and the help formatter's own words (Usage, Options, Commands), so that
`overload --help`, `overload list --help` and every message of the run share one language.
"""

import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer.core
from typer import Abort
from typer._click.core import Context
from typer._click.exceptions import ClickException
from typer._click.formatting import HelpFormatter

from overload import i18n
from overload.i18n import N_, _

# The help formatter's own words (typer's copy of click writes them in English).
FORMATTER_TEXTS = (N_("Usage: "), N_("Options"), N_("Arguments"), N_("Commands"),
                   N_("Show this message and exit."), N_("default: {default}"),
                   N_("required"), N_("env var: {var}"),
                   N_("Install completion for the current shell."),
                   N_("Show completion for the current shell, to copy it or customize the "
                      "installation."))


class TranslatedFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(prefix or "Usage: "))

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_(name)):
            yield


class TranslatedContext(Context):
    formatter_class = TranslatedFormatter


class OverloadGroup(typer.core.TyperGroup):
    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        i18n.choose_from(list(args) if args is not None else sys.argv[1:], os.environ)
        # typer.core formats "[default: …]" and "[required]" through gettext.gettext, the
        # process-wide default domain; pointed at our catalog they follow the run's language.
        typer.core._ = i18n._  # type: ignore[attr-defined]
        i18n.translate_commands(self)
        for command in _commands(self):
            command.context_class = TranslatedContext
            option = command.get_help_option(TranslatedContext(command))
            if option is not None and isinstance(option.help, str):
                option.help = _(option.help)
        if not extra.get("standalone_mode", True) or rest:
            return super().main(args, *rest, **extra)
        # Run unstandalone so that a usage error reaches us and is said in the run's language;
        # everything else ends the way typer's standalone mode ends it.
        try:
            code = super().main(args, **{**extra, "standalone_mode": False})
        except ClickException as error:
            _show(error)
            sys.exit(error.exit_code)
        except Abort:
            sys.stderr.write(_("Aborted!") + "\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


# The messages of typer's copy of click, in English f-strings: (pattern, msgid).
USAGE_ERRORS = (
    (re.compile(r"^No such option: (?P<name>\S+)(?: \(Possible options: (?P<options>.*)\))?$"),
     N_("No such option: {name}")),
    (re.compile(r"^No such command '(?P<name>[^']*)'\.(?: Did you mean (?P<options>.*)\?)?$"),
     N_("No such command '{name}'.")),
    (re.compile(r"^Missing option '?(?P<name>[^']*)'?\.(?: .*)?$"), N_("Missing option {name}.")),
    (re.compile(r"^Missing argument '?(?P<name>[^']*)'?\.(?: .*)?$"),
     N_("Missing argument {name}.")),
    (re.compile(r"^Missing command\.$"), N_("Missing command.")),
    (re.compile(r"^Invalid value for (?P<name>[^:]+): (?P<reason>.*)$"),
     N_("Invalid value for {name}: {reason}")),
    (re.compile(r"^Got unexpected extra arguments? \((?P<name>.*)\)$"),
     N_("Unexpected extra arguments: {name}")),
    (re.compile(r"^Option '(?P<name>[^']+)' requires an argument\.$"),
     N_("Option {name} requires a value.")),
)
N_("Aborted!")
N_("(possible: {options})")
N_("Try '{command} {option}' for help.")


def usage_error(message: str) -> str:
    """A usage error in the run's language (kept as it is when it matches no pattern)."""
    for pattern, msgid in USAGE_ERRORS:
        found = pattern.match(message)
        if found:
            parts = found.groupdict()
            options = parts.pop("options", None)
            if parts.get("reason"):
                parts["reason"] = _reason(parts["reason"])
            text = _(msgid).format(**{k: v or "" for k, v in parts.items()})
            if options:
                text += " " + _("(possible: {options})").format(options=options)
            return text
    return message


_NOT_ONE_OF = re.compile(r"^(?:Value error, )?(?P<value>.+) is not one of (?P<choices>.+)\.$")


def _reason(text: str) -> str:
    found = _NOT_ONE_OF.match(text)
    if found:
        return _("{value} is not one of {choices}.").format(**found.groupdict())
    return text


def _show(error: ClickException) -> None:
    context = getattr(error, "ctx", None)
    if context is not None:
        sys.stderr.write(context.get_usage() + "\n")
        if context.command.get_help_option(context) is not None:
            sys.stderr.write(_("Try '{command} {option}' for help.").format(
                command=context.command_path, option=context.help_option_names[0]) + "\n")
        sys.stderr.write("\n")
    sys.stderr.write(_("error: {message}").format(
        message=usage_error(error.format_message())) + "\n")


def _commands(command: Any) -> Iterator[Any]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)
