"""`overload todo`: the bureau's worklist for a day (待办), computed from the log, never a timer.

Each item says what is to be done, the command that does it, the day it became due and how
urgent it is on the day asked about:
- **overdue**: an act the bureau owes is late, or an overload went unpunished too long;
- **due**: to be done now (on time);
- **soon**: a date within the horizon (a publicity period ending, an expiry coming);
- **info**: possible, not owed (a repair the subject may apply for).

The readings (the law gives no deadline for the bureau's own acts; these are the engine's, and
`--grace` changes the one number they share):
- an act the bureau owes is due from a day D and overdue once more than `grace_working_days`
  (default 5) working days have passed after D: on time up to and including the 5th working
  day after D, overdue from the next day. D is the trip date for a 公示 (announce), the day
  after the objection deadline (or the day the last objection was dismissed, if later) for a
  公告 (list), the end date for a removal, correction or 不予列入 line (make_public), and the
  filing date for an objection to decide;
- a publicity period is "ending" when its deadline is today or within `soon_days` (default 7);
  it is never overdue (once over, the entry is due to be listed);
- an expiry is "coming" when the first day the entry is no longer shown (display_until + 1,
  the day the 移出公告 is due) is after today and within `expiry_days` (default 30);
- a detection is backlog when it is at least `older_than_days` (default 30) days old, as
  `overload cases --older-than` counts, and one of its four parties is open or unknown: it is
  overdue by that definition;
- quarantined rows, unusable serious-conduct records, weighings from unregistered stations and
  missing calendar years are data to fix: due, never overdue.
Everything is read as known on the day: acts after it, objections filed after it and rows
quarantined after it do not count.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from overload.evaluation.entries import Entry
from overload.events import ALL_EVENTS, OverloadDetected, PublicationMade
from overload.i18n import N_
from overload.lifecycle.calendar import DEFAULT, Calendar, deadline
from overload.lifecycle.timeline import Timeline
from overload.projections.state import Conduct
from overload.store.log import EventLog
from overload.timeutil import legal_date

URGENCIES = ("overdue", "due", "soon", "info")
EXIT_OVERDUE = 3
PARTIES = ("vehicle", "driver", "enterprise", "source_unit")
COLUMNS = ("kind", "urgency", "overdue", "due_on", "age_days", "entry_id", "subject_type",
           "subject_id", "subject_name", "command", "detail")


@dataclass(frozen=True)
class Horizons:
    soon_days: int = 7
    expiry_days: int = 30
    older_than_days: int = 30
    grace_working_days: int = 5


@dataclass(frozen=True)
class Item:
    """One thing to do. `detail` is an English msgid with `{names}` filled from `args`: the
    JSON carries it in English, a table in the operator's language."""

    kind: str
    urgency: str
    due_on: date | None
    age_days: int | None
    command: str
    detail: str
    args: Mapping[str, Any] = field(default_factory=dict)
    entry_id: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    subject_name: str | None = None

    @property
    def overdue(self) -> bool:
        return self.urgency == "overdue"

    def row(self, detail: str | None = None) -> dict[str, Any]:
        """The item in the JSON contract's keys (COLUMNS order); `detail` as given, else English."""
        return {
            "kind": self.kind, "urgency": self.urgency, "overdue": self.overdue,
            "due_on": self.due_on, "age_days": self.age_days, "entry_id": self.entry_id,
            "subject_type": self.subject_type, "subject_id": self.subject_id,
            "subject_name": self.subject_name, "command": self.command,
            "detail": detail if detail is not None else self.detail.format(**self.args),
        }


@dataclass(frozen=True)
class Facts:
    """Everything the worklist reads; `gather` reads it from a log, a test builds it."""

    timelines: Mapping[str, Timeline]
    acts: Sequence[PublicationMade] = ()
    revocations: Mapping[str, date] = field(default_factory=dict)  # case_no -> revoked_on
    cases: Sequence[Mapping[str, Any]] = ()  # rows of overload.screening.cases.case_rows
    quarantine: Sequence[Mapping[str, Any]] = ()  # pending rows, `recorded_on` a date
    conducts: Sequence[Conduct] = ()
    conduct_codes: Collection[str] = ()
    publicity_working_days: int = 10
    calendar: Calendar = DEFAULT
    names: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # station id -> (weighings, first weighing date) for stations never registered; None when
    # the log has no station registrations at all (nothing to compare with).
    unknown_stations: Mapping[str, tuple[int, date]] | None = None


@dataclass(frozen=True)
class Worklist:
    on: date
    horizons: Horizons
    items: tuple[Item, ...]

    def count(self, urgency: str) -> int:
        return sum(1 for item in self.items if item.urgency == urgency)

    @property
    def exit_code(self) -> int:
        """3 when something is overdue; 0 otherwise, also when items are due (see the README:
        a due item is the day's ordinary work, and a script's `set -e` must not stop on it)."""
        return EXIT_OVERDUE if any(item.overdue for item in self.items) else 0


def unsettled_parties(case: Mapping[str, Any]) -> tuple[str, ...]:
    """The parties of a 一超四罚 case still to pursue: open, or unknown (every overload has a
    driver and a source; not knowing one is open work). The one place that reads a case's
    party statuses, so a change to overload.screening.cases lands here only."""
    return tuple(p for p in PARTIES if case.get(p) in ("open", "unknown"))


def owed(since: date, day: date, horizons: Horizons, calendar: Calendar) -> str:
    """due, or overdue once more than the grace in working days has passed after `since`."""
    last = deadline(since, horizons.grace_working_days, calendar).day
    return "overdue" if day > last else "due"


def worklist(facts: Facts, day: date, horizons: Horizons = Horizons()) -> Worklist:
    items: list[Item] = []
    items.extend(_entries(facts, day, horizons))
    items.extend(_backlog(facts, day, horizons))
    items.extend(_data(facts, day))
    items.extend(_calendar(facts, day, horizons))
    rank = {u: i for i, u in enumerate(URGENCIES)}
    items.sort(key=lambda i: (rank[i.urgency], i.due_on or day, i.kind, i.entry_id or "",
                              i.subject_id or ""))
    return Worklist(day, horizons, tuple(items))


def _publish(day: date) -> str:
    return f"overload publish --on {day} --out DIR"


def _entries(facts: Facts, day: date, horizons: Horizons) -> Iterable[Item]:
    acts = [a for a in facts.acts if a.published_on <= day]
    reported_ends = {e for a in acts for e in a.ended}
    reported_withdrawals = {e for a in acts for e in a.corrected if e not in a.revised}
    reported_rejections = {e for a in acts for e in a.not_listed}
    reported_cases: dict[str, set[str]] = defaultdict(set)
    for act in acts:
        for entry_id, cases in act.revised.items():
            reported_cases[entry_id].update(cases)
    for timeline in facts.timelines.values():
        entry = timeline.entry
        status = timeline.status_on(day)
        if status is None:
            continue
        item = partial(_entry_item, entry, facts.names, day)

        if status == "flagged":
            yield item("announce", owed(entry.tripped_on, day, horizons, facts.calendar),
                       entry.tripped_on, _publish(day),
                       N_("{rule} tripped on {tripped_on}: to be announced (公示 and 告知书)"),
                       tripped_on=entry.tripped_on)
            continue
        pending = timeline.pending_objection(day)
        if pending is not None:
            yield item("objection", owed(pending.filed_on, day, horizons, facts.calendar),
                       pending.filed_on,
                       f"overload objection decide {pending.objection_id} --on {day} "
                       "--upheld|--dismissed --note TEXT",
                       N_("objection {objection_id} filed on {filed_on} awaits a decision"),
                       objection_id=pending.objection_id, filed_on=pending.filed_on)
        end = timeline.period_end
        if status == "announced" and end is not None and day <= end <= day + timedelta(
                days=horizons.soon_days):
            yield item("period_ends", "due" if end == day else "soon", end,
                       _publish(end + timedelta(days=1)),
                       N_("objection period ends on {period_end}; listed by the first act after"),
                       period_end=end)
        if timeline.listable_on(day) and end is not None:
            since = max([end + timedelta(days=1), *(
                o.decided_on for o in timeline.objections
                if o.decided_on is not None and o.upheld is False and o.decided_on <= day)])
            yield item("list", owed(since, day, horizons, facts.calendar), since, _publish(day),
                       N_("objection period ended on {period_end}: to be listed (公告)"),
                       period_end=end)
        yield from _public_ends(timeline, status, day, horizons, facts, item,
                                (reported_ends, reported_withdrawals, reported_rejections),
                                reported_cases.get(entry.entry_id, set()))
        if status == "listed":
            if timeline.repair_from is not None and timeline.repair_from <= day:
                yield item("repair_possible", "info", timeline.repair_from,
                           f"overload repair {entry.entry_id} --on {day} --document NO",
                           N_("listed on {listed_on}: repair possible since {repair_from}, on the "
                              "subject's application"),
                           listed_on=timeline.listed_on, repair_from=timeline.repair_from)
            expires = timeline.expires_on
            if expires is not None and day < expires <= day + timedelta(days=horizons.expiry_days):
                yield item("expiry", "soon", expires, _publish(expires),
                           N_("shown until {display_until}: to be removed (移出公告) from "
                              "{expires_on}"),
                           display_until=timeline.display_until, expires_on=expires)


def _entry_item(entry: Entry, names: Mapping[tuple[str, str], str], day: date, kind: str,
                urgency: str, since: date | None, command: str, detail: str,
                **args: Any) -> Item:
    """An item about one entry: its ids and name, and the rule and id for its detail."""
    return Item(kind, urgency, since, (day - since).days if since is not None else None, command,
                detail, {"entry_id": entry.entry_id, "rule": entry.rule, **args},
                entry.entry_id, entry.subject_type, entry.subject_id,
                names.get((entry.subject_type, entry.subject_id)))


def _public_ends(timeline: Timeline, status: str, day: date, horizons: Horizons, facts: Facts,
                 item: Any, reported: tuple[set[str], set[str], set[str]],
                 cases_reported: set[str]) -> Iterable[Item]:
    """What ended (or whose facts changed) since it was made public, not yet in an act."""
    announced_on = timeline.announced_on
    if announced_on is None or announced_on > day:
        return  # never made public: nothing to remove or correct
    entry_id = timeline.entry.entry_id
    ends, withdrawals, rejections = reported
    end = timeline.ended(day)
    if end is not None:
        how, when = end
        if ((how in ("expired", "repaired") and entry_id not in ends)
                or (how == "withdrawn" and entry_id not in withdrawals)
                or (how == "rejected" and entry_id not in rejections)):
            yield item("make_public", owed(when, day, horizons, facts.calendar), when,
                       _publish(day), N_("{status} on {ended_on}: not yet made public by an act"),
                       status=how, ended_on=when)
        return
    revoked = {c: facts.revocations[c] for c in timeline.entry.evidence
               if c in facts.revocations and facts.revocations[c] <= day}
    new = sorted(set(revoked) - cases_reported)
    if new:
        when = max(revoked[c] for c in new)
        yield item("make_public", owed(when, day, horizons, facts.calendar), when, _publish(day),
                   N_("decision {cases} revoked on {ended_on}: its facts to be corrected (更正公告)"),
                   status="corrected", ended_on=when, cases=", ".join(new))


def _backlog(facts: Facts, day: date, horizons: Horizons) -> Iterable[Item]:
    n = horizons.older_than_days
    for case in facts.cases:
        weighed_on = date.fromisoformat(str(case["weighed_on"]))
        age = (day - weighed_on).days
        parties = unsettled_parties(case)
        if age < n or not parties:
            continue
        yield Item("backlog", "overdue", weighed_on + timedelta(days=n), age,
                   f"overload cases --open --older-than {n}",
                   N_("{station_id}/{record_id} weighed on {weighed_on}: no decision yet for "
                      "{parties}"),
                   {"station_id": case["station_id"], "record_id": case["record_id"],
                    "weighed_on": weighed_on, "parties": ", ".join(parties)},
                   subject_type="vehicle", subject_id=str(case["plate"]))


def _data(facts: Facts, day: date) -> Iterable[Item]:
    by_file: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in facts.quarantine:
        if row["recorded_on"] <= day:
            by_file[str(row["file"])].append(row)
    for file, rows in sorted(by_file.items()):
        first = min(r["recorded_on"] for r in rows)
        ids = sorted(int(r["id"]) for r in rows)
        shown = ", ".join(str(i) for i in ids[:5]) + (" …" if len(ids) > 5 else "")
        yield Item("quarantine", "due", first, (day - first).days, "overload quarantine",
                   N_("{count} quarantined rows not resolved or dismissed (ids {ids})"),
                   {"count": len(ids), "ids": shown}, subject_id=file)
    codes = set(facts.conduct_codes)
    for record in sorted(facts.conducts, key=lambda c: (c.occurred_on, c.document_no)):
        if record.occurred_on > day:
            continue
        if record.decided_on is None:
            detail = N_("{document_no}: no decided_on, so it grounds no listing; fix the record "
                        "at its source")
        elif record.conduct not in codes:
            detail = N_("{document_no}: code {conduct} is not one of Notice 8's items (四)-(十), "
                        "so it grounds no listing; fix the record at its source")
        else:
            continue
        yield Item("conduct", "due", record.occurred_on, (day - record.occurred_on).days,
                   f"overload explain {record.subject_id}", detail,
                   {"document_no": record.document_no, "conduct": record.conduct},
                   subject_type=record.subject_type, subject_id=record.subject_id,
                   subject_name=facts.names.get((record.subject_type, record.subject_id)))
    for station, (count, first) in sorted((facts.unknown_stations or {}).items()):
        if first <= day:
            yield Item("unknown_station", "due", first, (day - first).days,
                       f"overload cases --station {station}",
                       N_("{count} weighings from station {station_id}, which is not registered"),
                       {"count": count, "station_id": station}, subject_id=station)


def _calendar(facts: Facts, day: date, horizons: Horizons) -> Iterable[Item]:
    """The years an act within the horizon would count its objection deadline in that neither
    the bureau's calendar file nor chinesecalendar covers (publish refuses to announce then)."""
    missing: dict[int, date] = {}
    for offset in range(horizons.soon_days + 1):
        act_on = day + timedelta(days=offset)
        found = deadline(act_on, facts.publicity_working_days, facts.calendar)
        for year in found.fallback_years:
            missing.setdefault(year, act_on)
    for year, first in sorted(missing.items()):
        yield Item("calendar", "due" if first == day else "soon", first, None,
                   f"overload publish --on {first} --calendar FILE --out DIR",
                   N_("an act on {act_on} needs the holidays of {year}, which neither the "
                      "bureau's calendar file nor chinesecalendar has: add a calendar file"),
                   {"act_on": first, "year": year}, subject_id=str(year))


STATION_EVENT = "StationRegistered"  # the station registry's event (issue 15), when it exists


def gather(log: EventLog, rulebook_id: str | None, day: date,
           calendar: Calendar = DEFAULT) -> Facts:
    """Read the worklist's facts from the log: entries and their timelines, the acts, the
    revocations, the 一超四罚 cases as known on `day`, the pending quarantine, the stations."""
    from overload.evaluation.run import load_state
    from overload.lifecycle.load import view
    from overload.publish.act import acts
    from overload.screening.cases import case_rows
    from overload.store.quarantine import pending_only, review

    current = view(log, rulebook_id)
    rulebook = current.rulebook
    state = load_state(log)
    detections = [d for d in (e.model() for e in log.read(types=("OverloadDetected",)))
                  if isinstance(d, OverloadDetected) and d.rulebook == rulebook.id
                  and d.rulebook_version == rulebook.version]
    mine = [a for a in acts(log)
            if (a.rulebook, a.rulebook_version) == (rulebook.id, rulebook.version)]
    quarantine = [{**row, "recorded_on": _beijing_day(row["recorded_at"])}
                  for row in pending_only(review(log))]
    return Facts(
        timelines=current.timelines, acts=mine,
        revocations={c: r.revoked_on for c, r in state.revocations.items()},
        cases=case_rows(detections, state, day), quarantine=quarantine,
        conducts=state.conducts, conduct_codes=tuple(rulebook.conduct_codes),
        publicity_working_days=rulebook.publicity_working_days, calendar=calendar,
        names=current.names, unknown_stations=_unknown_stations(log),
    )


def _beijing_day(value: datetime | str) -> date:
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)  # the log's own columns are naive UTC
    return legal_date(instant)


def _unknown_stations(log: EventLog) -> dict[str, tuple[int, date]] | None:
    """Weighings per station never registered; None while the log registers no station (the
    station registry is issue 15's; until it lands there is nothing to compare with)."""
    if STATION_EVENT not in ALL_EVENTS:
        return None
    registered = {p["station_id"] for _, _, p in log.payloads((STATION_EVENT,))}
    if not registered:
        return None
    found: dict[str, tuple[int, date]] = {}
    for _, _, p in log.payloads(("WeighingRecorded",)):
        station = p["station_id"]
        if station in registered:
            continue
        day = _beijing_day(p["weighed_at"])
        count, first = found.get(station, (0, day))
        found[station] = (count + 1, min(first, day))
    return found
