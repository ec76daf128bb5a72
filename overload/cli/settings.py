"""`overload init`: the bureau's settings file, written once with a comment on every setting."""

from pathlib import Path
from typing import Annotated

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.i18n import _
from overload.settings import write_default

app = typer.Typer()


@app.command("init")
@handles_errors
def init_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Option("--path", help="Where to write it (default: --config, else overload.toml beside "
                                    "the database)."),
    ] = None,
) -> None:
    """Write the bureau's settings file (TOML, commented in Chinese); never overwrites one."""
    target = path or settings(ctx).settings_path()
    write_default(target)
    render.say(_("wrote {path}: fill in the bureau's names, addresses, channels and document "
                 "number patterns before publishing").format(path=target), markup=False)
