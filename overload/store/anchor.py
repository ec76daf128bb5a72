"""Anchors: the log's head written down outside the database, as `HASH@POSITION`.

The hash chain shows that the rows agree with each other, not that they are the rows that were
written: whoever can write the database can recompute every hash after a change. A head kept
elsewhere (a published list, a signed mail, an auditor's notebook) cannot be recomputed, so
`overload verify --anchor` can prove the log still holds it, and so everything up to it.

The token is 64 lowercase hex digits, `@`, and the decimal position; it is found in any text
file (JSON, HTML, Markdown, CSV) and in the XML parts of .xlsx and .docx files.
"""

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from overload.errors import OverloadError
from overload.i18n import _

TOKEN = re.compile(r"(?<![0-9A-Za-z])([0-9a-f]{64})@([0-9]{1,18})(?![0-9])")
_TAG = re.compile(r"<[^>]*>")
# Tags that end a cell, a paragraph or a line separate text; any other tag (a Word run, a span)
# may split a token in two, so it is removed without a trace.
_BLOCK = re.compile(r"</?(?:w:p|w:tc|w:tr|w:br|w:cr|w:tab|p|div|td|th|tr|li|br|h[1-6]|c|v|si|row|"
                    r"table|footer|section)\b[^>]*>", re.IGNORECASE)
MAX_FILE_BYTES = 256 * 1024 * 1024  # a published list is far smaller; a bigger file is not one


class AnchorError(OverloadError):
    """An anchor that cannot be read: neither a token nor a file that holds one."""


@dataclass(frozen=True, order=True)
class Anchor:
    """A head of the log: the row at `position` had chain hash `hash`."""

    position: int
    hash: str
    source: str = ""  # where it was read (a file name, or "command line")

    @property
    def token(self) -> str:
        return format_anchor(self.position, self.hash)


def format_anchor(position: int, hash_: str) -> str:
    return f"{hash_}@{position}"


def parse_anchor(text: str, source: str = "command line") -> Anchor:
    """A `HASH@POSITION` token, exactly (surrounding spaces aside; a hash copied in capitals
    from a notebook is the same hash)."""
    match = TOKEN.fullmatch(text.strip().lower())
    if match is None:
        raise AnchorError(_("{text}: not an anchor (64 lowercase hex digits, '@', the position)")
                          .format(text=repr(text.strip()[:80])))
    return Anchor(int(match.group(2)), match.group(1), source)


def find_anchors(text: str, source: str = "") -> list[Anchor]:
    """Every distinct token in a text, in order of first appearance. Markup is looked through
    only when the text as written holds none: a token split across Word runs or HTML spans is
    one token once the inline tags are gone (cells and paragraphs stay apart)."""
    found: dict[tuple[int, str], Anchor] = {}
    for body in (text, _plain(text)):
        for match in TOKEN.finditer(body):
            anchor = Anchor(int(match.group(2)), match.group(1), source)
            found.setdefault((anchor.position, anchor.hash), anchor)
        if found or ("<" not in text and "&" not in text):
            break
    return list(found.values())


def _plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", _BLOCK.sub(" ", markup)))


def anchors_in_file(path: Path) -> list[Anchor]:
    """The anchors a file holds: zip documents (.xlsx, .docx) by their XML parts, any other
    file as text. A file that holds none is an error: the operator named it as an anchor."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AnchorError(_("{path}: {size} bytes, too large to be a published list").format(
                path=path, size=f"{size:,}"))
        if zipfile.is_zipfile(path):
            found = _in_zip(path)
        else:
            found = find_anchors(path.read_bytes().decode("utf-8", errors="replace"), str(path))
    except OSError as error:
        raise AnchorError(f"{path}: {error.strerror or error}") from None
    if not found:
        raise AnchorError(_("{path}: no anchor (HASH@POSITION) found in the file").format(
            path=path))
    return found


def _in_zip(path: Path) -> list[Anchor]:
    found: dict[tuple[int, str], Anchor] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.lower().endswith((".xml", ".rels")):
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    raise AnchorError(_("{path}: part {part} is too large to read").format(
                        path=path, part=info.filename))
                text = archive.read(info).decode("utf-8", errors="replace")
                for anchor in find_anchors(text, str(path)):
                    found.setdefault((anchor.position, anchor.hash), anchor)
    except (zipfile.BadZipFile, RuntimeError) as error:  # RuntimeError: an encrypted part
        raise AnchorError(_("{path}: not a readable zip document ({error})").format(
            path=path, error=error)) from None
    return list(found.values())


def read_anchor(value: str) -> list[Anchor]:
    """`--anchor` takes a token or a file: a token when it is one, else the file's anchors."""
    if TOKEN.fullmatch(value.strip().lower()):
        return [parse_anchor(value)]
    path = Path(value)
    if not path.is_file():
        raise AnchorError(_("--anchor {value}: neither HASH@POSITION nor a readable file").format(
            value=repr(value[:80])))
    return anchors_in_file(path)
