"""What a publication act on a date does (domain.md §4): announce, list, remove, correct.

The act is planned from the timelines and the earlier acts in the log, never from a clock: the
same log and date give the same act, the same document numbers and the same files. Document
numbers (文号) follow a per-year, per-kind sequence counted from the numbers earlier
`PublicationMade` events consumed.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from overload.errors import OverloadError
from overload.events import EntryAnnounced, EntryListed, Event, PublicationMade
from overload.i18n import _
from overload.lifecycle.calendar import Calendar, deadline
from overload.lifecycle.load import View
from overload.lifecycle.timeline import Timeline, build
from overload.projections.state import State
from overload.store.log import EventLog

KINDS = ("notice", "announcement", "listing", "correction", "removal", "repair")
DRAFT_NO = "草稿第{n}号"  # a draft's placeholder numbers: consumed from no sequence


class ActRefusedError(OverloadError):
    """A publication act the procedure does not allow (exit 2, one line)."""


@dataclass
class Planned:
    """An act ready to render: the event (without file hashes yet), the per-entry events it
    implies, and the timelines as they stand after it."""

    act: PublicationMade
    entry_events: list[Event]
    timelines: dict[str, Timeline]
    deadline_notes: dict[str, str] = field(default_factory=dict)
    draft: bool = False

    @property
    def empty(self) -> bool:
        act = self.act
        return not (act.announced or act.listed or act.ended or act.corrected or act.not_listed)


def acts(log: EventLog) -> list[PublicationMade]:
    """Every publication act in log order (one read of the log)."""
    found = []
    for stored in log.read(types=("PublicationMade",)):
        event = stored.model()
        if isinstance(event, PublicationMade):
            found.append(event)
    return found


class Numbering:
    """The next document number of each kind in a year, from the numbers earlier acts used."""

    def __init__(self, earlier: Sequence[PublicationMade], year: int,
                 patterns: Mapping[str, str]) -> None:
        self.year = year
        self.patterns = dict(patterns)
        self.used = dict.fromkeys(KINDS, 0)
        for act in earlier:
            if act.published_on.year == year:
                for kind, numbers in act.numbers.items():
                    self.used[kind] = self.used.get(kind, 0) + len(numbers)
        self.taken: dict[str, list[str]] = {}

    def next(self, kind: str) -> str:
        self.used[kind] = self.used.get(kind, 0) + 1
        try:
            number = self.patterns[kind].format(year=self.year, n=self.used[kind])
        except KeyError:
            raise OverloadError(_("numbering.{kind}: no document number pattern is set in the "
                                  "bureau's settings").format(kind=kind)) from None
        except (IndexError, ValueError) as error:
            raise OverloadError(_("numbering.{kind}: {error}; use {{year}} and {{n}}").format(
                kind=kind, error=error)) from None
        self.taken.setdefault(kind, []).append(number)
        return number


def batch_of(earlier: Sequence[PublicationMade], day: date) -> str:
    """2026年第2批: the year's n-th act that lists entries."""
    n = 1 + sum(1 for a in earlier if a.published_on.year == day.year and a.numbers.get("listing"))
    return f"{day.year}年第{n}批"


def check_date(earlier: Sequence[PublicationMade], day: date) -> None:
    """Never before the latest act (nor in the future: checked by the caller with the clock)."""
    if earlier:
        latest = max(a.published_on for a in earlier)
        if day < latest:
            from overload import clock

            raise ActRefusedError(_(
                "a publication act on {day} is refused: the latest act is of {latest}; it may "
                "be dated from {latest} to {today}").format(day=day, latest=latest,
                                                           today=clock.today()))


def _revised(timeline: Timeline, state: State, day: date) -> tuple[str, ...]:
    """Revoked decisions an entry still standing rests on (its facts need a correction)."""
    return tuple(sorted(
        case for case in timeline.entry.evidence
        if case in state.revocations and state.revocations[case].revoked_on <= day))


def plan(
    log: EventLog, view: View, day: date, operator: str, patterns: Mapping[str, str],
    calendar: Calendar, allow_fallback: bool, draft: bool, earlier: Sequence[PublicationMade],
    head: tuple[int, str],
) -> Planned:
    """Everything due on `day`, numbered; raises ActRefusedError for a fallback deadline."""
    if view.state is None:
        raise ValueError("an act needs the replayed state: view(..., with_state=True)")
    state, rulebook = view.state, view.rulebook
    mine = [a for a in earlier
            if (a.rulebook, a.rulebook_version) == (rulebook.id, rulebook.version)]
    reported_ends = {e for a in mine for e in a.ended}
    reported_withdrawals = {e for a in mine for e in a.corrected if e not in a.revised}
    reported_cases: dict[str, set[str]] = {}
    for earlier_act in mine:
        for entry_id, cases in earlier_act.revised.items():
            reported_cases.setdefault(entry_id, set()).update(cases)
    revised: dict[str, tuple[str, ...]] = {}
    reported_rejections = {e for a in mine for e in a.not_listed}
    numbering = Numbering(earlier, day.year, patterns)
    timelines = sorted(view.timelines.values(),
                       key=lambda t: (t.entry.tripped_on, t.entry.rule, t.entry.subject_id,
                                      t.entry.entry_id))
    to_announce, to_list, ended, corrected, not_listed = [], [], [], [], []
    for timeline in timelines:
        entry_id = timeline.entry.entry_id
        status = timeline.status_on(day)
        if status == "flagged":
            to_announce.append(timeline)
        elif timeline.listable_on(day):
            to_list.append(timeline)
        was_public = timeline.announced_on is not None
        if not was_public:
            continue
        if status in ("expired", "repaired") and entry_id not in reported_ends:
            ended.append(timeline)
        elif status == "withdrawn" and entry_id not in reported_withdrawals:
            corrected.append(timeline)
        elif status in ("announced", "listed"):
            cases = _revised(timeline, state, day)
            if set(cases) - reported_cases.get(entry_id, set()):
                corrected.append(timeline)
                revised[entry_id] = cases
        elif status == "rejected" and entry_id not in reported_rejections:
            not_listed.append(timeline)

    notes: dict[str, str] = {}
    deadlines = {}
    for timeline in to_announce:
        found = deadline(day, rulebook.publicity_working_days, calendar)
        if found.fallback and not allow_fallback:
            years = ", ".join(str(y) for y in found.fallback_years)
            raise ActRefusedError(_(
                "announcing {entry_id} on {day} needs holiday data for {years}: add the "
                "bureau's calendar file (--calendar FILE) or pass --allow-fallback-calendar to "
                "count Monday-Friday").format(entry_id=timeline.entry.entry_id, day=day,
                                             years=years))
        deadlines[timeline.entry.entry_id] = found
        if found.note:
            notes[timeline.entry.entry_id] = found.note

    drafted: dict[str, list[str]] = {}

    def number(kind: str) -> str:
        if not draft:
            return numbering.next(kind)
        mine = drafted.setdefault(kind, [])
        mine.append(DRAFT_NO.format(n=len(mine) + 1))
        return mine[-1]

    entry_events: list[Event] = []
    announcement_no = number("announcement") if (to_announce or not_listed) else None
    for timeline in to_announce:
        found = deadlines[timeline.entry.entry_id]
        entry_events.append(EntryAnnounced(
            entry_id=timeline.entry.entry_id, announced_on=day, notice_no=number("notice"),
            announcement_no=announcement_no or "", objection_period_ends=found.day,
            calendar=found.source))
    listing_no = number("listing") if to_list else None
    batch = batch_of(earlier, day)
    for timeline in to_list:
        entry_events.append(EntryListed(entry_id=timeline.entry.entry_id, listed_on=day,
                                        listing_no=listing_no or "", batch=batch))
    if corrected:
        number("correction")
    if ended:
        number("removal")
    taken = drafted if draft else numbering.taken

    act = PublicationMade(
        published_on=day,
        seq=1 + sum(1 for a in earlier if a.published_on == day and a.rulebook == rulebook.id
                    and a.rulebook_version == rulebook.version),
        operator=operator, rulebook=rulebook.id, rulebook_version=rulebook.version,
        announced=tuple(t.entry.entry_id for t in to_announce),
        listed=tuple(t.entry.entry_id for t in to_list),
        ended=tuple(t.entry.entry_id for t in ended),
        corrected=tuple(t.entry.entry_id for t in corrected),
        not_listed=tuple(t.entry.entry_id for t in not_listed),
        revised=revised,
        numbers={k: tuple(v) for k, v in sorted(taken.items())},
        head_position=head[0], head_hash=head[1],
    )
    return Planned(act, entry_events, after(view, entry_events), notes, draft)


def after(view: View, entry_events: Sequence[Event]) -> dict[str, Timeline]:
    """The timelines once the act's per-entry events are added (only those entries rebuilt)."""
    timelines = dict(view.timelines)
    touched = {getattr(e, "entry_id", "") for e in entry_events}
    if not touched:
        return timelines
    for entry_id in touched:
        old = timelines[entry_id]
        extra = [e for e in entry_events if getattr(e, "entry_id", "") == entry_id]
        existing: list[Event] = [*(o for o in _events_of(old)), *extra]
        timelines[entry_id] = build(old.entry, existing, view.rulebook)
    return timelines


def _events_of(timeline: Timeline) -> list[Event]:
    """The events a timeline was built from, enough to rebuild it with more."""
    from overload.events import EntryRepaired, ObjectionDecided, ObjectionFiled

    events: list[Event] = []
    for o in timeline.objections:
        events.append(ObjectionFiled(entry_id=o.entry_id, operator=o.operator,
                                     objection_id=o.objection_id, filed_on=o.filed_on,
                                     note=o.note))
        if o.decided_on is not None and o.upheld is not None:
            events.append(ObjectionDecided(entry_id=o.entry_id, operator=o.operator,
                                           objection_id=o.objection_id, upheld=o.upheld,
                                           decided_on=o.decided_on, note=o.decision_note or ""))
    if timeline.repaired_on is not None:
        events.append(EntryRepaired(entry_id=timeline.entry.entry_id, operator="",
                                    repaired_on=timeline.repaired_on,
                                    document_no=timeline.repair_document or ""))
    if timeline.announced is not None:
        events.append(timeline.announced)
    if timeline.listing is not None:
        events.append(timeline.listing)
    return events


def replay(view: View, act: PublicationMade) -> Planned:
    """An act already recorded, to render its files again (the same bytes)."""
    return Planned(act, [], dict(view.timelines))
