"""Options every listing command shares, declared once so that they read the same everywhere."""

from typing import Annotated

import typer

from overload.cli.render import Format

FormatOption = Annotated[
    Format, typer.Option("--format", help="table, json or csv.", case_sensitive=False)
]
Wide = Annotated[
    bool, typer.Option("--wide", help="Show every column of a table, even past the terminal's width.")
]
Keys = Annotated[
    bool, typer.Option("--keys", help="CSV with the JSON keys and values (for scripts) instead of "
                                      "headers and values in the operator's language.")
]
