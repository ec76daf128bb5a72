"""The `overload` command: global options, and the nouns joined with add_typer."""

import gc
import os
import sys
from typing import Annotated, NoReturn

import typer

from overload import i18n
from overload.cli import decisions, demo, feeds, integrity, lifecycle, rules, stations, todo
from overload.cli import settings as bureau_settings
from overload.cli.context import Settings
from overload.cli.language import OverloadGroup
from overload.store.db import DEFAULT_DB, close_engines

app = typer.Typer(
    cls=OverloadGroup,
    help="Freight overload rules engine: the serious-dishonesty list (超限超载严重失信名单).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(feeds.app)
app.add_typer(integrity.app)
app.add_typer(decisions.app)
app.add_typer(rules.app, name="rules")
app.add_typer(lifecycle.objections, name="objection")
app.add_typer(lifecycle.app)
app.add_typer(stations.app)
app.add_typer(demo.app)
app.add_typer(bureau_settings.app)
app.add_typer(todo.app)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str,
        typer.Option(envvar="OVERLOAD_DB", help="SQLite file path or SQLAlchemy URL."),
    ] = DEFAULT_DB,
    rulebook: Annotated[
        str | None,
        typer.Option(envvar="OVERLOAD_RULEBOOK", help="Rulebook id (default: linfen-2020)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", envvar=i18n.ENV,
                     help="Language of the output: zh_CN (Chinese, the default) or en."),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option("--config", envvar="OVERLOAD_CONFIG",
                     help="The bureau's settings file (default: overload.toml beside the database)."),
    ] = None,
) -> None:
    """Keep every fact once, derive the list from it, and explain every decision."""
    if lang is not None:
        # The language was chosen before parsing (OverloadGroup.main); here only a bad value
        # is refused, naming the choices.
        try:
            i18n.normalize(lang)
        except i18n.UnknownLanguageError as error:
            raise typer.BadParameter(str(error), param_hint="--lang") from None
    ctx.obj = Settings(db=db, rulebook=rulebook, config=config)


def main() -> None:
    """Console-script entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    # A command builds hundreds of thousands of objects that live until it ends (the medium
    # list: 17,000 entries and their rows); the cycle collector kept walking them, and the
    # modules, over and over: 0.2 s of the 1 s that list may take. The modules are frozen out
    # of its scans, and it runs after 100,000 allocations instead of 700.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        app()
        code = 0
    except SystemExit as done:
        if isinstance(done.code, str):
            sys.stderr.write(done.code + "\n")
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    _leave(code)


def _leave(code: int) -> NoReturn:
    """Exit without tearing the interpreter down object by object.

    Freeing a list's worth of entries, timelines and modules one by one took 0.1 s of the
    1 s an operator waits for `overload list` on a province's log. Everything written is
    already committed (SQLite's WAL makes a connection left open as safe as a closed one);
    output is flushed and connections are closed here, so PostgreSQL sees clean logouts.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`overload list | head`)
            pass
    close_engines()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or debugger writes its results on the normal way out
    os._exit(code)
