"""Opening a database: a SQLite path (the embedded default) or any SQLAlchemy URL."""

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import SQLModel

from overload.errors import StorageError, first_line
from overload.store import tables  # noqa: F401  (registers the tables on the metadata)

DEFAULT_DB = "overload.db"
# A second writer waits this long for SQLite's write lock before the retry loop takes over.
SQLITE_BUSY_SECONDS = 30


def database_url(db: str) -> str:
    """A SQLAlchemy URL from `--db`: a URL as given, anything else a SQLite file path."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db)}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


_ENGINES: dict[str, Engine] = {}


def open_engine(db: str) -> Engine:
    """Create (on first use) and open the database, tables included; one engine per URL."""
    url = database_url(db)
    if url in _ENGINES:
        return _ENGINES[url]
    _ENGINES[url] = engine = _create(url, db)
    return engine


def close_engines() -> None:
    """Close every pooled connection (at exit: a server sees a clean logout)."""
    for engine in _ENGINES.values():
        engine.dispose()


def _create(url: str, db: str) -> Engine:
    if url.startswith("sqlite:///"):
        _create_private_file(Path(url.removeprefix("sqlite:///")))
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
                raise StorageError(f"cannot open database {db}: {first_line(error)}") from None
            time.sleep(min(0.05 * 2**attempt, 1.0))
        except SQLAlchemyError as error:
            if "already exists" in str(error).lower():
                continue
            raise StorageError(f"cannot open database {db}: {first_line(error)}") from None
    raise StorageError(f"cannot open database {db}: still locked by another process")



def _create_private_file(path: Path) -> None:
    """A new database file is readable by its owner only (it holds personal data)."""
    if path.exists() or str(path) == ":memory:":
        return
    if not path.parent.is_dir():
        raise StorageError(f"cannot create database file {path}: folder {path.parent} does not exist")
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise StorageError(f"cannot create database file {path}: {error.strerror}") from None


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
