"""Shared fixtures: a database on each backend, a CLI runner, the bundled fixtures folder.

`db` runs every integration and end-to-end test on SQLite and, when OVERLOAD_TEST_PG_URL names a
server (`.ci/postgres` starts one), on PostgreSQL too; without it those runs skip saying why.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlmodel import SQLModel
from typer.testing import CliRunner

from overload import i18n
from overload.store.db import open_engine
from overload.store.log import EventLog

# CI replays the same examples every run (a fuzzer's new find must not block a landing by
# chance); developers' runs explore new ones. FUZZ_EXAMPLES raises the count for a long hunt.
settings.register_profile("ci", derandomize=True)
settings.register_profile("hunt", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")))
if os.environ.get("CI"):
    settings.load_profile("ci")
elif os.environ.get("FUZZ_EXAMPLES"):
    settings.load_profile("hunt")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PG_URL = os.environ.get("OVERLOAD_TEST_PG_URL")


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tests written before the Chinese console read English; a test of the Chinese
    console asks for it (`--lang zh_CN` or i18n.select). Subprocesses inherit the variable."""
    monkeypatch.setenv(i18n.ENV, i18n.ENGLISH)
    i18n.select(i18n.ENGLISH)
    yield
    i18n.select(i18n.ENGLISH)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set OVERLOAD_TEST_PG_URL (bash .ci/postgres starts one)")
    engine = open_engine(PG_URL)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    return PG_URL


@pytest.fixture
def log(db: str) -> Iterator[EventLog]:
    yield EventLog(open_engine(db))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
