"""Filing a dropped file in done/ or failed/ with its report, without trusting the drop folder.

Whoever can write into the drop folder can leave symbolic links there, including one named like
a report the watcher is about to write. So: done/ and failed/ must be real folders, a file is
moved by renaming the name itself (a link is moved as a link, never followed), a name already
taken in done/ or failed/ (even by a dangling link) is never reused, and a report is created
with O_EXCL | O_NOFOLLOW, so it can neither overwrite nor write through anything.
"""

import os
import stat
from pathlib import Path
from typing import Any

import orjson

from overload.errors import OverloadError
from overload.i18n import _

REPORT_SUFFIX = ".report.json"


def folder(directory: Path, name: str) -> Path:
    """`directory/name` as a real folder (made if missing); a link or a file there stops the
    watcher with one line rather than sending files through it."""
    path = directory / name
    try:
        os.mkdir(path)  # the umask decides, as before: stations may read their reports
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise OverloadError(_("{path}: not a folder (a link or a file is in the way); remove it")
                            .format(path=path))
    return path


def file_away(path: Path, into: Path, report: dict[str, Any]) -> Path:
    """Write the report, then move the file (or link) into `into` under a free name.

    Report first, then the move: a crash in between leaves the file in the drop folder, to be
    ingested again (all duplicates) and filed on restart.
    """
    counter = 0
    while True:
        target = into / (path.name if counter == 0 else f"{path.name}.{counter}")
        counter += 1
        if os.path.lexists(target):
            continue
        try:
            _write_new(target.with_name(target.name + REPORT_SUFFIX), report)
        except FileExistsError:
            continue
        os.replace(path, target)
        return target


def _write_new(path: Path, report: dict[str, Any]) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(path, flags, 0o666)  # as before: the umask decides
    with os.fdopen(fd, "wb") as handle:
        handle.write(orjson.dumps(report, option=orjson.OPT_INDENT_2))
