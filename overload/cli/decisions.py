"""`overload list`, `overload explain`, `overload rebuild`."""

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from overload import clock
from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.render import Format
from overload.errors import OverloadError
from overload.evaluation.run import current
from overload.explain import explain, identify, scoped_state
from overload.lifecycle.load import lifecycle_events, view
from overload.listing import LIST_COLUMNS, rows
from overload.rulebook import loader
from overload.screening.ledger import in_effect
from overload.screening.rescreen import BATCH as RESCREEN_BATCH
from overload.screening.rescreen import Rescreened, rescreen, screened_through, unscreened
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
        raise OverloadError(f"{option}: {error}") from None


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
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """The serious-dishonesty list in effect on a date, from what was known on that date."""
    config = settings(ctx)
    day = _as_of(as_of)
    log = config.log()
    now = current(log, config.rulebook)
    rulebook = now.rulebook
    if rule is not None and not rulebook.has_rule(rule):
        known = ", ".join(r.id for r in rulebook.rules)
        raise OverloadError(f"--rule: {rulebook.id} has no rule {rule!r} (it has {known})")
    listed = rows(now.entries, lifecycle_events(log), now.names, rulebook, day,
                  subject.value if subject else None, rule, include_all)
    render.emit(
        fmt, listed,
        ("entry_id", "subject_type", "subject_id", "subject_name", "rule", "status",
         "tripped_on", "violations", "share", "next", "next_date") if fmt is Format.table
        else LIST_COLUMNS,
        title=f"Serious-dishonesty list as of {day} ({rulebook.label})",
        caption=f"{len(listed)} entries",
    )


@app.command("explain")
@handles_errors
def explain_command(
    ctx: typer.Context,
    subject_id: Annotated[str, typer.Argument(help="A plate, driver ID number or credit code.")],
    as_of: AsOf = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
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
    if fmt is Format.json:
        render.emit_json(report)
        return
    _render_explanation(report)


def _render_explanation(report: dict[str, Any]) -> None:
    render.say(
        f"{report['subject_type']} {report['subject_id']} {report['subject_name']} "
        f"— as of {report['as_of']}, rulebook {report['rulebook']}@{report['rulebook_version']}"
    )
    if report["decisions"]:
        render.emit_table("Penalty decisions", report["decisions"],
                          ("case_no", "violation_on", "decided_on", "station_id", "plate",
                           "revoked_on", "note"))
    if report["detections"]:
        render.emit_table("Detections (weighings over the limit; they do not count)",
                          report["detections"],
                          ("station_id", "record_id", "weighed_on", "evidence_grade", "exceeded"))
    if report["suspension_orders"]:
        render.emit_table("Suspension orders", report["suspension_orders"],
                          ("order_no", "ordered_on", "authority"))
    if report["serious_conduct"]:
        render.emit_table("Serious conduct", report["serious_conduct"],
                          ("document_no", "conduct", "occurred_on", "decided_on",
                           "grounds_a_listing", "why"))
    for entry in report["entries"]:
        window = entry["window"]
        render.say(
            f"\nENTRY {entry['entry_id']} {entry['rule']} ({entry['rulebook']}): {entry['status']},"
            f" tripped {entry['tripped_on']}\n  rule: {entry['summary']} ({entry['reading']})\n"
            f"  legal basis: {entry['legal_basis']}\n  evidence: {', '.join(entry['evidence'])}"
        )
        if entry["violations"] is not None:
            render.say(f"  violations in the window: {entry['violations']}")
        if entry["share"]:
            render.say(f"  violating vehicles / fleet: {entry['share']}")
        if window:
            render.say(f"  window: {window['first']} .. {window['last']} "
                       f"(one-year end {window['one_year_end']}; {window['note']})")
        for revoked in entry["revoked_evidence"]:
            render.say(f"  revoked {revoked['revoked_on']}: {revoked['case_no']} ({revoked['reason']})")
        if entry.get("revocation_effect"):
            render.say(f"  effect: {entry['revocation_effect']}")
        render.say(f"  lifecycle: {entry.get('status')}"
                   + (f"; announced {entry['announced_on']} (告知书 {entry['notice_no']}, 公示 "
                      f"{entry['announcement_no']}), objection period ends "
                      f"{entry['objection_period_ends']} ({entry['calendar']})"
                      if entry.get("announced_on") else "; not announced yet")
                   + (f"; listed {entry['listed_on']} ({entry['listing_no']}), expires "
                      f"{entry['expires_on']}, repair from {entry['repair_from']}"
                      if entry.get("listed_on") else "")
                   + (f"; next: {entry['next']} {entry.get('next_date') or ''}"
                      if entry.get("next") else ""))
        for objection in entry.get("objections", []):
            render.say(f"  objection {objection['objection_id']} filed {objection['filed_on']}"
                       f" by {objection['operator']} ({objection['note']}): "
                       + (f"{objection['outcome']} on {objection['decided_on']}"
                          f" ({objection['decision_note']})" if objection["outcome"]
                          else "pending"))
        if entry["withdrawn_on"]:
            render.say(f"  withdrawn {entry['withdrawn_on']}: {entry['withdrawal_reason']}")
    if not report["entries"]:
        render.say("\nNot listed on this date.")
    for item in report["thresholds"]:
        line = f"\n{item['rule']}: " + ("condition met" if item["met"] else "condition not met")
        if "violations" in item:
            line += (f"; {item['violations']} counted violation(s) within one year, "
                     f"{item['needed']} needed, {item['missing']} missing")
        if "share" in item:
            line += (f"; {item['share']} vehicles ({item['percent']}), rule {item['comparison']}"
                     + (", and a suspension order" if item["needs_suspension_order"] else ""))
            if item.get("needed_vehicles"):
                line += f"; {item['needed_vehicles']} violating vehicles would meet it"
        if item.get("counting_after"):
            line += f" (counting violations after the trip of {item['counting_after']})"
        render.say(line)
        if item.get("note"):
            render.say(f"  {item['note']} ({item['entry_in_effect']})")
        if "fleet" in item and item["fleet"] is not None:
            render.say(f"  fleet in the year: {', '.join(item['fleet']) or '(none)'}")
            violating = item.get("violating_vehicles") or {}
            for plate, cases in violating.items():
                render.say(f"  violating: {plate} ({', '.join(cases)})")
        if item.get("window"):
            render.say(f"  window: {item['window']['first']} .. {item['window']['last']} "
                       f"({item['window']['note']})")
    for note in report["undecided"]:
        render.say(f"note: {note}")


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
