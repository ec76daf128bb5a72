"""Write a publication act's two folders so that a crash leaves the old output or the whole new one.

`DIR/public/` goes to the website; `DIR/to-subjects/` holds the notices served on the subjects
(full names and ID numbers) and is 0700 with 0600 files. Both are built in a staging folder inside
DIR (same file system, so renames are atomic), each file flushed to disk. Then a commit record,
itself written by an atomic rename, says the staging is complete; only after it do the two
folders replace the old ones. A crash before the record leaves the old folders and a staging
folder that the next run deletes; a crash after it is rolled forward by the next run (or by
`recover`), so no one ever has to pick between a half-old and a half-new set. The folders
replaced hold only the new files: nothing of a previous run survives in them.
"""

import os
import re
import shutil
from pathlib import Path

FOLDERS = {"public": (0o755, 0o644), "to-subjects": (0o700, 0o600)}
_STAGING = ".overload-staging"
_COMMIT = ".overload-commit"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_part(document_no: str) -> str:
    """A document number as part of a file name: 〔〕 kept, path and shell-hostile characters not."""
    return _UNSAFE.sub("_", document_no).strip(". ") or "_"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)  # the umask does not decide who can read a notice
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_folder(folder: Path, files: dict[str, bytes], modes: tuple[int, int]) -> None:
    folder.mkdir(mode=modes[0])
    os.chmod(folder, modes[0])
    for name, data in sorted(files.items()):
        if name != Path(name).name or name in ("", ".", ".."):
            raise ValueError(f"{name!r} is not a plain file name")
        _write_file(folder / name, data, modes[1])
    _fsync_dir(folder)


def _swap(out: Path, staging: Path) -> None:
    """Move each new folder into place; safe to run again after a crash at any point in it."""
    for name in FOLDERS:
        new, current, old = staging / name, out / name, staging / f"old-{name}"
        if not new.exists():
            continue  # already moved into place by an earlier, interrupted run
        if current.exists() and not old.exists():
            current.rename(old)
        elif current.exists():
            shutil.rmtree(current)
        new.rename(current)
    _fsync_dir(out)


def recover(out: Path) -> None:
    """Finish a committed write that was interrupted, or drop an uncommitted one."""
    commit, staging, pending = out / _COMMIT, out / _STAGING, out / (_COMMIT + ".tmp")
    if pending.exists():
        pending.unlink()
    if commit.exists():
        if staging.exists():
            _swap(out, staging)
        commit.unlink()
        _fsync_dir(out)
    if staging.exists():
        shutil.rmtree(staging)


def write_output(out: Path, public: dict[str, bytes], private: dict[str, bytes]) -> None:
    """Replace `out/public` and `out/to-subjects` with exactly these files, all or nothing."""
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    staging = out / _STAGING
    staging.mkdir(mode=0o700)
    _write_folder(staging / "public", public, FOLDERS["public"])
    _write_folder(staging / "to-subjects", private, FOLDERS["to-subjects"])
    _fsync_dir(staging)
    pending = out / (_COMMIT + ".tmp")
    _write_file(pending, b"staging complete\n", 0o600)
    pending.rename(out / _COMMIT)  # the commit point
    _fsync_dir(out)
    _swap(out, staging)
    (out / _COMMIT).unlink()
    shutil.rmtree(staging)
    _fsync_dir(out)
