"""The console entry point itself (main(), not CliRunner): it leaves with os._exit after
flushing, so every byte of output and the exit code must still come through."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT


def overload(db: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OVERLOAD_DB": db}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          env=env, check=False, timeout=120)


def test_output_and_exit_codes_survive_the_fast_exit(db: str) -> None:
    ingested = overload(db, "ingest", "--format", "json", str(FIXTURES))
    assert ingested.returncode == 1  # the deliberately bad rows
    totals = json.loads(ingested.stdout)["totals"]
    assert totals["read"] == totals["accepted"] + totals["duplicate"] + totals["quarantined"]
    assert totals["quarantined"] > 0
    listed = overload(db, "list", "--as-of", "2026-06-30", "--format", "json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) > 5
    csv_lines = overload(db, "list", "--as-of", "2026-06-30", "--format", "csv")
    assert csv_lines.stdout.decode().count("\n") == len(json.loads(listed.stdout)) + 1
    unknown = overload(db, "explain", "晋L99999")
    assert unknown.returncode == 1 and b"no event in the log mentions" in unknown.stderr
    usage = overload(db, "no-such-command")
    assert usage.returncode == 2 and b"No such command" in usage.stderr


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_closed_pipe_ends_the_command_quietly(db: str, tmp_path: Path, fmt: str) -> None:
    assert overload(db, "ingest", str(FIXTURES)).returncode == 1
    env = {**os.environ, "OVERLOAD_DB": db}
    command = [sys.executable, str(ROOT / "main.py"), "list", "--as-of", "2026-06-30",
               "--format", fmt]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()  # like `overload list | head -c 10`
        errors = process.stderr.read()
        process.wait(timeout=120)
    assert b"Traceback" not in errors
