"""The `overload` command: global options, and the nouns joined with add_typer."""

import os
from typing import Annotated

import typer

from overload.cli import decisions, demo, feeds, lifecycle, rules, stations
from overload.cli.context import Settings
from overload.store.db import DEFAULT_DB

app = typer.Typer(
    help="Freight overload rules engine: the serious-dishonesty list (超限超载严重失信名单).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(feeds.app)
app.add_typer(decisions.app)
app.add_typer(rules.app, name="rules")
app.add_typer(lifecycle.objections, name="objection")
app.add_typer(lifecycle.app)
app.add_typer(stations.app)
app.add_typer(demo.app)


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
) -> None:
    """Keep every fact once, derive the list from it, and explain every decision."""
    ctx.obj = Settings(db=db, rulebook=rulebook)


def main() -> None:
    """Console-script entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
