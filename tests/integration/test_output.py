"""The two output folders: modes, no stale files, and old-or-new after a crash at any moment."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from overload.publish.output import file_part, recover, write_output

ROOT = Path(__file__).resolve().parents[2]
# A publication killed midway: files are written slowly so the kill lands inside the writing;
# with a rename limit, it kills itself after that many renames (inside the swap of the folders).
WRITER = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from overload.publish import output

    out, generation, rename_limit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    write = output._write_file
    def slow(path, data, mode):
        write(path, data, mode)
        time.sleep(0.005)
    output._write_file = slow
    renames = 0
    rename = Path.rename
    def counted(self, target):
        global renames
        result = rename(self, target)
        renames += 1
        if renames == rename_limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    Path.rename = counted
    files = {f"{n:03d}.txt": generation.encode() for n in range(60)}
    output.write_output(out, files, {f"告知书-{n:03d}.html": generation.encode() for n in range(60)})
""")


def generation(out: Path) -> set[str]:
    """Which run wrote the output: one name if whole, several if mixed."""
    found = set()
    for folder in ("public", "to-subjects"):
        names = sorted(p.name for p in (out / folder).iterdir())
        assert len(names) == 60, (folder, len(names))
        found |= {(out / folder / name).read_text(encoding="utf-8") for name in names}
    return found


def run_writer(out: Path, which: str, rename_limit: int = 0, kill_after: float | None = None) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(out), which, str(rename_limit)], env=env)
    if kill_after is None:
        process.wait(timeout=60)
        return
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def test_the_notices_folder_is_private_and_the_public_one_readable(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        write_output(tmp_path, {"名单.csv": b"x"}, {"告知书-临交信告〔2026〕1号.html": b"y"})
    finally:
        os.umask(previous)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(tmp_path / "to-subjects") == 0o700
    assert mode(tmp_path / "to-subjects" / "告知书-临交信告〔2026〕1号.html") == 0o600
    assert mode(tmp_path / "public" / "名单.csv") == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "to-subjects"]


def test_a_reused_folder_keeps_nothing_of_the_previous_run(tmp_path: Path) -> None:
    write_output(tmp_path, {"a.md": b"1", "b.md": b"1"}, {"告知书-1.html": b"1"})
    (tmp_path / "public" / "stray.txt").write_text("left by hand")
    write_output(tmp_path, {"a.md": b"2"}, {})
    assert [p.name for p in (tmp_path / "public").iterdir()] == ["a.md"]
    assert list((tmp_path / "to-subjects").iterdir()) == []
    assert (tmp_path / "public" / "a.md").read_bytes() == b"2"


def test_other_files_beside_the_two_folders_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "overload.toml").write_text("# settings")
    write_output(tmp_path, {"a.md": b"1"}, {})
    assert (tmp_path / "overload.toml").read_text() == "# settings"


def test_a_file_name_cannot_leave_its_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        write_output(tmp_path, {"../escape.md": b"1"}, {})


def test_a_document_number_becomes_a_safe_file_name() -> None:
    assert file_part("临交信告〔2026〕1号") == "临交信告〔2026〕1号"
    assert file_part("临交/信:告*2026?1") == "临交_信_告_2026_1"


@pytest.mark.parametrize("kill_after", [0.15, 0.4, 0.7, 1.0])
def test_a_publication_killed_while_writing_leaves_the_old_output_or_the_new(
        tmp_path: Path, kill_after: float) -> None:
    run_writer(tmp_path, "old")
    run_writer(tmp_path, "new", kill_after=kill_after)
    recover(tmp_path)
    assert generation(tmp_path) in ({"old"}, {"new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "to-subjects"]


@pytest.mark.parametrize("renames", [1, 2, 3, 4])
def test_a_publication_killed_inside_the_swap_is_finished_by_the_next_run(
        tmp_path: Path, renames: int) -> None:
    run_writer(tmp_path, "old")
    run_writer(tmp_path, "new", rename_limit=renames)
    recover(tmp_path)
    assert generation(tmp_path) == {"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "to-subjects"]


def test_the_next_publication_first_recovers_a_crashed_one(tmp_path: Path) -> None:
    run_writer(tmp_path, "old")
    run_writer(tmp_path, "new", rename_limit=2)
    write_output(tmp_path, {"only.md": b"3"}, {})
    assert [p.name for p in (tmp_path / "public").iterdir()] == ["only.md"]
