"""`overload cases` (一超四罚 follow-up) and `overload watch` (the stations' drop folder)."""

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from overload import clock
from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.evaluation.run import current, load_state
from overload.feeds.ingest import IngestReport, ingest
from overload.feeds.watch import process, ready
from overload.i18n import _
from overload.rulebook import loader
from overload.screening.cases import CASE_COLUMNS, case_rows, screening_only, station_summary
from overload.screening.ledger import in_effect
from overload.screening.screen import screener_for

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
    once: Annotated[bool, typer.Option("--once", help="Process what is there, then exit.")] = False,
) -> None:
    """Ingest files dropped into DIR; file each in DIR/done or DIR/failed with a JSON report."""
    if not directory.is_dir():
        from overload.errors import OverloadError

        raise OverloadError(f"{directory}: not a folder")
    config = settings(ctx)
    log = config.log()
    rulebook = loader.load(config.rulebook)

    screener = screener_for(log, rulebook)

    def ingest_one(path: Path, csv_type: str | None) -> IngestReport:
        report = ingest(log, [path], csv_type=csv_type, screener=screener.catch_up(log))
        if report.accepted:
            current(log, config.rulebook)
        return report

    render.warn(f"watching {directory} (settle {settle:g} s, every {interval:g} s)"
                + (", once" if once else "; Ctrl-C to stop"))
    try:
        while True:
            for path in ready(directory, settle):
                filed = process(path, ingest_one)
                if filed is not None:
                    totals = filed.report["totals"]
                    render.say(
                        f"{clock.now().isoformat(timespec='seconds')} {filed.name} -> "
                        f"{filed.folder}/: read {totals['read']}, accepted {totals['accepted']}, "
                        f"duplicate {totals['duplicate']}, quarantined {totals['quarantined']}"
                        + (f" ({filed.report['error']})" if filed.report["error"] else "")
                    )
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        render.warn("stopped")
