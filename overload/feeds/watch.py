"""The stations' drop folder: take complete files, ingest each once, file it with a report.

A file is taken when it is complete: temporary names (`.x`, `~x`, `*.tmp`, `*.part`,
`*.partial`, `*.filepart`) are never taken, and any other file only once it has not changed for
the settle time. A watcher holds an exclusive lock (flock) on the file while it ingests it, so two
watchers never ingest one file at once, and a watcher that dies (even by SIGKILL or power loss)
releases it: the file is still in the folder and is ingested again on restart, which idempotency
makes harmless. Files are moved, never deleted.

Only regular files owned by an allowed user are read. A symbolic link, a pipe, a device, or a
file of another owner is refused unread and filed in failed/ with the reason: the check is made
on the open file (O_NOFOLLOW, then fstat), so nothing can be swapped in between, and the file
read is the one that was checked. An unexpected error while ingesting a file files it in
failed/ with its report; only the database failing stops the watcher, the file left in place.
"""

import fcntl
import os
import re
import stat
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.exc import DataError, SQLAlchemyError

from overload import clock, reasons
from overload.errors import StorageError, first_line
from overload.events import FEED_EVENTS
from overload.feeds.filing import file_away, folder
from overload.feeds.ingest import OUTCOMES, FileReport, IngestReport
from overload.feeds.names import printable

TEMPORARY = re.compile(r"^[.~]|\.(tmp|part|partial|filepart|crdownload)$", re.IGNORECASE)
DONE, FAILED = "done", "failed"
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC

IngestFile = Callable[[Path, BinaryIO, str | None], IngestReport]


@dataclass(frozen=True)
class Filed:
    """What became of one dropped file."""

    name: str  # printable
    folder: str  # "done" or "failed"
    report: dict[str, Any]


@dataclass(frozen=True)
class Seen:
    """An entry of the drop folder in one scan: `ready` to take, or `skipped` or `refused`
    with the reason (a refused entry is filed in failed/ unread)."""

    path: Path
    status: str
    reason: str = ""

    @property
    def name(self) -> str:
        return printable(self.path.name)


def own_user() -> frozenset[int]:
    return frozenset({os.geteuid()})


def type_from_name(name: str) -> str | None:
    """A CSV without a `type` column takes its type from the name: `weighing-LF01-20260105.csv`."""
    for feed_type in sorted(FEED_EVENTS, key=len, reverse=True):
        if name.startswith((f"{feed_type}-", f"{feed_type}_", f"{feed_type}.")):
            return feed_type
    return None


def scan(directory: Path, settle_seconds: float, owners: Collection[int]) -> list[Seen]:
    """Every entry of the folder but done/ and failed/, with what to do with it; the ready ones
    oldest first, by lstat (nothing is followed or opened here)."""
    now = time.time()
    seen: list[tuple[float, str, Seen]] = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.name in (DONE, FAILED):
                continue
            path = Path(entry.path)
            if TEMPORARY.search(entry.name):
                seen.append((0, entry.name, Seen(path, "skipped", reasons.TEMPORARY_NAME)))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # taken by another watcher meanwhile
            if stat.S_ISDIR(info.st_mode):
                seen.append((0, entry.name, Seen(path, "skipped", reasons.A_FOLDER)))
                continue
            refusal = refused(info, owners)
            if refusal is not None:
                seen.append((0, entry.name, Seen(path, "refused", refusal)))
            elif now - info.st_mtime < settle_seconds:
                seen.append((0, entry.name, Seen(path, "skipped", reasons.NOT_SETTLED)))
            else:
                seen.append((info.st_mtime, entry.name, Seen(path, "ready")))
    return [s for _, _, s in sorted(seen, key=lambda item: (item[0], item[1]))]


def ready(directory: Path, settle_seconds: float,
          owners: Collection[int] | None = None) -> list[Path]:
    """Complete files waiting in the folder, oldest first."""
    found = scan(directory, settle_seconds, own_user() if owners is None else owners)
    return [s.path for s in found if s.status == "ready"]


def refused(info: os.stat_result, owners: Collection[int]) -> str | None:
    """Why a file with this (l)stat is not read, or None."""
    if stat.S_ISLNK(info.st_mode):
        return reasons.SYMLINK
    if not stat.S_ISREG(info.st_mode):
        return reasons.NOT_REGULAR.format(kind=_kind(info.st_mode))
    if info.st_uid not in owners:
        return reasons.OTHER_OWNER.format(uid=info.st_uid)
    return None


def _kind(mode: int) -> str:
    for test, name in zip((stat.S_ISFIFO, stat.S_ISSOCK, stat.S_ISCHR, stat.S_ISBLK),
                          reasons.FILE_KINDS, strict=False):
        if test(mode):
            return name
    return reasons.FILE_KINDS[-1]


def refuse(path: Path, reason: str) -> Filed | None:
    """File a refused entry in failed/ unread, with a report giving the reason."""
    report = _summary(path, None, FAILED, f"refused: {reason}")
    try:
        file_away(path, folder(path.parent, FAILED), report)
    except FileNotFoundError:
        return None  # gone meanwhile
    return Filed(printable(path.name), FAILED, report)


def process(
    path: Path, ingest_file: IngestFile, owners: Collection[int] | None = None
) -> Filed | None:
    """Ingest one file under an exclusive lock and move it to done/ or failed/ with a report.
    None: the file is gone, or another watcher has it."""
    owners = own_user() if owners is None else owners
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as error:  # ELOOP: a link swapped in since the scan
        info = _lstat(path)
        if info is None:
            return None
        return refuse(path, refused(info, owners) or reasons.CANNOT_OPEN.format(error=error.strerror))
    with os.fdopen(fd, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # another watcher has it
        info = os.fstat(handle.fileno())
        current = _lstat(path)
        if current is None or (current.st_ino, current.st_dev) != (info.st_ino, info.st_dev):
            return None  # already filed by another watcher; this name is a new file
        reason = refused(info, owners)
        if reason is not None:
            return refuse(path, reason)
        report = _ingested(path, handle, ingest_file)
        failed = report.exit_code != 0
        summary = _summary(path, report, FAILED if failed else DONE)
        file_away(path, folder(path.parent, FAILED if failed else DONE), summary)
        return Filed(printable(path.name), FAILED if failed else DONE, summary)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _ingested(path: Path, handle: BinaryIO, ingest_file: IngestFile) -> IngestReport:
    """The file's report; an unexpected error makes it a report with that error, so the file
    is filed in failed/ instead of stopping the folder for good. The database failing is not
    the file's fault: that stops the watcher and leaves the file to be taken again."""
    try:
        return ingest_file(path, handle, type_from_name(path.name))
    except (StorageError, SQLAlchemyError) as error:
        if not isinstance(error, DataError):
            raise
        problem: Exception = error
    except Exception as error:  # the rule: one file's surprise ends that file only
        problem = error
    report = IngestReport([FileReport(printable(str(path)))])
    report.files[0].error = reasons.file_error(printable(str(path)), reasons.INTERNAL.format(
            error=f"{type(problem).__name__}: {first_line(problem)[:300]}"))
    return report


def _summary(path: Path, report: IngestReport | None, filed_in: str,
             error: str | None = None) -> dict[str, Any]:
    file = report.files[0] if report is not None else FileReport(printable(str(path)))
    return {
        "file": printable(path.name),
        "filed_in": filed_in,
        "processed_at": clock.now().isoformat(timespec="seconds"),
        "exit_code": report.exit_code if report is not None else 2,
        "error": error or file.error,
        "encoding": file.encoding,
        "counts": {
            record_type: {k: counts[k] for k in ("read", *OUTCOMES)}
            for record_type, counts in sorted(file.counts.items())
        },
        "totals": {k: file.total(k) for k in ("read", *OUTCOMES)},
        "reasons": file.reasons,
    }
