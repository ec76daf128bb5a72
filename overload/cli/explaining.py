"""`overload explain` as a person reads it: its tables (render.Section) and its sentences.

The report itself (overload/explain.py) is the JSON contract and stays English; here its
values are said in the run's language: statuses and rules through the vocabulary, stored
sentences (notes, reasons, windows, calendars) through overload.sentences, and the rule's
reading from the rulebook's own Chinese text.
"""

from collections.abc import Callable
from typing import Any

from overload import i18n
from overload.cli import render, vocabulary
from overload.i18n import _, pgettext
from overload.rulebook.model import Rulebook
from overload.sentences import said


def _named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with `station`: the registered station's name, its code only when unregistered."""
    return [{**row, "station": row.get("station_name") or row.get("station_id")} for row in rows]


def explanation_sections(report: dict[str, Any], codes: bool = False) -> list[render.Section]:
    """The explanation's tables, in every format (`--format csv` is one file of them all).

    A table names a station as the cases and documents do (its registered name); `codes`
    (CSV) keeps the station_id column beside it for machines."""
    station = ("station_id", "station") if codes else ("station",)
    return [
        render.Section(_("Penalty decisions"), _named(report["decisions"]),
                       ("case_no", "violation_on", "decided_on", *station, "plate",
                        "revoked_on", "note"),
                       essential=("case_no", "violation_on", "decided_on", "note")),
        render.Section(_("Detections (weighings over the limit; they do not count)"),
                       _named(report["detections"]),
                       (*station, "record_id", "weighed_on", "evidence_grade", "exceeded"),
                       essential=("record_id", "weighed_on", "evidence_grade", "exceeded")),
        render.Section(_("Suspension orders"), report["suspension_orders"],
                       ("order_no", "ordered_on", "authority")),
        render.Section(_("Serious conduct"), report["serious_conduct"],
                       ("document_no", "conduct", "occurred_on", "decided_on",
                        "grounds_a_listing", "why"),
                       essential=("document_no", "conduct", "decided_on", "grounds_a_listing",
                                  "why")),
    ]


def _status(status: str | None) -> str:
    return pgettext("status", status) if status else ""


def _rule(rule: str) -> str:
    return pgettext("rule", rule)


def _joined(items: list[str]) -> str:
    """Identifiers in a sentence, separated by spaces in Chinese too: a console folds a line
    only at a space, so a plate or a case number is never cut in two."""
    return (" " if i18n.current() != i18n.ENGLISH else ", ").join(items)


def explanation_lines(report: dict[str, Any], rulebook: Rulebook) -> None:
    """The sentences of an explanation: the subject, each entry, each threshold, the notes."""
    say: Callable[[str], None] = render.say
    say(_("{subject_type} {subject_id} {subject_name} — as of {as_of}, rulebook "
          "{rulebook}@{version}").format(
        subject_type=pgettext("subject type", report["subject_type"]),
        subject_id=report["subject_id"],
        # A vehicle's name is its plate: said once, not "车辆 晋LB10037 晋LB10037".
        subject_name="" if report["subject_name"] == report["subject_id"]
        else report["subject_name"],
        as_of=report["as_of"], rulebook=report["rulebook"],
        version=report["rulebook_version"]).replace("  ", " "))
    for entry in report["entries"]:
        _entry_lines(entry, rulebook, say)
    if not report["entries"]:
        say("\n" + _("Not listed on this date."))
    for item in report["thresholds"]:
        _threshold_lines(item, say)
    for note in rulebook.undecided_said() if report["undecided"] else ():
        say(_("note: {note}").format(note=note))


def _entry_lines(entry: dict[str, Any], rulebook: Rulebook, say: Callable[[str], None]) -> None:
    reading = (rulebook.rule(entry["rule"]).reading() if rulebook.has_rule(entry["rule"])
               else entry["reading"])
    say("\n" + _("ENTRY {entry_id} {rule} ({rulebook}): {status}, tripped {tripped_on}").format(
        entry_id=entry["entry_id"], rule=_rule(entry["rule"]), rulebook=entry["rulebook"],
        status=_status(entry["status"]), tripped_on=entry["tripped_on"]))
    say("  " + _("rule: {summary} ({reading})").format(summary=entry["summary"], reading=reading))
    say("  " + _("legal basis: {basis}").format(basis=entry["legal_basis"]))
    say("  " + _("evidence: {cases}").format(cases=_joined(entry["evidence"])))
    if entry["violations"] is not None:
        say("  " + _("violations in the window: {count}").format(count=entry["violations"]))
    if entry["share"]:
        say("  " + _("violating vehicles / fleet: {share}").format(share=entry["share"]))
    window = entry["window"]
    if window:
        say("  " + _("window: {first} .. {last} (one-year end {end}; {note})").format(
            first=window["first"], last=window["last"], end=window["one_year_end"],
            note=said(window["note"])))
        if window.get("counted_from"):
            say("  " + _("counted only the violations from {first} to {last}: those up to the "
                         "earlier trip of {previous} grounded that entry").format(
                first=window["counted_from"], last=window["last"],
                previous=entry["previous_trip_on"]))
    for revoked in entry["revoked_evidence"]:
        say("  " + _("revoked {revoked_on}: {case_no} ({reason})").format(
            revoked_on=revoked["revoked_on"], case_no=revoked["case_no"],
            reason=revoked["reason"]))
    if entry.get("revocation_effect"):
        say("  " + _("effect: {effect}").format(effect=said(entry["revocation_effect"])))
    say("  " + _lifecycle(entry))
    if entry.get("tripped_again"):
        say("  " + _("repaired on {on}, but the violations after its trip met the rule again "
                     "that day: entry {entry_id} trips on the repair date and is announced "
                     "(告知书) to list it again").format(on=entry["repaired_on"],
                                                       entry_id=entry["tripped_again"]))
    if entry.get("calendar_note"):
        say("  " + said(entry["calendar_note"]))
    for objection in entry.get("objections", []):
        # The subject objects (异议); the operator only records it.
        text = _("objection {objection_id}: filed by the subject on {filed_on} (recorded by "
                 "{operator}; {note})").format(
            objection_id=objection["objection_id"], filed_on=objection["filed_on"],
            operator=objection["operator"], note=objection["note"])
        if objection["outcome"] in ("upheld", "dismissed"):
            text += _decided(objection)
        else:
            text += _(": pending")
        say("  " + text)
    if entry["withdrawn_on"]:
        say("  " + _("withdrawn {withdrawn_on}: {reason}").format(
            withdrawn_on=entry["withdrawn_on"], reason=said(entry["withdrawal_reason"])))


def _decided(objection: dict[str, Any]) -> str:
    """": upheld on DAY (note)", the note left out when it only repeats the outcome (a note
    of "upheld", or of 异议成立 in a Chinese run, adds nothing to 异议成立)."""
    upheld = objection["outcome"] == "upheld"
    bare = (_(": upheld on {decided_on}") if upheld
            else _(": dismissed on {decided_on}")).format(decided_on=objection["decided_on"])
    note = (objection.get("decision_note") or "").strip()
    if not note or note in bare or note.lower() == objection["outcome"]:
        return bare
    return (_(": upheld on {decided_on} ({note})") if upheld
            else _(": dismissed on {decided_on} ({note})")).format(
        decided_on=objection["decided_on"], note=note)


def _lifecycle(entry: dict[str, Any]) -> str:
    """Where the entry stands in its legal timeline, in one line."""
    parts = [_("lifecycle: {status}").format(status=_status(entry.get("status")))]
    if entry.get("announced_on"):
        parts.append(_("announced {announced_on} (告知书 {notice_no}, 公示 {announcement_no}), "
                       "objection period ends {period_end} ({calendar})").format(
            announced_on=entry["announced_on"], notice_no=entry["notice_no"],
            announcement_no=entry["announcement_no"], period_end=entry["objection_period_ends"],
            calendar=said(entry["calendar"])))
    else:
        parts.append(_("not announced yet"))
    if entry.get("listed_on"):
        parts.append(_("listed {listed_on} ({listing_no}), expires {expires_on}, repair from "
                       "{repair_from}").format(
            listed_on=entry["listed_on"], listing_no=entry["listing_no"],
            expires_on=entry["expires_on"], repair_from=entry["repair_from"]))
    if entry.get("next"):
        parts.append(_("next: {step} {on}").format(
            step=vocabulary.value("next", entry["next"]), on=entry.get("next_date") or "").rstrip())
    return _("; ").join(parts)


def _threshold_lines(item: dict[str, Any], say: Callable[[str], None]) -> None:
    line = "\n" + (_("{rule}: condition met") if item["met"]
                   else _("{rule}: condition not met")).format(rule=_rule(item["rule"]))
    if "violations" in item:
        line += _("; {count} counted violation(s) within one year, {needed} needed, {missing} "
                  "missing").format(count=item["violations"], needed=item["needed"],
                                    missing=item["missing"])
    if "share" in item:
        line += _("; {share} vehicles ({percent}), rule {comparison}").format(
            share=item["share"], percent=said(item["percent"]), comparison=item["comparison"])
        if item["needs_suspension_order"]:
            line += _(", and a suspension order")
        if item.get("needed_vehicles"):
            line += _("; {count} violating vehicles would meet it").format(
                count=item["needed_vehicles"])
    if item.get("counting_after"):
        line += _(" (counting violations after the trip of {day})").format(
            day=item["counting_after"])
    say(line)
    if item.get("note"):
        say(f"  {said(item['note'])} ({item['entry_in_effect']})")
    if "fleet" in item and item["fleet"] is not None:
        say("  " + _("fleet in the year: {plates}").format(
            plates=_joined(item["fleet"]) or _("(none)")))
        for plate, cases in (item.get("violating_vehicles") or {}).items():
            say("  " + _("violating: {plate} ({cases})").format(plate=plate, cases=_joined(cases)))
    if item.get("window"):
        say("  " + _("window: {first} .. {last} ({note})").format(
            first=item["window"]["first"], last=item["window"]["last"],
            note=said(item["window"]["note"])))
