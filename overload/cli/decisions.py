"""`overload list`, `overload explain`, `overload rebuild`."""

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from overload import clock
from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.explaining import explanation_lines, explanation_sections
from overload.cli.options import FormatOption, Keys, Wide
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.evaluation.run import current
from overload.explain import explain, identify, scoped_state
from overload.i18n import _, ngettext
from overload.lifecycle.load import lifecycle_events, view
from overload.listing import LIST_COLUMNS, rows
from overload.rulebook import loader
from overload.screening.ledger import in_effect
from overload.screening.rescreen import BATCH as RESCREEN_BATCH
from overload.screening.rescreen import Rescreened, rescreen, screened_through, unscreened
from overload.sentences import said
from overload.store.log import canonical_json
from overload.timeutil import TimeFormatError, parse_date

app = typer.Typer()


class SubjectType(StrEnum):
    vehicle = "vehicle"
    driver = "driver"
    enterprise = "enterprise"
    source_unit = "source_unit"


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Legal date YYYY-MM-DD (default: today in Asia/Shanghai)."),
]


def parse_day(option: str, text: str) -> date:
    """A legal date given on the command line; a bad one is a one-line error naming the option."""
    try:
        return parse_date(text)
    except TimeFormatError as error:
        raise OverloadError(f"{option}: {said(str(error))}") from None


def _as_of(text: str | None) -> date:
    return clock.today() if text is None else parse_day("--as-of", text)


@app.command("list")
@handles_errors
def list_command(
    ctx: typer.Context,
    as_of: AsOf = None,
    subject: Annotated[
        SubjectType | None, typer.Option("--subject", help="Only this subject type.")
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule id.")] = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Include withdrawn and ended entries.")
    ] = False,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """The serious-dishonesty list in effect on a date, from what was known on that date."""
    config = settings(ctx)
    day = _as_of(as_of)
    log = config.log()
    now = current(log, config.rulebook)
    rulebook = now.rulebook
    if rule is not None and not rulebook.has_rule(rule):
        known = ", ".join(r.id for r in rulebook.rules)
        raise OverloadError(_("--rule: {rulebook} has no rule {rule} (it has {known})").format(
            rulebook=rulebook.id, rule=repr(rule), known=known))
    listed = rows(now.entries, lifecycle_events(log), now.names, rulebook, day,
                  subject.value if subject else None, rule, include_all)
    render.emit(
        fmt, listed,
        ("entry_id", "subject_type", "subject_id", "subject_name", "rule", "status",
         "tripped_on", "violations", "share", "next", "next_date") if fmt is Format.table
        else LIST_COLUMNS,
        title=_("Serious-dishonesty list as of {day} ({rulebook})").format(
            day=day, rulebook=rulebook.label),
        caption=ngettext("{count} entry", "{count} entries", len(listed)).format(
            count=len(listed)),
        essential=LIST_ESSENTIAL, wide=wide, keys=keys,
    )


# What a list at 80 columns keeps: who, which entry, where it stands and since when.
LIST_ESSENTIAL = ("entry_id", "subject_id", "subject_name", "status", "tripped_on")


@app.command("explain")
@handles_errors
def explain_command(
    ctx: typer.Context,
    subject_id: Annotated[str, typer.Argument(help="A plate, driver ID number or credit code.")],
    as_of: AsOf = None,
    fmt: FormatOption = Format.table,
    wide: Wide = False,
    keys: Keys = False,
) -> None:
    """Why a subject is or is not listed: events, window, rule, rulebook version, legal basis."""
    config = settings(ctx)
    day = _as_of(as_of)
    log = config.log()
    state = scoped_state(log, subject_id)
    subject = identify(subject_id, state)[1]
    now = view(log, config.rulebook, subject_id=subject)
    rulebook, entries = now.rulebook, now.entries
    detections = in_effect(log, rulebook, subject=subject)  # superseded ones are withdrawn
    report = explain(subject_id, state, rulebook, entries, day, loader.matcher(config.rulebook),
                     detections, now.timelines)
    sections = explanation_sections(report, codes=fmt is render.Format.csv)
    render.emit_sections(fmt, sections, report, wide=wide, keys=keys,
                         lines=lambda: explanation_lines(report, rulebook))


@app.command("rebuild")
@handles_errors
def rebuild_command(
    ctx: typer.Context,
    screen: Annotated[
        bool | None,
        typer.Option("--rescreen/--no-rescreen",
                     help="Screen every weighing again (default: only the weighings after the "
                          "last completed screening of this rulebook version, e.g. all of them "
                          "after switching rulebooks, the rest after a killed rebuild)."),
    ] = None,
    batch: Annotated[
        int, typer.Option("--screen-batch", envvar="OVERLOAD_RESCREEN_BATCH", hidden=True,
                          min=1, help="Detection changes per transaction of the re-screen.")
    ] = RESCREEN_BATCH,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Recompute every projection and decision from the raw events; append what is missing."""
    config = settings(ctx)
    log = config.log()
    now = current(log, config.rulebook, full=True)
    rulebook, entries, result = now.rulebook, now.entries, now.reconciled
    after = 0 if screen else screened_through(log, rulebook)
    if screen is None:
        screen = unscreened(log, after)
    screened = rescreen(log, rulebook, after=after, batch=batch) if screen else Rescreened()
    digest = hashlib.sha256(
        canonical_json({"entries": [_entry_digest(e) for e in entries]}).encode()
    ).hexdigest()
    summary = {
        "rulebook": rulebook.label,
        "events_replayed": log.head()[0],
        "entries": result.entries,
        "appended_flags": result.flagged,
        "appended_withdrawals": result.withdrawn,
        "superseded": result.superseded,
        "rescreened": screen,
        "screened_after_position": after if screen else None,
        "screened_through_position": screened.through if screen else None,
        "weighings_screened": screened.weighings,
        "weighings_over_the_lowest_limits": screened.candidates,
        "appended_detections": screened.appended,
        "withdrawn_detections": screened.withdrawn,
        "entries_sha256": digest,
    }
    if fmt is Format.json:
        render.emit_json(summary)
    else:
        render.emit_table("Rebuild", [summary], list(summary))


def _entry_digest(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.entry_id, "rule": entry.rule, "subject": entry.subject_id,
        "tripped_on": entry.tripped_on.isoformat(),
        "withdrawn_on": entry.withdrawn_on.isoformat() if entry.withdrawn_on else None,
        "evidence": list(entry.evidence),
    }
