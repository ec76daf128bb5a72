"""The database file (issue 13 "No silent emptiness", issue 14 item 7), through the CLI."""

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from overload.cli.app import app
from tests.conftest import FIXTURES

REGISTRY = str(FIXTURES / "01-registry.jsonl")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [
    ["list"], ["explain", "晋LA10000"], ["quarantine"], ["log"], ["verify"], ["audit"],
    ["cases"], ["publish", "--as-of", "2026-06-30", "--out", "published"], ["rebuild"],
])
def test_a_command_that_reads_a_missing_database_exits_2_and_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "overload.db"
    code, out, err = invoke("--db", str(db), *command)
    assert code == 2 and out == ""
    assert err.strip() == f"error: no database at {db}; run 'overload ingest' or pass --db"
    assert not db.exists()


def test_ingest_creates_the_database_readable_by_its_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "overload.db"
    code, _, err = invoke("--db", str(db), "ingest", REGISTRY)
    assert code == 0 and "warning" not in err
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert invoke("--db", str(db), "list", "--format", "json")[0] == 0


def test_ingest_of_a_folder_without_feed_files_exits_2_saying_what_it_looked_for(
    tmp_path: Path,
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a feed")
    db = tmp_path / "overload.db"
    code, _, err = invoke("--db", str(db), "ingest", str(tmp_path / "empty"))
    assert code == 2 and not db.exists()
    assert f"no feed file in {tmp_path / 'empty'} (looked for .csv, .jsonl, .ndjson)" in err


def test_a_database_made_with_touch_is_warned_about_on_every_command(tmp_path: Path) -> None:
    db = tmp_path / "overload.db"
    db.touch(mode=0o644)
    os.chmod(db, 0o644)  # whatever the umask
    for command in (["ingest", REGISTRY], ["list"], ["verify"]):
        _, _, err = invoke("--db", str(db), *command)
        assert (f"warning: database file {db} is open to group/others (mode 0644); "
                f"run: chmod 600 {db}") in err, command


def test_a_folder_open_to_others_is_warned_about_and_a_private_one_is_not(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    db = shared / "overload.db"
    _, _, err = invoke("--db", str(db), "ingest", REGISTRY)
    assert (f"warning: folder of the database {shared} is open to group/others (mode 0755); "
            f"run: chmod 700 {shared}") in err
    assert "database file" not in err  # the file itself was created 0600
    os.chmod(shared, 0o700)
    assert "warning" not in invoke("--db", str(db), "list")[2]
