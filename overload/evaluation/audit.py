"""`verify --deep` and the lag check: are the derived tables what the log says they are?

The projections are trusted by every read (`list` serves `projection_entry`, `explain` finds
events through `projection_subject`), so an edited row or a raised checkpoint would change what
operators see while the hash chain stays intact. The deep check rebuilds each one in memory
from the log, up to its own checkpoint, and compares; nothing is written.
"""

from dataclasses import dataclass, field

from overload.errors import UnknownRulebookError
from overload.evaluation.evaluate import evaluate
from overload.evaluation.run import load_state
from overload.lifecycle.ends import END_EVENTS, act_ends
from overload.listing import subject_name
from overload.projections.state import STATE_EVENTS, State
from overload.rulebook import loader
from overload.store import projection, subjects
from overload.store.log import SUBJECT_INDEX, EventLog
from overload.store.projection import Difference


@dataclass(frozen=True)
class Lag:
    """The entries of a rulebook reflect the log up to `checkpoint`, not its last state event
    (or the last act that ended an entry: those let a subject trip again)."""

    rulebook: str
    checkpoint: int | None
    last_state_event: int


@dataclass
class DeepReport:
    differences: list[Difference] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was compared, for the operator
    notes: list[str] = field(default_factory=list)  # what could not be compared, and why


def evaluated_head(log: EventLog) -> int:
    """The position an up-to-date entries projection reflects: its last state event, or a
    later act that ended an entry (the catch-up in run.py moves its checkpoint there)."""
    return max(log.last_position(STATE_EVENTS), log.last_position(END_EVENTS))


def lag(log: EventLog, rulebook_id: str | None) -> Lag | None:
    """How far evaluation lags the log for this rulebook (None: it does not). An ingest killed
    between its commit and its evaluation leaves this until the next command that reads."""
    label = loader.load(rulebook_id).label
    last = evaluated_head(log)
    seen = projection.checkpoint(log, label)
    if last == 0 or (seen is not None and seen >= last):
        return None
    return Lag(label, seen, last)


def deep(log: EventLog) -> DeepReport:
    """Rebuild every projection in memory and report the first difference of each."""
    report = DeepReport()
    last = evaluated_head(log)
    states: dict[int, State] = {}
    for name, position in sorted(projection.checkpoints(log).items()):
        if name == SUBJECT_INDEX:
            continue
        rulebook_id, _, version = name.partition("@")
        try:
            rulebook = loader.load(rulebook_id)
        except UnknownRulebookError:
            report.notes.append(f"{name}: not a shipped rulebook; its entries were not compared")
            continue
        if str(rulebook.version) != version:
            report.notes.append(f"{name}: the shipped {rulebook_id} is version {rulebook.version};"
                                " its entries were not compared")
            continue
        if position > last:
            report.differences.append(Difference(
                "projection_checkpoint", name, str(position),
                f"at most {last} (the last state event or ending act)"))
            continue
        state = states.get(position)
        if state is None:
            state = states[position] = load_state(log, through=position)
        entries = evaluate(state, rulebook, loader.matcher(rulebook_id),
                           ends=act_ends(log, rulebook))
        named = [(e, subject_name(state, e.subject_type, e.subject_id)) for e in entries]
        report.checked.append(f"projection_entry {name}: {len(named):,} entries up to position "
                              f"{position}")
        found = projection.first_difference(log, name, named)
        if found is not None:
            report.differences.append(found)
    report.checked.append(f"projection_subject: up to position {log.subject_checkpoint()}")
    found = subjects.first_difference(log)
    if found is not None:
        report.differences.append(found)
    return report
