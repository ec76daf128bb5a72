"""`overload cases` (一超四罚 follow-up) and `overload watch` (the stations' drop folder)."""

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from overload import clock
from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.render import Format
from overload.evaluation.run import catch_up, load_state
from overload.feeds.ingest import IngestReport, ingest
from overload.feeds.watch import process, ready
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
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
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
    if fmt is Format.json:
        render.emit_json({"cases": rows, "stations": summary, "screening_only": screening})
    elif fmt is Format.csv:
        render.emit_csv(rows, CASE_COLUMNS)
    else:
        rows = [{**r, "station": _station_label(r)} for r in rows]
        screening = [{**r, "station": _station_label(r)} for r in screening]
        render.emit_table(
            "一超四罚 follow-up", rows,
            ("station", "record_id", "weighed_on", "plate", "excess", "limit_kg", "vehicle",
             "driver", "enterprise", "source_unit", "cases", "age_days"),
        )
        if screening:
            render.emit_table("Screening only (scale certificate not valid)", screening,
                              ("station", "record_id", "weighed_on", "plate", "reason"))
        render.emit_table("Per station", summary, list(summary[0]) if summary else ["station_id"])


def _station_label(row: dict[str, Any]) -> str:
    """The station by name (its place is in the per-station table, JSON and CSV); its code only
    when the registry has not described it."""
    return row.get("station_name") or f"{row['station_id']} (unknown station)"


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
        catch_up(log, config.rulebook)  # even for duplicates: a killed run left work undone
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
