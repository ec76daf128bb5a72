"""Run the rulebook over the log: keep the entries projection current, record decisions.

`catch_up()` is the one way in (`current()` also reads the entries back): it reads the
projection's checkpoint, evaluates only the subjects touched by state events after it (all
subjects on first use, with `full=True`, or when the checkpoint is corrupt), appends the
decision events the log lacks (keys derived from the entry, so nothing is appended twice), and
swaps the changed subjects' entries into the projection.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from overload.evaluation.entries import Entry
from overload.evaluation.evaluate import Subject, evaluate
from overload.events import EntityFlagged, EntryWithdrawn
from overload.lifecycle.ends import END_EVENTS, act_ends, ended_subjects
from overload.listing import subject_name
from overload.projections.state import STATE_EVENTS, Decision, State, apply_payload
from overload.rulebook import loader
from overload.rulebook.model import Rulebook
from overload.store import projection, subjects
from overload.store.log import EventLog, Pending


def load_state(
    log: EventLog, subject: str | None = None, types: Iterable[str] = STATE_EVENTS,
    through: int | None = None,
) -> State:
    """Replay the events the rulebook needs, in log order (optionally those about one subject,
    or only up to a position: the state a projection's checkpoint stands for)."""
    state = State()
    for position, kind, payload in log.payloads(types, subject=subject):
        if through is not None and position > through:
            break
        apply_payload(kind, payload, state, position)
        state.last_position = position
    return state


@dataclass
class Reconciled:
    entries: int = 0
    flagged: int = 0
    withdrawn: int = 0
    superseded: int = 0
    subjects: int = 0


@dataclass
class Current:
    """The entries of one rulebook as the log stands, with the subjects' names."""

    rulebook: Rulebook
    entries: list[Entry]
    names: dict[tuple[str, str], str]
    reconciled: Reconciled
    state: State | None = None


def current(
    log: EventLog, rulebook_id: str | None, full: bool = False, state: State | None = None,
    subject_id: str | None = None,
) -> Current:
    """The entries as of the newest state event, catching the projection up first if needed."""
    rulebook, result, state = catch_up(log, rulebook_id, full, state)
    stored = projection.load(log, rulebook.label, subject_id)
    names = {(e.subject_type, e.subject_id): name for e, name in stored}
    return Current(rulebook, [e for e, _ in stored], names, result, state)


def catch_up(
    log: EventLog, rulebook_id: str | None, full: bool = False, state: State | None = None,
) -> tuple[Rulebook, Reconciled, State | None]:
    """Bring the entries projection (and the subject index) up to the log: evaluate the
    subjects touched by state events after the checkpoint, or every subject on first use, with
    `full`, or when the checkpoint points past the last state event (corrupt: said through
    `log.on_notice`, and repaired by evaluating from scratch)."""
    rulebook = loader.load(rulebook_id)
    label = rulebook.label
    result = Reconciled()
    for _attempt in range(5):
        seen = projection.checkpoint(log, label)
        state_head = log.last_position(STATE_EVENTS)
        head = max(state_head, log.last_position(END_EVENTS))  # acts that end entries count too
        scratch = full or seen is None
        if seen is not None and seen > head and not full:
            log.on_notice(f"the entries of {label} claim to reflect the log up to position "
                          f"{seen}, past its last state event ({head}): corrupt; evaluating "
                          "every subject again")
            scratch = True
        elif not scratch and seen is not None and seen >= head:
            break
        state = state if state is not None and state.last_position >= state_head \
            else load_state(log)
        only: set[Subject] | None = None
        if not scratch and seen is not None:
            only = affected(state, ((k, p) for _, k, p in log.payloads(STATE_EVENTS, after=seen)))
            only |= ended_subjects(log, seen)
        entries = evaluate(state, rulebook, loader.matcher(rulebook_id), only=only,
                           ends=act_ends(log, rulebook))
        result = record(log, rulebook, entries, only)
        named = [(e, subject_name(state, e.subject_type, e.subject_id)) for e in entries]
        if projection.replace(log, label, only, named, seen, max(state.last_position, head)):
            result.subjects = len(only) if only is not None else -1
            break
    subjects.catch_up(log, full=full)  # the subject index is a projection too
    return rulebook, result, state


def record(
    log: EventLog,
    rulebook: Rulebook,
    entries: list[Entry],
    only: Collection[Subject] | None = None,
) -> Reconciled:
    """Append the decision events the log does not yet hold for these entries."""
    source = f"engine:{rulebook.label}"
    flags: dict[str, dict[str, Any]] = {}
    withdrawn: set[str] = set()
    for _, kind, payload in log.payloads(("EntityFlagged", "EntryWithdrawn")):
        if kind == "EntityFlagged":
            if (payload["rulebook"], payload["rulebook_version"]) == (rulebook.id, rulebook.version):
                flags[payload["entry_id"]] = payload
        else:
            withdrawn.add(payload["entry_id"])
    pending: list[Pending] = []
    result = Reconciled(entries=len(entries))
    computed = {e.entry_id for e in entries}
    for entry in entries:
        if entry.entry_id not in flags:
            pending.append(Pending.of(_flag(entry), source))
            result.flagged += 1
        if entry.withdrawn_on is not None and entry.entry_id not in withdrawn:
            pending.append(Pending.of(_withdrawal(entry), source))
            result.withdrawn += 1
    for flag in flags.values():
        if only is not None and (flag["subject_type"], flag["subject_id"]) not in only:
            continue
        if flag["entry_id"] not in computed and flag["entry_id"] not in withdrawn:
            # Records that arrived later moved this trip: the recomputed entry replaces it.
            pending.append(Pending.of(EntryWithdrawn(
                entry_id=flag["entry_id"],
                withdrawn_on=flag["tripped_on"],
                reason="superseded: records that arrived later date this trip differently",
                revoked_cases=(),
            ), source))
            result.superseded += 1
    if pending:
        log.write(pending)
    return result


def _flag(entry: Entry) -> EntityFlagged:
    return EntityFlagged(
        entry_id=entry.entry_id,
        subject_type=entry.subject_type,
        subject_id=entry.subject_id,
        rule=entry.rule,
        rulebook=entry.rulebook,
        rulebook_version=entry.rulebook_version,
        tripped_on=entry.tripped_on,
        evidence=entry.evidence,
        supporting_positions=entry.positions,
    )


def _withdrawal(entry: Entry) -> EntryWithdrawn:
    assert entry.withdrawn_on is not None
    return EntryWithdrawn(
        entry_id=entry.entry_id,
        withdrawn_on=entry.withdrawn_on,
        reason=entry.withdrawal_reason or "revocations leave the trip unsupported",
        revoked_cases=entry.revoked_cases,
    )


def affected(state: State, events: Iterable[tuple[str, dict[str, Any]]]) -> set[Subject]:
    """Subjects whose entries may change because of these new (type, payload) events.

    `state` already holds them. Every subject a row can change is named, whatever the order the
    rows arrived in: a fleet row delivered after the decisions changes the share of the
    enterprises the plate was ever registered with (the new fleet and the one it left), and
    their decisions' attribution. Registry rows of subjects that can have no entry (a plate
    without decisions, a driver without decisions or conduct) name only the fleets: a registry
    of a million vehicles must not become a million subjects to re-evaluate.
    """
    subjects: set[Subject] = set()
    drivers_of: dict[str, set[str]] | None = None  # plate -> drivers, built on first need
    plates = {d.plate for d in state.decisions.values()}
    drivers = {d.driver_id for d in state.decisions.values() if d.driver_id}
    drivers |= {c.subject_id for c in state.conducts if c.subject_type == "driver"}
    for kind, payload in events:
        if kind in ("PenaltyDecided", "PenaltyRevoked"):
            subjects |= _decision_subjects(state, state.decisions.get(payload["case_no"]))
        elif kind in ("VehicleRegistered", "VehicleDeregistered"):
            plate = payload["plate"]
            # Every fleet the plate was ever registered with, whichever this row opens or
            # closes (a same-day move can even erase an interval: registrations, not
            # intervals, are what is enumerated).
            subjects |= {("enterprise", change[2])
                         for change in state.fleet_changes.get(plate, ()) if change[2]}
            if payload.get("enterprise_id"):
                subjects.add(("enterprise", payload["enterprise_id"]))
            if plate not in plates:
                continue
            subjects.add(("vehicle", plate))  # its licence year (mot-2017)
            if drivers_of is None:
                drivers_of = {}
                for decision in state.decisions.values():
                    if decision.driver_id:
                        drivers_of.setdefault(decision.plate, set()).add(decision.driver_id)
            subjects |= {("driver", driver) for driver in drivers_of.get(plate, ())}
        elif kind == "EnterpriseRegistered":
            # A registered company may be a transport enterprise or a loading source unit.
            subjects |= {("enterprise", payload["enterprise_id"]),
                         ("source_unit", payload["enterprise_id"])}
        elif kind == "SuspensionOrdered":
            subjects.add(("enterprise", payload["enterprise_id"]))
        elif kind == "DriverRegistered":
            if payload["driver_id"] in drivers:  # its name and licence year
                subjects.add(("driver", payload["driver_id"]))
        elif kind == "SeriousConductRecorded":
            subjects.add((payload["subject_type"], payload["subject_id"]))
    return subjects


def _decision_subjects(state: State, decision: Decision | None) -> set[Subject]:
    if decision is None:
        return set()
    subjects: set[Subject] = {("vehicle", decision.plate)}
    if decision.driver_id:
        subjects.add(("driver", decision.driver_id))
    enterprise = state.enterprise_of(decision)
    if enterprise:
        subjects.add(("enterprise", enterprise))
    return subjects
