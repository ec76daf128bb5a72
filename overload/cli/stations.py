"""`overload cases` (一超四罚 follow-up) and `overload watch` (the stations' drop folder)."""

import os
import pwd
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from overload import clock, reasons
from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.evaluation.run import catch_up, load_state
from overload.feeds.filing import folder
from overload.feeds.ingest import IngestReport, ingest_opened
from overload.feeds.names import printable
from overload.feeds.watch import DONE, FAILED, Filed, IngestFile, process, refuse, scan
from overload.i18n import _
from overload.rulebook import loader
from overload.screening.cases import CASE_COLUMNS, case_rows, screening_only, station_summary
from overload.screening.ledger import in_effect
from overload.screening.rescreen import mark_ingested
from overload.screening.screen import screener_for
from overload.timeutil import SHANGHAI

app = typer.Typer()


@app.command("cases")
@handles_errors
def cases_command(
    ctx: typer.Context,
    only_open: Annotated[
        bool, typer.Option("--open", help="Only detections with at least one unpunished party.")
    ] = False,
    older_than: Annotated[
        int | None, typer.Option("--older-than", help="Only detections at least DAYS old.")
    ] = None,
    station: Annotated[str | None, typer.Option("--station", help="Only this station.")] = None,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """一超四罚: each static detection, its four parties, and which are penalised or still open."""
    config = settings(ctx)
    log = config.log()
    rulebook = loader.load(config.rulebook)
    detections = in_effect(log, rulebook)  # withdrawn detections open no case
    state = load_state(log)
    rows = case_rows(detections, state, clock.today())
    screening = [r for r in screening_only(detections, state)
                 if station is None or r["station_id"] == station]
    rows = [
        r for r in rows
        if (older_than is None or r["age_days"] >= older_than)
        and (station is None or r["station_id"] == station)
    ]
    summary = station_summary(rows, state, screening)  # over all selected, open or not
    if only_open:
        rows = [r for r in rows if r["open_parties"] > 0]  # unknown parties are open work
    if fmt is not Format.table:  # JSON: the three lists; CSV: the cases, as before
        render.emit(fmt, rows, CASE_COLUMNS, keys=keys,
                    document={"cases": rows, "stations": summary, "screening_only": screening})
        return
    rows = [{**r, "station": _station_label(r)} for r in rows]
    screening = [{**r, "station": _station_label(r)} for r in screening]
    render.emit(
        fmt, rows,
        ("station", "record_id", "weighed_on", "plate", "excess", "limit_kg", "vehicle",
         "driver", "enterprise", "source_unit", "cases", "age_days"),
        title=_("一超四罚 follow-up"), wide=wide,
        essential=("station", "record_id", "weighed_on", "plate", "vehicle", "driver",
                   "enterprise", "source_unit"),
    )
    if screening:
        render.emit(fmt, screening, ("station", "record_id", "weighed_on", "plate", "reason"),
                    title=_("Screening only (scale certificate not valid)"), wide=wide)
    render.emit(fmt, summary, list(summary[0]) if summary else ["station_id"],
                title=_("Per station"), wide=wide,
                essential=("station_id", "station_name", "detections", "fully_penalised", "open"))


def _station_label(row: dict[str, Any]) -> str:
    """The station by name (its place is in the per-station table, JSON and CSV); its code only
    when the registry has not described it."""
    return row.get("station_name") or _("{station_id} (unknown station)").format(
        station_id=row["station_id"])


@app.command("watch")
@handles_errors
def watch_command(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="The drop folder stations write into.")],
    settle: Annotated[
        float, typer.Option("--settle", help="Seconds a file must stay unchanged before it is taken.")
    ] = 5.0,
    interval: Annotated[float, typer.Option("--interval", help="Seconds between scans.")] = 2.0,
    once: Annotated[
        bool, typer.Option("--once", help="Process what is there, then exit (1: a file failed).")
    ] = False,
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", help="A user (name or uid) whose files are taken, besides the "
                     "watcher's own; repeatable."),
    ] = None,
) -> None:
    """Ingest files dropped into DIR; file each in DIR/done or DIR/failed with a JSON report.

    Only regular files owned by the watcher's user (or an --owner) are read: links, pipes and
    other users' files are filed in DIR/failed unread, with the reason."""
    if not directory.is_dir():
        raise OverloadError(_("{path}: not a folder").format(path=printable(str(directory))))
    owners = allowed_owners(owner or [])
    for name in (DONE, FAILED):
        folder(directory, name)
    config = settings(ctx)
    log = config.log(create=True)
    screener = screener_for(log, loader.load(config.rulebook))

    def ingest_one(path: Path, handle: BinaryIO, csv_type: str | None) -> IngestReport:
        _line(_("taken {file}").format(file=printable(path.name)))
        report = ingest_opened(log, path, handle, csv_type=csv_type,
                               screener=screener.catch_up(log))
        mark_ingested(log, screener.rulebook, report.first_accepted,
                      report.accepted_of("weighing"))
        return report

    def evaluate() -> None:
        catch_up(log, config.rulebook)  # even for duplicates: a killed run left work undone

    render.warn((_("watching {folder} (settle {settle:g} s, every {interval:g} s), once") if once
                 else _("watching {folder} (settle {settle:g} s, every {interval:g} s); Ctrl-C to "
                        "stop")).format(folder=printable(str(directory)), settle=settle,
                                        interval=interval))
    said: dict[str, str] = {}
    try:
        while True:
            failed = _one_pass(directory, settle, owners, ingest_one, evaluate, said)
            if once:
                raise typer.Exit(1 if failed else 0)
            time.sleep(interval)
    except KeyboardInterrupt:
        render.warn(_("stopped"))


def allowed_owners(names: list[str]) -> frozenset[int]:
    """The watcher's own uid and those named with --owner (a user name or a number)."""
    owners = {os.geteuid()}
    for name in names:
        if name.isdigit():
            owners.add(int(name))
            continue
        try:
            owners.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            raise OverloadError(_("--owner: no user {name} on this system").format(
                name=repr(printable(name)))) from None
    return frozenset(owners)


def _one_pass(
    directory: Path, settle: float, owners: frozenset[int], ingest_one: IngestFile,
    evaluate: Callable[[], None], said: dict[str, str],
) -> bool:
    """One scan of the folder, a line for each file taken, skipped (once per reason), done,
    failed or refused; True when a file went to failed/."""
    failed = False
    seen = scan(directory, settle, owners)
    for entry in seen:
        if entry.status == "skipped":
            if said.get(entry.name) != entry.reason:
                _line(_("skipped {file}: {reason}").format(
                    file=entry.name, reason=reasons.said_message(entry.reason)))
            said[entry.name] = entry.reason
            continue
        said.pop(entry.name, None)
        if entry.status == "refused":
            filed = refuse(entry.path, entry.reason)
        else:
            filed = process(entry.path, ingest_one, owners)
        if filed is None:
            continue
        failed = failed or filed.folder == FAILED
        _line(_outcome(filed))
        if filed.report["totals"]["accepted"]:
            evaluate()
    for name in set(said) - {entry.name for entry in seen}:
        del said[name]  # gone (renamed, taken elsewhere): forget what was said of it
    return failed


def _outcome(filed: Filed) -> str:
    report = filed.report
    totals = report["totals"]
    error = report["error"]
    if error and error.startswith("refused: "):
        return _("refused {file} -> {folder}/: {reason}").format(
            file=filed.name, folder=filed.folder,
            reason=reasons.said_message(error.removeprefix("refused: ")))
    line = (_("done {file} -> {folder}/: read {read}, accepted {accepted}, duplicate "
              "{duplicate}, quarantined {quarantined}") if filed.folder == DONE
            else _("failed {file} -> {folder}/: read {read}, accepted {accepted}, duplicate "
                   "{duplicate}, quarantined {quarantined}"))
    text = line.format(file=filed.name, folder=filed.folder, **totals)
    return text + (f" ({reasons.said_file_error(error)})" if error else "")


def _line(message: str) -> None:
    """One line of the watcher's output, stamped with Beijing time (offset shown)."""
    stamp = clock.now().astimezone(SHANGHAI).isoformat(timespec="seconds")
    render.say(f"{stamp} {message}", markup=False, soft_wrap=True)
