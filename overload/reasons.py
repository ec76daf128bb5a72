"""Quarantine reasons: written in English (they are stored, and the same in every language),
said in the operator's language where a person reads them.

A reason is `field: message`, several joined by `; ` (`kind: Input should be 'rigid' or
'combination'; axles: required field is missing`), or one sentence of its own (a conflict).
The feed code formats the constants below, so `said_reason()` can match a stored message back
to its template and give the template's translation with the same values, the way
overload/sentences.py does for the engine's sentences. The messages pydantic writes are listed
here as templates too (their English is pydantic's, not ours). A message of no template, and
the value of a field (an outsider's text), is shown as stored.
"""

import re
from functools import cache

from overload.i18n import N_, _, pgettext
from overload.sentences import pattern_of, said

# Identifiers (overload/identifiers.py).
PLATE = N_("plate {text} is not a province abbreviation + letter + 5 or 6 letters/digits")
ID_NUMBER_FORM = N_("ID number must be 17 digits and a digit or X")
ID_NUMBER_BIRTH = N_("ID number has no valid birth date ({digits})")
ID_NUMBER_CHECK = N_("ID number check digit is wrong (GB 11643-1999)")
CREDIT_CODE = N_("credit code {text} is invalid: {error}")
# python-stdnum's messages, given as the {error} of CREDIT_CODE.
STDNUM = (N_("The number has an invalid length."), N_("The number has an invalid format."),
          N_("The number's checksum or check digit is invalid."),
          N_("The number contains invalid characters."),
          N_("The number has an invalid component."))

# Row limits (overload/feeds/limits.py).
ROW_TOO_LONG = N_("row is {size} bytes, over the limit of {limit} bytes (1 MiB)")
NUL = N_("contains a NUL character (\\u0000), which cannot be stored")
TOO_DEEP = N_("nested deeper than {depth} levels")
TOO_MANY = N_("more than {items} keys and items in all (the limit)")

# What Excel did to a value (overload/feeds/excel.py); {what} and {kind} are said too.
EXCEL_NUMBER = N_("Excel turned this {what} into a number ({text}): format the column as text "
                  "in Excel and export again")
EXCEL_FIFTEEN = N_("Excel kept only 15 digits of this {what} ({text}, ending in 000): format the "
                   "column as text in Excel and export again")
EXCEL_SERIAL = N_("Excel turned this {kind} into its serial number {text} (= {day}): format the "
                  "column as text in Excel and export again ({pattern})")
EXCEL_SLASHED = N_("Excel reformatted this {kind} as {text}: format the column as text in Excel "
                   "and export again ({pattern})")
ID_NUMBER = N_("ID number")
CREDIT_CODE_NAME = N_("credit code")
AN_ID = N_("ID")
A_DATE = N_("date")
A_TIME = N_("time")

# Reading a row (overload/feeds/csv_rows.py, jsonl_rows.py).
NOT_VALID = N_("not valid {encoding}")
NOT_VALID_AT = N_("not valid {encoding} at byte {byte}")
INVALID_JSON = N_("invalid JSON: {error}")
NOT_AN_OBJECT = N_("not a JSON object")
TRUNCATED = N_("truncated: row has {cells} cells, header has {width}")
TOO_MANY_CELLS = N_("too many cells: row has {cells} cells, header has {width}")

# Validating a record (overload/feeds/validate.py, prepare.py, overload/events.py, fields.py).
MISSING = N_("missing")
UNKNOWN_TYPE = N_("unknown record type {type}")
REQUIRED = N_("required field is missing")
MORE = N_("and {count} more")
INTERNAL = N_("internal error: {error}")
AXLE_GROUPS_LIST = N_("must be a JSON list of axle groups")
AXLE_GROUPS_COUNT = N_("axle_groups count {counted} axles, axles says {axles}")
VALID_TO = N_("valid_to is before valid_from")
CERTIFICATE_TO = N_("certificate_valid_to is before certificate_valid_from")
WEIGHING_PAIR = N_("station_id and record_id go together (the weighing it rests on)")
DECIDED_BEFORE = N_("decided_on is before the violation")
NOT_TEXT = N_("must be text, got {kind}")
CONTROL = N_("contains control characters")
ONE_LINE = N_("must be on one line")

# Why the watcher skips or refuses a file (overload/feeds/watch.py); stored in its JSON report.
TEMPORARY_NAME = N_("temporary name")
A_FOLDER = N_("a folder, not a file")
NOT_SETTLED = N_("not settled yet")
SYMLINK = N_("symbolic link")
NOT_REGULAR = N_("not a regular file ({kind})")
OTHER_OWNER = N_("owned by uid {uid}, not an allowed owner (see --owner)")
FILE_KINDS = (N_("a pipe"), N_("a socket"), N_("a character device"), N_("a block device"),
              N_("unknown type"))
CANNOT_OPEN = N_("cannot be opened ({error})")

# Why a whole feed file was not read (overload/feeds): `{label}: message`, in the ingest report.
FILE_ERROR = "{label}: {message}"
HEADER_UNREADABLE = N_("header row cannot be read ({error})")
HEADER_TOO_LONG = N_("header row is over {limit} bytes")
HEADER_NOT_ENCODING = N_("not {encoding} (header row)")
HEADER_NUL = N_("header row contains a NUL character")
HEADER_TOO_WIDE = N_("header has {columns} columns, over the limit of {limit}")
HEADER_REPEATED = N_("header has empty or repeated column names")
NO_TYPE_COLUMN = N_("CSV has no `type` column; give --type for the whole file")
UNKNOWN_EXTENSION = N_("unknown extension {suffix} (expected {known})")
NO_SUCH_FILE = N_("no such file")
IS_A_DIRECTORY = N_("is a directory")
CANNOT_READ = N_("cannot be read ({error})")
JSONL_NOT_UTF8 = N_("not UTF-8 (line {line}); JSON Lines must be UTF-8")
UTF16 = N_("UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" instead")
# What ingest tells of a quarantined row (IngestReport reasons).
INGEST_NOTE = N_("{file}, line {line}: {reason}")
CONFLICT_NOTE = N_("{key}: conflict, stored with other content")

# A key stored with other content (overload/store/log.py): a whole reason.
CONFLICT = N_("conflict: {key} is already stored at position {position} with different "
              "content; not merged")

# pydantic's messages (its English; listed so that they are said in the operator's language).
PYDANTIC = (
    N_("Field required"),
    N_("Extra inputs are not permitted"),
    N_("Input should be {expected}"),
    N_("Input should be a valid integer"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be a valid number"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a finite number"),
    N_("Input should be a valid string"),
    N_("Input should be a valid boolean"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be a valid dictionary"),
    N_("Input should be a valid list"),
    N_("Input should be greater than {limit}"),
    N_("Input should be greater than or equal to {limit}"),
    N_("Input should be less than {limit}"),
    N_("Input should be less than or equal to {limit}"),
    N_("Input should be a valid date"),
    N_("Input should be a valid date or datetime, {detail}"),
    N_("Input should be a valid date in the format YYYY-MM-DD, {detail}"),
    N_("Input should be a valid datetime"),
    N_("Input should be a valid datetime, {detail}"),
    N_("Input should be a valid datetime or date, {detail}"),
    N_("String should have at least {count} characters"),
    N_("String should have at most {count} characters"),
    N_("String should have at least {count} character"),
    N_("String should have at most {count} character"),
    N_("String should match pattern '{pattern}'"),
    N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    N_("input is too short"),
    N_("input is too long"),
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("invalid date separator, expected `-`"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("year 0 is out of range"),
    N_("unexpected extra characters at the end of the input"),
    N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
    N_("invalid character in hour"),
    N_("invalid character in minute"),
    N_("invalid character in second"),
    N_("invalid timezone sign"),
    N_("invalid character in timezone"),
)
OR = N_(" or ")  # between the choices of "Input should be 'a' or 'b'"

TEMPLATES = (
    PLATE, ID_NUMBER_FORM, ID_NUMBER_BIRTH, ID_NUMBER_CHECK, CREDIT_CODE, *STDNUM,
    ROW_TOO_LONG, NUL, TOO_DEEP, TOO_MANY, EXCEL_NUMBER, EXCEL_FIFTEEN, EXCEL_SERIAL,
    EXCEL_SLASHED, ID_NUMBER, CREDIT_CODE_NAME, AN_ID, A_DATE, A_TIME, NOT_VALID, NOT_VALID_AT,
    INVALID_JSON, NOT_AN_OBJECT, TRUNCATED, TOO_MANY_CELLS, MISSING, UNKNOWN_TYPE, REQUIRED, MORE,
    INTERNAL, AXLE_GROUPS_LIST, AXLE_GROUPS_COUNT, VALID_TO, CERTIFICATE_TO, WEIGHING_PAIR,
    DECIDED_BEFORE, NOT_TEXT, CONTROL, ONE_LINE, *PYDANTIC, TEMPORARY_NAME, A_FOLDER,
    NOT_SETTLED, SYMLINK, NOT_REGULAR, OTHER_OWNER, *FILE_KINDS, CANNOT_OPEN, HEADER_UNREADABLE,
    HEADER_TOO_LONG, HEADER_NOT_ENCODING, HEADER_NUL, HEADER_TOO_WIDE, HEADER_REPEATED,
    NO_TYPE_COLUMN, UNKNOWN_EXTENSION, NO_SUCH_FILE, IS_A_DIRECTORY, CANNOT_READ, JSONL_NOT_UTF8,
    UTF16,
)
# Fields whose value is itself said (a word of ours or of pydantic's, not an outsider's text).
SAID_FIELDS = frozenset({"what", "kind", "error", "detail"})
_PART = re.compile(r"(?P<field>[^\s:;][^:;]{0,80}?): (?P<message>.+)\Z", re.DOTALL)
_CHOICE = re.compile(r"(?:'[^']*'|\d+)(?:(?:, | or )(?:'[^']*'|\d+))+\Z")


def file_error(label: str, message: str) -> str:
    """A file not read, as stored: `{label}: message`."""
    return FILE_ERROR.format(label=label, message=message)


def reason(field: str, message: str) -> str:
    """One problem as stored: `field: message`."""
    return f"{field}: {message}"


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a pattern whose groups are its fields, longest first (the most specific
    template wins: "Input should be a valid integer" before "Input should be {expected}")."""
    return tuple((pattern_of(t), t)
                 for t in sorted((*TEMPLATES, CONFLICT, CONFLICT_NOTE), key=len, reverse=True))


def said_message(text: str) -> str:
    """One message in the run's language; as stored when it matches no template."""
    for pattern, template in _patterns():
        found = pattern.match(text)
        if found:
            values = {k: _value(k, v) for k, v in found.groupdict().items()}
            return _(template).format(**values)
    return said(text)  # a sentence of overload/sentences.py (a date typed wrong), else as stored


def _value(name: str, text: str) -> str:
    if name == "expected" and _CHOICE.match(text):
        return text.replace(" or ", _(OR))
    if name in SAID_FIELDS:
        if name == "error" and ": " in text and not text.startswith("'"):
            # "ValueError: ...": the exception's class name is a programmer's word
            head, _sep, rest = text.partition(": ")
            if head.isidentifier():
                return said_message(rest)
        return said_message(text)
    return text


def said_reason(text: str | None) -> str:
    """A stored quarantine reason in the run's language: each `field: message` part with the
    field as its column header and the message translated; unknown text as stored."""
    if not text:
        return text or ""
    whole = said_message(text)
    if whole != text:
        return whole
    parts = text.split("; ")
    out = []
    for part in parts:
        found = _PART.match(part)
        if found is None:
            out.append(said_message(part))
            continue
        field = found["field"]
        out.append(_("{field}: {message}").format(
            field=pgettext("column", field) if field.isidentifier() or field.startswith("(")
            else field,
            message=said_message(found["message"])))
    return _("; ").join(out)


def said_file_error(text: str | None) -> str:
    """`{label}: message` (a file that was not read, a watcher's note) in the run's language:
    the label (a path, which may hold ": ") as it is, the message translated."""
    if not text:
        return text or ""
    start = 0
    while (at := text.find(": ", start)) >= 0:
        message = text[at + 2:]
        translated = said_message(message)
        if translated != message:
            return _("{field}: {message}").format(field=text[:at], message=translated)
        start = at + 2
    return text


_NOTE = re.compile(r"(?P<file>.+), line (?P<line>\d+): (?P<reason>.*)\Z", re.DOTALL)


def said_note(text: str) -> str:
    """A line of ingest's report on a quarantined row (INGEST_NOTE) in the run's language."""
    found = _NOTE.match(text)
    if found is None:
        return said_reason(text)
    return _(INGEST_NOTE).format(file=found["file"], line=found["line"],
                                 reason=said_reason(found["reason"]))
