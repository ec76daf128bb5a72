"""`overload objection file|decide`, `overload repair`, `overload audit`: operator actions."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.decisions import parse_day
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.i18n import N_, _
from overload.lifecycle import actions
from overload.lifecycle.load import view
from overload.lifecycle.timeline import Timeline
from overload.publish.periods import period_end
from overload.store.log import EventLog

objections = typer.Typer(help="Objections (异议) to a flagged entry during its publicity period.")
app = typer.Typer()

Operator = Annotated[
    str | None,
    typer.Option("--by", envvar="OVERLOAD_OPERATOR", help="Operator name (stored in the event)."),
]
On = Annotated[str, typer.Option("--on", help="Legal date of the act, YYYY-MM-DD.")]
Note = Annotated[str, typer.Option("--note", help="What was filed or decided, and why.")]


def _log_and_timelines(ctx: typer.Context) -> tuple[EventLog, dict[str, Timeline]]:
    """The log and every entry's timeline under the selected rulebook, for an operator action."""
    config = settings(ctx)
    log = config.log()
    return log, view(log, config.rulebook).timelines


@objections.command("file")
@handles_errors
def file_command(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Entry id (see overload list).")],
    on: On,
    note: Note,
    by: Operator = None,
) -> None:
    """Record an objection filed by the subject; refused after the publicity period."""
    done = actions.file_objection(*_log_and_timelines(ctx), entry,
                                  parse_day("--on", on), note, by)
    render.say(done.message)


@objections.command("decide")
@handles_errors
def decide_command(
    ctx: typer.Context,
    objection: Annotated[str, typer.Argument(help="Objection id, e.g. E1A2B3C4D5E-O1.")],
    on: On,
    note: Note,
    upheld: Annotated[bool, typer.Option("--upheld/--dismissed", help="The decision.")],
    by: Operator = None,
) -> None:
    """Decide an objection: upheld rejects the entry, dismissed lets it proceed."""
    done = actions.decide_objection(*_log_and_timelines(ctx), objection, upheld,
                                    parse_day("--on", on), note, by)
    render.say(done.message)


@app.command("repair")
@handles_errors
def repair_command(
    ctx: typer.Context,
    entry: Annotated[str, typer.Argument(help="Entry id (see overload list).")],
    on: On,
    document: Annotated[str, typer.Option("--document", help="Repair decision document no.")],
    by: Operator = None,
) -> None:
    """信用修复 of a listed entry; refused before the rulebook's minimum period, saying when."""
    done = actions.repair(*_log_and_timelines(ctx), entry, parse_day("--on", on),
                          document, by, rulebook_id=settings(ctx).rulebook)
    render.say(done.message, markup=False)


@app.command("audit")
@handles_errors
def audit_command(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """Every operator action in log order: who, what, on which entry, when."""
    # JSON and `--keys` keep the contract's English; a person reads the detail in their language.
    machine = fmt is Format.json or keys
    rows = [_audit_row(event.position, event.recorded_at, event.type, event.payload,
                       (lambda text: text) if machine else _)
            for event in settings(ctx).log().read(types=AUDITED)]
    render.emit(fmt, rows, ("position", "recorded_at", "operator", "action", "entry_id",
                            "objection_id", "on", "upheld", "detail"),
                title=_("Operator actions"),
                essential=("position", "recorded_at", "operator", "action", "entry_id"),
                wide=wide, keys=keys)


# The events an operator's act records (a publication act, a dismissed quarantine row too).
AUDITED = ("ObjectionFiled", "ObjectionDecided", "EntryRepaired", "PublicationMade",
           "QuarantineDismissed")


PUBLICATION_DETAIL = N_("act {seq}: announced {announced}, listed {listed}, removed {ended}, "
                        "corrected {corrected}")


def _audit_row(position: int, recorded_at: Any, kind: str, payload: dict[str, Any],
               say: Callable[[str], str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "position": position, "recorded_at": recorded_at, "operator": payload.get("operator"),
        "action": kind, "entry_id": payload.get("entry_id"),
        "objection_id": payload.get("objection_id"), "on": None, "upheld": payload.get("upheld"),
        "detail": payload.get("note") or payload.get("document_no"),
    }
    if kind == "PublicationMade":
        row.update(on=payload.get("published_on"), detail=say(PUBLICATION_DETAIL).format(
            seq=payload.get("seq"), announced=len(payload.get("announced", [])),
            listed=len(payload.get("listed", [])), ended=len(payload.get("ended", [])),
            corrected=len(payload.get("corrected", []))))
    elif kind == "QuarantineDismissed":
        row.update(operator=payload.get("operator") or payload.get("dismissed_by"),
                   on=payload.get("dismissed_on"),
                   detail=f"Q{payload.get('quarantine_id')} {payload.get('file')}:"
                          f"{payload.get('line')} {payload.get('note')}")
    else:
        row["on"] = (payload.get("filed_on") or payload.get("decided_on")
                     or payload.get("repaired_on"))
    return row


@app.command("publish")
@handles_errors
def publish_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder: public/ and to-subjects/.")],
    on: Annotated[str | None, typer.Option("--on", "--as-of", help="Date of the act.")] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="2026-Q4 or 2026-11: its last day.")
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder of replacement Jinja2 templates.")
    ] = None,
    by: Operator = None,
    calendar_files: Annotated[
        list[Path] | None,
        typer.Option("--calendar", help="The bureau's holiday file (TOML, repeatable; else "
                     "OVERLOAD_CALENDAR, paths separated like PATH).")
    ] = None,
    allow_fallback: Annotated[bool, typer.Option(
        "--allow-fallback-calendar", help="Announce with a deadline counted Monday-Friday.")
    ] = False,
    allow_empty: Annotated[bool, typer.Option(
        "--allow-empty", help="Record an act that announces, lists and removes nothing.")
    ] = False,
    draft: Annotated[bool, typer.Option(
        "--draft", help="Every page marked 草稿 — 不得对外发布; no number used, nothing "
                        "recorded; works before the settings are complete.")] = False,
) -> None:
    """The publication act on a date: announce (公示 and 告知书), list (公告), remove and correct
    what is due, write public/ and to-subjects/, and record the act. Needs the bureau's settings
    (--config, OVERLOAD_CONFIG, or overload.toml beside the database; see `overload init`)."""
    # Imported here, not at the top: Jinja2 would add to the start-up of every other command.
    from overload.publish.publish import bureau_settings, publish

    if (on is None) == (period is None):
        raise OverloadError(_("give exactly one of --on DATE or --period 2026-Q4|2026-11"))
    day = parse_day("--on", on) if on else period_end(period or "")
    if templates is not None and not templates.is_dir():
        raise OverloadError(_("--templates: {path} is not a folder").format(path=templates))
    files = list(calendar_files or []) or [
        Path(p) for p in os.environ.get("OVERLOAD_CALENDAR", "").split(os.pathsep) if p]
    config = settings(ctx)
    log = config.log()  # first: a missing database is the first thing to say
    bureau = bureau_settings(config.settings_path(), draft)
    done = publish(log, config.rulebook, day, out, by, templates, files, bureau=bureau,
                   allow_fallback=allow_fallback, allow_empty=allow_empty, draft=draft)
    render.say(done.message, markup=False)
    if done.summary:
        render.emit_table(_("Publication act of {day}").format(day=day), [done.summary],
                          list(done.summary))
        render.say(_("files in {folder}").format(folder=out), markup=False, soft_wrap=True)
        served = out / "to-subjects"
        for name in sorted(p.name for p in served.iterdir()) if served.is_dir() else ():
            # what the clerk must serve by post or in person (never on the website)
            render.say(_("to serve: {file}").format(file=served / name), markup=False,
                       soft_wrap=True)
    if done.log_head:
        # its own line, never folded: the whole HASH@POSITION is what `verify --anchor` reads
        render.say(_("log head {anchor}").format(anchor=done.log_head), markup=False,
                   soft_wrap=True)
