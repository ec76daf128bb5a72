"""Shared fixtures: a temporary database, a CLI runner, the bundled fixtures folder."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload.store.db import open_engine
from overload.store.log import EventLog

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


@pytest.fixture
def log(db: str) -> Iterator[EventLog]:
    engine = open_engine(db)
    yield EventLog(engine)
    engine.dispose()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
