"""English sentences that are data (stored in events and projections, or values of the JSON
contract), said in the operator's language where a person reads them.

The engine keeps writing these sentences in English: an `EntryWithdrawn.reason` in the log, a
window's note in the projection and a note in `explain --format json` must not change with the
language of the run that wrote them. Each sentence is built from one template below (the code
that writes it formats the same constant), so `said()` can match a stored sentence back to its
template and give the template's translation with the same values.
"""

import re
from functools import cache

from overload.i18n import N_, _

# Windows of the count and share rules (overload/evaluation).
ROLLING_YEAR = N_("rolling year")
ROLLING_YEAR_CIVIL = N_("rolling year (Civil Code Arts. 201-202)")
NO_LICENCE_DATE = N_("no licence date known: rolling year used instead of the licence year")
LICENCE_YEAR = N_("licence year {start} .. {end}")
LICENCE_YEAR_FROM = N_("licence year from {start} (licence issued {issued})")

# Why an entry was withdrawn (EntryWithdrawn.reason; overload/evaluation).
UNSUPPORTED = N_("revocations leave the trip unsupported on its trip date: {cases} revoked on "
                 "{day}")
UNSUPPORTED_SHORT = N_("revocations leave the trip unsupported")
A_SUPPORTING_DECISION = N_("a supporting decision")
SUPERSEDED = N_("superseded: records that arrived later date this trip differently")

# Whether a serious-conduct record grounds a listing (overload/evaluation/evaluate.py).
CONDUCT_UNDATED = N_("no decided_on (feed v1 record): the decision's date is the trip date and "
                     "is missing")
CONDUCT_UNKNOWN_CODE = N_("code '{code}' is not one of Notice 8's items (四)-(十) in the rulebook")
CONDUCT_FINE = N_("fine {fine} yuan >= {minimum}")
CONDUCT_REPEATED = N_("decision {count} of this kind within one year")
CONDUCT_NOT_ENOUGH = N_("fine below {minimum} yuan and decision {count} of this kind within one "
                        "year (needs {needed})")
CONDUCT_DECISION = N_("the decision")

# Notes of explain (overload/explain.py).
COUNTED = N_("counted")
NOT_YET_KNOWN = N_("not yet known on {as_of} (decided {decided_on})")
REVOKED = N_("revoked: does not count")
SAME_WEIGHING = N_("same weighing as {cases}: counted once")
DETECTION_NOTE = N_("a detection opens enforcement work; only penalty decisions count")
WITHDRAWN_EFFECT = N_("the entry was withdrawn: the decisions left did not meet the rule on its "
                      "trip date")
STANDS_EFFECT = N_("the entry stands: the decisions left, as known on its trip date, met the "
                   "rule then ({cases}); the revoked ones are marked and the facts corrected by "
                   "the next publication act")
ENTRY_IN_EFFECT = N_("an entry of this rule is in effect: the violations after its trip date are "
                     "shown here and count toward a new trip only after it ends")
FLEET_SIZE_ZERO = N_("fleet size 0 never trips")

# Calendars that count a publicity period (overload/lifecycle).
FALLBACK_DEADLINE = N_("deadline counted Monday-Friday for a year without holiday data")
NO_HOLIDAY_DATA = N_("no holiday data for {years} (bureau calendar or chinesecalendar): counted "
                     "Monday-Friday; check against the State Council holiday notice")
BUREAU_CALENDAR = N_("bureau calendar {name}")
MONDAY_FRIDAY = N_("Monday-Friday")
LIBRARY_CALENDAR = N_("chinesecalendar")  # the holiday library's name, as stored in acts

# 一超四罚: why a party of a detection is still open (overload/screening/cases.py).
MISSING_VEHICLE = N_("vehicle: no penalty decision on the vehicle yet")
MISSING_DRIVER = N_("driver: no driver ID on the weighing or on any decision")
MISSING_ENTERPRISE = N_("enterprise: not on the decision, the weighing or in a fleet on that date")
MISSING_SOURCE_UNIT = N_("source_unit: no loading source unit on the weighing or on any decision")
PARTY_OPEN = N_("{party}: identified, no penalty decision on it yet")
SCREENING_ONLY = N_("scale certificate not valid on {day} ({known}): screening only")
CERTIFICATE = N_("{number} valid {start} .. {end}")
NO_NUMBER = N_("(no number)")

# A date typed by an operator (overload/timeutil.py writes these).
NOT_A_DATE = N_("{text} is not a date YYYY-MM-DD")
OUTSIDE_DATES = N_("{day} is outside {earliest} .. {latest}")
NOT_AN_INSTANT = N_("{text} is not an ISO 8601 instant")

# What `verify` found (overload/store/verify.py; the `problem` values of its JSON).
ROW_REMOVED = N_("position {expected} is missing (next stored is {position}): a row was removed")
ROW_ALTERED = N_("hash does not match the row's content and its predecessor: the row was "
                 "altered, or rows were reordered or removed before it")
ANCHOR_REWRITTEN = N_("anchor {token} ({source}): the row at position {position} now has hash "
                      "{found}: the log was rewritten at or before position {position}")
ANCHOR_BROKEN = N_("anchor {token} ({source}): the chain breaks at position {broken}, before the "
                   "anchored position")
ANCHOR_TRUNCATED = N_("anchor {token} ({source}): position {position} is not in the log, which "
                      "ends at {count}: the log was truncated")
COMMAND_LINE = N_("command line")
RECORDED_AT = N_("{type} at position {at}")
HEAD_FORGED = N_("{source} records head {token}, which is not before it: the record was forged")
HEAD_REWRITTEN = N_("{source} records head {token}, but the row at position {position} now has "
                    "hash {found}: the log was rewritten at or before position {position}")

TEMPLATES = (
    ROLLING_YEAR, ROLLING_YEAR_CIVIL, NO_LICENCE_DATE, LICENCE_YEAR, LICENCE_YEAR_FROM,
    UNSUPPORTED, UNSUPPORTED_SHORT, A_SUPPORTING_DECISION, SUPERSEDED,
    CONDUCT_UNDATED, CONDUCT_UNKNOWN_CODE, CONDUCT_FINE, CONDUCT_REPEATED, CONDUCT_NOT_ENOUGH,
    CONDUCT_DECISION, COUNTED, NOT_YET_KNOWN, REVOKED, SAME_WEIGHING, DETECTION_NOTE,
    WITHDRAWN_EFFECT, STANDS_EFFECT, ENTRY_IN_EFFECT, FLEET_SIZE_ZERO,
    FALLBACK_DEADLINE, NO_HOLIDAY_DATA, BUREAU_CALENDAR, MONDAY_FRIDAY, LIBRARY_CALENDAR,
    MISSING_VEHICLE, MISSING_DRIVER, MISSING_ENTERPRISE, MISSING_SOURCE_UNIT, PARTY_OPEN,
    SCREENING_ONLY, NO_NUMBER, NOT_A_DATE, OUTSIDE_DATES, NOT_AN_INSTANT, ROW_REMOVED, ROW_ALTERED,
    ANCHOR_REWRITTEN, ANCHOR_BROKEN, ANCHOR_TRUNCATED, COMMAND_LINE, RECORDED_AT, HEAD_FORGED,
    HEAD_REWRITTEN,
)
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a pattern whose groups are its fields (longest templates first, so a
    sentence matches its most specific template)."""
    return tuple((pattern_of(t), t) for t in sorted(TEMPLATES, key=len, reverse=True))


def pattern_of(template: str) -> re.Pattern[str]:
    """A template as a pattern matching the sentences it formats: a group for each field (a
    field used twice must hold the same value twice)."""
    parts = _FIELD.split(template)  # literal, field, literal, field, ..., literal
    seen: set[str] = set()
    regex = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex.append(re.escape(part))
        elif part in seen:
            regex.append(f"(?P={part})")
        else:
            seen.add(part)
            regex.append(f"(?P<{part}>.+?)")
    return re.compile("".join(regex) + r"\Z", re.DOTALL)


def said(text: str | None) -> str:
    """A stored English sentence in the run's language; a sentence of no template (free text an
    operator or a feed wrote) is shown as it is. Joined sentences ("a + b", "a; b") are said
    part by part, and a field's value is said too when it is itself a template
    ("a supporting decision")."""
    if not text:
        return text or ""
    for joint in (" + ", "; "):
        # Joined only when every part is a sentence of its own: a template may hold the joint
        # itself ("...; check against the State Council holiday notice").
        parts = [_match(part) for part in text.split(joint)] if joint in text else [None]
        if all(parts):
            return joint.join(p for p in parts if p)
    return _match(text) or text


def _match(text: str) -> str | None:
    for pattern, template in _patterns():
        found = pattern.match(text)
        if found:
            values = {k: _match(v) or v for k, v in found.groupdict().items()}
            return _(template).format(**values)
    return None
