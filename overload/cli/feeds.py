"""`overload ingest`, `overload quarantine`, `overload log`."""

from pathlib import Path
from typing import Annotated, Any

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.evaluation.run import current
from overload.events import event_type_name
from overload.feeds import encoding as encodings
from overload.feeds.ingest import OUTCOMES, IngestReport, expand, ingest
from overload.feeds.names import printable
from overload.feeds.readers import FORMATS
from overload.identifiers import classify
from overload.rulebook import loader
from overload.screening.screen import screener_for
from overload.store.verify import verify

app = typer.Typer()


@app.command("ingest")
@handles_errors
def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Feed files (.jsonl, .csv) or folders.")],
    record_type: Annotated[
        str | None, typer.Option("--type", help="Record type of a CSV without a `type` column.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Encoding of CSV files (default: detected: a BOM, "
                     "else UTF-8, else GB18030). JSON Lines is always UTF-8."),
    ] = None,
) -> None:
    """Ingest feed files into the event log: each row is accepted, duplicate or quarantined."""
    forced = encodings.named(encoding) if encoding is not None else None
    files = expand(paths)
    if not files:
        looked = ", ".join(printable(str(p)) for p in paths)
        raise OverloadError(f"no feed file in {looked} (looked for {', '.join(sorted(FORMATS))})")
    config = settings(ctx)
    log = config.log(create=True)
    screener = screener_for(log, loader.load(config.rulebook))
    with render.progress(fmt is Format.table) as advance:
        current = {"label": ""}
        report = ingest(
            log,
            files,
            csv_type=record_type,
            screener=screener,
            encoding=forced,
            on_file=lambda p: current.update(label=printable(str(p))),
            on_rows=lambda n: advance(current["label"], n),
        )
    del screener  # the vehicle table is not needed while the rules are evaluated
    _after_ingest(ctx, report)
    _show(report, fmt)
    raise typer.Exit(report.exit_code)


def _after_ingest(ctx: typer.Context, report: IngestReport) -> None:
    """Evaluate the rulebook over the subjects the new events touch (incremental)."""
    if report.accepted:
        config = settings(ctx)
        current(config.log(), config.rulebook)


def summary_rows(report: IngestReport) -> list[dict[str, Any]]:
    rows = []
    for file in report.files:
        if file.error:
            rows.append({"file": file.path, "type": "(file)", "read": 0, "accepted": 0,
                         "duplicate": 0, "quarantined": 0, "error": file.error,
                         "encoding": file.encoding})
        for record_type, counts in sorted(file.counts.items()):
            rows.append({"file": file.path, "type": record_type, "read": counts["read"],
                         **{o: counts[o] for o in OUTCOMES}, "error": None,
                         "encoding": file.encoding})
    return rows


def _show(report: IngestReport, fmt: Format) -> None:
    rows = summary_rows(report)
    if fmt is Format.json:
        render.emit_json({
            "files": rows,
            "totals": {k: sum(r[k] for r in rows) for k in ("read", *OUTCOMES)},
            "reasons": [reason for f in report.files for reason in f.reasons],
            "exit_code": report.exit_code,
        })
        return
    totals = {k: sum(r[k] for r in rows) for k in ("read", *OUTCOMES)}
    render.emit(Format.table, rows, ("file", "encoding", "type", "read", *OUTCOMES),
                title="Ingest summary",
                caption="read = accepted + duplicate + quarantined; totals: "
                + ", ".join(f"{k} {v:,}" for k, v in totals.items()))
    for file in report.files:
        if file.error:
            render.fail(file.error)
        for reason in file.reasons:
            render.warn(f"quarantined: {reason}")
        hidden = file.total("quarantined") - len(file.reasons)
        if hidden > 0:
            render.warn(f"... and {hidden} more quarantined rows: see `overload quarantine`")


@app.command("quarantine")
@handles_errors
def quarantine_command(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """List quarantined rows: file, line, type, field and the reason."""
    rows = settings(ctx).log().quarantined()
    render.emit(fmt, rows, ("file", "line", "record_type", "field", "reason", "raw"),
                title="Quarantined rows")


@app.command("log")
@handles_errors
def log_command(
    ctx: typer.Context,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Feed type (weighing) or event (WeighingRecorded).")
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="A plate, ID number, credit code or case no.")
    ] = None,
    after: Annotated[int, typer.Option(help="Only events after this position.")] = 0,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """Show stored events in log order."""
    log = settings(ctx).log()
    types = [event_type_name(event_type)] if event_type else None
    if subject is not None:
        # A plate, ID number or credit code as stored (spaces, case, full width); anything else
        # (a case or order number) exactly as typed.
        found = classify(subject)
        subject = found[1] if found else subject.strip()
    events = list(log.read(types=types, subject=subject, after=after))
    rows = [
        {
            "position": e.position, "type": e.type, "key": e.key, "event_at": e.event_at,
            "recorded_at": e.recorded_at, "source": e.source, "payload": e.payload,
        }
        for e in events
    ]
    if fmt is Format.table:
        shown = [{**r, "payload": _short(e.payload)} for r, e in zip(rows, events, strict=True)]
        render.emit(fmt, shown, ("position", "type", "key", "event_at", "source", "payload"),
                    title="Event log")
    else:
        render.emit(fmt, rows, ("position", "type", "key", "event_at", "recorded_at", "source",
                                "payload"))


def _short(payload: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v}" for k, v in payload.items())
    return text if len(text) < 120 else text[:117] + "..."


@app.command("verify")
@handles_errors
def verify_command(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Check the log's hash chain: OK with the head hash, or the first altered position (exit 1)."""
    verdict = verify(settings(ctx).log())
    if fmt is Format.json:
        render.emit_json({"ok": verdict.ok, "events": verdict.events, "head_hash": verdict.head_hash,
                          "position": verdict.position, "problem": verdict.problem})
    elif verdict.ok:
        render.say(f"OK: {verdict.events:,} events, head hash {verdict.head_hash}")
    else:
        render.fail(f"log broken at position {verdict.position}: {verdict.problem}")
    if not verdict.ok:
        raise typer.Exit(1)
