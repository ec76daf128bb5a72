"""Opening a database: a SQLite path (the embedded default) or any SQLAlchemy URL."""

import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import SQLModel

from overload.errors import StorageError, first_line
from overload.i18n import _
from overload.store import tables  # noqa: F401  (registers the tables on the metadata)

DEFAULT_DB = "overload.db"
# A second writer waits this long for SQLite's write lock before the retry loop takes over.
SQLITE_BUSY_SECONDS = 30
# Group and others may neither read nor write the database (it holds personal data), nor its
# folder (where SQLite keeps the -wal and -shm files, and an operator the copies).
LOOSE_BITS = stat.S_IRGRP | stat.S_IWGRP | stat.S_IROTH | stat.S_IWOTH


def database_url(db: str) -> str:
    """A SQLAlchemy URL from `--db`: a URL as given, anything else a SQLite file path."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db)}"


def sqlite_file(db: str) -> Path | None:
    """The file of a SQLite database (None: a server URL, or SQLite in memory)."""
    url = database_url(db)
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return None if path in ("", ":memory:") else Path(path)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


_ENGINES: dict[str, Engine] = {}


def open_engine(db: str, create: bool = True) -> Engine:
    """Open the database, tables included; one engine per URL. A SQLite file that does not
    exist is created only with `create`; without, StorageError (exit 2): a command that reads
    must not answer from an empty database it has just made."""
    url = database_url(db)
    if url in _ENGINES:
        return _ENGINES[url]
    path = sqlite_file(db)
    if path is not None and not create and not path.exists():
        raise StorageError(_("no database at {db}; run 'overload ingest' or pass --db").format(db=db))
    _ENGINES[url] = engine = _create(url, db)
    return engine


def loose_modes(path: Path) -> list[str]:
    """A warning for the database file and one for its folder when group or others may read
    or write them (a file made with `touch`, a folder made with the default umask)."""
    warnings = []
    for target, loose, fix in (
            (path, _("warning: database file {target} is open to group/others (mode {mode}); "
                     "run: chmod {fix} {target}"), "600"),
            (path.absolute().parent, _("warning: folder of the database {target} is open to "
                                       "group/others (mode {mode}); run: chmod {fix} {target}"),
             "700")):
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            continue
        if mode & LOOSE_BITS:
            warnings.append(loose.format(target=target, mode=f"{mode:04o}", fix=fix))
    return warnings


def close_engines() -> None:
    """Close every pooled connection (at exit: a server sees a clean logout)."""
    for engine in _ENGINES.values():
        engine.dispose()


def _create(url: str, db: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = sqlite_file(db)
        if path is not None:
            _create_private_file(path)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "isolation_level": None}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    # Two processes opening a new database at once race on its creation: retry, then give up
    # with one line (the tables exist or the database is unreachable).
    for attempt in range(40):
        try:
            SQLModel.metadata.create_all(engine)
            return engine
        except OperationalError as error:
            if "locked" not in str(error).lower() and "already exists" not in str(error).lower():
                raise StorageError(_("cannot open database {db}: {problem}").format(
                    db=db, problem=first_line(error))) from None
            time.sleep(min(0.05 * 2**attempt, 1.0))
        except SQLAlchemyError as error:
            if "already exists" in str(error).lower():
                continue
            raise StorageError(_("cannot open database {db}: {problem}").format(
                db=db, problem=first_line(error))) from None
    raise StorageError(_("cannot open database {db}: still locked by another process").format(
        db=db))


def _create_private_file(path: Path) -> None:
    """A new database file is readable by its owner only (it holds personal data)."""
    if path.exists():
        return
    if not path.parent.is_dir():
        raise StorageError(_("cannot create database file {path}: folder {folder} does not exist")
                           .format(path=path, folder=path.parent))
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise StorageError(_("cannot create database file {path}: {problem}").format(
            path=path, problem=error.strerror)) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Switching to WAL needs a moment alone with the file; once set it persists in the file.
    for attempt in range(40):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError:
            time.sleep(min(0.05 * 2**attempt, 1.0))
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None) so that a writer can take
    # the write lock up front: check-then-insert of idempotency keys must be atomic.
    if connection.get_execution_options().get("write_lock"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
