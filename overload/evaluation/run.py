"""Run the rulebook over the log and record its decisions as events.

Entries are always recomputed from the raw events (the projections live in memory and are cheap
to rebuild: weighings, the bulk of the log, are not read). The decision events appended here are
the engine's record of what it decided and when; their keys are derived from the entry, so
evaluating twice, or rebuilding, appends nothing new.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from overload.evaluation.entries import Entry
from overload.evaluation.evaluate import Subject, evaluate
from overload.events import EntityFlagged, EntryWithdrawn
from overload.projections.state import STATE_EVENTS, State, apply
from overload.rulebook import loader
from overload.rulebook.model import Rulebook
from overload.store.log import EventLog, Pending, StoredEvent


def load_state(log: EventLog) -> State:
    """Replay the events the rulebook needs, in log order."""
    state = State()
    for stored in log.read(types=STATE_EVENTS):
        apply(stored.model(), state, stored.position)
        state.last_position = stored.position
    return state


@dataclass
class Reconciled:
    entries: int = 0
    flagged: int = 0
    withdrawn: int = 0
    superseded: int = 0


def entries_for(log: EventLog, rulebook_id: str | None) -> tuple[State, Rulebook, list[Entry]]:
    rulebook = loader.load(rulebook_id)
    state = load_state(log)
    return state, rulebook, evaluate(state, rulebook, loader.matcher(rulebook_id))


def record(
    log: EventLog,
    rulebook: Rulebook,
    entries: list[Entry],
    only: Collection[Subject] | None = None,
) -> Reconciled:
    """Append the decision events the log does not yet hold for these entries."""
    source = f"engine:{rulebook.label}"
    flags: dict[str, EntityFlagged] = {}
    withdrawn: set[str] = set()
    for stored in log.read(types=("EntityFlagged", "EntryWithdrawn")):
        event = stored.model()
        if isinstance(event, EntityFlagged):
            if event.rulebook == rulebook.id and event.rulebook_version == rulebook.version:
                flags[event.entry_id] = event
        elif isinstance(event, EntryWithdrawn):
            withdrawn.add(event.entry_id)
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
        subject = (flag.subject_type, flag.subject_id)
        if only is not None and subject not in only:
            continue
        if flag.entry_id not in computed and flag.entry_id not in withdrawn:
            # Late records moved this trip: the recomputed entry replaces it.
            pending.append(Pending.of(EntryWithdrawn(
                entry_id=flag.entry_id,
                withdrawn_on=flag.tripped_on,
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


def affected(state: State, events: Iterable[StoredEvent]) -> set[Subject]:
    """Subjects whose entries may change because of these new events."""
    subjects: set[Subject] = set()
    for stored in events:
        payload = stored.payload
        if stored.type == "PenaltyDecided":
            decision = state.decisions.get(payload["case_no"])
            subjects |= _decision_subjects(state, decision)
        elif stored.type == "PenaltyRevoked":
            subjects |= _decision_subjects(state, state.decisions.get(payload["case_no"]))
        elif stored.type in ("VehicleRegistered", "VehicleDeregistered"):
            plate = payload["plate"]
            subjects.add(("vehicle", plate))
            subjects |= {("enterprise", m.enterprise_id) for m in state.memberships(plate)
                         if m.enterprise_id}
            subjects |= {("driver", d.driver_id) for d in state.decisions.values()
                         if d.plate == plate and d.driver_id}
        elif stored.type in ("EnterpriseRegistered", "SuspensionOrdered"):
            subjects.add(("enterprise", payload["enterprise_id"]))
        elif stored.type == "DriverRegistered":
            subjects.add(("driver", payload["driver_id"]))
        elif stored.type == "SeriousConductRecorded":
            subjects.add((payload["subject_type"], payload["subject_id"]))
    return subjects


def _decision_subjects(state: State, decision: object) -> set[Subject]:
    from overload.projections.state import Decision

    if not isinstance(decision, Decision):
        return set()
    subjects: set[Subject] = {("vehicle", decision.plate)}
    if decision.driver_id:
        subjects.add(("driver", decision.driver_id))
    enterprise = state.enterprise_of(decision)
    if enterprise:
        subjects.add(("enterprise", enterprise))
    return subjects


def evaluate_incrementally(log: EventLog, rulebook_id: str | None, after: int) -> Reconciled:
    """After an ingest: re-evaluate only the subjects the new events touch."""
    rulebook = loader.load(rulebook_id)
    state = load_state(log)
    only = affected(state, log.read(types=STATE_EVENTS, after=after))
    if not only:
        return Reconciled()
    entries = evaluate(state, rulebook, loader.matcher(rulebook_id), only=only)
    return record(log, rulebook, entries, only=only)
