"""The stations' drop folder: take complete files, ingest each once, file it with a report.

A file is taken when it is complete: temporary names (`.x`, `~x`, `*.tmp`, `*.part`,
`*.partial`, `*.filepart`) are never taken, and any other file only once it has not changed for
the settle time. A watcher holds an exclusive lock (flock) on the file while it ingests it, so two
watchers never ingest one file at once, and a watcher that dies (even by SIGKILL or power loss)
releases it: the file is still in the folder and is ingested again on restart, which idempotency
makes harmless. Files are moved, never deleted.
"""

import fcntl
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from overload import clock
from overload.events import FEED_EVENTS
from overload.feeds.ingest import OUTCOMES, IngestReport

TEMPORARY = re.compile(r"^[.~]|\.(tmp|part|partial|filepart|crdownload)$", re.IGNORECASE)
DONE, FAILED = "done", "failed"


@dataclass(frozen=True)
class Filed:
    """What became of one dropped file."""

    name: str
    folder: str  # "done" or "failed"
    report: dict[str, Any]


def type_from_name(name: str) -> str | None:
    """A CSV without a `type` column takes its type from the name: `weighing-LF01-20260105.csv`."""
    for feed_type in sorted(FEED_EVENTS, key=len, reverse=True):
        if name.startswith((f"{feed_type}-", f"{feed_type}_", f"{feed_type}.")):
            return feed_type
    return None


def ready(directory: Path, settle_seconds: float) -> list[Path]:
    """Complete files waiting in the folder, oldest first."""
    now = time.time()
    found = []
    for path in directory.iterdir():
        if not path.is_file() or TEMPORARY.search(path.name):
            continue
        try:
            info = path.stat()
        except FileNotFoundError:
            continue  # taken by another watcher meanwhile
        if now - info.st_mtime >= settle_seconds:
            found.append((info.st_mtime, path.name, path))
    return [p for _, _, p in sorted(found)]


def process(
    path: Path, ingest_file: Callable[[Path, str | None], IngestReport]
) -> Filed | None:
    """Ingest one file under an exclusive lock and move it to done/ or failed/ with a report."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # another watcher has it
        try:
            if os.fstat(handle.fileno()).st_ino != path.stat().st_ino:
                return None  # already filed by another watcher; this name is a new file
        except FileNotFoundError:
            return None
        report = ingest_file(path, type_from_name(path.name))
        folder = DONE if report.exit_code == 0 else FAILED
        summary = _summary(path, report, folder)
        target = _free_name(path.parent / folder, path.name)
        target.parent.mkdir(exist_ok=True)
        # Report first, then the move: a crash in between leaves the file in the folder, to be
        # ingested again (all duplicates) and filed on restart.
        target.with_name(target.name + ".report.json").write_bytes(
            orjson.dumps(summary, option=orjson.OPT_INDENT_2)
        )
        os.replace(path, target)
        return Filed(path.name, folder, summary)


def _free_name(folder: Path, name: str) -> Path:
    """A name in done/ or failed/ that does not overwrite an earlier file of the same name."""
    target = folder / name
    counter = 1
    while target.exists():
        target = folder / f"{name}.{counter}"
        counter += 1
    return target


def _summary(path: Path, report: IngestReport, folder: str) -> dict[str, Any]:
    [file] = report.files
    return {
        "file": path.name,
        "filed_in": folder,
        "processed_at": clock.now().isoformat(timespec="seconds"),
        "exit_code": report.exit_code,
        "error": file.error,
        "counts": {
            record_type: {k: counts[k] for k in ("read", *OUTCOMES)}
            for record_type, counts in sorted(file.counts.items())
        },
        "totals": {k: file.total(k) for k in ("read", *OUTCOMES)},
        "reasons": file.reasons,
    }
