"""What the public documents say about an entry's subject and its deciding authority."""

from overload.lifecycle.timeline import Timeline
from overload.projections.state import State

SUBJECT_ZH = {"vehicle": "货运车辆", "driver": "货运车辆驾驶人", "enterprise": "道路运输企业",
              "source_unit": "货运源头单位"}


def authority(timeline: Timeline, state: State) -> str | None:
    """The deciding authority: that of the latest supporting document that names one."""
    found: list[tuple[str, str]] = []
    evidence = set(timeline.entry.evidence)
    for decision in state.decisions.values():
        if decision.case_no in evidence and decision.authority:
            found.append((decision.decided_on.isoformat(), decision.authority))
    for order in state.orders:
        if order.order_no in evidence and order.authority:
            found.append((order.ordered_on.isoformat(), order.authority))
    for conduct in state.conducts:
        if conduct.document_no in evidence and conduct.authority:
            day = conduct.decided_on or conduct.occurred_on
            found.append((day.isoformat(), conduct.authority))
    return max(found)[1] if found else None
