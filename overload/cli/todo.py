"""`overload todo`: what the bureau must do on a day and soon, each with its command."""

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from overload import clock
from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.decisions import parse_day
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.i18n import NP_, _, pgettext
from overload.lifecycle import calendar as calendars
from overload.worklist import COLUMNS, Horizons, Worklist, gather, worklist

app = typer.Typer()

# At 80 columns: what, how urgent, since when, about whom, and the command; --wide for the rest.
# The `kind` of the JSON is shown as `task` (事项): the column `kind` of other tables is a
# vehicle's kind (车型).
TABLE = ("urgency", "task", "due_on", "subject_id", "command", "detail", "age_days", "entry_id",
         "subject_name")
ESSENTIAL = ("urgency", "task", "due_on", "subject_id", "command")
SHOWN = tuple("task" if c == "kind" else c for c in COLUMNS)


def _days(option: str, value: int) -> int:
    if value < 0:
        raise OverloadError(_("{option}: a number of days, 0 or more").format(option=option))
    return value


@app.command("todo")
@handles_errors
def todo_command(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option(
        "--on", help="The day, YYYY-MM-DD (default: today in Asia/Shanghai).")] = None,
    soon: Annotated[int, typer.Option(
        "--soon", help="Days ahead a publicity period ending is shown.")] = 7,
    expiring: Annotated[int, typer.Option(
        "--expiring", help="Days ahead an expiry (移出) is shown.")] = 30,
    older_than: Annotated[int, typer.Option(
        "--older-than", help="Days after which a detection with a party unpunished is backlog.")
    ] = 30,
    grace: Annotated[int, typer.Option(
        "--grace", help="Working days an act owed may wait before it is overdue.")] = 5,
    calendar_files: Annotated[list[Path] | None, typer.Option(
        "--calendar", help="The bureau's holiday file (TOML, repeatable; else OVERLOAD_CALENDAR, "
                           "as for publish).")] = None,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """待办: what is to be done on a day and soon (公示, objections, 公告, removals, 一超四罚
    backlog, quarantine, calendar), each with its command. Exit 3 when something is overdue,
    else 0."""
    day = clock.today() if on is None else parse_day("--on", on)
    horizons = Horizons(_days("--soon", soon), _days("--expiring", expiring),
                        _days("--older-than", older_than), _days("--grace", grace))
    files = list(calendar_files or []) or [
        Path(p) for p in os.environ.get("OVERLOAD_CALENDAR", "").split(os.pathsep) if p]
    config = settings(ctx)
    found = worklist(gather(config.log(), config.rulebook, day, calendars.load(files)), day,
                     horizons)
    _show(found, fmt, wide, keys)
    raise typer.Exit(found.exit_code)


def _shown_args(args: dict[str, Any] | Any) -> dict[str, Any]:
    """A detail's values in the operator's language: rules, statuses and parties."""
    shown = dict(args)
    if "rule" in shown:
        shown["rule"] = pgettext("rule", shown["rule"])
    if "status" in shown:
        shown["status"] = pgettext("status", shown["status"])
    if "parties" in shown:
        shown["parties"] = _("、").join(
            pgettext("subject type", p) for p in shown["parties"].split(", "))
    return shown


def _show(found: Worklist, fmt: Format, wide: bool, keys: bool) -> None:
    if fmt is Format.json:
        h = found.horizons
        render.emit_json({
            "on": found.on,
            "horizons": {"soon_days": h.soon_days, "expiry_days": h.expiry_days,
                         "older_than_days": h.older_than_days,
                         "grace_working_days": h.grace_working_days},
            "counts": {u: found.count(u) for u in ("overdue", "due", "soon", "info")},
            "exit_code": found.exit_code,
            "items": [item.row() for item in found.items],
        })
        return
    if fmt is Format.csv and keys:
        render.emit_csv([item.row() for item in found.items], COLUMNS, keys=True)
        return
    rows: list[dict[str, Any]] = [
        {**item.row(_(item.detail).format(**_shown_args(item.args))),
         "task": pgettext("todo kind", item.kind), "urgency": pgettext("urgency", item.urgency)}
        for item in found.items
    ]
    if fmt is Format.csv:
        render.emit_csv(rows, SHOWN)
        return
    if not rows:
        render.say(_("Nothing to do on {day}.").format(day=found.on))
        return
    caption = _("{overdue} overdue, {due} due, {soon} soon, {info} for information").format(
        overdue=found.count("overdue"), due=found.count("due"), soon=found.count("soon"),
        info=found.count("info"))
    render.emit(Format.table, rows, TABLE, title=_("To do on {day}").format(day=found.on),
                caption=caption, essential=ESSENTIAL, wide=wide)


# Marked for extraction: the kinds and urgencies as a table shows them, and the new columns.
KINDS = (
    NP_("todo kind", "announce"),
    NP_("todo kind", "period_ends"),
    NP_("todo kind", "objection"),
    NP_("todo kind", "list"),
    NP_("todo kind", "make_public"),
    NP_("todo kind", "repair_possible"),
    NP_("todo kind", "expiry"),
    NP_("todo kind", "backlog"),
    NP_("todo kind", "unknown_station"),
    NP_("todo kind", "quarantine"),
    NP_("todo kind", "conduct"),
    NP_("todo kind", "calendar"),
)
URGENCIES = (
    NP_("urgency", "overdue"),
    NP_("urgency", "due"),
    NP_("urgency", "soon"),
    NP_("urgency", "info"),
)
HEADERS = (
    NP_("column", "urgency"),
    NP_("column", "overdue"),
    NP_("column", "due_on"),
    NP_("column", "command"),
    NP_("column", "task"),
    NP_("status", "corrected"),
)
