"""What every command shares: the database, the rulebook, and error handling."""

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from overload.cli import render
from overload.errors import OverloadError, first_line
from overload.i18n import _
from overload.reasons import said_file_error
from overload.settings import BureauSettings, load_settings, locate
from overload.store.db import DEFAULT_DB, loose_modes, open_engine, sqlite_file
from overload.store.log import EventLog

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Settings:
    db: str = DEFAULT_DB
    rulebook: str | None = None
    config: str | None = None
    _engine: Engine | None = None

    def settings_path(self) -> Path:
        """The bureau's settings file: --config/OVERLOAD_CONFIG, else overload.toml beside the db."""
        return locate(self.config, self.db)

    def bureau(self) -> BureauSettings:
        return load_settings(self.settings_path())

    def log(self, create: bool = False) -> EventLog:
        """The event log. Only commands that write feeds (`ingest`, `watch`, `demo`) pass
        `create`: any other command pointed at a SQLite file that does not exist exits 2
        instead of answering from an empty database. A database file or folder open to
        group/others is warned about on every command that opens it."""
        if self._engine is None:
            self._engine = open_engine(self.db, create=create)
            path = sqlite_file(self.db)
            for warning in loose_modes(path) if path is not None else ():
                render.warn(warning)
        return EventLog(self._engine, on_wait=render.warn)


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    if isinstance(obj, Settings):
        return obj
    return Settings(db=os.environ.get("OVERLOAD_DB", DEFAULT_DB))


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn engine errors into one line on stderr and an exit code: never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except OverloadError as error:
            render.fail(said_file_error(str(error)))
            raise typer.Exit(error.exit_code) from None
        except SQLAlchemyError as error:
            render.fail(_("database: {problem}").format(problem=first_line(error)))
            raise typer.Exit(2) from None
        except OSError as error:
            # A folder that cannot be created or a file that cannot be written (publish --out,
            # watch): the operator needs the path and the reason, not a traceback.
            where = f"{error.filename}: " if error.filename else ""
            render.fail(f"{where}{error.strerror or first_line(error)}")
            raise typer.Exit(2) from None

    return wrapper
