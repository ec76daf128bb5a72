"""Which quarantined rows still need an operator: not resolved by a later accepted row, not
dismissed. The quarantine table is never changed; both answers are read from the log.

A row is **resolved** when an event was accepted after it
- with the same idempotency key (recomputed from a JSON row's text where it still validates;
  a conflict's key was taken before it, so only a dismissal ends a conflict), or
- from the same file and line whose key's letters and digits all appear in the quarantined
  text: the line was delivered again, fixed (re-saved from Excel as UTF-8, say). The check on
  the text keeps a file name a station reuses for new content from hiding an old bad line; an
  undecodable row keeps its ASCII (plates' letters and digits, record ids, dates) readable.
A row is **dismissed** by a QuarantineDismissed event naming its fingerprint.
Both cost one query each however many rows are quarantined (plus one per 500 conflict keys).
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import orjson

from overload.errors import OverloadError
from overload.events import FEED_EVENTS, QuarantineDismissed
from overload.i18n import _
from overload.store.log import EventLog, Pending

_WORD = re.compile(r"[0-9A-Za-z]{2,}")
QUARANTINE_COLUMNS = ("id", "file", "line", "record_type", "field", "reason", "raw",
                      "recorded_at", "status", "resolved_by", "dismissed_by")


def review(log: EventLog) -> list[dict[str, Any]]:
    """Every quarantined row with `status` (pending, resolved, dismissed) and the position of
    the event that resolved or dismissed it."""
    rows = log.quarantined()
    dismissed = {e.payload["fingerprint"]: e.position
                 for e in log.read(types=("QuarantineDismissed",))}
    resolved: dict[int, int] = {}
    by_id = {row["id"]: row for row in rows}
    for quarantine_id, position, key in log.accepted_from_quarantined_lines():
        row = by_id.get(quarantine_id)
        if row is not None and _mentions(row["raw"], key):
            resolved.setdefault(quarantine_id, position)
    wanted = {row["id"]: k for row in rows if (k := _key_of(row)) is not None}
    if wanted:
        known = log.known(set(wanted.values()))
        for quarantine_id, recovered in wanted.items():
            found = known.get(recovered)
            if found is not None:
                resolved.setdefault(quarantine_id, found[0])
    for row in rows:
        row["resolved_by"] = resolved.get(row["id"])
        row["dismissed_by"] = dismissed.get(row["fingerprint"])
        row["status"] = ("dismissed" if row["dismissed_by"] else
                         "resolved" if row["resolved_by"] else "pending")
    return rows


def _mentions(raw: str, key: str) -> bool:
    """Every letters-and-digits word of the key's values appears in the quarantined text."""
    values = key.split(":", 1)[1] if ":" in key else key
    return all(word in raw for word in _WORD.findall(values))


def _key_of(row: dict[str, Any]) -> str | None:
    """The idempotency key of a quarantined row, where what was kept names it."""
    if row["field"] == "(key)":
        return None  # a conflict: the stored event under that key is the other version
    raw = row["raw"]
    if not raw.startswith("{"):
        return None
    try:
        record = orjson.loads(raw)
        model = FEED_EVENTS[record["type"]]
        fields = {k: v for k, v in record.items() if k != "type"}
        return model.model_validate(fields).key()
    except Exception:  # an invalid row has no key to recover: it stays pending
        return None


def dismiss(log: EventLog, ids: Iterable[int], note: str, operator: str,
            on: date) -> list[QuarantineDismissed]:
    """Record an operator's decision to drop quarantined rows (one event each, idempotent)."""
    rows = {row["id"]: row for row in log.quarantined()}
    wanted = list(dict.fromkeys(ids))
    missing = [str(i) for i in wanted if i not in rows]
    if missing:
        raise OverloadError(_("no quarantined row with id {ids} (see overload quarantine --all)")
                            .format(ids=", ".join(missing)))
    if not note.strip():
        raise OverloadError(_("--note: say why the rows are dropped"))
    events = [
        QuarantineDismissed(quarantine_id=i, fingerprint=rows[i]["fingerprint"],
                            file=rows[i]["file"], line=rows[i]["line"], dismissed_on=on,
                            note=note.strip(), operator=operator)
        for i in wanted
    ]
    log.write([Pending.of(event, f"operator:{operator}") for event in events])
    return events


def pending_only(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if row["status"] == "pending"]
