"""`overload publish`: one publication act, from the checks to the recorded event.

Refused (exit 2, one line): an act in the future, before the latest act, announcing with a
Monday-Friday deadline without `--allow-fallback-calendar`, or with nothing to make public on a
new date without `--allow-empty`. The same date with nothing new writes the latest act's files
again (identical bytes) and records nothing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from overload.lifecycle import calendar as calendars
from overload.lifecycle.actions import not_in_future, operator_name
from overload.lifecycle.load import view
from overload.publish.act import ActRefusedError, acts, check_date, plan, replay
from overload.publish.publication import log_head, prepare, record, write
from overload.store.log import EventLog


@dataclass
class Published:
    message: str
    log_head: str
    summary: dict[str, int] = field(default_factory=dict)


def publish(
    log: EventLog, rulebook_id: str | None, day: date, out: Path, operator: str | None,
    templates: Path | None, calendar_files: Sequence[Path], *, allow_fallback: bool = False,
    allow_empty: bool = False, draft: bool = False, patterns: Mapping[str, str] | None = None,
    bureau: Mapping[str, Any] | None = None,
) -> Published:
    who = operator_name(operator)
    not_in_future("a publication act", day)
    earlier = acts(log)
    check_date(earlier, day)
    calendar = calendars.load(calendar_files)
    head = log.head()
    current = view(log, rulebook_id, with_state=True)
    planned = plan(log, current, day, who, patterns or {}, calendar, allow_fallback, draft,
                   earlier, head)
    if planned.empty and not draft:
        same_day = [a for a in earlier if a.published_on == day
                    and (a.rulebook, a.rulebook_version) == (current.rulebook.id,
                                                           current.rulebook.version)]
        if same_day:
            latest = max(same_day, key=lambda a: a.seq)
            publication = prepare(replay(current, latest), current, templates, bureau)
            write(publication, out)
            return Published(f"nothing new on {day}: the files of act {latest.seq} of that date "
                             f"were written again into {out}; nothing recorded", log_head(latest))
        if not allow_empty:
            raise ActRefusedError(
                f"nothing to publish on {day}: no entry to announce, list, remove or correct "
                "(--allow-empty records an act that republishes the list as it stands)")
    publication = prepare(planned, current, templates, bureau)
    write(publication, out)
    if draft:
        return Published(f"draft of the act of {day} written into {out}: no number used, "
                         "nothing recorded", log_head(planned.act), publication.summary)
    act = record(log, planned, publication)
    return Published(f"publication act {act.seq} of {day} recorded by {who}",
                     log_head(act), publication.summary)
