"""`overload verify` and `overload anchor`: is the log the one that was written?"""

from typing import Annotated, Any

import typer

from overload.cli import render
from overload.cli.context import handles_errors, settings
from overload.cli.render import Format
from overload.evaluation.audit import DeepReport, Lag, deep, lag
from overload.i18n import _
from overload.sentences import said
from overload.store.anchor import Anchor, format_anchor, read_anchor
from overload.store.verify import HeadCheck, Verdict, verify

app = typer.Typer()


@app.command("verify")
@handles_errors
def verify_command(
    ctx: typer.Context,
    anchors: Annotated[
        list[str] | None,
        typer.Option("--anchor", help="HASH@POSITION, or a file holding one (a published list): "
                                      "the log must still contain that head. Repeatable."),
    ] = None,
    thorough: Annotated[
        bool, typer.Option("--deep", help="Also rebuild the projections in memory and compare.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Check the log's hash chain, the heads it recorded and the anchors given: OK with the head,
    or the first altered position (exit 1). Says when evaluation lags the log."""
    config = settings(ctx)
    wanted: list[Anchor] = [a for value in anchors or () for a in read_anchor(value)]
    log = config.log()
    verdict = verify(log, wanted)
    behind = lag(log, config.rulebook)
    report = deep(log) if thorough else None
    ok = verdict.ok and (report is None or not report.differences)
    if fmt is Format.json:
        render.emit_json(_as_json(verdict, behind, report, ok))
    else:
        _show(verdict, behind, report)
    if not ok:
        raise typer.Exit(1)


def _as_json(
    verdict: Verdict, behind: Lag | None, report: DeepReport | None, ok: bool
) -> dict[str, Any]:
    def head(check: HeadCheck) -> dict[str, Any]:
        return {"anchor": check.token, "source": check.source, "ok": check.ok,
                "problem": check.problem}

    return {
        "ok": ok, "events": verdict.events, "head_hash": verdict.head_hash,
        "position": verdict.position, "problem": verdict.problem,
        "anchor": format_anchor(verdict.head_position, verdict.head_hash) if verdict.ok else None,
        "anchors": [head(c) for c in verdict.anchors],
        "recorded_heads": [head(c) for c in verdict.recorded],
        "evaluation_lag": None if behind is None else {
            "rulebook": behind.rulebook, "checkpoint": behind.checkpoint,
            "last_state_event": behind.last_state_event},
        "deep": None if report is None else {
            "ok": not report.differences, "checked": report.checked, "notes": report.notes,
            "differences": [{"table": d.table, "key": d.key, "stored": d.stored,
                             "rebuilt": d.rebuilt} for d in report.differences]},
    }


def _show(verdict: Verdict, behind: Lag | None, report: DeepReport | None) -> None:
    if verdict.ok:
        render.say(_("OK: {events} events, head hash {hash}").format(
            events=f"{verdict.events:,}", hash=verdict.head_hash), markup=False, soft_wrap=True)
        render.say(_("anchor: {anchor}").format(
            anchor=format_anchor(verdict.head_position, verdict.head_hash)), markup=False,
            soft_wrap=True)
    elif verdict.position is not None and verdict.problem and not any(
            c.problem == verdict.problem for c in verdict.heads):
        render.fail(_("log broken at position {position}: {problem}").format(
            position=verdict.position, problem=said(verdict.problem)))
    for check in verdict.heads:
        if not check.ok:
            render.fail(said(check.problem) if check.problem else check.token)
    for check in verdict.anchors:
        if check.ok:
            render.say(_("anchor {token} ({source}): contained in the log").format(
                token=check.token, source=said(check.source)), markup=False, soft_wrap=True)
    recorded = verdict.recorded
    if recorded and all(c.ok for c in recorded):
        render.say(_("recorded heads: {count} checked, all still in the log").format(
            count=len(recorded)))
    if behind is not None:
        render.warn(_(
            "evaluation lags the log: the entries of {rulebook} reflect it up to position "
            "{checkpoint}, its last state event is {last} (the next list, explain or ingest "
            "catches up)").format(rulebook=behind.rulebook, checkpoint=behind.checkpoint or 0,
                                  last=behind.last_state_event))
    if report is None:
        return
    for line in report.checked:
        render.say(_("deep: compared {what}").format(what=line))
    for note in report.notes:
        render.warn(_("deep: {note}").format(note=note))
    for difference in report.differences:
        render.fail(_("deep: {table} {key}: stored {stored}; rebuilt from the log {rebuilt}")
                    .format(table=difference.table, key=difference.key,
                            stored=_cut(difference.stored), rebuilt=_cut(difference.rebuilt)))
    if not report.differences:
        render.say(_("deep: the projections equal those rebuilt from the log"))


def _cut(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@app.command("anchor")
@handles_errors
def anchor_command(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Print the log's head as HASH@POSITION, to record outside the database (a signed mail, a
    second system): `overload verify --anchor` proves the log still contains it. The chain is
    verified first: the head of a broken chain proves nothing (exit 1)."""
    log = settings(ctx).log()
    verdict = verify(log)
    if not verdict.ok:
        render.fail(_("log broken at position {position}: {problem}; no anchor printed").format(
            position=verdict.position, problem=said(verdict.problem)))
        raise typer.Exit(1)
    token = format_anchor(verdict.head_position, verdict.head_hash)
    recorded_at = None
    if verdict.head_position:
        for head in log.read(after=verdict.head_position - 1):
            recorded_at = head.recorded_at
            break
    if fmt is Format.json:
        render.emit_json({"anchor": token, "position": verdict.head_position,
                          "hash": verdict.head_hash, "events": verdict.events,
                          "recorded_at": recorded_at})
    else:
        render.say(token, markup=False, soft_wrap=True)
        render.warn(_("the log's head: position {position}, recorded {recorded}; keep this line "
                      "outside the database").format(
            position=verdict.head_position,
            recorded=render.beijing(recorded_at) if recorded_at else _("(empty log)")))
