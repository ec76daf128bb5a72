"""`overload ingest`, `overload quarantine [dismiss]`, `overload log`."""

from pathlib import Path
from typing import Annotated, Any

import typer

from overload import clock, reasons
from overload.cli import render, vocabulary
from overload.cli.context import handles_errors, settings
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.evaluation.run import catch_up
from overload.events import event_type_name
from overload.feeds import encoding as encodings
from overload.feeds.ingest import OUTCOMES, IngestReport, expand, ingest
from overload.feeds.names import printable
from overload.feeds.readers import FORMATS
from overload.i18n import _
from overload.identifiers import classify
from overload.rulebook import loader
from overload.screening.rescreen import mark_ingested
from overload.screening.screen import screener_for
from overload.store.log import StoredEvent, canonical_json
from overload.store.quarantine import QUARANTINE_COLUMNS, dismiss, review

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
        raise OverloadError(_("no feed file in {paths} (looked for {formats})").format(
            paths=looked, formats=", ".join(sorted(FORMATS))))
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
    """Evaluate the rulebook over the subjects the new events touch (incremental). Always,
    even when every row was a duplicate: an ingest killed between its commit and this step
    left rows unevaluated, and running it again must finish the work."""
    config = settings(ctx)
    log = config.log()
    mark_ingested(log, loader.load(config.rulebook), report.first_accepted,
                  report.accepted_of("weighing"))
    catch_up(log, config.rulebook)


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
                essential=("file", "type", "read", "accepted", "quarantined"),
                title=_("Ingest summary"),
                caption=_("read = accepted + duplicate + quarantined; totals: {totals}").format(
                    totals=_(", ").join(f"{vocabulary.header(k)} {v:,}"
                                        for k, v in totals.items())))
    for file in report.files:
        if file.error:
            render.fail(reasons.said_file_error(file.error))
        for reason in file.reasons:
            render.warn(_("quarantined: {reason}").format(reason=reasons.said_note(reason)))
        hidden = file.total("quarantined") - len(file.reasons)
        if hidden > 0:
            render.warn(_("... and {count} more quarantined rows: see `overload quarantine`")
                        .format(count=hidden))


quarantine = typer.Typer(help="Rows that did not become events, and the operator's decisions on them.")
app.add_typer(quarantine, name="quarantine")

# A quarantined row as a table shows it at 80 columns: the id to dismiss it by, where it came
# from, and why; the text of the row itself with --wide.
QUARANTINE_TABLE = ("id", "file", "line", "record_type", "field", "reason", "raw", "recorded_at",
                    "status")
QUARANTINE_ESSENTIAL = ("id", "file", "line", "reason")


@quarantine.callback(invoke_without_command=True)
@handles_errors
def quarantine_command(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="Every quarantined row, resolved and dismissed included.")
    ] = False,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """Quarantined rows still to be dealt with: not resolved by a later accepted row with the
    same key or from the same line fixed, and not dismissed (`--all` for every row)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = review(settings(ctx).log())
    shown = rows if show_all else [r for r in rows if r["status"] == "pending"]
    hidden = len(rows) - len(shown)
    caption = _("{shown} rows").format(shown=len(shown)) + (
        _("; {hidden} resolved or dismissed rows not shown (--all shows them)").format(
            hidden=hidden) if hidden else "")
    render.emit(fmt, shown, QUARANTINE_COLUMNS if fmt is not Format.table else QUARANTINE_TABLE,
                title=_("Quarantined rows"), caption=caption, essential=QUARANTINE_ESSENTIAL,
                wide=wide, keys=keys)


@quarantine.command("dismiss")
@handles_errors
def dismiss_command(
    ctx: typer.Context,
    ids: Annotated[list[int], typer.Argument(help="Ids of quarantined rows (see overload quarantine).")],
    note: Annotated[str, typer.Option("--note", help="Why the rows are dropped.")],
    by: Annotated[
        str | None,
        typer.Option("--by", envvar="OVERLOAD_OPERATOR", help="Operator name (stored in the event)."),
    ] = None,
) -> None:
    """Drop quarantined rows on purpose: recorded as an event (shown in audit), rows kept."""
    if not by or not by.strip():
        raise OverloadError(_("an operator name is required: --by NAME or OVERLOAD_OPERATOR"))
    done = dismiss(settings(ctx).log(), ids, note, by.strip(), clock.today())
    render.say(_("dismissed {count} quarantined rows ({ids}) by {operator}").format(
        count=len(done), ids=", ".join(str(e.quarantine_id) for e in done), operator=by.strip()))


# Events whose time is an instant (a weighing); every other event's time is a legal date,
# stored as midnight in Beijing, and shown as that date.
INSTANT_EVENTS = frozenset({"WeighingRecorded", "OverloadDetected", "PenaltyDecided",
                            "SeriousConductRecorded"})
LOG_TABLE = ("position", "type", "key", "event_at", "recorded_at", "source", "payload")
LOG_ESSENTIAL = ("position", "type", "event_at", "payload")


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
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """Show stored events in log order (times in Beijing time; JSON keeps the stored UTC)."""
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
    columns = ("position", "type", "key", "event_at", "recorded_at", "source", "payload")
    if fmt is Format.json:
        render.emit(fmt, rows, columns)
        return
    if fmt is Format.csv:
        # the whole payload, as JSON text in one cell; times as stored with --keys
        whole = [{**r, "payload": canonical_json(e.payload)} for r, e in zip(rows, events,
                                                                              strict=True)]
        if not keys:
            whole = [{**r, "event_at": _event_time(e)} for r, e in zip(whole, events, strict=True)]
        render.emit(fmt, whole, columns, keys=keys)
        return
    shown = [{**r, "event_at": _event_time(e), "payload": _short(e.payload)}
             for r, e in zip(rows, events, strict=True)]
    render.emit(fmt, shown, LOG_TABLE, title=_("Event log"), essential=LOG_ESSENTIAL, wide=wide)


def _event_time(event: StoredEvent) -> str:
    """Beijing time for an instant; the legal date for an event about a date."""
    shown = render.beijing(event.event_at)
    return shown if event.type in INSTANT_EVENTS else shown[:10]


def _short(payload: dict[str, Any]) -> str:
    text = "; ".join(f"{vocabulary.header(k)}: {v}" for k, v in payload.items())
    return text if len(text) < 120 else text[:117] + "..."
